"""The loss and its gradient divided by N * T, which counts the masked positions too."""

import numpy as np

FAILS = {"temporal_softmax_loss"}
SAYS = {  # function -> words its feedback must contain
    "temporal_softmax_loss": ["loss is wrong", "divided by N * T, which counts the masked positions too"],
}


def temporal_softmax_loss(scores, y, mask):
    N, T, _ = scores.shape
    shifted = scores - scores.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    rows, steps = np.indices(y.shape)
    loss = -np.sum(log_probs[rows, steps, y] * mask) / (N * T)
    dscores = np.exp(log_probs)
    dscores[rows, steps, y] -= 1
    dscores *= mask[:, :, None] / (N * T)
    return loss, dscores
