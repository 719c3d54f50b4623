"""The first backward step multiplies dh_last in place (right values, corrupted argument)."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["changed its argument dh_last in place"],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = np.empty(T)
    delta = dh_last
    for t in range(T - 1, -1, -1):
        norms[t] = np.linalg.norm(delta, axis=1).mean()
        if t > 0:
            delta *= 1 - h[:, t] ** 2
            delta = delta @ Wh
    return norms
