"""The input is added before the transition multiplies: h_t = a_t * (h_{t-1} + b_t)."""

import numpy as np

FAILS = {"linear_recurrence_forward", "linear_recurrence_backward"}
SAYS = {
    "linear_recurrence_forward": ["h is wrong", "b_t is added after the product"],
    "linear_recurrence_backward": ["is wrong", "fix linear_recurrence_forward first"],
}


def linear_recurrence_forward(a, b, h0):
    N, T, H = a.shape
    h = np.zeros((N, T, H))
    h_prev = h0
    for t in range(T):
        h_prev = a[:, t] * (h_prev + b[:, t])
        h[:, t] = h_prev
    cache = (a, h, h0)
    return h, cache
