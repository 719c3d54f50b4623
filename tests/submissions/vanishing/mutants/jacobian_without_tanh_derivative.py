"""The tanh derivative is left out: every Jacobian is Wh."""

import numpy as np

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["norms is wrong"],
    "rnn_step_jacobian": [
        "J is wrong",
        "the tanh derivative is missing",
        "d h_next / d h_prev = diag(1 - h_next**2) @ Wh",
    ],
}


def rnn_step_jacobian(h_next, Wh):
    return np.repeat(Wh[None], len(h_next), axis=0)
