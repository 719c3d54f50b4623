"""The sigmoid gates' derivative is written as tanh's, 1 - s**2, instead of s * (1 - s)."""

import numpy as np

FAILS = {"lstm_step_backward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the input gate i, output gate o and right in the rows of g",
        "The sigmoid gates are wrong and the tanh candidate is right",
    ],
    "lstm_gradient_paths": [
        "off_path is wrong",
        "your lstm_step_backward fails its own hidden tests",
        "so if it runs your lstm_step_backward, fix lstm_step_backward first",
    ],
    "lstm_step_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the input gate i, forget gate f, output gate o and right in",
        "The sigmoid gates are wrong and the tanh candidate is right",
    ],
}


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    da = np.concatenate(
        [dc * g * (1 - i**2), dc * c_prev * (1 - f**2), dc * i * (1 - g**2), dh_next * tanh_c * (1 - o**2)], axis=1
    )
    return da @ Wx, da @ Wh, dc * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)
