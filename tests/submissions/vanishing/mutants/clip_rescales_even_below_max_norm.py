"""The gradients are always rescaled to max_norm, also when their norm is already below it."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": [
        "clipped is wrong",
        "the arrays were rescaled although total_norm <= max_norm",
        "rescale only when total_norm > max_norm",
    ],
}


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    return {name: g * max_norm / total_norm for name, g in grads.items()}, total_norm
