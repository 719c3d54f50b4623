"""dWy = h.T @ dscores: shape (H, C) instead of (C, H)."""

FAILS = {"linear_backward", "many_to_one_loss"}
SAYS = {  # function -> words its feedback must contain
    "linear_backward": ["dWy has shape (5, 2), expected (2, 5) (transposed?)"],
    "many_to_one_loss": ["grads['Wy'] has shape (5, 2), expected (2, 5) (transposed?)"],
}


def linear_backward(dscores, cache):
    h, Wy = cache
    return dscores @ Wy, h.T @ dscores, dscores.sum(axis=0)
