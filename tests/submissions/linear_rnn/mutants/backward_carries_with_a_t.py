"""The gradient is carried back through a_t instead of a_{t+1}: delta_t = dh_t + a_t * delta_{t+1}."""

import numpy as np

FAILS = {"linear_recurrence_backward"}
SAYS = {
    "linear_recurrence_backward": ["is wrong", "through the transition of the step after"],
}


def linear_recurrence_backward(dh, cache):
    a, h, h0 = cache
    N, T, H = dh.shape
    delta = np.zeros((N, T, H))
    carried = np.zeros((N, H))
    for t in reversed(range(T)):
        delta[:, t] = dh[:, t] + carried
        carried = a[:, t - 1] * delta[:, t] if t > 0 else a[:, 0] * delta[:, 0]
    previous_states = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return delta * previous_states, delta, a[:, 0] * delta[:, 0]
