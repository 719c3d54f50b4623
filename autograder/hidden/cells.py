"""The cells the grader lends to a student's lm_chunk_loss: the contract's rnn_forward/rnn_backward and
gru_forward/gru_backward, written for the grader.

The hidden checks of lm_chunk_loss pass these as cell_forward and cell_backward, so that a mistake in the
student's own RNN (pasted from exercise 1) costs nothing there. The forward pass is the reference's
(``reference.rnn``, ``reference.gru``); the cache holds the inputs, and the backward pass runs the reference
again and goes back through time by the chain rule, one gate axis at a time. tests/test_hidden_checks.py
checks every gradient against central differences. Under hardened grading these functions stay in the
grader's process: the student's process gets stand-ins that ask the grader to call them (grading.sandbox),
and the cache never leaves the grader.
"""

import numpy as np

from autograder.reference import gru as gru_ref
from autograder.reference import rnn as rnn_ref


def expect_upstream(dh, h):
    """Raise ValueError, with the shapes in the message, unless dh is an array of the shape of the states h."""
    if np.shape(dh) != h.shape:
        raise ValueError(f"dh must have the shape of the states h, {h.shape}; got {np.shape(dh)}")


def rnn_forward(x, h0, Wx, Wh, b):
    """The contract's rnn_forward: (h (N, T, H), cache) for x (N, T, D), h0 (N, H), Wx (H, D), Wh (H, H), b (H,)."""
    return rnn_ref.rnn(x, h0, Wx, Wh, b), ("rnn", x, h0, Wx, Wh, b)


def rnn_backward(dh, cache):
    """The contract's rnn_backward: (dx, dh0, dWx, dWh, db) for the upstream gradient dh (N, T, H) on the states."""
    _, x, h0, Wx, Wh, b = cache
    h = rnn_ref.rnn(x, h0, Wx, Wh, b)
    expect_upstream(dh, h)
    starts = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # (N, T, H): the state each step reads
    through_tanh = np.empty_like(h)
    carried = np.zeros_like(h0)
    for t in range(h.shape[1] - 1, -1, -1):
        through_tanh[:, t] = (dh[:, t] + carried) * (1.0 - h[:, t] ** 2)
        carried = np.einsum("nk,kj->nj", through_tanh[:, t], Wh)
    grads = (
        np.einsum("ntk,kd->ntd", through_tanh, Wx),
        carried,
        np.einsum("ntk,ntd->kd", through_tanh, x),
        np.einsum("ntk,ntj->kj", through_tanh, starts),
        np.einsum("ntk->k", through_tanh),
    )
    return grads


def gru_forward(x, h0, Wx, Wh, bx, bh):
    """The contract's gru_forward: (h (N, T, H), cache) for Wx (3H, D), Wh (3H, H), bx and bh (3H,)."""
    return gru_ref.gru(x, h0, Wx, Wh, bx, bh), ("gru", x, h0, Wx, Wh, bx, bh)


def gru_step_back(total, x_t, h_prev, weights):
    """One GRU step backward: (the pre-activation gradients on the input side and on the recurrent side, each
    (3, N, H) in the gate order r, z, n, and the gradient on h_prev) for the total gradient on its output."""
    Wx, Wh, bx, bh = weights
    H = h_prev.shape[1]
    r, z, n = gru_ref.gates(x_t, h_prev, Wx, Wh, bx, bh)
    recurrent_n = np.einsum("hk,nk->nh", gru_ref.blocks(Wh, H)[2], h_prev) + gru_ref.blocks(bh, H)[2]
    at_n = total * (1.0 - z) * (1.0 - n**2)
    at_z = total * (h_prev - n) * z * (1.0 - z)
    at_r = at_n * recurrent_n * r * (1.0 - r)
    input_side = np.stack([at_r, at_z, at_n])
    recurrent_side = np.stack([at_r, at_z, at_n * r])
    to_h_prev = total * z + np.einsum("gnh,ghk->nk", recurrent_side, gru_ref.blocks(Wh, H))
    return input_side, recurrent_side, to_h_prev


def gru_backward(dh, cache):
    """The contract's gru_backward: (dx, dh0, dWx, dWh, dbx, dbh) for the upstream gradient dh (N, T, H)."""
    _, x, h0, *weights = cache
    h = gru_ref.gru(x, h0, *weights)
    expect_upstream(dh, h)
    N, T, H = h.shape
    starts = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    input_side, recurrent_side = np.empty((2, T, 3, N, H))
    carried = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        input_side[t], recurrent_side[t], carried = gru_step_back(dh[:, t] + carried, x[:, t], starts[:, t], weights)
    Wx = gru_ref.blocks(weights[0], H)
    grads = (
        np.einsum("tgnh,ghd->ntd", input_side, Wx),
        carried,
        np.einsum("tgnh,ntd->ghd", input_side, x).reshape(3 * H, -1),
        np.einsum("tgnh,ntk->ghk", recurrent_side, starts).reshape(3 * H, H),
        np.einsum("tgnh->gh", input_side).reshape(3 * H),
        np.einsum("tgnh->gh", recurrent_side).reshape(3 * H),
    )
    return grads


LENT = {"rnn": (rnn_forward, rnn_backward), "gru": (gru_forward, gru_backward)}  # cell -> (forward, backward)
