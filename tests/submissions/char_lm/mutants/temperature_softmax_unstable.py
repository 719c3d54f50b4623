"""exp of the raw scaled scores: overflows to inf and NaN for large scores."""

import numpy as np

FAILS = {"temperature_softmax"}
SAYS = {  # function -> words its feedback must contain
    "temperature_softmax": ["probs contains NaN or inf", "exp overflows for large scores"],
}


def temperature_softmax(scores, temperature):
    weights = np.exp(scores / temperature)
    return weights / weights.sum(axis=-1, keepdims=True)
