"""minGRU keeps the previous state with weight z and writes with 1 - z: a = z, b = (1 - z) * h~."""

import numpy as np

FAILS = {"min_gru_forward", "min_gru_backward"}
SAYS = {
    "min_gru_forward": ["h is wrong", "z and 1 - z are swapped"],
    "min_gru_backward": ["is wrong", "fix min_gru_forward first"],
}


def min_gru_forward(x, h0, Wz, bz, Wh, bh):
    z = 1 / (1 + np.exp(-(x @ Wz.T + bz)))
    candidate = x @ Wh.T + bh
    h, scan_cache = parallel_scan(z, (1 - z) * candidate, h0)
    cache = (x, Wz, Wh, z, candidate, scan_cache)
    return h, cache
