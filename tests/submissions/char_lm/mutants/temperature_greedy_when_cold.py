"""Below a small temperature the answer turns greedy: one-hot at the largest score, as if the softmax were an
argmax. Right in the limit, wrong at any temperature above 0: scores 0.005 apart at temperature 0.01 are e to 1."""

import numpy as np

FAILS = {"temperature_softmax"}
SAYS = {  # function -> words its feedback must contain
    "temperature_softmax": ["probs is wrong", "temperature 0.01", "probs is one-hot at the largest score"],
}


def temperature_softmax(scores, temperature):
    if temperature < 0.05:
        return np.eye(scores.shape[-1])[np.argmax(scores, axis=-1)]
    shifted = scores / temperature
    shifted = shifted - shifted.max(axis=-1, keepdims=True)
    probs = np.exp(shifted)
    return probs / probs.sum(axis=-1, keepdims=True)
