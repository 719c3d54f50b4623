"""dc_prev = dc: the gradient passed to the previous cell state is not multiplied by f."""

import numpy as np

FAILS = {"lstm_step_backward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "dx is wrong",
        "dx is right for a single time step and wrong for longer sequences",
        "are both gradients carried back to the previous step (dh_prev added to dh[:, t], dc_prev",
    ],
    "lstm_gradient_paths": [
        "off_path is wrong",
        "your lstm_step_backward fails its own hidden tests",
        "so if it runs your lstm_step_backward, fix lstm_step_backward first",
    ],
    "lstm_step_backward": ["dc_prev is wrong"],
}


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    da = np.concatenate(
        [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh_next * tanh_c * o * (1 - o)], axis=1
    )
    return da @ Wx, da @ Wh, dc, da.T @ x, da.T @ h_prev, da.sum(axis=0)
