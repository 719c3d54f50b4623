"""dh_prev is dropped: each step's dh_next is only its own upstream dh[:, t]."""

import numpy as np

FAILS = {"lstm_backward"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dx is wrong",
        "dx is right for a single time step and wrong for longer sequences",
        "it is the gradient you would get if the hidden state's gradient stopped at each step",
    ],
}


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    x0, _, _, Wx, Wh = cache[0][:5]
    dx = np.zeros((N, T, x0.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(4 * H)
    dc_prev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh0, dc_prev, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t], dc_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh0, dWx, dWh, db
