"""The scan works in the arrays it was given: a and b are changed in place."""

FAILS = {"parallel_scan", "parallel_scan_backward", "min_gru_backward"}
SAYS = {
    "parallel_scan": ["changed its argument a, b in place"],
    "parallel_scan_backward": ["in place"],
    "min_gru_backward": ["in place"],
}


def parallel_scan(a, b, h0):
    T = a.shape[1]
    A, B = a, b
    offset = 1
    while offset < T:
        B[:, offset:] = A[:, offset:] * B[:, :-offset] + B[:, offset:]
        A[:, offset:] = A[:, offset:] * A[:, :-offset]
        offset *= 2
    h = A * h0[:, None] + B
    return h, (a, h, h0)
