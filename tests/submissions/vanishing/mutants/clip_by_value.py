"""Each entry is clipped to [-max_norm, max_norm] (clipping by value) instead of rescaling by the norm."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": [
        "clipped is wrong",
        "each entry was clipped to [-max_norm, max_norm]",
        "that is clipping by value",
    ],
}


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    return {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()}, total_norm
