"""dWy = h.T @ dscores: shape (H, C) instead of (C, H)."""

FAILS = {"linear_backward", "many_to_one_loss"}


def linear_backward(dscores, cache):
    h, Wy = cache
    return dscores @ Wy, h.T @ dscores, dscores.sum(axis=0)
