"""The part on the path is carried back through the forget gate of the same step, f[:, t], instead of the one
of step t + 1 that multiplies c[:, t]: on[:, t] = f[:, t] * on[:, t + 1]."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": [
        "on_path is wrong",
        "steps back from c[:, t + 1] to c[:, t] through the forget gate of step t + 1",
        "not f[:, t] * on[:, t + 1]",
    ],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on_path, off_path = np.zeros(T), np.zeros(T)
    dh, dc_next = dh_last, np.zeros_like(dh_last)
    for t in range(T - 1, -1, -1):
        _, _, _, _, _, _, f, _, o, tanh_c = cache[t]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        on = dc if t == T - 1 else f * on
        on_path[t] = np.linalg.norm(on, axis=1).mean()
        off_path[t] = np.linalg.norm(dc - on, axis=1).mean()
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return on_path, off_path
