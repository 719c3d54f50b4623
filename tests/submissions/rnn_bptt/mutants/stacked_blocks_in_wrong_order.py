"""[h_prev, x] is stacked against W = [Wx | Wh]: the blocks do not line up."""

import numpy as np

FAILS = {"rnn_step_forward_stacked"}
SAYS = {  # function -> words its feedback must contain
    "rnn_step_forward_stacked": ["h_next is wrong"],
}


def rnn_step_forward_stacked(x, h_prev, W, b):
    hx = np.concatenate([h_prev, x], axis=1)
    h_next = np.tanh(hx @ W.T + b)
    return h_next, (hx, W, h_next)
