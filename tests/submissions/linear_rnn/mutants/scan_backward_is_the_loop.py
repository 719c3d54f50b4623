"""parallel_scan_backward runs the reverse recurrence as a loop over time: right gradients, T steps."""

import numpy as np

FAILS = {"parallel_scan_backward", "min_gru_backward"}
SAYS = {
    "parallel_scan_backward": ["element-wise operations on a sequence of T = 3000 steps", "A loop over the T steps"],
    "min_gru_backward": ["element-wise operations", "fix parallel_scan_backward first"],
}


def parallel_scan_backward(dh, cache):
    a, h, h0 = cache
    N, T, H = dh.shape
    delta = np.zeros((N, T, H))
    carried = np.zeros((N, H))
    for t in reversed(range(T)):
        delta[:, t] = dh[:, t] + carried
        carried = a[:, t] * delta[:, t]
    previous_states = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return delta * previous_states, delta, carried
