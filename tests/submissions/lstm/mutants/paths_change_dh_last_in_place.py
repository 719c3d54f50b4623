"""The running gradient on h is updated in place, and at the last step it is dh_last itself: the values are
right, the argument is corrupted."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": ["changed its argument dh_last in place"],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on_path, off_path = np.zeros(T), np.zeros(T)
    dh, dc_next = dh_last, np.zeros_like(dh_last)
    for t in range(T - 1, -1, -1):
        o, tanh_c = cache[t][8], cache[t][9]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        on = dc if t == T - 1 else cache[t + 1][6] * on
        on_path[t] = np.linalg.norm(on, axis=1).mean()
        off_path[t] = np.linalg.norm(dc - on, axis=1).mean()
        _, dh_prev, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
        dh *= 0.0
        dh += dh_prev
    return on_path, off_path
