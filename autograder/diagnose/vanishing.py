"""Hints of the exercise "Vanishing and exploding gradients": each a known wrong answer, computed from the
reference, that a student's output is compared with (``patterns.first_match``)."""

import numpy as np

from autograder.reference import vanishing as ref

TOTAL_NORM_TOL = 1e-8


def jacobian_mistakes(h_next, Wh):
    """(hint, wrong J) pairs for rnn_step_jacobian: the Jacobian transposed, its diagonal on the wrong side,
    the tanh derivative missing or applied to tanh again.

    Inputs:
    - h_next: (N, H) states of the step; Wh: (H, H)
    Returns:
    - list of (hint, J of shape (N, H, H))
    """
    tanh_prime = 1 - h_next**2
    return [
        (
            "J is the transpose of the right Jacobian for every example. Row i of J[n] is the derivative "
            "of h_next[n, i], so row i of Wh is scaled by 1 - h_next[n, i]**2.",
            np.einsum("nj,ji->nij", tanh_prime, Wh),
        ),
        (
            "the tanh derivative scales the columns of Wh instead of its rows: diag(1 - h_next**2) goes on "
            "the left, diag(1 - h_next**2) @ Wh, not Wh @ diag(1 - h_next**2).",
            np.einsum("ij,nj->nij", Wh, tanh_prime),
        ),
        (
            "the tanh derivative is missing: d h_next / d h_prev = diag(1 - h_next**2) @ Wh.",
            np.tile(Wh, (len(h_next), 1, 1)),
        ),
        (
            "h_next already is tanh(a), so tanh'(a) = 1 - h_next**2; do not apply tanh again.",
            ref.rnn_step_jacobian(np.tanh(h_next), Wh),
        ),
    ]


def norms_variant(h, Wh, dh_last, transposed=False, state_shift=0, reduce="mean"):
    """A typical wrong version of the norms: Jacobian transposed, taken at the wrong state, or the
    per-example norms reduced otherwise than by their mean.

    Inputs:
    - h: (N, T, H) states; Wh: (H, H); dh_last: (N, H)
    - transposed: the gradient goes back through J_t @ dh instead of dh @ J_t
    - state_shift: J_t taken at h[:, t + state_shift]
    - reduce: "mean", "sum", "whole batch" (the norm of the (N, H) array) or "mean square"
    Returns:
    - norms (T,)
    """
    N, T, H = h.shape
    dh, rows = dh_last, [dh_last]
    for t in range(T - 1, 0, -1):
        J = ref.rnn_step_jacobian(h[:, t + state_shift], Wh)
        dh = np.einsum("nij,nj->ni", J, dh) if transposed else np.einsum("ni,nij->nj", dh, J)
        rows.append(dh)
    grads = np.stack(rows[::-1])  # (T, N, H)
    per_example = np.sqrt(np.sum(grads**2, axis=2))
    reduced = {
        "mean": per_example.mean(axis=1),
        "sum": per_example.sum(axis=1),
        "whole batch": np.sqrt(np.sum(grads**2, axis=(1, 2))),
        "mean square": np.mean(per_example**2, axis=1),
    }
    return reduced[reduce]


def norms_mistakes(h, Wh, dh_last):
    """(hint, wrong norms) pairs for gradient_norms_through_time.

    Inputs:
    - h: (N, T, H) states; Wh: (H, H); dh_last: (N, H)
    Returns:
    - list of (hint, norms of shape (T,))
    """
    right = ref.gradient_norms_through_time(h, Wh, dh_last)
    return [
        (
            "the entries are in reverse order: norms[t] belongs to h[:, t], so norms[T - 1] = mean ||dh_last||.",
            right[::-1],
        ),
        (
            "the gradient goes back through the transpose of the step Jacobian: as rows, "
            "dL/dh[:, t - 1] = dL/dh[:, t] @ J_t (that is J_t^T times the column vector), not J_t @ dL/dh[:, t].",
            norms_variant(h, Wh, dh_last, transposed=True),
        ),
        (
            "the Jacobian of step t, d h[:, t] / d h[:, t - 1], uses the state that step t produced: 1 - h[:, t]**2.",
            norms_variant(h, Wh, dh_last, state_shift=-1),
        ),
        (
            "norms[t] is the mean over the batch of each example's norm, not their sum.",
            norms_variant(h, Wh, dh_last, reduce="sum"),
        ),
        (
            "norms[t] is the mean over the batch of each example's norm, not the norm of the whole (N, H) array.",
            norms_variant(h, Wh, dh_last, reduce="whole batch"),
        ),
        ("norms[t] is a mean of norms, not of squared norms.", norms_variant(h, Wh, dh_last, reduce="mean square")),
    ]


def clip_mistakes(grads, max_norm):
    """(hint, wrong clipped) pairs for clip_grad_norm: clipped per array, always rescaled, clipped by value, not
    rescaled (when no entry exceeds max_norm, clipping by value leaves the arrays as they are too).

    Inputs:
    - grads: dict name -> array; max_norm: float
    Returns:
    - list of (hint, dict name -> array)
    """
    norms = {name: np.linalg.norm(g) for name, g in grads.items()}
    total = ref.clip_grad_norm(grads, max_norm)[1]
    return [
        (
            "each array was clipped by its own norm: clip by the global norm of all arrays together, so that "
            "every array is scaled by the same factor and the direction of the whole gradient is kept.",
            {name: g * min(1.0, max_norm / norms[name]) for name, g in grads.items()},
        ),
        (
            "the arrays were rescaled although total_norm <= max_norm: rescale only when total_norm > max_norm.",
            {name: g * max_norm / total for name, g in grads.items()},
        ),
        (
            "each entry was clipped to [-max_norm, max_norm]: that is clipping by value; here the norm is "
            "clipped, by rescaling every array with max_norm / total_norm.",
            {name: np.clip(g, -max_norm, max_norm) for name, g in grads.items()},
        ),
        ("the gradients were not rescaled although total_norm > max_norm.", grads),
    ]


def total_norm_hint(total_norm, grads, max_norm):
    """The hint for a wrong total_norm of clip_grad_norm: the norm after clipping, or a sum of norms; "" otherwise.

    Inputs:
    - total_norm: the student's value; grads: the gradients given; max_norm: the bound given
    """
    expected = ref.clip_grad_norm(grads, max_norm)[1]
    if abs(total_norm - min(expected, max_norm)) < TOTAL_NORM_TOL * expected:
        return "total_norm is the norm of the gradients passed in, before clipping."
    if abs(total_norm - sum(np.linalg.norm(g) for g in grads.values())) < TOTAL_NORM_TOL * expected:
        return "the global norm is the square root of the sum of squares of all entries of all arrays."
    return ""


def flat(arrays):
    """All arrays of a dict as one vector, in the order of their names."""
    return np.concatenate([np.ravel(arrays[name]) for name in sorted(arrays)])
