"""The loop starts from a state of zeros instead of the given h0."""

import numpy as np

FAILS = {"linear_recurrence_forward", "linear_recurrence_backward"}
SAYS = {  # function -> words its feedback must contain
    "linear_recurrence_forward": ["h is wrong", "your states start from zero; start from the given h0"],
    "linear_recurrence_backward": ["is wrong", "fix linear_recurrence_forward first"],
}


def linear_recurrence_forward(a, b, h0):
    N, T, H = a.shape
    h = np.zeros((N, T, H))
    h_prev = np.zeros((N, H))
    for t in range(T):
        h_prev = a[:, t] * h_prev + b[:, t]
        h[:, t] = h_prev
    cache = (a, h, h0)
    return h, cache
