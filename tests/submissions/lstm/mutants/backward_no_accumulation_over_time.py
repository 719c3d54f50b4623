"""The parameter gradients are overwritten at each step instead of summed over time."""

import numpy as np

FAILS = {"lstm_backward"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dWx is wrong",
        "dWx is right for a single time step and wrong for longer sequences",
        "are both gradients carried back to the previous step (dh_prev added to dh[:, t], dc_prev",
    ],
}


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    x0 = cache[0][0]
    dx = np.zeros((N, T, x0.shape[1]))
    dh_prev = np.zeros((N, H))
    dc_prev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, dWx, dWh, db = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
    return dx, dh_prev, dWx, dWh, db
