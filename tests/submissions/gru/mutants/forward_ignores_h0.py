"""The sequence starts from a zero state instead of the given h0."""

import numpy as np

FAILS = {"gru_forward", "gru_backward"}


def gru_forward(x, h0, Wx, Wh, bx, bh):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = np.zeros_like(h0)
    for t in range(T):
        h_prev, step_cache = gru_step_forward(x[:, t], h_prev, Wx, Wh, bx, bh)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache
