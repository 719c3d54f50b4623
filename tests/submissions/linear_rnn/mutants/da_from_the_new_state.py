"""dL/da_t is formed with h_t, the state after step t, instead of h_{t-1}, the state it multiplies."""

import numpy as np

FAILS = {"linear_recurrence_backward"}
SAYS = {
    "linear_recurrence_backward": ["da is wrong", "the state before step t"],
}


def linear_recurrence_backward(dh, cache):
    a, h, h0 = cache
    N, T, H = dh.shape
    delta = np.zeros((N, T, H))
    carried = np.zeros((N, H))
    for t in reversed(range(T)):
        delta[:, t] = dh[:, t] + carried
        carried = a[:, t] * delta[:, t]
    return delta * h, delta, carried
