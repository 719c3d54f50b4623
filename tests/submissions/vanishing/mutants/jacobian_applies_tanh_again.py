"""tanh'(a) computed as 1 - tanh(h_next)**2: tanh applied to a state that already is tanh(a)."""

import numpy as np

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["norms is wrong"],
    "rnn_step_jacobian": [
        "J is wrong",
        "h_next already is tanh(a), so tanh'(a) = 1 - h_next**2",
        "do not apply tanh again",
    ],
}


def rnn_step_jacobian(h_next, Wh):
    return (1 - np.tanh(h_next) ** 2)[:, :, None] * Wh
