"""The candidate's rows of dWh computed from dA_n instead of r * dA_n (the reset forgotten in dWh only)."""

import numpy as np

FAILS = {"gru_step_backward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dWh is wrong",
        "dWh is wrong in the rows of the candidate n and right in the others",
        "The reset multiplies the recurrent part of the candidate, r * (h_prev Whn^T + bhn), so",
    ],
    "gru_step_backward": [
        "dWh is wrong",
        "dWh is wrong in the rows of the candidate n and right in the others",
        "The reset multiplies the recurrent part of the candidate, r * (h_prev Whn^T + bhn), so",
    ],
}


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n, hn = cache
    dan = dh_next * (1 - z) * (1 - n**2)
    daz = dh_next * (h_prev - n) * z * (1 - z)
    dar = dan * hn * r * (1 - r)
    da_input = np.concatenate([dar, daz, dan], axis=1)
    da_recurrent = np.concatenate([dar, daz, dan * r], axis=1)
    dh_prev = dh_next * z + da_recurrent @ Wh
    return da_input @ Wx, dh_prev, da_input.T @ x, da_input.T @ h_prev, da_input.sum(0), da_recurrent.sum(0)
