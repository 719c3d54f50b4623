"""dh0 is delta_1 itself: the transition a_1 that h0 goes through is left out."""

import numpy as np

FAILS = {"linear_recurrence_backward"}
SAYS = {
    "linear_recurrence_backward": ["dh0 is wrong", "dh0 = a_1 * delta_1"],
}


def linear_recurrence_backward(dh, cache):
    a, h, h0 = cache
    N, T, H = dh.shape
    delta = np.zeros((N, T, H))
    carried = np.zeros((N, H))
    for t in reversed(range(T)):
        delta[:, t] = dh[:, t] + carried
        carried = a[:, t] * delta[:, t]
    previous_states = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return delta * previous_states, delta, delta[:, 0].copy()
