"""The state is cast to float32: shapes right, precision lost."""

import numpy as np

FAILS = {"rnn_forward", "rnn_step_forward", "many_to_one_loss"}
SAYS = {  # function -> words its feedback must contain
    "rnn_forward": ["h is wrong"],
    "rnn_step_forward": ["h_next has dtype float32, expected float64"],
    "many_to_one_loss": ["fix rnn_step_forward first"],
}


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh(x @ Wx.T + h_prev @ Wh.T + b).astype(np.float32)
    return h_next, (x, h_prev, Wx, Wh, h_next)
