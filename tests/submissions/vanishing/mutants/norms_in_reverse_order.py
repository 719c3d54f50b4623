"""The norms are stored in the order they are computed: norms[0] belongs to the last state."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": [
        "norms is wrong",
        "the entries are in reverse order",
        "norms[t] belongs to h[:, t], so norms[T - 1] = mean ||dh_last||",
    ],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = []
    delta = dh_last
    for t in range(T - 1, -1, -1):
        norms.append(np.linalg.norm(delta, axis=1).mean())
        if t > 0:
            delta = np.einsum("ni,nij->nj", delta, rnn_step_jacobian(h[:, t], Wh))
    return np.array(norms)
