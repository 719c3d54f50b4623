"""Hints of the exercise "The RNN and backpropagation through time"."""

ONE_STEP_HINTS = {
    "dx": "is the gradient carried back to the previous step (dh_prev added to the next step's upstream gradient)?",
    "dh0": "is the gradient carried back through every step to h0?",
}
ACCUMULATE_HINT = "are the contributions of all time steps summed, with the gradient carried back through time?"
OVERFLOW_HINT = "exp overflows for large scores: subtract each row's maximum first."
LARGE_SCORES = 100.0  # exp(100) is still finite; beyond a few hundred it overflows


def held_gradient_hint(value, grad, args, douts, case):
    """Why a gradient of rnn_backward, right for one time step, is wrong over longer sequences.

    Inputs:
    - value: the name of the wrong gradient ("dx", "dh0", "dWx", ...); the others are unused
    Returns:
    - the hint's words
    """
    return ONE_STEP_HINTS.get(value, ACCUMULATE_HINT)


def softmax_hint(failure, scores):
    """The hint for softmax_cross_entropy returning NaN or inf on large scores, or "".

    Inputs:
    - failure: the GradingError of the output's check
    - scores: the scores given, (N, C)
    """
    return OVERFLOW_HINT if failure.kind == "nonfinite" and scores.max() > LARGE_SCORES else ""
