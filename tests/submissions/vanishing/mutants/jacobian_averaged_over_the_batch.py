"""One Jacobian for the whole batch, averaged over the examples: shape (H, H) instead of (N, H, H)."""

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["gradient_norms_through_time raised ValueError"],
    "rnn_step_jacobian": ["J has shape (5, 5), expected (3, 5, 5)"],
}


def rnn_step_jacobian(h_next, Wh):
    return (1 - h_next**2).mean(axis=0)[:, None] * Wh
