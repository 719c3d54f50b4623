"""dscores is not divided by N although the loss is a mean."""

import numpy as np

FAILS = {"many_to_one_loss", "softmax_cross_entropy"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["grads['Wx'] is wrong", "a sum where a mean belongs, or a missing division?"],
    "softmax_cross_entropy": ["dscores is wrong", "a sum where a mean belongs, or a missing division?"],
}


def softmax_cross_entropy(scores, y):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    loss = -np.log(probs[np.arange(N), y]).mean()
    dscores = probs.copy()
    dscores[np.arange(N), y] -= 1
    return loss, dscores
