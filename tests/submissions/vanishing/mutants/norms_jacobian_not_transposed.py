"""The gradient goes back through J instead of its transpose: delta_{t-1} = J_t delta_t."""

import numpy as np

FAILS = {"gradient_norms_through_time"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": [
        "norms is wrong",
        "the gradient goes back through the transpose of the step Jacobian",
        "as rows, dL/dh[:, t - 1] = dL/dh[:, t] @ J_t (that is J_t^T times the column vector), not",
    ],
}


def gradient_norms_through_time(h, Wh, dh_last):
    T = h.shape[1]
    norms = np.empty(T)
    delta = dh_last
    for t in range(T - 1, -1, -1):
        norms[t] = np.linalg.norm(delta, axis=1).mean()
        if t > 0:
            delta = np.einsum("nij,nj->ni", rnn_step_jacobian(h[:, t], Wh), delta)
    return norms
