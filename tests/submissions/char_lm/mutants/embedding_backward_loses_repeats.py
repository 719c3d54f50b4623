"""dW[x] += dout: numpy's indexed assignment writes a repeated character's row once, so repeats are lost."""

import numpy as np

FAILS = {"embedding_backward", "lm_chunk_loss"}
SAYS = {  # function -> words its feedback must contain
    "embedding_backward": ["dW is wrong", "characters that appear more than once", "np.add.at(dW, x, dout)"],
    "lm_chunk_loss": ["grads['W_embed'] is wrong", "your embedding_backward fails its own hidden check"],
}


def embedding_backward(dout, cache):
    x, shape = cache
    dW = np.zeros(shape)
    dW[x] += dout
    return dW
