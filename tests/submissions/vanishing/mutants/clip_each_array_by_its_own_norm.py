"""Each array is clipped by its own norm instead of the global norm of all of them."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": [
        "clipped is wrong",
        "each array was clipped by its own norm",
        "clip by the global norm of all arrays together, so that every array is scaled by the same",
    ],
}


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    clipped = {}
    for name, g in grads.items():
        norm = np.linalg.norm(g)
        clipped[name] = g * (max_norm / norm if norm > max_norm else 1.0)
    return clipped, total_norm
