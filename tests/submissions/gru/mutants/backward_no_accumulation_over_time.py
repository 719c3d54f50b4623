"""Parameter gradients are overwritten at each step instead of summed over time."""

import numpy as np

FAILS = {"gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dWx is wrong",
        "dWx is right for a single time step and wrong for longer sequences",
        "is the gradient carried back to the previous step, and are the parameter gradients of all",
        "summed",
    ],
}


def gru_backward(dh, cache):
    N, T, H = dh.shape
    dx = np.zeros((N, T, cache[0][0].shape[1]))
    dh_prev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx, dWh, dbx, dbh = gru_step_backward(dh[:, t] + dh_prev, cache[t])
    return dx, dh_prev, dWx, dWh, dbx, dbh
