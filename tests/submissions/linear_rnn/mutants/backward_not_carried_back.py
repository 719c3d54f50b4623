"""delta_t is taken as dh_t alone: what step t + 1 sends back, a_{t+1} * delta_{t+1}, is dropped."""

import numpy as np

FAILS = {"linear_recurrence_backward"}
SAYS = {
    "linear_recurrence_backward": ["is wrong", "delta_t must add what step t + 1 sends back"],
}


def linear_recurrence_backward(dh, cache):
    a, h, h0 = cache
    delta = dh.copy()
    previous_states = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return delta * previous_states, delta, a[:, 0] * delta[:, 0]
