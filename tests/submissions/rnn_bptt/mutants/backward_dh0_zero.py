"""The gradient of h0 is returned as zeros."""

import numpy as np

FAILS = {"rnn_backward"}
SAYS = {  # function -> words its feedback must contain
    "rnn_backward": ["dh0 is wrong", "It is all zeros"],
}


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    _, _, Wx, Wh, _ = cache[0]
    dx = np.zeros((N, T, Wx.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    dh_prev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, np.zeros((N, H)), dWx, dWh, db
