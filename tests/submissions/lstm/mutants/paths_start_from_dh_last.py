"""The part on the path starts from dh_last, the gradient on h[:, T - 1], instead of the last cell state's
gradient dh_last * o * (1 - tanh(c)**2)."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": [
        "on_path is wrong",
        "the part on the path starts from the last cell state's gradient",
        "not from dh_last, which is the gradient on h[:, T - 1]",
    ],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on_path, off_path = np.zeros(T), np.zeros(T)
    dh, dc_next, on = dh_last, np.zeros_like(dh_last), dh_last
    for t in range(T - 1, -1, -1):
        o, tanh_c = cache[t][8], cache[t][9]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        if t < T - 1:
            on = cache[t + 1][6] * on
        on_path[t] = np.linalg.norm(on, axis=1).mean()
        off_path[t] = np.linalg.norm(dc - on, axis=1).mean()
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return on_path, off_path
