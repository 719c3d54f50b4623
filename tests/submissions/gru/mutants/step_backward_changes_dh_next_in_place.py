"""The upstream gradient dh_next is scaled in place, which changes the caller's array."""

import numpy as np

FAILS = {"gru_step_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_step_backward": ["changed its argument dh_next in place"],
}


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n, hn = cache
    direct = dh_next * z
    daz = dh_next * (h_prev - n) * z * (1 - z)
    dh_next *= (1 - z) * (1 - n**2)  # now dA_n, in the caller's array
    dar = dh_next * hn * r * (1 - r)
    da_input = np.concatenate([dar, daz, dh_next], axis=1)
    da_recurrent = np.concatenate([dar, daz, dh_next * r], axis=1)
    dh_prev = direct + da_recurrent @ Wh
    return da_input @ Wx, dh_prev, da_input.T @ x, da_recurrent.T @ h_prev, da_input.sum(0), da_recurrent.sum(0)
