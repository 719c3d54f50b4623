"""The cell's weights are passed as one list, cell_forward(x, h0, params["cell"]), not unpacked: the cell the grader
lends raises a TypeError, which must name the case (RNN or GRU cell) and the student's line."""

import numpy as np

FAILS = {"lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "lm_chunk_loss": ["RNN cell", "raised TypeError", 'cell_forward(x, h0, params["cell"])'],
}


def lm_chunk_loss(chars, h0, params, cell_forward, cell_backward):
    inputs, targets = chars[:, :-1], chars[:, 1:]
    x, embed_cache = embedding_forward(inputs, params["W_embed"])
    h, cell_cache = cell_forward(x, h0, params["cell"])
    scores = h @ params["Wy"].T + params["by"]
    loss, dscores = temporal_softmax_loss(scores, targets, np.ones(targets.shape, dtype=bool))
    dx, _, *dcell = cell_backward(dscores @ params["Wy"], cell_cache)
    grads = {
        "W_embed": embedding_backward(dx, embed_cache),
        "Wy": np.einsum("ntv,nth->vh", dscores, h),
        "by": dscores.sum(axis=(0, 1)),
        "cell": dcell,
    }
    return loss, grads, h[:, -1]
