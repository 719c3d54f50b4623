"""parallel_scan runs the loop over time: the right states, T steps one after another (and so does the backward
pass that reverses the time axis around it)."""

import numpy as np

FAILS = {"parallel_scan", "parallel_scan_backward", "min_gru_forward", "min_gru_backward"}
SAYS = {
    "parallel_scan": ["element-wise operations on a sequence of T = 3000 steps", "A loop over the T steps"],
    "parallel_scan_backward": ["element-wise operations", "fix parallel_scan first"],
    "min_gru_forward": ["element-wise operations", "fix parallel_scan first"],
    "min_gru_backward": ["element-wise operations", "fix parallel_scan first"],
}


def parallel_scan(a, b, h0):
    N, T, H = a.shape
    h = np.zeros((N, T, H))
    h_prev = h0
    for t in range(T):
        h_prev = a[:, t] * h_prev + b[:, t]
        h[:, t] = h_prev
    return h, (a, h, h0)
