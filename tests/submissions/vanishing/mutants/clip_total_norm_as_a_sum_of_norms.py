"""The global norm is the sum of the arrays' norms instead of the root of the sum of all squares."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": [
        "total_norm is wrong",
        "the global norm is the square root of the sum of squares of all entries of all arrays",
    ],
}


def clip_grad_norm(grads, max_norm):
    total_norm = sum(np.linalg.norm(g) for g in grads.values())
    scale = max_norm / total_norm if total_norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, total_norm
