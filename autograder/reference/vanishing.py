"""The contract's functions of "Vanishing and exploding gradients", as the grader's trusted reference.

Written from the definitions, not as the course's solutions: the step Jacobian entry by entry with
einsum, the gradient on each state through the explicit matrix d h_{T-1} / d h_t (a product of
Jacobians, as the book defines it), and the clipping on one flat vector of all gradients.
"""

import numpy as np


def rnn_step_jacobian(h_next, Wh):
    """J (N, H, H) with J[n, i, j] = d h_next[n, i] / d h_prev[n, j] = (1 - h_next[n, i]**2) Wh[i, j]."""
    return np.einsum("ni,ij->nij", 1.0 - h_next * h_next, Wh)


def gradient_norms_through_time(h, Wh, dh_last):
    """norms (T,): mean over the batch of ||dh_last^T (d h_{T-1} / d h_t)|| for states h (N, T, H)."""
    N, T, H = h.shape
    product = np.tile(np.eye(H), (N, 1, 1))  # d h_{T-1} / d h_t, one matrix per example, from t = T - 1 down
    norms = np.empty(T)
    for t in range(T - 1, -1, -1):
        norms[t] = np.mean(np.sqrt(np.sum(np.einsum("ni,nij->nj", dh_last, product) ** 2, axis=1)))
        if t > 0:
            product = np.einsum("nik,nkj->nij", product, rnn_step_jacobian(h[:, t], Wh))
    return norms


def clip_grad_norm(grads, max_norm):
    """(clipped dict, total_norm): the global L2 norm of all arrays, scaled down to max_norm if above it."""
    flat = np.concatenate([np.ravel(g) for g in grads.values()])
    total_norm = float(np.sqrt(flat @ flat))
    factor = max_norm / total_norm if total_norm > max_norm else 1.0
    return {name: factor * np.asarray(g) for name, g in grads.items()}, total_norm
