"""Parameter gradients are overwritten at each step instead of summed over time."""

import numpy as np

FAILS = {"many_to_one_loss", "rnn_backward"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["grads['Wx'] is wrong"],
    "rnn_backward": [
        "dWx is wrong",
        "dWx is right for a single time step and wrong for longer sequences",
        "are the contributions of all time steps summed, with the gradient carried back through",
    ],
}


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    dx = np.zeros((N, T, cache[0][0].shape[1]))
    dh_prev = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx, dWh, db = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
    return dx, dh_prev, dWx, dWh, db
