"""The whole cell stacks its gates in the order i, f, o, g (as cs231n does), not i, f, g, o."""

import numpy as np

FAILS = {"lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "not checked, because lstm_forward returns wrong values on these inputs, and the gradients must be those of"
    ],
    "lstm_forward": [
        "h is wrong",
        "your code reads the blocks of Wx, Wh and b in the order i, f, o, g",
        "the contract's order is i, f, g, o (as torch.nn.LSTM)",
    ],
    "lstm_gradient_paths": [
        "on_path is wrong",
        "your lstm_step_forward fails its own hidden tests",
        "so if it runs your lstm_step_forward, fix lstm_step_forward first",
    ],
    "lstm_step_backward": [
        "not checked, because lstm_step_forward returns wrong values on these inputs, and the gradients must be those"
    ],
    "lstm_step_forward": [
        "c_next is wrong",
        "your code reads the blocks of Wx, Wh and b in the order i, f, o, g",
        "the contract's order is i, f, g, o (as torch.nn.LSTM)",
    ],
}


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    i = 1 / (1 + np.exp(-a[:, :H]))
    f = 1 / (1 + np.exp(-a[:, H : 2 * H]))
    o = 1 / (1 + np.exp(-a[:, 2 * H : 3 * H]))
    g = np.tanh(a[:, 3 * H :])
    c_next = f * c_prev + i * g
    tanh_c = np.tanh(c_next)
    return o * tanh_c, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c)


def lstm_step_backward(dh_next, dc_next, cache):
    x, h_prev, c_prev, Wx, Wh, i, f, g, o, tanh_c = cache
    dc = dc_next + dh_next * o * (1 - tanh_c**2)
    da = np.concatenate(
        [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dh_next * tanh_c * o * (1 - o), dc * i * (1 - g**2)], axis=1
    )
    return da @ Wx, da @ Wh, dc * f, da.T @ x, da.T @ h_prev, da.sum(axis=0)
