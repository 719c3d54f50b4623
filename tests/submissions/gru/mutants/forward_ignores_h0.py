"""The sequence starts from a zero state instead of the given h0."""

import numpy as np

FAILS = {"gru_forward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": ["dx is wrong", "your gru_forward is already wrong on these inputs", "fix it first"],
    "gru_forward": ["h is wrong", "your states start from zero", "start from the given h0"],
}


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
