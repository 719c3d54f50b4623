"""Each step's norms are taken over the batch axis (axis=0) and averaged over the hidden units, for both parts."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": ["on_path is wrong", "norm of each example's vector", "axis=1"],
}


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    _, cache = lstm_forward(x, h0, Wx, Wh, b)
    T = x.shape[1]
    on, off = [], []
    dh, dc_next, carried = dh_last, np.zeros_like(dh_last), None
    for t in reversed(range(T)):
        o, tanh_c = cache[t][8], cache[t][9]
        dc = dc_next + dh * o * (1 - tanh_c**2)
        carried = dc if carried is None else cache[t + 1][6] * carried
        on.append(np.linalg.norm(carried, axis=0).mean())
        off.append(np.linalg.norm(dc - carried, axis=0).mean())
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return np.array(on[::-1]), np.array(off[::-1])
