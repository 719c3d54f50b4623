"""h_next is squared in place: right values, corrupted argument (and, through views, corrupted states)."""

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}


def rnn_step_jacobian(h_next, Wh):
    h_next **= 2
    return (1 - h_next)[:, :, None] * Wh
