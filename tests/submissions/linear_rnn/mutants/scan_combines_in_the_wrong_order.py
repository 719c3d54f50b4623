"""The pairs are combined with the later one on the left: B_t = A_{t-k} * B_t + B_{t-k}."""

FAILS = {"parallel_scan", "parallel_scan_backward", "min_gru_forward", "min_gru_backward"}
SAYS = {
    "parallel_scan": ["h is wrong", "the pairs are combined in the wrong order"],
    "parallel_scan_backward": ["is wrong", "fix parallel_scan first"],
    "min_gru_forward": ["h is wrong", "fix parallel_scan first"],
    "min_gru_backward": ["is wrong", "fix parallel_scan first"],
}


def parallel_scan(a, b, h0):
    T = a.shape[1]
    A, B = a.copy(), b.copy()
    offset = 1
    while offset < T:
        B_new = A[:, :-offset] * B[:, offset:] + B[:, :-offset]
        A[:, offset:] = A[:, offset:] * A[:, :-offset]
        B[:, offset:] = B_new
        offset *= 2
    h = A * h0[:, None] + B
    return h, (a, h, h0)
