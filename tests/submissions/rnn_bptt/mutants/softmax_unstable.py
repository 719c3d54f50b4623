"""exp of the raw scores: overflows to inf and NaN for large scores."""

import numpy as np

FAILS = {"softmax_cross_entropy"}
SAYS = {  # function -> words its feedback must contain
    "softmax_cross_entropy": [
        "loss contains NaN or inf",
        "exp overflows for large scores",
        "subtract each row's maximum first",
    ],
}


def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    probs = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(N), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return loss, dscores / N
