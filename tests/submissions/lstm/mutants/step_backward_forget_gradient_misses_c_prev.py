"""The forget gate's gradient forgets that f multiplies c_prev: dA_f = dc * f * (1 - f)."""

import numpy as np

FAILS = {"lstm_step_backward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the forget gate f and right in the rows of i, g, o",
        "The forget gate multiplies c_prev",
    ],
    "lstm_gradient_paths": [
        "off_path is wrong",
        "your lstm_step_backward fails its own hidden tests",
        "so if it runs your lstm_step_backward, fix lstm_step_backward first",
    ],
    "lstm_step_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the forget gate f and right in the rows of i, g, o",
        "The forget gate multiplies c_prev",
    ],
}


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    da = np.concatenate(
        [dc * g * i * (1 - i), dc * f * (1 - f), dc * i * (1 - g**2), dh_next * tanh_c * o * (1 - o)], axis=1
    )
    return da @ Wx, da @ Wh, dc * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)
