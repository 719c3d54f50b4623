"""The path c_next -> tanh(c_next) -> h_next is missing from dc: dc = dc_next."""

import numpy as np

FAILS = {"lstm_step_backward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the input gate i, candidate g and right in the rows of o",
    ],
    "lstm_gradient_paths": [
        "off_path is wrong",
        "your lstm_step_backward fails its own hidden tests",
        "so if it runs your lstm_step_backward, fix lstm_step_backward first",
    ],
    "lstm_step_backward": [
        "dx is wrong",
        "dWx is wrong in the rows of the input gate i, forget gate f, candidate g and right in the",
        "the gradients are right when only dc_next is nonzero and wrong when only dh_next is",
        "dh_next reaches the cell state through h_next = o * tanh(c_next), so dc = dc_next +",
    ],
}


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc = dc_next
    da = np.concatenate(
        [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh_next * tanh_c * o * (1 - o)], axis=1
    )
    return da @ Wx, da @ Wh, dc * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)
