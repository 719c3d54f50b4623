"""The maximum is subtracted, but the loss is the log of the softmax: a label's probability underflows to 0 for
scores spread by thousands, and its log is -inf."""

import numpy as np

FAILS = {"softmax_cross_entropy"}
SAYS = {  # function -> words its feedback must contain
    "softmax_cross_entropy": ["loss contains NaN or inf", "underflows to 0"],
}


def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.mean(np.log(probs[np.arange(N), y]))
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
