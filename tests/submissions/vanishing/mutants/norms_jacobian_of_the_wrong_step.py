"""The Jacobian of step t is taken at h[:, t - 1], the state it reads, instead of h[:, t], the one it makes."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": [
        "norms is wrong",
        "the Jacobian of step t, d h[:, t] / d h[:, t - 1], uses the state that step t produced",
        "1 - h[:, t]**2",
    ],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = np.empty(T)
    delta = dh_last
    for t in range(T - 1, -1, -1):
        norms[t] = np.linalg.norm(delta, axis=1).mean()
        if t > 0:
            delta = np.einsum("ni,nij->nj", delta, rnn_step_jacobian(h[:, t - 1], Wh))
    return norms
