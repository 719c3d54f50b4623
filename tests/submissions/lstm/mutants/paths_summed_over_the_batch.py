"""The per-example norms are summed over the batch instead of averaged, for both parts."""

import numpy as np

FAILS = {"lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_gradient_paths": [
        "on_path is wrong",
        "on_path[t] and off_path[t] are means over the batch of each example's norm, not their sum",
    ],
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
        on.append(np.sum(np.sqrt(np.sum(carried**2, axis=1))))
        off.append(np.sum(np.sqrt(np.sum((dc - carried) ** 2, axis=1))))
        _, dh, dc_next, _, _, _ = lstm_step_backward(dh, dc_next, cache[t])
    return np.array(on[::-1]), np.array(off[::-1])
