"""The bias b is left out of the step."""

import numpy as np

FAILS = {"many_to_one_loss", "rnn_backward", "rnn_forward", "rnn_step_backward", "rnn_step_forward"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["loss is wrong"],
    "rnn_backward": ["dx is wrong"],
    "rnn_forward": ["h is wrong"],
    "rnn_step_backward": ["dx is wrong"],
    "rnn_step_forward": ["h_next is wrong"],
}


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx.T + h_prev @ Wh.T)
    return h_next, (x, h_prev, Wx, Wh, h_next)
