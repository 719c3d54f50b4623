"""One norm of the whole (N, H) gradient instead of the mean of the examples' norms."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": [
        "norms is wrong",
        "norms[t] is the mean over the batch of each example's norm, not the norm of the whole (N",
    ],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = np.empty(T)
    delta = dh_last
    for t in range(T - 1, -1, -1):
        norms[t] = np.linalg.norm(delta)
        if t > 0:
            delta = np.einsum("ni,nij->nj", delta, rnn_step_jacobian(h[:, t], Wh))
    return norms
