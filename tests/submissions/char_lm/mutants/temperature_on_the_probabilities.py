"""The temperature acts on the probabilities, softmax(softmax(scores) / temperature), not on the scores."""

import numpy as np

FAILS = {"temperature_softmax"}
SAYS = {  # function -> words its feedback must contain
    "temperature_softmax": ["probs is wrong", "not the probabilities: softmax(softmax(scores) / temperature)"],
}


def temperature_softmax(scores, temperature):
    shifted = scores - scores.max(axis=-1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=-1, keepdims=True)
    again = np.exp(probs / temperature)
    return again / again.sum(axis=-1, keepdims=True)
