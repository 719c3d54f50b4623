"""The derivative of the sigmoid gates written as the tanh one, 1 - sigma**2, instead of sigma * (1 - sigma)."""

import numpy as np

FAILS = {"gru_step_backward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the reset gate r, update gate z and right in the others",
        "The gates r and z are sigmoids",
    ],
    "gru_step_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the reset gate r, update gate z and right in the others",
        "The gates r and z are sigmoids",
        "sigma(a) * (1 - sigma(a))",
    ],
}


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n, hn = cache
    dan = dh_next * (1 - z) * (1 - n**2)
    daz = dh_next * (h_prev - n) * (1 - z**2)
    dar = dan * hn * (1 - r**2)
    da_input = np.concatenate([dar, daz, dan], axis=1)
    da_recurrent = np.concatenate([dar, daz, dan * r], axis=1)
    dh_prev = dh_next * z + da_recurrent @ Wh
    return da_input @ Wx, dh_prev, da_input.T @ x, da_recurrent.T @ h_prev, da_input.sum(0), da_recurrent.sum(0)
