"""The cell state starts from h0 instead of zero."""

import numpy as np

FAILS = {"lstm_forward", "lstm_backward", "lstm_gradient_paths"}
SAYS = {  # function -> words its feedback must contain
    "lstm_backward": [
        "not checked, because lstm_forward returns wrong values on these inputs, and the gradients must be those of"
    ],
    "lstm_forward": ["h is wrong", "your cell state starts from h0", "the initial cell state c0 is zero"],
    "lstm_gradient_paths": [
        "on_path is wrong",
        "your lstm_forward fails its own hidden tests",
        "so if it runs your lstm_forward, fix lstm_forward first",
    ],
}


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev, c_prev = h0, h0
    for t in range(T):
        h_prev, c_prev, step_cache = lstm_step_forward(x[:, t], h_prev, c_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache
