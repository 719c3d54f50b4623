"""The backward scan runs forward in time: the time axis is not reversed before and after the scan."""

import numpy as np

FAILS = {"parallel_scan_backward", "min_gru_backward"}
SAYS = {
    "parallel_scan_backward": ["is wrong", "the gradient is carried forward in time"],
    "min_gru_backward": ["is wrong", "fix parallel_scan_backward first"],
}


def parallel_scan_backward(dh, cache):
    a, h, h0 = cache
    a_next = np.concatenate([a[:, 1:], np.zeros_like(a[:, :1])], axis=1)
    delta, _ = parallel_scan(a_next, dh, np.zeros_like(h0))
    previous_states = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return delta * previous_states, delta.copy(), a[:, 0] * delta[:, 0]
