"""The grader's side of every check: judging what a student's functions returned.

A check never trusts the student's code to judge itself. It gets a ``Call`` (plain values, from
``autograder.student_process.calls``) and compares it with the reference (``autograder.reference``) using the code
below, in the grader's process. A failed comparison raises ``GradingError`` with its kind and the name
of the wrong value. Numerical gradients of the hidden inputs, the same for every student, are computed
once per grader process.
"""

import hashlib

import numpy as np

from autograder.gradcheck import (
    FULL_CHECK_MAX_SIZE,
    array_problem,
    gradient_error,
    numerical_gradient,
    rel_error,
)
from autograder.patterns import relation
from autograder.student_process.failure import GradingError
from rnnkit.contract import values_problem
from rnnkit.steps import EXTRA, PER_STEP, allowed_operations, scan_steps

FORWARD_TOL = 1e-8  # float64 forward passes agree to about 1e-15
GRADIENT_TOL = 1e-6  # central differences in float64 are good to about 1e-9


def expect_unmodified(run, where):
    """Raise GradingError (kind "modified") when the student's code changed an argument of the Call in place."""
    if run.modified:
        names = ", ".join(run.modified)
        raise GradingError(f"{where}: changed its argument {names} in place; work on new arrays instead.", "modified")


def expect_new_arrays(run, name, where, source):
    """Raise GradingError (kind "aliased") when the output `name` of the Call holds arrays of the arguments.

    Inputs:
    - run: the Call; name: the output; where: for the message; source: the arguments, in the message's words
    """
    if name in run.aliased:
        message = f"{where}: {name} holds the arrays of {source} themselves; return new arrays."
        raise GradingError(message, "aliased", name)


def expect_contract(run, name, args, backward, where):
    """Raise GradingError for the first value of the Call that the contract (rnnkit.contract, the one the student's
    checks read) does not allow: a wrong type, shape or dtype, in the words the student's checks use.

    Inputs:
    - run: the Call of function `name` on args, and of `backward` (None when not called) on its upstream gradients;
      with a backward, only its gradients are looked at
    - where: the function and the inputs, for the message
    """
    if backward:  # only the gradients: the forward function's outputs are its own check's
        problem = values_problem(backward, run.grads, (), forward_args=args)
    else:
        problem = values_problem(name, run.outputs, args)
    if problem:
        raise GradingError(f"{where}: {problem[1]}", problem[0], problem[2])


def expect_count(grads, names, where):
    """Raise GradingError (kind "returns") unless a backward function returned one gradient per name."""
    if len(grads) != len(names):
        raise GradingError(
            f"{where}: returned {len(grads)} gradients, expected {len(names)}: {', '.join(names)}.", "returns"
        )


def expect_keys(value, keys, name, where, expected):
    """Raise GradingError (kind "returns") unless value is a dict with exactly these keys.

    Inputs:
    - value: what the student returned
    - keys: the keys it must have
    - name, where: for the message; expected: how the keys are described in it
    """
    if not isinstance(value, dict) or set(value) != set(keys):
        got = sorted(value) if isinstance(value, dict) else type(value).__name__
        raise GradingError(f"{where}: {name} must be a dict with {expected}; got {got}.", "returns")


def expect_array(value, name, shape, where):
    """The value as a float64 array of the given shape, or a GradingError saying what is off.

    Inputs:
    - value: what the student returned
    - name: its name in the contract, for the message
    - shape: the expected shape
    - where: the function and the inputs, for the message
    Returns:
    - the value as a numpy array
    """
    problem = array_problem(value, name, shape)  # the student's check says the same words
    if problem:
        raise GradingError(f"{where}: {problem[1]}", problem[0], name)
    array = np.asarray(value)
    if not np.all(np.isfinite(array)):
        raise GradingError(f"{where}: {name} contains NaN or inf.", "nonfinite", name)
    return array


def expect_close(actual, expected, name, where, tol=FORWARD_TOL):
    """Raise GradingError (kind "wrong") when arrays differ by more than tol in norm-wise relative error.

    The message says how the wrong array relates to the right one when a simple pattern shows
    (all zeros, transposed, scaled); the pattern is also the error's `pattern` field.
    """
    err = rel_error(actual, expected)
    if not err <= tol:
        pattern, sentence = relation(np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64))
        sentence = f"{sentence[:1].upper()}{sentence[1:]}"
        message = f"{where}: {name} is wrong: relative error {err:.1e} (tolerance {tol:.0e}). {sentence}"
        raise GradingError(message.rstrip(), "wrong", name, pattern=pattern)


def expect_entries(actual, expected, name, where, tol, floor=0.0):
    """Raise GradingError (kind "wrong") unless every entry of `actual` is within tol of the same entry of
    `expected`, relative to that entry plus `floor`: for values spanning many orders of magnitude (gradient
    norms through time), where a norm-wise error would only see the largest."""
    errors = np.abs(actual - expected) / (expected + floor)
    worst = int(np.argmax(errors))
    if not errors[worst] <= tol:
        raise GradingError(
            f"{where}: {name} is wrong: {name}[{worst}] is {actual[worst]:.6e}, expected {expected[worst]:.6e} "
            f"(relative error {errors[worst]:.1e}, tolerance {tol:.0e}).",
            "wrong",
            name,
        )


_NUMERICAL = {}  # digest of a loss and its inputs -> its numerical gradient


def _digest(parts):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.tobytes() if isinstance(part, np.ndarray) else repr(part).encode())
    return digest.digest()


def cached_numerical_gradient(loss, x, key):
    """numerical_gradient(loss, x), computed once per grader process for each key (None: not kept)."""
    digest = None if key is None else _digest(key)
    expected = _NUMERICAL.get(digest)
    if expected is None:
        expected = numerical_gradient(loss, x)
        if digest is not None:
            _NUMERICAL[digest] = expected
    return expected


def expect_gradient(actual, loss, x, name, where, rng, method="auto", key=None):
    """Compare a student's gradient with central differences of the reference loss.

    Inputs:
    - actual: the student's gradient (already checked with expect_array)
    - loss: function of no arguments, the reference scalar loss; it reads x
    - x: float64 array the loss depends on
    - name, where: for the message
    - rng: Generator for directional checks
    - method: "full", "directional" or "auto"
    - key: values that determine the loss and x completely (names, arrays), or None. The hidden inputs
      are the same for every student, so a grader computes each numerical gradient once.
    Raises GradingError (kind "wrong", value name) when the gradient is wrong.
    """
    if method == "full" or (method == "auto" and x.size <= FULL_CHECK_MAX_SIZE):
        expect_close(actual, cached_numerical_gradient(loss, x, key), name, where, GRADIENT_TOL)
        return
    err = gradient_error(loss, x, actual, "directional", rng)
    if not err <= GRADIENT_TOL:
        raise GradingError(
            f"{where}: {name} is wrong: a directional derivative check differs by relative error {err:.1e} "
            f"(tolerance {GRADIENT_TOL:.0e}).",
            "wrong",
            name,
        )


def expect_operations(count, T, where):
    """Raise GradingError unless a function on a sequence of T steps made at most rnnkit.steps.allowed_operations(T)
    element-wise operations (kind "sequential"), and at least one that could be counted (kind "unchecked").

    Inputs:
    - count: the operations its call made (Call.operations, counted in the student's process by rnnkit.steps)
    - T: the number of steps of the sequence; where: the function and the inputs, for the message
    """
    if count == 0:
        raise GradingError(
            f"{where}: made no element-wise operation that could be counted. np.asarray and np.array turn the "
            "arguments into plain arrays, which count nothing: compute with the arrays as they are given "
            "(a.copy() keeps them counted).",
            "unchecked",
        )
    allowed = allowed_operations(T)
    if count > allowed:
        loop = (
            " A loop over the T steps makes at least T: work on all the steps at once, by the scan."
            if count >= T
            else ""
        )
        raise GradingError(
            f"{where}: made {count} element-wise operations on a sequence of T = {T} steps; at most {allowed} are "
            f"allowed ({PER_STEP} per step of a scan of ceil(log2 T) = {scan_steps(T)} steps, and {EXTRA} more).{loop}",
            "sequential",
        )
