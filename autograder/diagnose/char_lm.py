"""Hints of the exercise "A character-level language model": each a known wrong answer, computed from the
reference, that a student's output is compared with (``patterns.first_match``).

The mistakes: repeated characters lost in the embedding's gradient; the mask left out of the loss or of its
gradient; the loss divided by N (cs231n's convention) or by N * T instead of the number of positions that
count; inputs and targets off by one; the chunk run from a zero state instead of the carried one; the first
state or h0 returned as the state to carry; the gradient carried back across the chunk's start into the
previous chunk; the temperature applied to the probabilities instead of the scores.
"""

import numpy as np

from autograder.gradcheck import numerical_gradient
from autograder.reference import char_lm as ref

MASK_HINT = "a position where mask is False does not count: leave it out of the loss"
MASK_GRADIENT_HINT = (
    "dscores is not zero where mask is False: a position that does not count has no gradient (multiply by the mask)"
)
DIVIDED_BY_N_HINT = (
    "divided by N, the batch, as cs231n's temporal_softmax_loss does: here the loss is the mean per character, "
    "divided by mask.sum(), the number of positions that count"
)
DIVIDED_BY_NT_HINT = "divided by N * T, which counts the masked positions too: divide by mask.sum()"
REPEATS_HINT = (
    "characters that appear more than once lose all but one of their gradients: dW[x] += dout writes each "
    "repeated row once; np.add.at(dW, x, dout) adds every position"
)
LEAK_HINT = (
    "the gradient of this chunk flowed back into the previous one: h0 is a constant, so drop dh0 and keep nothing "
    "(no cache) from one call of lm_chunk_loss to the next"
)
DEPENDS_HINT = "your {name} fails its own hidden check: fix it first (see its message)."


def softmax_gradient(scores, y):
    """softmax(scores) - onehot(y) at every position, (N, T, V): the gradient of each position's cross-entropy."""
    return np.exp(ref.log_softmax(scores)) - ref.one_hot(y, scores.shape[-1])


def position_losses(scores, y):
    """-log softmax(scores[n, t])[y[n, t]] at every position, (N, T)."""
    return -np.einsum("ntv,ntv->nt", ref.log_softmax(scores), ref.one_hot(y, scores.shape[-1]))


def loss_mistakes(scores, y, mask):
    """(hint, wrong loss) pairs for temporal_softmax_loss.

    Inputs: scores (N, T, V), y int (N, T), mask bool (N, T)
    Returns: list of (hint, a float)
    """
    N, T = y.shape
    every, counted = position_losses(scores, y), np.where(mask, position_losses(scores, y), 0.0)
    return [
        (f"the loss is {DIVIDED_BY_N_HINT}", counted.sum() / N),
        (f"the loss is {DIVIDED_BY_NT_HINT}", counted.sum() / (N * T)),
        (f"the loss is the mean over every position: {MASK_HINT}", every.mean()),
        (f"the loss sums every position: {MASK_HINT}", every.sum() / mask.sum()),
    ]


def dscores_mistakes(scores, y, mask):
    """(hint, wrong dscores) pairs for temporal_softmax_loss.

    Inputs: scores (N, T, V), y int (N, T), mask bool (N, T)
    Returns: list of (hint, an array (N, T, V))
    """
    N, T = y.shape
    every, counted = softmax_gradient(scores, y), softmax_gradient(scores, y) * mask[:, :, None]
    return [
        (f"dscores is {DIVIDED_BY_N_HINT}", counted / N),
        (f"dscores is {DIVIDED_BY_NT_HINT}", counted / (N * T)),
        (MASK_GRADIENT_HINT, every / mask.sum()),
        (MASK_GRADIENT_HINT, every / (N * T)),
    ]


def embedding_mistakes(x, dout, V):
    """(hint, wrong dW) pairs for embedding_backward: dW[x] += dout, which keeps one position per character.

    Inputs: x int (N, T), dout (N, T, D), V the number of characters
    """
    buffered = np.zeros((V, dout.shape[-1]))
    buffered[x] += dout
    return [(REPEATS_HINT, buffered)]


VOCABULARY_HINT = (
    "dW has a row per character of the batch, up to the largest in x: V is the vocabulary's size, W.shape[0], "
    "and characters absent from the batch get a zero row"
)


def chunk_loss_with(inputs, targets, h0, params, cell):
    """The reference loss of the language model on the given inputs and targets, each (N, T)."""
    scores = ref.lm_forward(np.concatenate([inputs, inputs[:, -1:]], axis=1), h0, params, cell)[0]
    return ref.temporal_softmax_loss(scores, targets, np.ones(targets.shape, dtype=bool))


def chunk_loss_mistakes(chars, h0, params, cell):
    """(hint, wrong loss) pairs for lm_chunk_loss: the state not carried, inputs and targets off by one, the loss
    divided by N or summed.

    Inputs: chars int (N, T + 1), h0 (N, H), params, cell (a key of reference.char_lm.CELLS)
    """
    N, T = chars[:, 1:].shape
    right = ref.lm_chunk_loss(chars, h0, params, cell)[0]
    inputs, targets = chars[:, :-1], chars[:, 1:]
    return [
        (
            "the loss is that of a chunk started from a zero state: run the cell from h0, the state carried over "
            "from the previous chunk",
            ref.lm_chunk_loss(chars, np.zeros_like(h0), params, cell)[0],
        ),
        (
            "the targets are the inputs themselves, chars[:, :-1]: the target of each step is the next character, "
            "chars[:, 1:]",
            chunk_loss_with(inputs, inputs, h0, params, cell),
        ),
        (
            "the inputs are chars[:, 1:]: the inputs are chars[:, :-1] and the targets, one step later, chars[:, 1:]",
            chunk_loss_with(targets, targets, h0, params, cell),
        ),
        (
            "inputs and targets are swapped: the inputs are chars[:, :-1], the targets chars[:, 1:]",
            chunk_loss_with(targets, inputs, h0, params, cell),
        ),
        (f"the loss is {DIVIDED_BY_N_HINT}", T * right),
        *scaled_mistakes(N, T, right),
        *model_mistakes(chars, h0, params, cell),
    ]


def scaled_mistakes(N, T, right):
    """(hint, wrong loss) pairs for lm_chunk_loss: the loss summed over the N * T characters, or divided by T only
    (one hint for both when T = 1, where they are the same number)."""
    if T == 1:
        return [
            (
                "the loss is N times the mean: divided by T, the chunk's length, or summed over the N * T characters, "
                "instead of the mean over all N * T characters",
                N * right,
            )
        ]
    return [
        ("the loss is a sum over the N * T characters, not their mean", N * T * right),
        (
            "the loss is divided by T, the chunk's length, and summed over the batch: it is the mean over all N * T "
            "characters",
            N * right,
        ),
    ]


def model_mistakes(chars, h0, params, cell):
    """(hint, wrong loss) pairs for lm_chunk_loss: a mask built from the targets, the scores read from the states
    before each step."""
    targets = chars[:, 1:]
    scores, h = ref.lm_forward(chars, h0, params, cell)
    before = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # (N, T, H)
    found = [
        (
            "the scores of step t are read from the state before it (h0 for the first step): predict chars[:, t + 1] "
            "from h[:, t], the state after reading chars[:, t]",
            ref.temporal_softmax_loss(before @ params["Wy"].T + params["by"], targets, np.ones(targets.shape, bool)),
        )
    ]
    if np.any(targets == 0) and np.any(targets != 0):
        hint = (
            "the loss leaves out the positions whose target is character 0: a chunk has no padding, every position "
            "of a chunk counts (a mask of ones)"
        )
        found.append((hint, ref.temporal_softmax_loss(scores, targets, targets != 0)))
    return found


def h_last_mistakes(chars, h0, params, cell):
    """(hint, wrong h_last) pairs for lm_chunk_loss: the first state, h0 itself, or the state after one character
    too many."""
    h = ref.lm_forward(chars, h0, params, cell)[1]
    return [
        ("h_last is the first state, h[:, 0]: return the state after the last step, h[:, -1]", h[:, 0]),
        ("h_last is h0 itself: return the state after the last step, h[:, -1], to carry into the next chunk", h0),
        (
            "h_last is the state after reading chars[:, -1] too: that character is only a target here; the cell reads "
            "the T inputs chars[:, :-1], and the next chunk starts by reading it",
            ref.lm_forward(np.concatenate([chars, chars[:, -1:]], axis=1), h0, params, cell)[1][:, -1],
        ),
    ]


def leaked_gradient(first, h0, second, params, cell, path):
    """The gradient that a submission returns when the second chunk's gradient flows back through the first.

    It is the gradient of the second chunk's loss with its h0 = the last state of the first chunk (read from
    h0), a function of the parameters too: central differences of the reference through both chunks.

    Inputs:
    - first, second: consecutive chunks (N, T + 1); h0: the first one's initial state; params; cell
    - path: which array of params: a key, or ("cell", k)
    Returns: an array of that array's shape
    """
    theta = {k: [w.copy() for w in v] if k == "cell" else v.copy() for k, v in params.items()}
    x = theta["cell"][path[1]] if isinstance(path, tuple) else theta[path]

    def through_both():
        return ref.lm_chunk_loss(second, ref.lm_chunk_loss(first, h0, theta, cell)[1], theta, cell)[0]

    return numerical_gradient(through_both, x)


def temperature_mistakes(scores, temperature):
    """(hint, wrong probs) pairs for temperature_softmax: the temperature applied after the softmax, ignored,
    or multiplying the scores.

    Inputs: scores (N, V), temperature > 0
    """
    probs = ref.temperature_softmax(scores, 1.0)
    after = "the temperature divides the scores before the softmax, softmax(scores / temperature), not "
    return [
        (after + "the probabilities: softmax(scores) / temperature does not even sum to 1", probs / temperature),
        (
            after + "the probabilities: softmax(softmax(scores) / temperature)",
            ref.temperature_softmax(probs, temperature),
        ),
        ("the temperature is ignored: divide the scores by it before the softmax", probs),
        (
            "the scores are multiplied by the temperature: divide them by it",
            ref.temperature_softmax(scores, 1 / temperature),
        ),
        (
            "probs is one-hot at the largest score: a small temperature makes the softmax sharp, not an argmax "
            "(scores 0.005 apart at temperature 0.01 are e to 1)",
            np.eye(scores.shape[-1])[np.argmax(scores, axis=-1)],
        ),
        (
            "probs equals softmax(scores) ** (1 / temperature), normalized: equal on paper, but the softmax of "
            "scores spread by thousands underflows to 0 before the power; divide the scores by the temperature, "
            "then take one stable softmax",
            powered(probs, temperature),
        ),
    ]


def powered(probs, temperature):
    """softmax(scores) ** (1 / temperature), normalized: what an answer that sharpens the probabilities computes."""
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        raised = probs ** (1 / temperature)
        return raised / raised.sum(axis=-1, keepdims=True)
