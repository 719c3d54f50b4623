"""The scores of step t are read from the state before it, h[:, t - 1] (h0 for the first): the prediction of a
character does not see the character just read."""

import numpy as np

FAILS = {"lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "lm_chunk_loss": ["loss is wrong", "the state before"],
}


def lm_chunk_loss(chars, h0, params, cell_forward, cell_backward):
    inputs, targets = chars[:, :-1], chars[:, 1:]
    x, embed_cache = embedding_forward(inputs, params["W_embed"])
    h, cell_cache = cell_forward(x, h0, *params["cell"])
    before = np.concatenate([h0[:, None], h[:, :-1]], axis=1)  # (N, T, H): the state before each step
    scores = before @ params["Wy"].T + params["by"]
    loss, dscores = temporal_softmax_loss(scores, targets, np.ones(targets.shape, dtype=bool))
    dh = np.zeros_like(h)
    dh[:, :-1] = (dscores @ params["Wy"])[:, 1:]
    dx, _, *dcell = cell_backward(dh, cell_cache)
    grads = {
        "W_embed": embedding_backward(dx, embed_cache),
        "Wy": np.einsum("ntv,nth->vh", dscores, before),
        "by": dscores.sum(axis=(0, 1)),
        "cell": dcell,
    }
    return loss, grads, h[:, -1]
