"""The exercise contract's forward computations, as the grader's trusted reference.

These are the specification written as code (einsum, one example axis at a time), not the
course's solutions: they hold no backward pass. Hidden tests compare a student's forward
outputs with them and differentiate them numerically to check a student's gradients.
"""

import numpy as np


def rnn_step(x, h_prev, Wx, Wh, b):
    """h_next (N, H) = tanh(x Wx^T + h_prev Wh^T + b) for x (N, D), h_prev (N, H)."""
    return np.tanh(np.einsum("hd,nd->nh", Wx, x) + np.einsum("hk,nk->nh", Wh, h_prev) + b)


def rnn(x, h0, Wx, Wh, b):
    """All states h (N, T, H) of the RNN run over x (N, T, D) from h0 (N, H)."""
    states = [h0]
    for t in range(x.shape[1]):
        states.append(rnn_step(x[:, t], states[-1], Wx, Wh, b))
    return np.stack(states[1:], axis=1)


def rnn_stacked(x, h_prev, W, b):
    """h_next (N, H) for the stacked weights W = [Wx | Wh] of shape (H, D + H)."""
    D = x.shape[1]
    return rnn_step(x, h_prev, W[:, :D], W[:, D:], b)


def linear(h, Wy, by):
    """scores (N, C) = h Wy^T + by for h (N, H)."""
    return np.einsum("ch,nh->nc", Wy, h) + by


def softmax_cross_entropy(scores, y):
    """Mean cross-entropy of softmax(scores) (N, C) against int labels y (N,), computed stably."""
    top = scores.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(scores - top).sum(axis=1))
    return float(np.mean(log_norm - scores[np.arange(len(y)), y]))


def many_to_one(x, y, params):
    """Loss of the many-to-one RNN classifier: h0 = 0, RNN over x, linear on the last state."""
    N, H = x.shape[0], params["Wh"].shape[0]
    h = rnn(x, np.zeros((N, H)), params["Wx"], params["Wh"], params["b"])
    return softmax_cross_entropy(linear(h[:, -1], params["Wy"], params["by"]), y)
