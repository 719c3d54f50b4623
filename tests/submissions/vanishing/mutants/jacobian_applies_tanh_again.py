"""tanh'(a) computed as 1 - tanh(h_next)**2: tanh applied to a state that already is tanh(a)."""

import numpy as np

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}


def rnn_step_jacobian(h_next, Wh):
    return (1 - np.tanh(h_next) ** 2)[:, :, None] * Wh
