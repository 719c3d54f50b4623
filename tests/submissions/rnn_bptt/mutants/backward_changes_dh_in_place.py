"""The gradient is carried back by adding into dh in place."""

import numpy as np

FAILS = {"rnn_backward"}
SAYS = {  # function -> words its feedback must contain
    "rnn_backward": ["changed its argument dh in place"],
}


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    _, _, Wx, Wh, _ = cache[0]
    dx = np.zeros((N, T, Wx.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t], cache[t])
        if t > 0:
            dh[:, t - 1] += dh_prev
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
