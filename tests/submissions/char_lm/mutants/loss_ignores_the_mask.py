"""The loss sums every position, the masked ones too (its gradient is right)."""

import numpy as np

FAILS = {"temporal_softmax_loss"}
SAYS = {  # function -> words its feedback must contain
    "temporal_softmax_loss": ["loss is wrong", "the loss sums every position", "a position where mask is False"],
}


def temporal_softmax_loss(scores, y, mask):
    shifted = scores - scores.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    count = mask.sum()
    rows, steps = np.indices(y.shape)
    loss = -np.sum(log_probs[rows, steps, y]) / count
    dscores = np.exp(log_probs)
    dscores[rows, steps, y] -= 1
    dscores *= mask[:, :, None] / count
    return loss, dscores
