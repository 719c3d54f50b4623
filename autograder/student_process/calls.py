"""What runs in the student's process: calling a student's functions by name and reporting what they did.

``InKernel`` looks the functions up in a namespace (a notebook's globals(), in the notebook's kernel
under nbgrader, or in the sandboxed worker under hardened grading) and returns a ``Call``: the outputs,
the gradients, which arguments were changed in place, which outputs alias an argument. It judges
nothing: the verdicts are computed from a Call in the grader (``autograder.judge``). The sandbox ships
this file into the student's process, so it imports only numpy and the other shipped modules.
"""

import traceback
from pathlib import Path
from typing import NamedTuple

import numpy as np

from autograder.student_process.failure import GradingError
from rnnkit.contract import EXERCISES, returned
from rnnkit.steps import Ledger, counted, plain

PACKAGE_DIR = str(Path(__file__).resolve().parent)


class Call(NamedTuple):
    """What one call of a student's function (and its backward) gave."""

    outputs: tuple  # what the function returned, cache removed
    grads: tuple  # what the backward function returned (empty when none was called)
    modified: tuple  # names of arguments the student's code changed in place
    aliased: tuple = ()  # names of outputs that are (views of) arguments, not new arrays
    operations: tuple = ()  # when counted: the element-wise operations of the function, and of its backward


def copy_of(value):
    """A deep copy of an array or a dict or list of arrays, to compare with after a call (a function: itself)."""
    if isinstance(value, dict):
        return {k: copy_of(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_of(v) for v in value]
    if callable(value):
        return value
    return np.array(value, copy=True)


def same(a, b):
    """True when a still equals b, its copy from before a call (NaN equal to NaN)."""
    if isinstance(b, dict):
        return isinstance(a, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in b)
    if isinstance(b, list):
        return isinstance(a, list) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if callable(b):
        return a is b
    try:
        return np.array_equal(np.asarray(a), b, equal_nan=np.asarray(b).dtype.kind == "f")
    except (TypeError, ValueError):
        return False


def arrays_in(value):
    """Every numpy array in a value (arrays, dicts and tuples of them)."""
    if isinstance(value, dict):
        return [a for v in value.values() for a in arrays_in(v)]
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in arrays_in(v)]
    return [value] if isinstance(value, np.ndarray) else []


def aliases(output, args):
    """True when an array of the output shares memory with an array of the arguments."""
    return any(np.shares_memory(a, b) for a in arrays_in(output) for b in arrays_in(args))


def student_frames(error):
    """The traceback lines of an exception that belong to the student's code, not the grader's."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if not f.filename.startswith(PACKAGE_DIR)]
    return "".join(f"  line {f.lineno}, in {f.name}: {f.line}\n" for f in frames if f.line)


class InKernel:
    """A student's functions, looked up by name in a namespace (a notebook's globals()).

    Inputs:
    - namespace: dict name -> value, where the student's functions are
    - exercise: name of the exercise in rnnkit.contract.EXERCISES
    """

    def __init__(self, namespace, exercise="rnn_bptt"):
        self.namespace = namespace
        self.contract = EXERCISES[exercise]

    def _call(self, name, args):
        fn = self.namespace.get(name)
        if not callable(fn):
            raise GradingError(f"{name} is not defined: define it with this exact name.", "missing", name)
        try:
            return fn(*args)
        except GradingError:
            raise
        except NotImplementedError as error:
            if str(error):
                raise GradingError(f"{name} raised NotImplementedError: {error}", "raised") from None
            raise GradingError(f"{name} is not written yet: it still raises NotImplementedError.", "raised") from None
        except Exception as error:
            message = f"{name} raised {type(error).__name__}: {error}\n{student_frames(error)}"
            undefined = error.name if isinstance(error, NameError) else None  # for grading.causes
            raise GradingError(message.rstrip(), "raised", undefined) from None

    def _unpack(self, name, result):
        values, words = returned(name, result)
        if values is None:
            raise GradingError(words, "returns")
        spec = self.contract[name]
        return (result,) if len(spec.outputs) + spec.cache == 1 else result

    def run(self, name, args, backward=None, douts=(), count=False):
        """Call function `name` on args, then optionally `backward` on (*douts, cache).

        Inputs:
        - name: a forward function of the contract
        - args: list of its arguments (arrays, ints, dicts of arrays)
        - backward: name of the matching backward function, or None
        - douts: upstream gradients for backward, one per output of `name`
        - count: count the element-wise operations of each call (rnnkit.steps), on arrays that count
        Returns:
        - a Call
        """
        ledger = Ledger() if count else None
        kept = [copy_of(a) for a in args]
        args = counted(list(args), ledger) if count else args
        result = self._unpack(name, self._call(name, args))
        spec = self.contract[name]
        outputs, cache = (result[:-1], result[-1]) if spec.cache else (result, None)
        outputs = plain(tuple(outputs))  # the cache stays counted, for the backward pass
        modified = [n for n, a, k in zip(spec.args, args, kept) if not same(a, k)]
        aliased = tuple(n for n, out in zip(spec.outputs, outputs) if aliases(out, args))
        grads, operations = (), (ledger.count,) if count else ()
        if backward:
            kept_douts = [copy_of(d) for d in douts]
            douts = counted(list(douts), ledger) if count else douts
            grads = plain(tuple(self._unpack(backward, self._call(backward, [*douts, cache]))))
            back_args = self.contract[backward].args
            modified += [n for n, d, k in zip(back_args, douts, kept_douts) if not same(d, k)]
            operations = (operations[0], ledger.count - operations[0]) if count else ()
        return Call(tuple(outputs), tuple(grads), tuple(modified), aliased, operations)
