"""In each step the products A are updated in place first, and B is then combined with the new A."""

FAILS = {"parallel_scan", "parallel_scan_backward", "min_gru_forward", "min_gru_backward"}
SAYS = {
    "parallel_scan": ["h is wrong", "the products A are updated before B reads them"],
    "parallel_scan_backward": ["is wrong", "fix parallel_scan first"],
    "min_gru_forward": ["h is wrong", "fix parallel_scan first"],
    "min_gru_backward": ["is wrong", "fix parallel_scan first"],
}


def parallel_scan(a, b, h0):
    T = a.shape[1]
    A, B = a.copy(), b.copy()
    offset = 1
    while offset < T:
        A[:, offset:] = A[:, offset:] * A[:, :-offset]
        B[:, offset:] = A[:, offset:] * B[:, :-offset] + B[:, offset:]
        offset *= 2
    h = A * h0[:, None] + B
    return h, (a, h, h0)
