"""The forget gates of the path are taken from the start of the sequence: t steps back from the end meet the gates of
steps 1, ..., t instead of T - t, ..., T - 1."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": ["on_path is wrong", "in time order"],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on_path, off_path = np.zeros(T), np.zeros(T)
    dh, dc_next, carried = dh_last, np.zeros_like(dh_last), None
    for k, t in enumerate(reversed(range(T))):
        o, tanh_c = cache[t][8], cache[t][9]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        carried = dc if carried is None else cache[k][6] * carried  # the gate of step k = T - 1 - t, from the start
        on_path[t] = np.linalg.norm(carried, axis=1).mean()
        off_path[t] = np.linalg.norm(dc - carried, axis=1).mean()
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return on_path, off_path
