"""The arrays of grads are scaled in place and returned (right values, corrupted argument)."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": ["changed its argument grads in place"],
}


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    if total_norm > max_norm:
        for g in grads.values():
            g *= max_norm / total_norm
    return grads, total_norm
