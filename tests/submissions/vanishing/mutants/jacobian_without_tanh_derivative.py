"""The tanh derivative is left out: every Jacobian is Wh."""

import numpy as np

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}


def rnn_step_jacobian(h_next, Wh):
    return np.repeat(Wh[None], len(h_next), axis=0)
