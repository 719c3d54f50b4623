"""The cell state's gradient is not carried across steps: every step gets dc_next = 0."""

import numpy as np

FAILS = {"lstm_backward"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dx is wrong",
        "dx is right for a single time step and wrong for longer sequences",
        "it is the gradient you would get if the cell state's gradient stopped at each step",
    ],
}


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    x0, _, _, Wx, Wh = cache[0][:5]
    dx = np.zeros((N, T, x0.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(4 * H)
    dh_prev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_prev, _, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t] + dh_prev, np.zeros((N, H)), cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
