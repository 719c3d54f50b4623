"""h_next = o * c_next: the tanh of the cell state is missing.

The backward functions are the solution's, but they are checked only once the forward is right.
"""

import numpy as np

FAILS = {"lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "not checked, because lstm_forward returns wrong values on these inputs, and the gradients must be those of"
    ],
    "lstm_forward": ["h is wrong"],
    "lstm_gradient_paths": [
        "on_path is wrong",
        "your lstm_step_forward fails its own hidden tests",
        "so if it runs your lstm_step_forward, fix lstm_step_forward first",
    ],
    "lstm_step_backward": [
        "not checked, because lstm_step_forward returns wrong values on these inputs, and the gradients must be those"
    ],
    "lstm_step_forward": ["h_next is wrong", "c_next is right", "check the formula of h_next"],
}


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    a = x @ Wx.T + h_prev @ Wh.T + b
    sig = 0.5 * (1 + np.tanh(0.5 * a))
    i, f, o = sig[:, :H], sig[:, H : 2 * H], sig[:, 3 * H :]
    g = np.tanh(a[:, 2 * H : 3 * H])
    c_next = f * c_prev + i * g
    return o * c_next, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, g, o, np.tanh(c_next))
