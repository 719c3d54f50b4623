"""Small functions that several chapters use: one definition each."""

import numpy as np


def sigmoid(a):
    """The logistic function 1 / (1 + exp(-a)), computed as (1 + tanh(a / 2)) / 2 so that it never overflows.

    Inputs:
    - a: array of any shape
    Returns:
    - the sigmoid of every entry, same shape and dtype as a
    """
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def cross_entropy(s, y):
    """-log softmax(s)[y] for the scores of one example, from the scores, without forming log(0).

    Inputs:
    - s: scores of one example, of shape (C,) or (C, 1)
    - y: the class, an integer in 0..C-1
    Returns:
    - the loss, a float
    """
    s = np.ravel(s)
    top = s.max()
    return float(np.log(np.sum(np.exp(s - top))) + top - s[y])
