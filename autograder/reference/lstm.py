"""The LSTM of the exercise contract, forward only, as the grader's trusted reference.

The specification written as code, not the course's solution: the weights are viewed as four gate
blocks on an axis of their own (einsum over that axis), and there is no backward pass. Hidden checks
compare a student's forward outputs with these functions and differentiate them numerically. The
gradients on the states that lstm_gradient_paths splits are derivatives of this forward pass by complex
steps: exact to rounding, however small they are, and with no derivation of the backward pass in them.

Gates are stacked in the order i, f, g, o (as torch.nn.LSTM): Wx (4H, D), Wh (4H, H), b (4H,).
"""

import numpy as np

from autograder.reference.gates import sigmoid

GATES = "ifgo"  # the contract's order of the four blocks of rows of Wx, Wh and b
COMPLEX_STEP = 1e-20  # the imaginary step: dL/dc = Im L(c + i step) / step, no difference taken


def lstm_step(x, h_prev, c_prev, Wx, Wh, b, hold_h=None, hold_c=None):
    """One LSTM step: (h_next, c_next), each (N, H), for x (N, D), h_prev and c_prev (N, H).

    hold_h, hold_c: optional arrays used in place of h_prev in the gates and of c_prev in the cell
    update, with the same values. A finite difference then sees h_prev (or c_prev) as a constant:
    this is how the grader computes what a gradient would be if it were not carried back through
    that state, to name such a mistake.
    """
    i, f, g, o = gates(x, h_prev if hold_h is None else hold_h, Wx, Wh, b)
    c_next = f * (c_prev if hold_c is None else hold_c) + i * g
    return o * np.tanh(c_next), c_next


def gates(x, h_prev, Wx, Wh, b):
    """The gates i, f, g, o of one step, stacked (4, N, H), for x (N, D) and h_prev (N, H)."""
    H = h_prev.shape[1]
    a = (
        np.einsum("ghd,nd->gnh", Wx.reshape(4, H, -1), x)
        + np.einsum("ghk,nk->gnh", Wh.reshape(4, H, H), h_prev)
        + b.reshape(4, 1, H)
    )  # (4, N, H): one slab per gate
    return np.stack([sigmoid(a[0]), sigmoid(a[1]), np.tanh(a[2]), sigmoid(a[3])])


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


def sequence_gates(x, h0, Wx, Wh, b):
    """The gates i, f, g, o of every step, stacked (4, N, T, H), of the LSTM run over x (N, T, D) from h0, c0 = 0."""
    hs = lstm(x, h0, Wx, Wh, b)
    before = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)  # (N, T, H): the state each step reads
    return np.stack([gates(x[:, t], before[:, t], Wx, Wh, b) for t in range(x.shape[1])], axis=2)


def last_hidden_state(x, t, h_t, c_t, Wx, Wh, b):
    """h[:, T - 1] (M, H) reached from the states h_t, c_t (M, H) after step t, over the steps t + 1, ..., T - 1 of
    x (M, T, D); real or complex."""
    if t == x.shape[1] - 1:
        return h_t
    return lstm_states(x[:, t + 1 :], h_t, Wx, Wh, b, c0=c_t)[0][:, -1]


def state_gradients(x, h0, Wx, Wh, b, dh_last):
    """(dh, dc), each (N, T, H): dL/dh[:, t] and dL/dc[:, t] for the loss L = sum(dh_last * h[:, T - 1]).

    By complex steps: at step t, N * H copies of the states (copy n * H + j of example n) have entry j of h[:, t],
    or of c[:, t] (and then h[:, t] = o * tanh(c[:, t]) with it), moved by i * COMPLEX_STEP; the LSTM runs on to the
    last step, and the imaginary part of each copy's loss over the step is the derivative. dL/dc[:, t] is the total
    derivative, through c[:, t + 1] and through h[:, t].
    """
    hs, cs = lstm_states(x, h0, Wx, Wh, b)
    o = sequence_gates(x, h0, Wx, Wh, b)[3]
    N, T, H = hs.shape
    step = 1j * COMPLEX_STEP * np.tile(np.eye(H), (N, 1))  # (N * H, H)
    copies = {name: np.repeat(a, H, axis=0) for name, a in (("x", x), ("h", hs), ("c", cs), ("o", o))}
    readout = np.repeat(dh_last, H, axis=0)
    grads = {"h": np.empty((N, T, H)), "c": np.empty((N, T, H))}
    for t in range(T):
        for moved, grad in grads.items():
            c_t = copies["c"][:, t] + (step if moved == "c" else 0)
            h_t = copies["o"][:, t] * np.tanh(c_t) if moved == "c" else copies["h"][:, t] + step
            loss = np.sum(readout * last_hidden_state(copies["x"], t, h_t, c_t, Wx, Wh, b), axis=1)
            grad[:, t] = loss.imag.reshape(N, H) / COMPLEX_STEP
    return grads["h"], grads["c"]


def path_parts(dc, f):
    """(on, off), each (N, T, H): the part of dc = dL/dc (N, T, H) along the cell states only from the last one,
    f[:, t + 1] * ... * f[:, T - 1] * dc[:, T - 1] for forget gates f (N, T, H), and the rest, dc - on."""
    later = np.cumprod(f[:, :0:-1], axis=1)[:, ::-1]  # (N, T - 1, H): f[:, t + 1] * ... * f[:, T - 1]
    on = np.concatenate([later, np.ones_like(f[:, :1])], axis=1) * dc[:, -1:]
    return on, dc - on


def mean_norms(v):
    """(T,): the mean over the batch of the Euclidean norm of each example's v[n, t], for v (N, T, H)."""
    return np.mean(np.sqrt(np.einsum("nth,nth->nt", v, v)), axis=0)


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    """(on_path, off_path), each (T,): the mean norms of the two parts of dL/dc (path_parts) for the loss
    L = sum(dh_last * h[:, T - 1]) on the LSTM run over x (N, T, D) from h0 (N, H) and c0 = 0."""
    dc = state_gradients(x, h0, Wx, Wh, b, dh_last)[1]
    on, off = path_parts(dc, sequence_gates(x, h0, Wx, Wh, b)[1])
    return mean_norms(on), mean_norms(off)
