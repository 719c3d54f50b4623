"""The states by the closed form h_t = A_t * (h0 + sum_s b_s / A_s) with cumprod and cumsum: it divides by products
that underflow to 0 on a long sequence (and by the zero transition after the last step of the backward pass)."""

import numpy as np

FAILS = {"parallel_scan", "parallel_scan_backward", "min_gru_forward", "min_gru_backward"}
SAYS = {
    "parallel_scan": ["h contains NaN or inf", "underflows to 0"],
    "parallel_scan_backward": ["contains NaN or inf", "fix parallel_scan first"],
    "min_gru_forward": ["h contains NaN or inf", "fix parallel_scan first"],
    "min_gru_backward": ["contains NaN or inf", "fix parallel_scan first"],
}


def parallel_scan(a, b, h0):
    A = np.cumprod(a, axis=1)
    h = A * (h0[:, None] + np.cumsum(b / A, axis=1))
    return h, (a, h, h0)
