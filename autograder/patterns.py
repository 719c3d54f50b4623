"""Mistakes that show in any wrong array, whatever the exercise: zeros, a transpose, a scale factor."""

import numpy as np

from autograder.gradcheck import rel_error

MATCH_TOL = 1e-8  # a wrong answer "is" a known mistake when it agrees with it this closely
SCALED_TOL = 1e-6


def relation(actual, expected):
    """How a wrong array relates to the right one: (pattern, sentence), or (None, "") when nothing shows.

    Inputs:
    - actual, expected: float64 arrays of the same shape
    Returns:
    - pattern: "zeros", "transpose", "scaled" or None
    - sentence: the pattern in words, for the message
    """
    if actual.size < 2:
        return None, ""
    if not np.any(actual):
        return "zeros", "it is all zeros."
    if actual.ndim == 2 and actual.shape[0] == actual.shape[1] and rel_error(actual.T, expected) < SCALED_TOL:
        return "transpose", "it equals the transpose of the right answer."
    denom = float(np.sum(expected * expected))
    factor = float(np.sum(actual * expected) / denom) if denom > 0 else 1.0
    if abs(factor - 1) > 1e-3 and rel_error(actual, factor * expected) < SCALED_TOL:
        if factor < 0:
            return "scaled", f"it is the right answer times {factor:.3g}: is a sign flipped?"
        if factor < 1:
            return "scaled", f"it is the right answer times {factor:.3g}: a mean where a sum belongs?"
        return (
            "scaled",
            f"it is the right answer times {factor:.3g}: a sum where a mean belongs, or a missing division?",
        )
    return None, ""


def first_match(actual, candidates):
    """The hint of the first (hint, wrong answer) pair that actual equals (same shape, within MATCH_TOL), or ""."""
    for hint, wrong in candidates:
        if np.shape(wrong) == np.shape(actual) and rel_error(actual, wrong) < MATCH_TOL:
            return hint
    return ""


def through_time(value, hint):
    """The hint for a sequence gradient that is right for one time step and wrong for longer sequences."""
    return f"{value} is right for a single time step and wrong for longer sequences: {hint}"
