"""cs231n's convention: the loss and its gradient divided by N, the batch, not by the positions that count."""

import numpy as np

FAILS = {"temporal_softmax_loss", "lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "temporal_softmax_loss": ["loss is wrong", "divided by N, the batch, as cs231n's temporal_softmax_loss does"],
    "lm_chunk_loss": ["loss is wrong", "divided by N, the batch", "divided by mask.sum()"],
}


def temporal_softmax_loss(scores, y, mask):
    N = scores.shape[0]
    shifted = scores - scores.max(axis=2, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=2, keepdims=True))
    rows, steps = np.indices(y.shape)
    loss = -np.sum(log_probs[rows, steps, y] * mask) / N
    dscores = np.exp(log_probs)
    dscores[rows, steps, y] -= 1
    dscores *= mask[:, :, None] / N
    return loss, dscores
