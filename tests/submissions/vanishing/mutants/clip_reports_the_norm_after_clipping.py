"""total_norm is the norm after clipping (at most max_norm) instead of the norm of the gradients passed in."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": ["total_norm is wrong", "total_norm is the norm of the gradients passed in, before clipping"],
}


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    scale = min(1.0, max_norm / total_norm)
    return {name: g * scale for name, g in grads.items()}, total_norm * scale
