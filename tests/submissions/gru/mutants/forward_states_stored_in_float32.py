"""The states of the sequence stored in a float32 array (to save memory), which loses the precision the checks need."""

import numpy as np

FAILS = {"gru_forward"}
SAYS = {  # function -> words its feedback must contain
    "gru_forward": ["h has dtype float32, expected float64"],
}


def gru_forward(x, h0, Wx, Wh, bx, bh):
    N, T, _ = x.shape
    h = np.zeros((N, T, h0.shape[1]), dtype=np.float32)
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, step_cache = gru_step_forward(x[:, t], h_prev, Wx, Wh, bx, bh)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache
