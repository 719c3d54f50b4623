"""Only the states before the last get a norm: T - 1 entries instead of T."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["norms has shape (0,), expected (1,)"],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = np.empty(T - 1)
    delta = dh_last
    for t in range(T - 1, 0, -1):
        delta = np.einsum("ni,nij->nj", delta, rnn_step_jacobian(h[:, t], Wh))
        norms[t - 1] = np.linalg.norm(delta, axis=1).mean()
    return norms
