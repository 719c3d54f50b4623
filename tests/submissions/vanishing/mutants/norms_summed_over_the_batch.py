"""The per-example norms are summed over the batch instead of averaged."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": [
        "norms is wrong",
        "norms[t] is the mean over the batch of each example's norm, not their sum",
    ],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = np.empty(T)
    delta = dh_last
    for t in range(T - 1, -1, -1):
        norms[t] = np.linalg.norm(delta, axis=1).sum()
        if t > 0:
            delta = np.einsum("ni,nij->nj", delta, rnn_step_jacobian(h[:, t], Wh))
    return norms
