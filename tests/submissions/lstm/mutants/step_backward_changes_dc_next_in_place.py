"""dc_next is overwritten in place with the total cell gradient (right values, corrupted argument)."""

import numpy as np

FAILS = {"lstm_step_backward"}
SAYS = {  # function -> words its feedback must contain
    "lstm_step_backward": ["changed its argument dc_next in place"],
}


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc_next += dh_next * o * (1 - tanh_c**2)
    da = np.concatenate(
        [
            dc_next * g * i * (1 - i),
            dc_next * c_prev * f * (1 - f),
            dc_next * i * (1 - g**2),
            dh_next * tanh_c * o * (1 - o),
        ],
        axis=1,
    )
    return da @ Wx, da @ Wh, dc_next * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)
