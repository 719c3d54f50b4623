"""A correct submission written in another style than the solution: it must keep full marks.

One example at a time with explicit diagonal matrices, column vectors and no Jacobian in the
backward recursion, and clipping on one flat vector with the small epsilon of
torch.nn.utils.clip_grad_norm_. Each function is pasted into the answer cell of the same name.
"""

import numpy as np


def rnn_step_jacobian(h_next, Wh):
    return np.stack([np.diag(1.0 - np.square(state)) @ Wh for state in h_next])


def gradient_norms_through_time(h, Wh, dh_last):
    N, T, H = h.shape
    delta = dh_last.T.copy()  # (H, N): one column per example
    found = [np.mean(np.sqrt(np.sum(delta**2, axis=0)))]
    for t in range(T - 1, 0, -1):
        delta = Wh.T @ ((1.0 - h[:, t].T ** 2) * delta)
        found.append(np.mean(np.sqrt(np.sum(delta**2, axis=0))))
    return np.array(found[::-1])


def clip_grad_norm(grads, max_norm):
    total_norm = float(np.linalg.norm(np.concatenate([g.ravel() for g in grads.values()])))
    coefficient = max_norm / (total_norm + 1e-6)
    if coefficient < 1.0:
        return {name: coefficient * g for name, g in grads.items()}, total_norm
    return {name: g.copy() for name, g in grads.items()}, total_norm
