"""One Jacobian for the whole batch, averaged over the examples: shape (H, H) instead of (N, H, H)."""

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}


def rnn_step_jacobian(h_next, Wh):
    return (1 - h_next**2).mean(axis=0)[:, None] * Wh
