"""The diagonal is on the wrong side: Wh @ diag(1 - h_next**2) scales the columns of Wh."""

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": ["norms is wrong"],
    "rnn_step_jacobian": [
        "J is wrong",
        "the tanh derivative scales the columns of Wh instead of its rows",
        "diag(1 - h_next**2) goes on the left, diag(1 - h_next**2) @ Wh, not Wh @ diag(1 -",
    ],
}


def rnn_step_jacobian(h_next, Wh):
    return Wh * (1 - h_next**2)[:, None, :]
