"""What every hidden check is made of: calling a student's functions, and judging what they return.

A check never trusts the student's code to judge itself. It calls the student's functions
through a ``Student`` (``InKernel`` here: the functions of a notebook's namespace), gets plain
values back, and compares them with the reference (``autograder.reference``) using its own
code. A failed check raises ``GradingError``, whose message says what is wrong (which output,
the relative error, the expected shape, a hint) and which shows no grader code when printed.
"""

import hashlib
import traceback
from pathlib import Path
from typing import NamedTuple

import numpy as np

from autograder.contract import EXERCISES
from autograder.gradcheck import (
    FULL_CHECK_MAX_SIZE,
    directional_derivative,
    gradient_error,
    numerical_gradient,
    rel_error,
)

PACKAGE_DIR = str(Path(__file__).resolve().parent)
FORWARD_TOL = 1e-8  # float64 forward passes agree to about 1e-15
GRADIENT_TOL = 1e-6  # central differences in float64 are good to about 1e-9


class GradingError(AssertionError):
    """A failed check. Notebooks show only its message: no traceback, no grader code.

    `wrong_value` names the returned value found wrong, when the failure is about one.
    `status` is how the grade report files it: "failed" (a wrong answer), "error" (the student's code
    raised), "timeout" or "crashed" (the student's process ran too long or died).
    """

    def __init__(self, message, wrong_value=None, status="failed"):
        super().__init__(message)
        self.wrong_value = wrong_value
        self.status = status

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {line}" if i == 0 else line for i, line in enumerate(str(self).splitlines())]


class Run(NamedTuple):
    outputs: tuple  # what the function returned, cache removed
    grads: tuple  # what the backward function returned (empty when none was called)
    modified: tuple  # names of arguments the student's code changed in place
    aliased: tuple = ()  # names of outputs that are (views of) arguments, not new arrays


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    return np.array(value, copy=True)


def _same(a, b):
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    try:
        return np.array_equal(np.asarray(a), b, equal_nan=np.asarray(b).dtype.kind == "f")
    except (TypeError, ValueError):
        return False


def _arrays(value):
    """Every numpy array in a value (arrays, dicts and tuples of them)."""
    if isinstance(value, dict):
        return [a for v in value.values() for a in _arrays(v)]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    return [value] if isinstance(value, np.ndarray) else []


def _aliases(output, args):
    """True when an array of the output shares memory with an array of the arguments."""
    return any(np.shares_memory(a, b) for a in _arrays(output) for b in _arrays(args))


def _student_frames(error):
    """The traceback lines of an exception that belong to the student's code, not the grader's."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(PACKAGE_DIR)]
    return "".join(f"  line {f.lineno}, in {f.name}: {f.line}\n" for f in frames if f.line)


class InKernel:
    """A student's functions, looked up by name in a namespace (a notebook's globals())."""

    def __init__(self, namespace, exercise="rnn_bptt"):
        self.namespace = namespace
        self.contract = EXERCISES[exercise]

    def _call(self, name, args):
        fn = self.namespace.get(name)
        if not callable(fn):
            raise GradingError(f"{name} is not defined: define it with this exact name.")
        try:
            return fn(*args)
        except GradingError:
            raise
        except Exception as error:
            message = f"{name} raised {type(error).__name__}: {error}\n{_student_frames(error)}"
            raise GradingError(message.rstrip(), status="error") from None

    def _unpack(self, name, result):
        spec = self.contract[name]
        count = len(spec.outputs) + spec.cache
        if count == 1:
            return (result,)
        if not isinstance(result, tuple) or len(result) != count:
            got = f"{len(result)} values" if isinstance(result, tuple) else f"a {type(result).__name__}"
            names = ", ".join(spec.outputs + (("cache",) if spec.cache else ()))
            raise GradingError(f"{name} returned {got}; expected a tuple of {count}: {names}.")
        return result

    def run(self, name, args, backward=None, douts=()):
        """Call function `name` on args, then optionally `backward` on (*douts, cache).

        Inputs:
        - name: a forward function of the contract
        - args: list of its arguments (arrays, ints, dicts of arrays)
        - backward: name of the matching backward function, or None
        - douts: upstream gradients for backward, one per output of `name`
        Returns:
        - a Run
        """
        kept = [_copy(a) for a in args]
        result = self._unpack(name, self._call(name, args))
        spec = self.contract[name]
        outputs, cache = (result[:-1], result[-1]) if spec.cache else (result, None)
        modified = [n for n, a, k in zip(spec.args, args, kept) if not _same(a, k)]
        aliased = tuple(n for n, out in zip(spec.outputs, outputs) if _aliases(out, args))
        grads = ()
        if backward:
            kept_douts = [_copy(d) for d in douts]
            grads = self._unpack(backward, self._call(backward, [*douts, cache]))
            back_args = self.contract[backward].args
            modified += [n for n, d, k in zip(back_args, douts, kept_douts) if not _same(d, k)]
        return Run(tuple(outputs), tuple(grads), tuple(modified), aliased)


def expect_unmodified(run, where):
    if run.modified:
        names = ", ".join(run.modified)
        raise GradingError(f"{where}: changed its argument {names} in place; work on new arrays instead.")


def expect_array(value, name, shape, where):
    """The value as a float64 array of the given shape, or a GradingError saying what is off."""
    if isinstance(value, (list, tuple)) or value is None:
        raise GradingError(f"{where}: {name} is a {type(value).__name__}; expected a numpy array of shape {shape}.")
    array = np.asarray(value)
    if array.shape != shape:
        hint = " (transposed?)" if array.shape == shape[::-1] else ""
        raise GradingError(f"{where}: {name} has shape {array.shape}, expected {shape}{hint}.")
    if array.dtype != np.float64:
        raise GradingError(
            f"{where}: {name} has dtype {array.dtype}, expected float64: keep every computation in float64."
        )
    if not np.all(np.isfinite(array)):
        raise GradingError(f"{where}: {name} contains NaN or inf.")
    return array


def _pattern_hint(actual, expected):
    """A guess at the mistake behind a wrong array, from how it relates to the right one."""
    if actual.size < 2:
        return ""
    if not np.any(actual):
        return "it is all zeros."
    if actual.ndim == 2 and actual.shape[0] == actual.shape[1] and rel_error(actual.T, expected) < GRADIENT_TOL:
        return "it equals the transpose of the right answer."
    denom = float(np.sum(expected * expected))
    factor = float(np.sum(actual * expected) / denom) if denom > 0 else 1.0
    if abs(factor - 1) > 1e-3 and rel_error(actual, factor * expected) < GRADIENT_TOL:
        if factor < 0:
            return f"it is the right answer times {factor:.3g}: is a sign flipped?"
        if factor < 1:
            return f"it is the right answer times {factor:.3g}: a mean where a sum belongs?"
        return f"it is the right answer times {factor:.3g}: a sum where a mean belongs, or a missing division?"
    return ""


def expect_close(actual, expected, name, where, tol=FORWARD_TOL):
    """Compare arrays by norm-wise relative error."""
    err = rel_error(actual, expected)
    if not err <= tol:
        hint = _pattern_hint(np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64))
        message = (
            f"{where}: {name} is wrong: relative error {err:.1e} (tolerance {tol:.0e}). {hint[:1].upper()}{hint[1:]}"
        )
        raise GradingError(message.rstrip(), wrong_value=name)


_NUMERICAL = {}  # digest of a loss and its inputs -> its numerical gradient


def _digest(parts):
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.tobytes() if isinstance(part, np.ndarray) else repr(part).encode())
    return digest.digest()


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
    """
    if method == "full" or (method == "auto" and x.size <= FULL_CHECK_MAX_SIZE):
        digest = None if key is None else _digest(key)
        expected = _NUMERICAL.get(digest)
        if expected is None:
            expected = numerical_gradient(loss, x)
            if digest is not None:
                _NUMERICAL[digest] = expected
        expect_close(actual, expected, name, where, GRADIENT_TOL)
        return
    err = gradient_error(loss, x, actual, "directional", rng)
    if not err <= GRADIENT_TOL:
        raise GradingError(
            f"{where}: {name} is wrong: a directional derivative check differs by relative error {err:.1e} "
            f"(tolerance {GRADIENT_TOL:.0e}).",
            wrong_value=name,
        )


def block_errors(actual, loss, x, rng, blocks):
    """Relative error of each row block of a gradient (the gate blocks of stacked weights), and the
    numerical gradient when it was computed.

    Full differences for small arrays; for large ones, directional checks along directions confined
    to one block, so that only that block of the gradient counts.

    Inputs:
    - actual: the student's gradient, rows in `blocks` equal blocks
    - loss, x: the reference loss (no arguments) and the array it reads
    - rng: Generator for the directions
    - blocks: number of row blocks (gates)
    Returns:
    - list of relative errors, one per block; the numerical gradient or None
    """
    H = x.shape[0] // blocks
    rows = [slice(k * H, (k + 1) * H) for k in range(blocks)]
    if x.size <= FULL_CHECK_MAX_SIZE:
        numeric = numerical_gradient(loss, x)
        return [rel_error(actual[r], numeric[r]) for r in rows], numeric
    errors = []
    for r in rows:
        direction = np.zeros_like(x)
        direction[r] = rng.standard_normal(direction[r].shape)
        errors.append(rel_error(np.sum(actual * direction), directional_derivative(loss, x, direction)))
    return errors, None


def run_check(checks, exercise, name, namespace):
    """Run one hidden check on a notebook's namespace; raise GradingError on failure.

    Inputs:
    - checks: dict function name -> check(student) of the exercise
    - exercise: name of the exercise in autograder.contract.EXERCISES
    - name: the function to check, a key of checks
    - namespace: the notebook's globals(), where the student's functions are
    """
    try:
        checks[name](InKernel(namespace, exercise))
    except GradingError:
        raise
    except Exception as error:
        raise GradingError(f"{name} could not be checked: {type(error).__name__}: {error}") from None
    print(f"{name}: all hidden checks passed.")
