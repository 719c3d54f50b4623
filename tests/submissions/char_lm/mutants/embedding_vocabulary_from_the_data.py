"""The vocabulary's size taken from the batch, x.max() + 1, instead of W: dW lacks the rows of the characters
that this batch does not hold."""

import numpy as np

FAILS = {"embedding_backward", "lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "embedding_backward": ["dW has shape", "V is the vocabulary's size, W.shape[0]"],
    "lm_chunk_loss": ["your embedding_backward fails its own hidden"],
}


def embedding_backward(dout, cache):
    x, shape = cache
    dW = np.zeros((x.max() + 1, shape[1]))
    np.add.at(dW, x, dout)
    return dW
