"""h_next is squared in place: right values, corrupted argument (and, through views, corrupted states)."""

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["changed its argument h in place"],
    "rnn_step_jacobian": ["changed its argument h_next in place"],
}


def rnn_step_jacobian(h_next, Wh):
    h_next **= 2
    return (1 - h_next)[:, :, None] * Wh
