"""The optimizer of the experiments, Adam (Kingma and Ba, 2015), and gradient-norm clipping."""

import numpy as np


def adam_moments(p):
    """Zero running means of g and g**2 for every array of a stack: dict name -> (mean, mean_square)."""
    return {name: (np.zeros_like(a), np.zeros_like(a)) for name, a in p.items()}


def adam_step(p, grads, moments, step, lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam update of every array of p, in place.

    Inputs:
    - p: dict of parameter arrays; grads: dict of their gradients (same keys and shapes)
    - moments: from adam_moments, updated in place
    - step: the number of this update, 1, 2, ... (for the bias correction)
    - lr, beta1, beta2, eps: Adam's settings
    """
    for name, g in grads.items():
        mean, mean_square = moments[name]
        mean += (1 - beta1) * (g - mean)
        mean_square += (1 - beta2) * (g * g - mean_square)
        p[name] -= lr * (mean / (1 - beta1**step)) / (np.sqrt(mean_square / (1 - beta2**step)) + eps)


def clip_by_global_norm(grads, threshold, axis=None):
    """Scales the gradients in place so that their global norm is at most `threshold` (Pascanu et al. 2013).

    Inputs:
    - grads: dict of arrays
    - threshold: a positive number
    - axis: None for one norm over everything; 0 for one norm per network of a stack (axis 0)
    Returns:
    - the global norm(s) before clipping: a float, or an array (S,) with axis=0
    """
    if axis is None:
        norm = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
        factor = threshold / max(norm, threshold)
    else:
        norm = np.sqrt(sum(np.sum(g * g, axis=tuple(range(1, g.ndim))) for g in grads.values()))
        factor = threshold / np.maximum(norm, threshold)
    for g in grads.values():
        g *= np.reshape(factor, np.shape(factor) + (1,) * (g.ndim - np.ndim(factor))).astype(g.dtype)
    return norm
