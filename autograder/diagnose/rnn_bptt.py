"""Hints of the exercise "The RNN and backpropagation through time"."""

import numpy as np

ONE_STEP_HINTS = {
    "dx": "is the gradient carried back to the previous step (dh_prev added to the next step's upstream gradient)?",
    "dh0": "is the gradient carried back through every step to h0?",
}
ACCUMULATE_HINT = "are the contributions of all time steps summed, with the gradient carried back through time?"
OVERFLOW_HINT = "exp overflows for large scores: subtract each row's maximum first."
UNDERFLOW_HINT = (
    "the loss is infinite though the probabilities are finite: the probability of a label underflows to 0 and its log "
    "is -inf. Take the log-probabilities directly, shifted - log(sum(exp(shifted))), not the log of the softmax."
)
LARGE_SCORES = 100.0  # exp(100) is still finite; beyond a few hundred it overflows


def held_gradient_hint(value, grad, args, douts, case):
    """Why a gradient of rnn_backward, right for one time step, is wrong over longer sequences.

    Inputs:
    - value: the name of the wrong gradient ("dx", "dh0", "dWx", ...); the others are unused
    Returns:
    - the hint's words
    """
    return ONE_STEP_HINTS.get(value, ACCUMULATE_HINT)


def softmax_hint(failure, scores, outputs=()):
    """The hint for a softmax that returns NaN or inf on large scores, or "": exp overflowed (NaN in an output: the
    maximum was not subtracted), or, with every output but the loss finite, the log of a probability that underflowed
    to 0 (the maximum was subtracted, the logarithm taken too late).

    Inputs:
    - failure: the GradingError of the output's check
    - scores: the scores given, (N, C) or (N, T, V)
    - outputs: what the student's function returned, cache left out (arrays: the contract was checked first)
    """
    if failure.kind != "nonfinite" or scores.max() <= LARGE_SCORES:
        return ""
    arrays = [np.asarray(out, dtype=np.float64) for out in outputs]
    if not arrays or any(np.isnan(a).any() for a in arrays):
        return OVERFLOW_HINT
    if failure.value == "loss" and all(np.isfinite(a).all() for a in arrays[1:]):
        return UNDERFLOW_HINT
    return ""
