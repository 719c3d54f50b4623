"""The linear recurrence and minGRU of the exercise contract, forward only, as the grader's trusted reference.

The specification written as code, not the course's solution: the recurrence is a fold over the time steps
(itertools.accumulate), minGRU's projections are einsums, and there is no backward pass and no scan. Hidden checks
compare a student's outputs with these functions and differentiate them numerically.

    h_t = a_t * h_{t-1} + b_t  (elementwise, h_0 = h0),
    minGRU: z_t = sigmoid(Wz x_t + bz),  h~_t = Wh x_t + bh,  h_t = (1 - z_t) * h_{t-1} + z_t * h~_t.

"swapped" computes minGRU with z and 1 - z exchanged, h_t = z_t * h_{t-1} + (1 - z_t) * h~_t, so that a grader
can name that form.
"""

from itertools import accumulate

import numpy as np

from autograder.reference.gates import sigmoid


def recurrence(a, b, h0):
    """All states h (N, T, H) of h_t = a_t * h_{t-1} + b_t for a, b (N, T, H) from h0 (N, H)."""
    steps = zip(np.moveaxis(a, 1, 0), np.moveaxis(b, 1, 0))
    states = list(accumulate(steps, lambda h, ab: ab[0] * h + ab[1], initial=h0))
    return np.stack(states[1:], axis=1)


def gates(x, Wz, bz, Wh, bh):
    """(z, h~), each (N, T, H), of minGRU for x (N, T, D): the gate and the candidate of every step."""
    z = sigmoid(np.einsum("ntd,hd->nth", x, Wz) + bz)
    return z, np.einsum("ntd,hd->nth", x, Wh) + bh


def min_gru(x, h0, Wz, bz, Wh, bh, form="contract"):
    """All states h (N, T, H) of minGRU over x (N, T, D) from h0 (N, H); form "contract" or "swapped"."""
    z, candidate = gates(x, Wz, bz, Wh, bh)
    keep, write = (z, 1.0 - z) if form == "swapped" else (1.0 - z, z)
    return recurrence(keep, write * candidate, h0)
