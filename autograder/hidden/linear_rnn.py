"""Hidden checks of the exercise "The recurrence that trains in parallel".

The hidden inputs (several shapes with N, T, H (and D) all different, T = 1 and lengths that are not powers of two,
transitions a of either sign, nonzero states and biases), a long sequence of T = 3000 steps whose product of
transitions underflows, and the table CHECKS, built by ``hidden.common`` with the hints of ``diagnose.linear_rnn``.
The parallel scan, its backward pass and minGRU's passes are also run once on the long sequence on arrays that
count their element-wise operations (rnnkit.steps, in the student's process): a scan of ceil(log2 T) steps stays
within rnnkit.steps.allowed_operations(T), a loop over the T steps does not. A hidden test cell of the notebook runs

    from autograder.hidden import linear_rnn
    linear_rnn.check("parallel_scan", globals())
"""

import numpy as np

from autograder.diagnose import linear_rnn as diagnose
from autograder.hidden import common
from autograder.hidden.common import forward_check, sequence_check
from autograder.judge import expect_array, expect_close, expect_count, expect_gradient, expect_operations
from autograder.reference import linear_rnn as ref
from autograder.student_process.failure import GradingError

LONG_T = 3000  # a loop makes at least 3000 operations, a scan at most rnnkit.steps.allowed_operations(3000) = 128


def recurrence_inputs(shape, seed):
    """The arrays of the recurrence for shape (N, T, H): a in (-1.1, 1.1), b and h0 nonzero, and the Generator."""
    N, T, H = shape
    rng = np.random.default_rng(seed)
    p = {"a": rng.uniform(-1.1, 1.1, (N, T, H)), "b": rng.standard_normal((N, T, H))}
    return p | {"h0": 0.8 * rng.standard_normal((N, H)), "rng": rng}


def long_recurrence_inputs(shape, seed):
    """A long sequence of minGRU-like transitions a = 1 - sigmoid(u) in (0, 1): their product underflows."""
    p = recurrence_inputs(shape, seed)
    p["a"] = 1.0 - 1.0 / (1.0 + np.exp(-(0.3 + p["rng"].standard_normal(shape))))
    return p


def min_gru_inputs(shape, seed):
    """The arguments of minGRU for shape (N, T, D, H): weights (H, D), biases (H,), all nonzero, and the Generator."""
    N, T, D, H = shape
    rng = np.random.default_rng(seed)
    p = {"x": rng.standard_normal((N, T, D)), "h0": 0.6 * rng.standard_normal((N, H))}
    for name in ("z", "h"):
        p[f"W{name}"] = rng.standard_normal((H, D)) / np.sqrt(D)
        p[f"b{name}"] = 0.5 * rng.standard_normal(H)
    return p | {"rng": rng}


RECURRENCE = common.Inputs(
    recurrence_inputs, ((3, 1, 4), (2, 5, 3), (4, 8, 2), (2, 11, 5), (1, 6, 3)), (5, 13, 7), 23_017, "NTH"
)
MIN_GRU = common.Inputs(
    min_gru_inputs, ((3, 1, 4, 5), (2, 6, 3, 5), (4, 7, 5, 2), (1, 3, 2, 4)), (5, 9, 6, 8), 23_101, "NTDH"
)
LONG = {
    "recurrence": (long_recurrence_inputs, (2, LONG_T, 3), "NTH"),
    "min_gru": (min_gru_inputs, (2, LONG_T, 3, 4), "NTDH"),
}


def recurrence_args(p):
    """Arguments of the recurrence's forward functions."""
    return [p["a"], p["b"], p["h0"]]


def min_gru_args(p):
    """Arguments of min_gru_forward."""
    return [p["x"], p["h0"], p["Wz"], p["bz"], p["Wh"], p["bh"]]


def long_values(run, reference, args, label, hint):
    """The forward output of a counted call on the long sequence against the reference; GradingError when wrong."""
    expected = reference(*args)
    try:
        out = expect_array(run.outputs[0], "h", expected.shape, label)
        expect_close(out, expected, "h", label)
    except GradingError as error:
        extra = diagnose.underflow_hint(args) if error.kind == "nonfinite" else hint("h", 0, out, expected, args)
        raise error.with_hint(extra) from None


def long_gradients(run, reference, args, douts, names, label, rng):
    """The gradients of a counted call on the long sequence against directional derivatives of the reference."""
    expect_count(run.grads, names, label)

    def loss():
        return float(np.sum(douts[0] * reference(*args)))

    for name, grad, x in zip(names, run.grads, args):
        expect_gradient(expect_array(grad, name, x.shape, label), loss, x, name, label, rng, "directional")


def long_check(kind, forward, reference, args_of, backward=None, hint=None):
    """The check on the long sequence: values (or gradients) right, and within allowed_operations(T), counted."""
    make, shape, letters = LONG[kind]

    def check(student):
        p = make(shape, 23_500)
        args = [np.array(a, dtype=np.float64) for a in args_of(p)]
        douts = common.upstream(reference, args, p["rng"]) if backward else ()
        where = common.Where(dict(zip(letters, shape)))
        run, label = common.called(student, forward, args, where, backward, douts, count=True)
        if backward:
            names = student.contract[backward].outputs
            long_gradients(run, reference, args, douts, names, label, p["rng"])
        else:
            long_values(run, reference, args, label, hint)
        expect_operations(run.operations[-1], LONG_T, label)

    return check


def both(*checks):
    """One check made of several, run in order."""

    def check(student):
        for one in checks:
            one(student)

    return check


def recurrence_backward_check(forward, backward):
    """The check of a backward pass of the recurrence over the hidden inputs."""
    hints = diagnose.recurrence_gradient_hints
    return sequence_check(RECURRENCE, forward, backward, ref.recurrence, recurrence_args, diagnose.held_hint, hints)


CHECKS = {
    "linear_recurrence_forward": forward_check(
        RECURRENCE, "linear_recurrence_forward", ref.recurrence, recurrence_args, diagnose.recurrence_hint
    ),
    "linear_recurrence_backward": recurrence_backward_check("linear_recurrence_forward", "linear_recurrence_backward"),
    "parallel_scan": both(
        forward_check(RECURRENCE, "parallel_scan", ref.recurrence, recurrence_args, diagnose.recurrence_hint),
        long_check("recurrence", "parallel_scan", ref.recurrence, recurrence_args, hint=diagnose.recurrence_hint),
    ),
    "parallel_scan_backward": both(
        recurrence_backward_check("parallel_scan", "parallel_scan_backward"),
        long_check("recurrence", "parallel_scan", ref.recurrence, recurrence_args, "parallel_scan_backward"),
    ),
    "min_gru_forward": both(
        forward_check(MIN_GRU, "min_gru_forward", ref.min_gru, min_gru_args, diagnose.min_gru_hint),
        long_check("min_gru", "min_gru_forward", ref.min_gru, min_gru_args, hint=diagnose.min_gru_hint),
    ),
    "min_gru_backward": both(
        sequence_check(
            MIN_GRU,
            "min_gru_forward",
            "min_gru_backward",
            ref.min_gru,
            min_gru_args,
            diagnose.held_hint,
            diagnose.min_gru_gradient_hints,
        ),
        long_check("min_gru", "min_gru_forward", ref.min_gru, min_gru_args, "min_gru_backward"),
    ),
}

# function -> the functions of the contract a student's version usually calls (or its check runs first), in the
# order to blame them when it fails with no hint of its own (common.with_dependencies)
DEPENDS = {
    "linear_recurrence_backward": ("linear_recurrence_forward",),
    "parallel_scan_backward": ("parallel_scan",),
    "min_gru_forward": ("parallel_scan",),
    "min_gru_backward": ("parallel_scan_backward", "parallel_scan", "min_gru_forward"),
}
CHECKS = common.with_dependencies(CHECKS, DEPENDS)


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "linear_rnn", name, namespace)
