"""The state is cast to float32: shapes right, precision lost."""

import numpy as np

FAILS = {"rnn_forward", "rnn_step_forward"}


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx.T + h_prev @ Wh.T + b).astype(np.float32)
    return h_next, (x, h_prev, Wx, Wh, h_next)
