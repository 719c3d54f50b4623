"""The gradients of the inputs are squeezed: for a batch of one, dx and dh_prev lose their batch axis."""

import numpy as np

FAILS = {"rnn_step_backward", "rnn_backward"}
SAYS = {  # function -> words its feedback must contain
    "rnn_step_backward": ["N=1", "dx has shape (3,), expected (1, 3)", "do not squeeze"],
    "rnn_backward": ["fix rnn_step_backward first"],
}


def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return np.squeeze(da @ Wx), np.squeeze(da @ Wh), da.T @ x, da.T @ h_prev, da.sum(axis=0)
