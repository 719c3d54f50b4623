"""The tasks of the experiments, for S stacks of networks at once.

Every task returns inputs `xs` of shape (S, T, N, D), in which `xs[s, t - 1, n]` is the lecture's x_t
of sequence n for network s, and targets of shape (S, N).
"""

import numpy as np


def two_sequence(rng, S, N, T, noise=0.5):
    """The two-sequence problem of Bengio, Simard and Frasconi (1994): keep the sign of the first input.

    The class y is 0 or 1 with equal chances; x_1 = 2y - 1, and x_2, ..., x_T are Gaussian noise with
    standard deviation `noise`, which carries no information about y.

    Inputs:
    - rng: a numpy Generator
    - S, N, T: networks, sequences per network, steps
    - noise: standard deviation of x_2, ..., x_T
    Returns a tuple of:
    - xs: inputs, of shape (S, T, N, 1), float64
    - classes: integers in {0, 1}, of shape (S, N)
    """
    classes = rng.integers(0, 2, size=(S, N))
    xs = noise * rng.standard_normal((S, T, N, 1))
    xs[:, 0, :, 0] = 2.0 * classes - 1.0
    return xs, classes


def adding_problem(rng, S, N, T):
    """The adding problem of Hochreiter and Schmidhuber (1997), their experiment 4, at a fixed length T.

    Each input is a pair (value, marker). Values are uniform in [-1, 1]. Exactly two steps are marked
    with 1: one of the first ten (its value is X_1), and one other of the first T/2 - 1 steps, drawn
    from the T/2 - 2 candidates left (its value is X_2). The first and the last marker are -1 unless
    marked, all others 0; X_1 is 0 when the first step is the marked one. The target is
    0.5 + (X_1 + X_2) / 4, in [0, 1].

    Inputs:
    - rng: a numpy Generator
    - S, N, T: networks, sequences per network, steps (T >= 22)
    Returns a tuple of:
    - xs: inputs, of shape (S, T, N, 2): xs[..., 0] the values, xs[..., 1] the markers
    - targets: of shape (S, N)
    """
    values = rng.uniform(-1, 1, size=(S, N, T))
    markers = np.zeros((S, N, T))
    markers[..., [0, -1]] = -1.0
    first = rng.integers(0, 10, size=(S, N, 1))  # one of the first ten steps
    second = rng.integers(0, T // 2 - 2, size=(S, N, 1))  # one of T/2 - 2 candidates among the first T/2 - 1 ...
    second += second >= first  # ... the steps other than the first marked one
    np.put_along_axis(markers, first, 1.0, axis=-1)
    np.put_along_axis(markers, second, 1.0, axis=-1)
    np.put_along_axis(values, first, np.where(first == 0, 0.0, np.take_along_axis(values, first, -1)), axis=-1)
    marked_sum = np.take_along_axis(values, first, -1) + np.take_along_axis(values, second, -1)
    return np.stack([values, markers], axis=-1).transpose(0, 2, 1, 3), 0.5 + marked_sum[..., 0] / 4


def constant_guess_right(threshold=0.04):
    """The fraction of adding-problem sequences that the constant prediction 0.5 gets within `threshold`.

    The error of 0.5 is (X_1 + X_2) / 4. With X_1, X_2 independent and uniform in [-1, 1], |X_1 + X_2| has
    the density (2 - u) / 2 on [0, 2], so P(|X_1 + X_2| < e) = e - e^2 / 4 with e = 4 threshold (0.1536
    for 0.04). When the first step is the marked one (probability 1/10), X_1 = 0 and P(|X_2| < e) = e.

    Inputs:
    - threshold: the largest absolute error that counts as right (at most 0.25)
    Returns:
    - the probability, a float (0.15424 for 0.04)
    """
    e = 4 * threshold
    return 0.9 * (e - e**2 / 4) + 0.1 * e


WORDS = ("the", "film", "plot", "was", "is", "really", "good", "bad", "not")  # the negation task's vocabulary
FILLERS = 6  # the first six words carry no sentiment


def negation_sentences(rng, S, N, T=8):
    """Sentences of a toy review language whose last words can flip the answer (the RNN chapter).

    Every sentence has T words. One sentiment word, "good" or "bad" with equal chances, is at one of the
    steps 1 to min(4, T - 3); with probability 1/2 the word "not" is at one of the last three steps, T - 2 to T. All
    other words are fillers ("the", "film", "plot", "was", "is", "really"). The class is 1 (positive) for
    "good" and 0 for "bad", flipped by a "not": "the plot was good the film was not" is negative.

    Inputs:
    - rng: a numpy Generator; S, N: networks, sentences per network; T: words (at least 4)
    Returns a tuple of:
    - words: indices into WORDS, (S, N, T); classes: (S, N); negation_step: (S, N), the step t of "not"
      (1-based) or 0 for a sentence without it
    """
    words = rng.integers(0, FILLERS, size=(S, N, T))
    good = rng.integers(0, 2, size=(S, N))
    where = rng.integers(0, min(4, T - 3), size=(S, N, 1))
    np.put_along_axis(words, where, np.where(good, 6, 7)[..., None], axis=-1)
    negated = rng.integers(0, 2, size=(S, N))
    late = rng.integers(T - 3, T, size=(S, N, 1))
    np.put_along_axis(words, late, np.where(negated[..., None], 8, np.take_along_axis(words, late, -1)), axis=-1)
    return words, good ^ negated, np.where(negated, late[..., 0] + 1, 0)


def negation(rng, S, N, T=8):
    """The negation task as inputs: the words of negation_sentences one-hot, (S, T, N, 9), and the classes."""
    words, classes, _ = negation_sentences(rng, S, N, T)
    return np.eye(len(WORDS))[words].transpose(0, 2, 1, 3), classes


def parity(rng, S, N, T):
    """The parity of a string of bits: x_t is 0 or 1 with equal chances, the class is x_1 + ... + x_T mod 2.

    Inputs:
    - rng: a numpy Generator; S, N, T: networks, sequences per network, steps
    Returns a tuple of:
    - xs: inputs, of shape (S, T, N, 1), float64
    - classes: integers in {0, 1}, of shape (S, N)
    """
    bits = rng.integers(0, 2, size=(S, T, N))
    return bits[..., None].astype(np.float64), bits.sum(axis=1) % 2


TASKS = {
    "two-sequence": {"make": two_sequence, "D": 1, "C": 2, "loss": "classes"},
    "adding": {"make": adding_problem, "D": 2, "C": 1, "loss": "values"},
    "negation": {"make": negation, "D": len(WORDS), "C": 2, "loss": "classes"},
    "parity": {"make": parity, "D": 1, "C": 2, "loss": "classes"},
}
