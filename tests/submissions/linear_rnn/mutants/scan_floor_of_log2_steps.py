"""The scan makes floor(log2 T) steps instead of ceil(log2 T): right only when T is a power of two."""

import numpy as np

FAILS = {"parallel_scan", "parallel_scan_backward", "min_gru_forward", "min_gru_backward"}
SAYS = {
    "parallel_scan": ["h is wrong", "right when T is a power of two"],
    "parallel_scan_backward": ["is wrong", "fix parallel_scan first"],
    "min_gru_forward": ["h is wrong", "fix parallel_scan first"],
    "min_gru_backward": ["is wrong", "fix parallel_scan first"],
}


def parallel_scan(a, b, h0):
    T = a.shape[1]
    A, B = a.copy(), b.copy()
    for step in range(int(np.log2(T))):
        offset = 2**step
        B_new = A[:, offset:] * B[:, :-offset] + B[:, offset:]
        A[:, offset:] = A[:, offset:] * A[:, :-offset]
        B[:, offset:] = B_new
    h = A * h0[:, None] + B
    return h, (a, h, h0)
