"""A chunk that starts from the last state of the previous call goes on backpropagating into that call: the
previous chunk's caches are kept (in the notebook's globals) and dh0 is sent back through them."""

import numpy as np

FAILS = {"lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "lm_chunk_loss": ["grads['W_embed'] is wrong", "chunk 2 of 2", "flowed back into the previous one", "drop dh0"],
}


def lm_chunk_loss(chars, h0, params, cell_forward, cell_backward):
    previous = globals().setdefault("previous_chunk", {})
    inputs, targets = chars[:, :-1], chars[:, 1:]
    x, embed_cache = embedding_forward(inputs, params["W_embed"])
    h, cell_cache = cell_forward(x, h0, *params["cell"])
    scores = h @ params["Wy"].T + params["by"]
    loss, dscores = temporal_softmax_loss(scores, targets, np.ones(targets.shape, dtype=bool))
    dx, dh0, *dcell = cell_backward(dscores @ params["Wy"], cell_cache)
    dW_embed = embedding_backward(dx, embed_cache)
    if previous and np.array_equal(h0, previous["h_last"]):  # "full BPTT" across the chunks
        dh_previous = np.zeros(previous["shape"])
        dh_previous[:, -1] = dh0
        dx_previous, _, *dcell_previous = cell_backward(dh_previous, previous["cell_cache"])
        dcell = [a + b for a, b in zip(dcell, dcell_previous)]
        dW_embed = dW_embed + embedding_backward(dx_previous, previous["embed_cache"])
    previous.update(h_last=h[:, -1], shape=h.shape, cell_cache=cell_cache, embed_cache=embed_cache)
    grads = {
        "W_embed": dW_embed,
        "Wy": np.einsum("ntv,nth->vh", dscores, h),
        "by": dscores.sum(axis=(0, 1)),
        "cell": dcell,
    }
    return loss, grads, h[:, -1]
