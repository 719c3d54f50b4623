"""exp of the raw scores: overflows to inf and NaN for large scores."""

import numpy as np

FAILS = {"temporal_softmax_loss"}
SAYS = {  # function -> words its feedback must contain
    "temporal_softmax_loss": ["loss contains NaN or inf", "exp overflows for large scores"],
}


def temporal_softmax_loss(scores, y, mask):
    probs = np.exp(scores) / np.exp(scores).sum(axis=2, keepdims=True)
    count = mask.sum()
    rows, steps = np.indices(y.shape)
    loss = -np.sum(np.log(probs[rows, steps, y]) * mask) / count
    dscores = probs.copy()
    dscores[rows, steps, y] -= 1
    dscores *= mask[:, :, None] / count
    return loss, dscores
