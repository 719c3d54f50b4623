"""The mask is built from the targets (character 0 taken for padding): positions whose target is character 0 are
left out, though every position of a chunk counts."""

import numpy as np

FAILS = {"lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "lm_chunk_loss": ["loss is wrong", "every position of a chunk counts"],
}


def lm_chunk_loss(chars, h0, params, cell_forward, cell_backward):
    inputs, targets = chars[:, :-1], chars[:, 1:]
    x, embed_cache = embedding_forward(inputs, params["W_embed"])
    h, cell_cache = cell_forward(x, h0, *params["cell"])
    scores = h @ params["Wy"].T + params["by"]
    loss, dscores = temporal_softmax_loss(scores, targets, targets != 0)
    dx, _, *dcell = cell_backward(dscores @ params["Wy"], cell_cache)
    grads = {
        "W_embed": embedding_backward(dx, embed_cache),
        "Wy": np.einsum("ntv,nth->vh", dscores, h),
        "by": dscores.sum(axis=(0, 1)),
        "cell": dcell,
    }
    return loss, grads, h[:, -1]
