"""minGRU's forward pass runs a loop over time, one step after another, instead of the scan."""

import numpy as np

FAILS = {"min_gru_forward"}
SAYS = {
    "min_gru_forward": ["element-wise operations on a sequence of T = 3000 steps", "A loop over the T steps"],
}


def min_gru_forward(x, h0, Wz, bz, Wh, bh):
    z = 1 / (1 + np.exp(-(x @ Wz.T + bz)))
    candidate = x @ Wh.T + bh
    h, scan_cache = linear_recurrence_forward(1 - z, z * candidate, h0)
    cache = (x, Wz, Wh, z, candidate, scan_cache)
    return h, cache
