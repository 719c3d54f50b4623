"""Below max_norm the input arrays themselves are returned, not new arrays: a later update changes both."""

import numpy as np

FAILS = {"clip_grad_norm"}
SAYS = {  # function -> words its feedback must contain
    "clip_grad_norm": ["clipped holds the arrays of grads themselves"],
}


def clip_grad_norm(grads, max_norm):
    total_norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    if total_norm <= max_norm:
        return dict(grads), total_norm
    return {name: g * (max_norm / total_norm) for name, g in grads.items()}, total_norm
