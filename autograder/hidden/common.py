"""The skeleton every hidden check shares: the cases, the forward and backward checks, check().

An exercise module (``hidden/<assignment>.py``) gives its hidden inputs (an ``Inputs``) and a table
``CHECKS`` from graded function to check, mostly built here: ``forward_check`` (outputs against the
reference), ``backward_check`` (every gradient against central differences of the reference) and
``sequence_check`` (the same over sequences, saying when a gradient is right for one time step and wrong
over time). The exercise's ``autograder.diagnose`` module supplies the hints; verdicts are the judge's.
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from autograder.gradcheck import rel_error
from autograder.judge import (
    FORWARD_TOL,
    expect_array,
    expect_close,
    expect_contract,
    expect_count,
    expect_gradient,
    expect_unmodified,
)
from autograder.patterns import through_time
from autograder.student_process.calls import InKernel, arrays_in
from autograder.student_process.failure import GradingError


class Inputs(NamedTuple):
    """The hidden inputs of an exercise: how they are made, and on which shapes."""

    make: Callable  # make(shape, seed) -> dict of arrays (and "rng", a Generator for upstream gradients)
    shapes: tuple  # the shapes checked everywhere; T = 1 first, to tell one step from many
    large: tuple  # one more shape for the backward checks, too large for full differences
    seed: int  # case k is made with seed + k
    letters: str  # the names of a shape's entries, such as "NTDH"
    large_method: str = "auto"  # how the gradients of the large shape are checked ("auto" or "directional")


class Where(str):
    """The shape of a case in words, for messages ("N=3, T=1, D=4, H=5"), with its sizes as a field."""

    def __new__(cls, sizes):
        where = super().__new__(cls, ", ".join(f"{letter}={size}" for letter, size in sizes.items()))
        where.sizes = dict(sizes)
        return where

    def of(self, args):
        """Only the sizes that the arrays of args have (the sizes of a case differ from each other), so that a
        one-step function's message names no T; self when none is found."""
        present = {size for array in arrays_in(args) for size in np.shape(array)}
        kept = {letter: size for letter, size in self.sizes.items() if size in present}
        return Where(kept) if kept else self


class Case(NamedTuple):
    """One set of hidden inputs."""

    where: Where  # the shape in words, for messages: "N=3, T=1, D=4, H=5"
    p: dict  # the inputs, from Inputs.make
    method: str  # how its gradients are checked


def cases(inputs, large=False):
    """The Cases of an exercise: one per shape of inputs.shapes, and inputs.large after them when large is True."""
    shapes = [*inputs.shapes, inputs.large] if large else list(inputs.shapes)
    for k, shape in enumerate(shapes):
        where = Where(dict(zip(inputs.letters, shape)))
        method = inputs.large_method if k == len(inputs.shapes) else "auto"
        yield Case(where, inputs.make(shape, inputs.seed + k), method)


def gated_inputs(gates, biases, cell_state=False):
    """make(shape, seed) for the inputs of a gated cell (LSTM, GRU): every array float64, biases and states nonzero.

    Inputs:
    - gates: the number of gate blocks stacked in the weights (4 for the LSTM, 3 for the GRU)
    - biases: the names of the bias vectors, such as ("b",) or ("bx", "bh")
    - cell_state: also a previous cell state c_prev
    Returns:
    - make(shape (N, T, D, H), seed) -> dict with x (N, T, D), h0 (N, H), c_prev (N, H) when asked, Wx (G*H, D),
      Wh (G*H, H), each bias (G*H,), and the Generator rng for upstream gradients and directions
    """

    def make(shape, seed):
        N, T, D, H = shape
        rng = np.random.default_rng(seed)
        p = {"x": rng.standard_normal((N, T, D)), "h0": 0.6 * rng.standard_normal((N, H))}
        if cell_state:
            p["c_prev"] = 0.8 * rng.standard_normal((N, H))
        p["Wx"] = rng.standard_normal((gates * H, D)) / np.sqrt(D)
        p["Wh"] = rng.standard_normal((gates * H, H)) / np.sqrt(H)
        p.update({name: 0.5 * rng.standard_normal(gates * H) for name in biases})
        return p | {"rng": rng}

    return make


def called(student, name, args, where, backward=None, douts=(), hint=None, count=False):
    """(Call, label): the student's function called on args (and its backward on douts), no argument changed, every
    value returned one that the contract allows (its type, shape and dtype; judge.expect_contract).

    Inputs:
    - student: an InKernel or a Sandboxed
    - name, args, backward, douts: as for InKernel.run
    - where: the inputs in words; the label, for messages, is "<backward or name> (<where>)"
    - hint: function(GradingError, Call) -> a hint for a value the contract does not allow ("" for none), or None
    - count: count the element-wise operations of the calls (Call.operations, rnnkit.steps)
    """
    where = where.of(args) if isinstance(where, Where) else where
    label = f"{backward or name} ({where})"
    try:
        run = student.run(name, args, backward, douts, count)
    except GradingError as error:  # which inputs it raised on: the RNN or the GRU cell, which sizes
        raise (error.in_case(where) if error.kind == "raised" else error) from None
    expect_unmodified(run, label)
    try:
        expect_contract(run, name, args, backward, label)
    except GradingError as error:
        raise error.with_hint(hint(error, run) if hint else "") from None
    return run, label


def as_tuple(outputs):
    """A reference's outputs as a tuple (a reference with one output returns the array itself)."""
    return outputs if isinstance(outputs, tuple) else (outputs,)


def upstream(reference, args, rng):
    """Random upstream gradients, one per output of reference(*args), each of its shape."""
    return [rng.standard_normal(np.shape(out)) for out in as_tuple(reference(*args))]


def check_forward(student, name, reference, args, where, diagnose=None, outputs=None):
    """Outputs of a student's forward function against the reference; GradingError at the first wrong one.

    Inputs:
    - student: an InKernel or a Sandboxed
    - name: the forward function
    - reference: function(*args) -> the expected output, or a tuple of them when `outputs` names several
    - args: the arguments, in the contract's order
    - where: the inputs in words, for messages
    - diagnose: function(value name, index, actual, expected, args) -> a hint, or None
    - outputs: the names of the outputs checked, in the order of the reference's tuple (default: the first)
    Returns:
    - the Call
    """
    run, label = called(student, name, args, where)
    expected = as_tuple(reference(*args))
    returned = dict(zip(student.contract[name].outputs, run.outputs))
    for k, out_name in enumerate(outputs or student.contract[name].outputs[:1]):
        out = expect_array(returned[out_name], out_name, expected[k].shape, label)
        try:
            expect_close(out, expected[k], out_name, label)
        except GradingError as error:
            raise error.with_hint(diagnose(out_name, k, out, expected[k], args) if diagnose else "") from None
    return run


def expect_forward_right(run, reference, args, label, forward):
    """Raise GradingError (kind "unchecked") when the forward outputs of a Call differ from the reference's."""
    for out, expected in zip(run.outputs, as_tuple(reference(*args))):
        if np.shape(out) != expected.shape or not rel_error(out, expected) <= FORWARD_TOL:
            raise GradingError(
                f"{label}: not checked, because {forward} returns wrong values on these inputs, and the gradients "
                f"must be those of the contract's LSTM: fix {forward} first (see its message).",
                "unchecked",
            )


class Wrong(NamedTuple):
    """A gradient found wrong, for the hints."""

    name: str  # its name in the contract, such as "dWx"
    grad: np.ndarray  # the student's gradient
    x: np.ndarray  # the argument it is the gradient of
    error: GradingError  # the judge's verdict on it


class Attempt(NamedTuple):
    """One call of a forward function and its backward, as the hints of its wrong gradients see it."""

    forward: str  # the student's forward function
    reference: Callable  # its reference
    args: list  # the forward arguments
    douts: list  # the upstream gradients
    case: Case  # the inputs, with the Generator p["rng"] for directional checks
    run: object  # the Call
    loss: Callable  # the reference loss, sum of douts * outputs; it reads args


def gradient_failure(student, forward, backward, reference, args, douts, case, diagnose=None, forward_first=False):
    """(GradingError or None, Call): every gradient of `backward` for these upstream gradients.

    Every gradient is compared with central differences of the loss sum(dout * reference output). Without
    `diagnose` the first wrong gradient's error is returned at once; with it, all are checked, and the first
    wrong one's error is returned with the first hint found.

    Inputs:
    - student: an InKernel or a Sandboxed; case: the Case (its shape in words, Generator p["rng"], method)
    - forward, backward: names of the student's functions; reference: function(*args) -> output(s)
    - args: the forward arguments; douts: the upstream gradients, one per output
    - diagnose: function(Attempt, list of Wrong) -> list of hints ("" for none), the first found is used
    - forward_first: the gradients are not checked when the forward outputs are already wrong
    """
    args = [np.array(a, dtype=np.float64) for a in args]
    run, label = called(student, forward, args, case.where, backward, douts)
    if forward_first:
        expect_forward_right(run, reference, args, label, forward)
    names = student.contract[backward].outputs
    expect_count(run.grads, names, label)

    def loss():
        return float(sum(np.sum(d * out) for d, out in zip(douts, as_tuple(reference(*args)))))

    wrong = []
    for k, (grad_name, grad, x) in enumerate(zip(names, run.grads, args)):
        grad = expect_array(grad, grad_name, x.shape, label)
        key = (reference.__module__, reference.__name__, k, *douts, *args)
        try:
            expect_gradient(grad, loss, x, grad_name, label, case.p["rng"], case.method, key=key)
        except GradingError as error:
            if diagnose is None:
                return error, run
            wrong.append(Wrong(grad_name, grad, x, error))
    if not wrong:
        return None, run
    hints = diagnose(Attempt(forward, reference, args, douts, case, run, loss), wrong)
    return wrong[0].error.with_hint(next((h for h in hints if h), "")), run


def forward_check(inputs, name, reference, args_of, diagnose=None, outputs=None):
    """The check of a forward function: check_forward on every case of inputs.

    Inputs:
    - inputs: the exercise's Inputs
    - name, reference, diagnose, outputs: as for check_forward
    - args_of: function(case inputs p) -> the arguments
    Returns:
    - check(student)
    """

    def check(student):
        for case in cases(inputs):
            check_forward(student, name, reference, args_of(case.p), case.where, diagnose, outputs)

    return check


def backward_check(inputs, forward, backward, reference, args_of, diagnose=None, explain=None, forward_first=False):
    """The check of a backward function: gradient_failure on every case of inputs, the large one included.

    Inputs:
    - inputs, args_of: as for forward_check
    - forward, backward, reference, diagnose, forward_first: as for gradient_failure
    - explain: function(failure, again, douts) -> a hint, or None; again(douts) runs gradient_failure
      again with other upstream gradients
    Returns:
    - check(student)
    """

    def check(student):
        for case in cases(inputs, large=True):
            args = args_of(case.p)
            douts = upstream(reference, args, case.p["rng"])

            def again(douts, args=args, case=case):
                return gradient_failure(
                    student, forward, backward, reference, args, douts, case, diagnose, forward_first
                )

            failure, _ = again(douts)
            if failure is not None:
                raise failure.with_hint(explain(failure, again, douts) if explain else "")

    return check


def sequence_check(
    inputs, forward, backward, reference, args_of, held_hint, diagnose=None, unexplained=None, forward_first=False
):
    """The check of a sequence backward function: backward_check, and when a gradient is right for one time
    step (the case T = 1 passed) and wrong over longer sequences, a hint that says so and why.

    Inputs:
    - inputs, forward, backward, reference, args_of, diagnose, forward_first: as for backward_check
    - held_hint: function(value name, gradient, args, douts, case) -> why that gradient is wrong over time
    - unexplained: function(student) -> a hint for a failure no other hint explains ("" for none), or None
    A failure that already carries a hint is raised as it is; only a wrong value (kind "wrong") can be
    right for one step and wrong over time.
    Returns:
    - check(student)
    """

    def check(student):
        one_step_ok = False
        for case in cases(inputs, large=True):
            args = args_of(case.p)
            douts = upstream(reference, args, case.p["rng"])
            failure, run = gradient_failure(
                student, forward, backward, reference, args, douts, case, diagnose, forward_first
            )
            if failure is None:
                one_step_ok = one_step_ok or case.where.sizes.get("T") == 1
                continue
            if failure.hints:
                raise failure
            if not (one_step_ok and failure.kind == "wrong"):
                raise failure.with_hint(unexplained(student) if unexplained else "")
            grad = np.asarray(run.grads[student.contract[backward].outputs.index(failure.value)])
            raise failure.with_hint(through_time(failure.value, held_hint(failure.value, grad, args, douts, case)))

    return check


def check(checks, exercise, name, namespace):
    """Run one hidden check on a notebook's namespace; raise GradingError on failure.

    Inputs:
    - checks: dict function name -> check(student) of the exercise
    - exercise: name of the exercise in rnnkit.contract.EXERCISES
    - name: the function to check, a key of checks
    - namespace: the notebook's globals(), where the student's functions are
    Prints a line when every check passed.
    """
    try:
        checks[name](InKernel(namespace, exercise))
    except GradingError:
        raise
    except Exception as error:
        raise GradingError(f"{name} could not be checked: {type(error).__name__}: {error}", "unchecked") from None
    print(f"{name}: all hidden checks passed.")


ROOT_CAUSE_KINDS = (
    "raised",
    "returns",
    "shape",
    "dtype",
    "nonfinite",
    "modified",
    "aliased",
    "wrong",
    "sequential",
    "unchecked",
)


def with_dependencies(checks, depends):
    """The checks of an exercise, each of which, failing, names the first function of the student's that it depends
    on and that fails its own hidden check: the root cause, to fix first (its first hint, before any hint of its own).

    Inputs:
    - checks: function name -> check(student)
    - depends: function name -> the contract's functions a student's version of it usually calls (or that its
      check runs first), in the order to blame them
    Returns:
    - function name -> check(student), the same checks with the hint added
    """

    def with_root_cause(name, check):
        def checked(student):
            try:
                check(student)
            except GradingError as failure:
                if failure.kind not in ROOT_CAUSE_KINDS:
                    raise
                cause = root_cause(checks, depends, name, student)
                raise (failure.with_first_hint(cause) if cause else failure) from None

        return checked

    return {name: with_root_cause(name, check) for name, check in checks.items()}


def root_cause(checks, depends, caller, student):
    """The hint naming the root cause of caller's failure, or "": the first function caller depends on whose own check
    fails on the student's functions, followed down to the first of its own dependencies that fails, and so on (a
    wrong rnn_step_forward also fails rnn_step_backward's check: the hint names rnn_step_forward)."""
    results = {}

    def fails(name):
        if name not in results:
            try:
                checks[name](student)
                results[name] = False
            except GradingError:
                results[name] = True
        return results[name]

    culprit, names = None, depends.get(caller, ())
    while (found := next((n for n in names if n not in results and fails(n)), None)) is not None:
        culprit, names = found, depends.get(found, ())
    if culprit is None:
        return ""
    return f"your {culprit} fails its own hidden tests (see its message); {caller} depends on it: fix {culprit} first."
