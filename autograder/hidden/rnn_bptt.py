"""Hidden checks of the exercise "The RNN and backpropagation through time".

The hidden inputs (several shapes with N, T, D, H, C all different, nonzero biases and initial states,
large scores for the softmax) and the table CHECKS: each graded function's check, most built by
``hidden.common``. A hidden test cell of the notebook runs

    from autograder.hidden import rnn_bptt
    rnn_bptt.check("rnn_backward", globals())
"""

import numpy as np

from autograder.diagnose import rnn_bptt as diagnose
from autograder.hidden import common
from autograder.hidden.common import backward_check, called, cases, forward_check, sequence_check
from autograder.judge import expect_array, expect_close, expect_gradient, expect_keys
from autograder.reference import rnn as ref
from autograder.student_process.failure import GradingError

PARAM_NAMES = ("Wx", "Wh", "b", "Wy", "by")


def make_inputs(shape, seed):
    """Random inputs of one shape: every array float64, biases and h0 nonzero.

    Inputs:
    - shape: (N, T, D, H, C)
    - seed: int
    Returns:
    - dict with x (N, T, D), h0 (N, H), Wx (H, D), Wh (H, H), b (H,), Wy (C, H), by (C,),
      y (N,) int labels, and the Generator rng for upstream gradients
    """
    N, T, D, H, C = shape
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((N, T, D)),
        "h0": 0.5 * rng.standard_normal((N, H)),
        "Wx": rng.standard_normal((H, D)) / np.sqrt(D),
        "Wh": 0.9 * rng.standard_normal((H, H)) / np.sqrt(H),
        "b": 0.3 * rng.standard_normal(H),
        "Wy": rng.standard_normal((C, H)) / np.sqrt(H),
        "by": 0.3 * rng.standard_normal(C),
        "y": rng.integers(0, C, size=N),
        "rng": rng,
    }


# (N, T, D, H, C): all five different in each shape; T = 1 isolates one step from many; N = 1, a batch of one,
# finds an axis dropped (a squeeze). The large shape
# has too many entries for full differences: directional checks.
INPUTS = common.Inputs(
    make_inputs,
    ((3, 1, 4, 5, 2), (2, 5, 3, 4, 6), (4, 3, 6, 5, 2), (5, 7, 2, 3, 4), (1, 4, 3, 2, 5)),
    (9, 12, 10, 16, 7),
    80_713,
    "NTDHC",
)


def step_args(p):
    """Arguments of rnn_step_forward: the first time step of the inputs."""
    return [p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["b"]]


def sequence_args(p):
    """Arguments of rnn_forward."""
    return [p["x"], p["h0"], p["Wx"], p["Wh"], p["b"]]


def stacked_args(p):
    """Arguments of rnn_step_forward_stacked: W = [Wx | Wh]."""
    return [p["x"][:, 0], p["h0"], np.concatenate([p["Wx"], p["Wh"]], axis=1), p["b"]]


def linear_args(p):
    """Arguments of linear_forward: the initial state stands for h."""
    return [p["h0"], p["Wy"], p["by"]]


def softmax_cases():
    """(where, scores, y): the scores of each case, then scores of size about 5000 (exp overflows)."""
    for case in cases(INPUTS):
        yield case.where, ref.linear(*linear_args(case.p)), case.p["y"]
    rng = np.random.default_rng(INPUTS.seed - 1)
    large = 1000.0 * rng.standard_normal((6, 5)) + 5000.0
    yield "scores of size about 5000", large, rng.integers(0, 5, size=6)


def check_softmax(student):
    """The check of softmax_cross_entropy: loss against the reference, dscores against central differences."""
    name = "softmax_cross_entropy"
    for where, scores, y in softmax_cases():
        run, label = called(student, name, [scores, y], where)
        try:
            loss = expect_array(run.outputs[0], "loss", (), label)
            dscores = expect_array(run.outputs[1], "dscores", scores.shape, label)
        except GradingError as error:
            raise error.with_hint(diagnose.softmax_hint(error, scores, run.outputs)) from None
        expect_close(loss, ref.softmax_cross_entropy(scores, y), "loss", label)
        x = scores.copy()
        key = ("softmax_cross_entropy", x, y)

        def loss_of_scores():
            return ref.softmax_cross_entropy(x, y)  # noqa: B023 (called within this iteration)

        expect_gradient(dscores, loss_of_scores, x, "dscores", label, None, key=key)


def check_many_to_one(student):
    """The check of many_to_one_loss: the loss against the reference, each gradient against central differences."""
    name = "many_to_one_loss"
    for case in cases(INPUTS, large=True):
        p, params = case.p, {k: case.p[k] for k in PARAM_NAMES}
        run, label = called(student, name, [p["x"], p["y"], params], case.where)
        loss, grads = run.outputs
        loss = expect_array(loss, "loss", (), label)
        expect_close(loss, ref.many_to_one(p["x"], p["y"], params), "loss", label)
        expect_keys(grads, PARAM_NAMES, "grads", label, f"keys {', '.join(PARAM_NAMES)}")
        theta = {k: v.copy() for k, v in params.items()}

        def loss():
            return ref.many_to_one(p["x"], p["y"], theta)  # noqa: B023 (called within this iteration)

        for key in PARAM_NAMES:
            grad = expect_array(grads[key], f"grads['{key}']", params[key].shape, label)
            digest_key = ("many_to_one", key, p["x"], p["y"], *theta.values())
            expect_gradient(grad, loss, theta[key], f"grads['{key}']", label, p["rng"], key=digest_key)


CHECKS = {
    "rnn_step_forward": forward_check(INPUTS, "rnn_step_forward", ref.rnn_step, step_args),
    "rnn_step_backward": backward_check(INPUTS, "rnn_step_forward", "rnn_step_backward", ref.rnn_step, step_args),
    "rnn_forward": forward_check(INPUTS, "rnn_forward", ref.rnn, sequence_args),
    "rnn_backward": sequence_check(
        INPUTS, "rnn_forward", "rnn_backward", ref.rnn, sequence_args, diagnose.held_gradient_hint
    ),
    "rnn_step_forward_stacked": forward_check(INPUTS, "rnn_step_forward_stacked", ref.rnn_stacked, stacked_args),
    "linear_forward": forward_check(INPUTS, "linear_forward", ref.linear, linear_args),
    "linear_backward": backward_check(INPUTS, "linear_forward", "linear_backward", ref.linear, linear_args),
    "softmax_cross_entropy": check_softmax,
    "many_to_one_loss": check_many_to_one,
}

# function -> the functions of the contract a student's version usually calls (or its check runs first), in the
# order to blame them when it fails with no hint of its own (common.with_dependencies)
DEPENDS = {
    "rnn_step_backward": ("rnn_step_forward",),
    "rnn_forward": ("rnn_step_forward",),
    "rnn_backward": ("rnn_step_backward", "rnn_step_forward", "rnn_forward"),
    "linear_backward": ("linear_forward",),
    "many_to_one_loss": (
        "rnn_step_forward",
        "rnn_forward",
        "rnn_step_backward",
        "rnn_backward",
        "linear_forward",
        "linear_backward",
        "softmax_cross_entropy",
    ),
}
CHECKS = common.with_dependencies(CHECKS, DEPENDS)


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "rnn_bptt", name, namespace)
