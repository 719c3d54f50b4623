"""The GRU of the exercise contract, forward only, as the grader's trusted reference.

The specification written as code, not the course's solution: the weights are viewed as three gate
blocks on an axis of their own (einsum over that axis), and there is no backward pass. Hidden checks
compare a student's forward outputs with these functions and differentiate them numerically.

Gates are stacked in the order r, z, n (as torch.nn.GRU): Wx (3H, D), Wh (3H, H), bx (3H,), bh (3H,).

    r = sigmoid(x Wxr^T + bxr + h Whr^T + bhr),  z likewise,
    n = tanh(x Wxn^T + bxn + r * (h Whn^T + bhn)),  h_next = (1 - z) * n + z * h.

The other published forms are here too, so that a grader can name the one a wrong answer computes:
"swap_z" (h_next = z * n + (1 - z) * h), "reset_before" (Cho et al. 2014: n = tanh(x Wxn^T + bxn +
(r * h) Whn^T + bhn)) and "bias_outside" (n = tanh(x Wxn^T + bxn + bhn + r * (h Whn^T)), one bias).
"""

from itertools import permutations

import numpy as np

from autograder.reference.gates import sigmoid

GATES = "rzn"  # the contract's order of the three blocks of rows of Wx, Wh, bx and bh
ORDERS = tuple("".join(p) for p in permutations(GATES) if "".join(p) != GATES)


def blocks(a, H):
    """The three gate blocks of Wx (3H, D), Wh (3H, H) or a bias (3H,), on a first axis of their own."""
    return a.reshape(3, H, *a.shape[1:])


def gates(x, h_prev, Wx, Wh, bx, bh, form="contract"):
    """(r, z, n), each (N, H), of one step for x (N, D) and h_prev (N, H)."""
    H = h_prev.shape[1]
    from_x = np.einsum("ghd,nd->gnh", blocks(Wx, H), x) + blocks(bx, H)[:, None]
    from_h = np.einsum("ghk,nk->gnh", blocks(Wh, H), h_prev) + blocks(bh, H)[:, None]
    r = sigmoid(from_x[0] + from_h[0])
    z = sigmoid(from_x[1] + from_h[1])
    if form == "reset_before":
        recurrent = np.einsum("hk,nk->nh", blocks(Wh, H)[2], r * h_prev) + blocks(bh, H)[2]
    elif form == "bias_outside":
        recurrent = r * (from_h[2] - blocks(bh, H)[2]) + blocks(bh, H)[2]
    else:
        recurrent = r * from_h[2]
    return r, z, np.tanh(from_x[2] + recurrent)


def gru_step(x, h_prev, Wx, Wh, bx, bh, form="contract", hold_h=None):
    """One GRU step: h_next (N, H) for x (N, D) and h_prev (N, H).

    form: "contract", or another published form: "swap_z", "reset_before" or "bias_outside".
    hold_h: optional array used in place of h_prev, with the same values. A finite difference then
    sees h_prev as a constant: this is how the grader computes what a gradient would be if it were not
    carried back through the state, to name such a mistake.
    """
    h_in = h_prev if hold_h is None else hold_h
    _, z, n = gates(x, h_in, Wx, Wh, bx, bh, form)
    keep = 1.0 - z if form == "swap_z" else z
    return (1.0 - keep) * n + keep * h_in


def gru(x, h0, Wx, Wh, bx, bh, form="contract", hold_h=None):
    """All hidden states h (N, T, H) of the GRU run over x (N, T, D) from h0 (N, H).

    hold_h: optional (N, T, H) array of the previous state of every step (see gru_step).
    """
    states = [h0]
    for t in range(x.shape[1]):
        held = None if hold_h is None else hold_h[:, t]
        states.append(gru_step(x[:, t], states[-1], Wx, Wh, bx, bh, form, held))
    return np.stack(states[1:], axis=1)
