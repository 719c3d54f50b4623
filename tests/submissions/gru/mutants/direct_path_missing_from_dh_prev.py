"""dh_prev misses the direct path dh_next * z of h_next = (1 - z) * n + z * h_prev: only the matrix products."""

import numpy as np

FAILS = {"gru_step_backward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dh0 is wrong",
        "your gru_step_backward fails its own hidden checks",
        "fix it first, gru_backward builds on it",
    ],
    "gru_step_backward": [
        "dh_prev is wrong",
        "dh_prev misses the direct path",
        "h_next = (1 - z) * n + z * h_prev depends on h_prev directly, so dh_prev = dh_next * z +",
    ],
}


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n, hn = cache
    dan = dh_next * (1 - z) * (1 - n**2)
    daz = dh_next * (h_prev - n) * z * (1 - z)
    dar = dan * hn * r * (1 - r)
    da_input = np.concatenate([dar, daz, dan], axis=1)
    da_recurrent = np.concatenate([dar, daz, dan * r], axis=1)
    dh_prev = da_recurrent @ Wh
    return da_input @ Wx, dh_prev, da_input.T @ x, da_recurrent.T @ h_prev, da_input.sum(0), da_recurrent.sum(0)
