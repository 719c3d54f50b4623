"""The temperature divides the probabilities, softmax(scores) / temperature, not the scores."""

import numpy as np

FAILS = {"temperature_softmax"}
SAYS = {  # function -> words its feedback must contain
    "temperature_softmax": ["probs is wrong", "softmax(scores) / temperature does not even sum to 1"],
}


def temperature_softmax(scores, temperature):
    shifted = scores - scores.max(axis=-1, keepdims=True)
    probs = np.exp(shifted)
    return probs / probs.sum(axis=-1, keepdims=True) / temperature
