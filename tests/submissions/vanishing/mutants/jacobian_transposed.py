"""The Jacobian is transposed: column j scaled by tanh'(a_j), J[n] = Wh.T @ diag(1 - h_next**2)."""

FAILS = {"gradient_norms_through_time", "rnn_step_jacobian"}
SAYS = {  # function -> words its feedback must contain
    "gradient_norms_through_time": [
        "norms is wrong",
        "the gradient goes back through the transpose of the step Jacobian",
        "as rows, dL/dh[:, t - 1] = dL/dh[:, t] @ J_t (that is J_t^T times the column vector), not",
    ],
    "rnn_step_jacobian": [
        "J is wrong",
        "J is the transpose of the right Jacobian for every example",
        "Row i of J[n] is the derivative of h_next[n, i], so row i of Wh is scaled by 1 -",
    ],
}


def rnn_step_jacobian(h_next, Wh):
    return (1 - h_next**2)[:, None, :] * Wh.T
