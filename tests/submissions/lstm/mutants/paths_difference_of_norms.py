"""off_path[t] is the difference of the two mean norms, ||dL/dc[:, t]|| - ||on[:, t]||, instead of the norm of
the difference."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": [
        "off_path is wrong",
        "off_path[t] is the mean norm of the difference dL/dc[:, t] - on[:, t], not the difference of the two norms",
    ],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on_path, cell = np.zeros(T), np.zeros(T)
    dh, dc_next = dh_last, np.zeros_like(dh_last)
    for t in range(T - 1, -1, -1):
        o, tanh_c = cache[t][8], cache[t][9]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        on = dc if t == T - 1 else cache[t + 1][6] * on
        on_path[t] = np.linalg.norm(on, axis=1).mean()
        cell[t] = np.linalg.norm(dc, axis=1).mean()
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return on_path, cell - on_path
