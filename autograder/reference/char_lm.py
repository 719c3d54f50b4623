"""The character-level language model of the exercise contract, forward only, as the grader's trusted reference.

The specification written as code, not the course's solution: the embedding is a product with one-hot
rows, the softmax a log-sum-exp, the cell the reference RNN or GRU (``reference.rnn``, ``reference.gru``),
and there is no backward pass. Hidden checks compare a student's outputs with these functions and
differentiate them numerically.

Letters: N streams (the batch), T steps of a chunk, V characters in the vocabulary, D the size of an
embedding, H the hidden size. A chunk `chars` (N, T + 1) holds the inputs chars[:, :-1] and, one step
later, the targets chars[:, 1:]: consecutive chunks of a stream share one character.
"""

import numpy as np

from autograder.reference import gru as gru_ref
from autograder.reference import rnn as rnn_ref

CELLS = {"rnn": rnn_ref.rnn, "gru": gru_ref.gru}  # cell name -> its forward h (N, T, H) = cell(x, h0, *weights)
PARAM_NAMES = ("W_embed", "Wy", "by", "cell")  # the keys of params and of grads


def one_hot(x, V):
    """One-hot rows (..., V) of the int array x with entries in [0, V)."""
    return (np.asarray(x)[..., None] == np.arange(V)).astype(np.float64)


def embedding(x, W):
    """out (N, T, D): out[n, t] = W[x[n, t]] for x int (N, T) and W (V, D), as a product with one-hot rows."""
    return np.einsum("ntv,vd->ntd", one_hot(x, W.shape[0]), W)


def log_softmax(scores):
    """log softmax over the last axis, computed stably (the maximum of each row taken out of the exponentials)."""
    top = scores.max(axis=-1, keepdims=True)
    return scores - top - np.log(np.exp(scores - top).sum(axis=-1, keepdims=True))


def temporal_softmax_loss(scores, y, mask):
    """The mean over the positions with mask True of -log softmax(scores[n, t])[y[n, t]] (a float, nats).

    Inputs: scores (N, T, V), y int (N, T), mask bool (N, T) with at least one True entry.
    """
    picked = np.einsum("ntv,ntv->nt", log_softmax(scores), one_hot(y, scores.shape[-1]))
    return float(-np.sum(np.where(mask, picked, 0.0)) / np.count_nonzero(mask))


def temperature_softmax(scores, temperature):
    """probs (N, V) = softmax(scores / temperature) over the last axis, for temperature > 0."""
    return np.exp(log_softmax(scores / temperature))


def lm_forward(chars, h0, params, cell):
    """(scores (N, T, V), h (N, T, H)) of the language model on one chunk chars (N, T + 1) from the state h0 (N, H).

    params: dict with W_embed (V, D), Wy (V, H), by (V,) and "cell", the weights of the cell (a key of CELLS).
    """
    x = embedding(chars[:, :-1], params["W_embed"])
    h = CELLS[cell](x, h0, *params["cell"])
    return np.einsum("nth,vh->ntv", h, params["Wy"]) + params["by"], h


def lm_chunk_loss(chars, h0, params, cell):
    """(loss, h_last) of the language model on one chunk: the mean cross-entropy of the next characters
    chars[:, 1:] over all N * T positions, and the last state h[:, -1] (N, H) to carry to the next chunk."""
    scores, h = lm_forward(chars, h0, params, cell)
    return temporal_softmax_loss(scores, chars[:, 1:], np.ones(chars[:, 1:].shape, dtype=bool)), h[:, -1]
