"""Hidden checks of the exercise "The RNN and backpropagation through time".

One check per graded function. Each runs the student's function on inputs the notebook never
shows (several shapes with N, T, D, H, C all different, nonzero biases and initial states,
large scores for the softmax), then checks shapes, dtype, that no argument was changed in
place, the forward values against ``autograder.reference`` and every gradient against central
differences of the reference in float64. A hidden test cell of the notebook runs

    from autograder.hidden import rnn_bptt
    rnn_bptt.check("rnn_backward", globals())
"""

import numpy as np

from autograder.checking import (
    GradingError,
    expect_array,
    expect_close,
    expect_gradient,
    expect_unmodified,
    run_check,
)
from autograder.reference import rnn as ref

# (N, T, D, H, C): all five different in each shape; T = 1 isolates one step from many.
SHAPES = [(3, 1, 4, 5, 2), (2, 5, 3, 4, 6), (4, 3, 6, 5, 2), (5, 7, 2, 3, 4)]
LARGE_SHAPE = (9, 12, 10, 16, 7)  # too many entries for full differences: directional checks
SEED = 80_713


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


def cases(shapes=SHAPES):
    for i, shape in enumerate(shapes):
        N, T, D, H, C = shape
        yield f"N={N}, T={T}, D={D}, H={H}, C={C}", make_inputs(shape, SEED + i)


def check_forward(student, name, reference, args, where):
    run = student.run(name, args)
    expect_unmodified(run, f"{name} ({where})")
    expected = reference(*args)
    out = expect_array(run.outputs[0], student.contract[name].outputs[0], expected.shape, f"{name} ({where})")
    expect_close(out, expected, student.contract[name].outputs[0], f"{name} ({where})")


def check_backward(student, forward, backward, reference, args, where, rng):
    """Every gradient of `backward` against central differences of sum(dout * reference(args))."""
    args = [np.array(a, dtype=np.float64) for a in args]
    dout = rng.standard_normal(reference(*args).shape)
    run = student.run(forward, args, backward, [dout])
    label = f"{backward} ({where})"
    expect_unmodified(run, label)
    names = student.contract[backward].outputs
    if len(run.grads) != len(args):
        raise GradingError(f"{label}: returned {len(run.grads)} gradients, expected {len(args)}: {', '.join(names)}.")

    def loss():
        return float(np.sum(dout * reference(*args)))

    for i, (grad_name, grad, x) in enumerate(zip(names, run.grads, args)):
        grad = expect_array(grad, grad_name, x.shape, label)
        key = (reference.__module__, reference.__name__, i, dout, *args)
        expect_gradient(grad, loss, x, grad_name, label, rng, key=key)
    return run


def rnn_step_forward(student):
    for where, p in cases():
        x = p["x"][:, 0]
        check_forward(student, "rnn_step_forward", ref.rnn_step, [x, p["h0"], p["Wx"], p["Wh"], p["b"]], where)


def rnn_step_backward(student):
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = [p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["b"]]
        check_backward(student, "rnn_step_forward", "rnn_step_backward", ref.rnn_step, args, where, p["rng"])


def rnn_forward(student):
    for where, p in cases():
        check_forward(student, "rnn_forward", ref.rnn, [p["x"], p["h0"], p["Wx"], p["Wh"], p["b"]], where)


ONE_STEP_HINTS = {
    "dx": "is the gradient carried back to the previous step (dh_prev added to the next step's upstream gradient)?",
    "dh0": "is the gradient carried back through every step to h0?",
}
ACCUMULATE_HINT = "are the contributions of all time steps summed, with the gradient carried back through time?"


def rnn_backward(student):
    one_step_ok = False
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = [p["x"], p["h0"], p["Wx"], p["Wh"], p["b"]]
        try:
            check_backward(student, "rnn_forward", "rnn_backward", ref.rnn, args, where, p["rng"])
        except GradingError as error:
            if not (one_step_ok and error.wrong_value):
                raise
            name = error.wrong_value
            hint = ONE_STEP_HINTS.get(name, ACCUMULATE_HINT)
            hint = f"{name} is right for a single time step and wrong for longer sequences: {hint}"
            raise GradingError(f"{error}\nHint: {hint}", name) from None
        one_step_ok = one_step_ok or p["x"].shape[1] == 1


def rnn_step_forward_stacked(student):
    for where, p in cases():
        W = np.concatenate([p["Wx"], p["Wh"]], axis=1)
        args = [p["x"][:, 0], p["h0"], W, p["b"]]
        check_forward(student, "rnn_step_forward_stacked", ref.rnn_stacked, args, where)


def linear_forward(student):
    for where, p in cases():
        check_forward(student, "linear_forward", ref.linear, [p["h0"], p["Wy"], p["by"]], where)


def linear_backward(student):
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = [p["h0"], p["Wy"], p["by"]]
        check_backward(student, "linear_forward", "linear_backward", ref.linear, args, where, p["rng"])


def softmax_cases():
    for where, p in cases():
        scores = ref.linear(p["h0"], p["Wy"], p["by"])
        yield where, scores, p["y"]
    rng = np.random.default_rng(SEED - 1)
    large = 1000.0 * rng.standard_normal((6, 5)) + 5000.0
    yield "scores of size about 5000", large, rng.integers(0, 5, size=6)


def softmax_cross_entropy(student):
    name = "softmax_cross_entropy"
    for where, scores, y in softmax_cases():
        label = f"{name} ({where})"
        run = student.run(name, [scores, y])
        expect_unmodified(run, label)
        try:
            loss = expect_array(run.outputs[0], "loss", (), label)
            dscores = expect_array(run.outputs[1], "dscores", scores.shape, label)
        except GradingError as error:
            if "NaN or inf" in str(error) and scores.max() > 100:
                hint = "exp overflows for large scores: subtract each row's maximum first."
                raise GradingError(f"{error}\nHint: {hint}") from None
            raise
        expect_close(loss, ref.softmax_cross_entropy(scores, y), "loss", label)
        x = scores.copy()
        key = ("softmax_cross_entropy", x, y)
        expect_gradient(dscores, lambda: ref.softmax_cross_entropy(x, y), x, "dscores", label, None, key=key)


PARAM_NAMES = ("Wx", "Wh", "b", "Wy", "by")


def many_to_one_loss(student):
    name = "many_to_one_loss"
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        label = f"{name} ({where})"
        params = {k: p[k] for k in PARAM_NAMES}
        run = student.run(name, [p["x"], p["y"], params])
        expect_unmodified(run, label)
        loss, grads = run.outputs
        loss = expect_array(loss, "loss", (), label)
        expect_close(loss, ref.many_to_one(p["x"], p["y"], params), "loss", label)
        if not isinstance(grads, dict) or set(grads) != set(PARAM_NAMES):
            keys = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
            raise GradingError(f"{label}: grads must be a dict with keys {', '.join(PARAM_NAMES)}; got {keys}.")
        theta = {k: v.copy() for k, v in params.items()}

        def loss():
            return ref.many_to_one(p["x"], p["y"], theta)

        for key in PARAM_NAMES:
            grad = expect_array(grads[key], f"grads['{key}']", params[key].shape, label)
            digest_key = ("many_to_one", key, p["x"], p["y"], *theta.values())
            expect_gradient(grad, loss, theta[key], f"grads['{key}']", label, p["rng"], key=digest_key)


CHECKS = {
    "rnn_step_forward": rnn_step_forward,
    "rnn_step_backward": rnn_step_backward,
    "rnn_forward": rnn_forward,
    "rnn_backward": rnn_backward,
    "rnn_step_forward_stacked": rnn_step_forward_stacked,
    "linear_forward": linear_forward,
    "linear_backward": linear_backward,
    "softmax_cross_entropy": softmax_cross_entropy,
    "many_to_one_loss": many_to_one_loss,
}


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals())."""
    run_check(CHECKS, "rnn_bptt", name, namespace)
