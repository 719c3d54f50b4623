"""The temperature sharpens the softmax's probabilities, softmax(scores) ** (1 / temperature), normalized: equal to
softmax(scores / temperature) on paper, but the softmax of scores spread by thousands underflows to 0 first."""

import numpy as np

FAILS = {"temperature_softmax"}
SAYS = {  # function -> words its feedback must contain
    "temperature_softmax": ["probs is wrong", "temperature 500", "softmax(scores) ** (1 / temperature)"],
}


def temperature_softmax(scores, temperature):
    shifted = scores - scores.max(axis=-1, keepdims=True)
    probs = np.exp(shifted)
    probs = probs / probs.sum(axis=-1, keepdims=True)
    powered = probs ** (1.0 / temperature)
    return powered / powered.sum(axis=-1, keepdims=True)
