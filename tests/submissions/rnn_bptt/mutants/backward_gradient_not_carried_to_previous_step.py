"""dh_prev is dropped: each step sees only its own upstream gradient."""

import numpy as np

FAILS = {"many_to_one_loss", "rnn_backward"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["grads['Wx'] is wrong"],
    "rnn_backward": [
        "dx is wrong",
        "dx is right for a single time step and wrong for longer sequences",
        "is the gradient carried back to the previous step (dh_prev added to the next step's",
    ],
}


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    _, _, Wx, Wh, _ = cache[0]
    dx = np.zeros((N, T, Wx.shape[1]))
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(H)
    for t in reversed(range(T)):
        dx[:, t], dh0, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t], cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh0, dWx, dWh, db
