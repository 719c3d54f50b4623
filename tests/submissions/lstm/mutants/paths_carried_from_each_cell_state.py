"""The part on the path of step t is the forget gate of step t + 1 times the whole gradient of the next cell state,
dL/dc[:, t + 1], instead of times the part on the path of step t + 1."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": ["on_path is wrong", "not f[:, t + 1] * dL/dc[:, t + 1]"],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on_path, off_path = np.zeros(T), np.zeros(T)
    dh, dc_next, dc_after = dh_last, np.zeros_like(dh_last), None
    for t in reversed(range(T)):
        o, tanh_c = cache[t][8], cache[t][9]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        on = dc if dc_after is None else cache[t + 1][6] * dc_after
        on_path[t] = np.linalg.norm(on, axis=1).mean()
        off_path[t] = np.linalg.norm(dc - on, axis=1).mean()
        dc_after = dc
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return on_path, off_path
