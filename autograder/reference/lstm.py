"""The LSTM of the exercise contract, forward only, as the grader's trusted reference.

The specification written as code, not the course's solution: the weights are viewed as four gate
blocks on an axis of their own (einsum over that axis), and there is no backward pass. Hidden checks
compare a student's forward outputs with these functions and differentiate them numerically.

Gates are stacked in the order i, f, g, o (as torch.nn.LSTM): Wx (4H, D), Wh (4H, H), b (4H,).
"""

import numpy as np

GATES = "ifgo"  # the contract's order of the four blocks of rows of Wx, Wh and b


def sigmoid(a):
    """The logistic function 1 / (1 + exp(-a)), written with tanh so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def lstm_step(x, h_prev, c_prev, Wx, Wh, b, hold_h=None, hold_c=None):
    """One LSTM step: (h_next, c_next), each (N, H), for x (N, D), h_prev and c_prev (N, H).

    hold_h, hold_c: optional arrays used in place of h_prev in the gates and of c_prev in the cell
    update, with the same values. A finite difference then sees h_prev (or c_prev) as a constant:
    this is how the grader computes what a gradient would be if it were not carried back through
    that state, to name such a mistake.
    """
    H = h_prev.shape[1]
    h_in = h_prev if hold_h is None else hold_h
    c_in = c_prev if hold_c is None else hold_c
    a = (
        np.einsum("ghd,nd->gnh", Wx.reshape(4, H, -1), x)
        + np.einsum("ghk,nk->gnh", Wh.reshape(4, H, H), h_in)
        + b.reshape(4, 1, H)
    )  # (4, N, H): one slab per gate
    i, f, o = sigmoid(a[0]), sigmoid(a[1]), sigmoid(a[3])
    c_next = f * c_in + i * np.tanh(a[2])
    return o * np.tanh(c_next), c_next


def lstm_states(x, h0, Wx, Wh, b, hold_h=None, hold_c=None, c0=None):
    """Hidden and cell states (h, c), each (N, T, H), over x (N, T, D) from h0 (N, H) and c0 = 0.

    hold_h, hold_c: optional (N, T, H) arrays of the previous states of every step (see lstm_step).
    c0: another initial cell state than the contract's zero, to name the mistake of starting from it.
    """
    h, c = h0, np.zeros_like(h0) if c0 is None else c0
    hs, cs = [], []
    for t in range(x.shape[1]):
        held = {
            "hold_h": None if hold_h is None else hold_h[:, t],
            "hold_c": None if hold_c is None else hold_c[:, t],
        }
        h, c = lstm_step(x[:, t], h, c, Wx, Wh, b, **held)
        hs.append(h)
        cs.append(c)
    return np.stack(hs, axis=1), np.stack(cs, axis=1)


def lstm(x, h0, Wx, Wh, b):
    """All hidden states h (N, T, H) of the LSTM run over x (N, T, D) from h0 (N, H), with c0 = 0."""
    return lstm_states(x, h0, Wx, Wh, b)[0]


def read_in_order(order, a):
    """The array a, whose first axis holds 4 gate blocks, as code that takes its blocks in `order` uses it.

    Inputs:
    - order: a permutation of "ifgo", the order in which some code takes the blocks of rows
    - a: Wx (4H, D), Wh (4H, H) or b (4H,), in the contract's order i, f, g, o
    Returns:
    - the blocks rearranged into the contract's order: the contract's LSTM on the result computes what
      that code computes on a
    """
    blocks = np.split(a, 4, axis=0)
    return np.concatenate([blocks[order.index(gate)] for gate in GATES], axis=0)
