"""The sequence starts from zeros instead of h0."""

import numpy as np

FAILS = {"rnn_backward", "rnn_forward"}
SAYS = {  # function -> words its feedback must contain
    "rnn_backward": ["dx is wrong"],
    "rnn_forward": ["h is wrong"],
}


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = np.zeros_like(h0)
    for t in range(T):
        h_prev, step_cache = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache
