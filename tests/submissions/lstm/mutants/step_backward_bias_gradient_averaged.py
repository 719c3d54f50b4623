"""db is a mean over the batch instead of a sum."""

import numpy as np

FAILS = {"lstm_step_backward", "lstm_backward"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": ["db is wrong", "a mean where a sum belongs?"],
    "lstm_step_backward": ["db is wrong", "a mean where a sum belongs?"],
}


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    da = np.concatenate(
        [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh_next * tanh_c * o * (1 - o)], axis=1
    )
    return da @ Wx, da @ Wh, dc * f, da.T @ x, da.T @ h_prev, da.mean(axis=0)
