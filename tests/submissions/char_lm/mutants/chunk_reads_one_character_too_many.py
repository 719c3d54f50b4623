"""The cell reads all T + 1 characters of the chunk, its last target too: the loss is right, but the state to carry
has read the next chunk's first input already."""

import numpy as np

FAILS = {"lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "lm_chunk_loss": ["h_last is wrong", "only a target"],
}


def lm_chunk_loss(chars, h0, params, cell_forward, cell_backward):
    targets = chars[:, 1:]
    x, embed_cache = embedding_forward(chars, params["W_embed"])
    h, cell_cache = cell_forward(x, h0, *params["cell"])
    scores = h[:, :-1] @ params["Wy"].T + params["by"]
    loss, dscores = temporal_softmax_loss(scores, targets, np.ones(targets.shape, dtype=bool))
    dh = np.zeros_like(h)
    dh[:, :-1] = dscores @ params["Wy"]
    dx, _, *dcell = cell_backward(dh, cell_cache)
    grads = {
        "W_embed": embedding_backward(dx, embed_cache),
        "Wy": np.einsum("ntv,nth->vh", dscores, h[:, :-1]),
        "by": dscores.sum(axis=(0, 1)),
        "cell": dcell,
    }
    return loss, grads, h[:, -1]
