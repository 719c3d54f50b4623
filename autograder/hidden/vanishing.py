"""Hidden checks of the exercise "Vanishing and exploding gradients".

The hidden inputs (several shapes with N, T, D, H all different, states of a real tanh RNN with nonzero
biases, a long sequence whose gradients vanish and one whose gradients explode, gradient dicts to clip)
and the table CHECKS. Each check tests shapes, dtype, that no argument was changed in place, the values
against ``autograder.reference.vanishing``, and the derivatives against central differences of the
reference RNN step (``autograder.reference.rnn``) in float64; ``diagnose.vanishing`` names known wrong
answers. A hidden test cell of the notebook runs

    from autograder.hidden import vanishing
    vanishing.check("rnn_step_jacobian", globals())
"""

import functools

import numpy as np

from autograder.diagnose import vanishing as diagnose
from autograder.gradcheck import rel_error
from autograder.hidden import common
from autograder.hidden.common import called, cases
from autograder.judge import GRADIENT_TOL, expect_array, expect_close, expect_entries, expect_keys, expect_new_arrays
from autograder.patterns import first_match
from autograder.reference import rnn as rnn_ref
from autograder.reference import vanishing as ref
from autograder.student_process.failure import GradingError

VANISHING_CASE = ((4, 40, 3, 6), 0.5, 1.0)  # shape, gain of Wh, scale of the inputs
EXPLODING_CASE = ((3, 30, 2, 7), 1.8, 0.05)  # gain times an orthogonal matrix, small inputs
NORMS_TOL = 1e-7  # entry by entry: a norm of 1e-12 must be as right as a norm of 1
CLIPPED_TOL = GRADIENT_TOL  # accepts the epsilon torch.nn.utils.clip_grad_norm_ adds to the norm
SEED = 52_711


def make_inputs(shape, seed, gain=0.9, input_scale=1.0, orthogonal=False):
    """The states of a tanh RNN run over random inputs, and an upstream gradient on the last state.

    Inputs:
    - shape: (N, T, D, H)
    - seed: int
    - gain: scale of Wh
    - input_scale: scale of the inputs x
    - orthogonal: Wh = gain * Q with Q orthogonal, else gain * Gaussian / sqrt(H)
    Returns:
    - dict with x (N, T, D), h0 (N, H), Wx (H, D), Wh (H, H), b (H,), h (N, T, H), dh_last (N, H)
    """
    N, T, D, H = shape
    rng = np.random.default_rng(seed)
    p = {
        "x": input_scale * rng.standard_normal((N, T, D)),
        "h0": 0.5 * input_scale * rng.standard_normal((N, H)),
        "Wx": rng.standard_normal((H, D)) / np.sqrt(D),
        "b": 0.3 * input_scale * rng.standard_normal(H),
    }
    if orthogonal:
        p["Wh"] = gain * np.linalg.qr(rng.standard_normal((H, H)))[0]
    else:
        p["Wh"] = gain * rng.standard_normal((H, H)) / np.sqrt(H)
    p["h"] = rnn_ref.rnn(p["x"], p["h0"], p["Wx"], p["Wh"], p["b"])
    p["dh_last"] = rng.standard_normal((N, H))
    return p


# (N, T, D, H): all four different in each shape; T = 1 leaves only the last state. The Jacobian is also
# checked on a large shape, the norms on a longer one, short enough for central differences.
SHAPES = ((3, 1, 4, 5), (2, 5, 3, 4), (4, 6, 2, 5), (5, 3, 6, 2), (1, 4, 3, 2))
JACOBIAN_INPUTS = common.Inputs(make_inputs, SHAPES, (9, 4, 10, 16), SEED, "NTDH")
NORMS_INPUTS = common.Inputs(make_inputs, SHAPES, (9, 7, 10, 16), SEED, "NTDH")


def long_cases():
    """(where, inputs) of a long sequence whose gradients vanish and one whose gradients explode."""
    for i, (case, orthogonal) in enumerate([(VANISHING_CASE, False), (EXPLODING_CASE, True)]):
        (N, T, D, H), gain, input_scale = case
        kind = "vanishing" if gain < 1 else "exploding"
        p = make_inputs((N, T, D, H), SEED - i - 1, gain, input_scale, orthogonal)
        yield f"N={N}, T={T}, D={D}, H={H}, gradients {kind}", p


@functools.cache
def step_jacobian_by_differences(case, eps=1e-5):
    """d h_next / d h_prev (N, H, H) of the reference step on the inputs of case number `case` (of the Jacobian's,
    large included), one column j at a time for all examples. The inputs are the same for every student:
    computed once per grader process."""
    p = list(cases(JACOBIAN_INPUTS, large=True))[case].p
    x, h_prev = p["x"][:, 0], p["h0"]
    N, H = h_prev.shape
    J = np.empty((N, H, H))
    for j in range(H):
        step = np.zeros(H)
        step[j] = eps
        plus = rnn_ref.rnn_step(x, h_prev + step, p["Wx"], p["Wh"], p["b"])
        minus = rnn_ref.rnn_step(x, h_prev - step, p["Wx"], p["Wh"], p["b"])
        J[:, :, j] = (plus - minus) / (2 * eps)
    return J


def check_jacobian(student):
    """The check of rnn_step_jacobian: against central differences of the step, then against the reference."""
    name = "rnn_step_jacobian"
    for k, case in enumerate(cases(JACOBIAN_INPUTS, large=True)):
        p = case.p
        h_next = rnn_ref.rnn_step(p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["b"])
        run, label = called(student, name, [h_next, p["Wh"]], case.where)
        N, H = h_next.shape
        J = expect_array(run.outputs[0], "J", (N, H, H), label)
        numerical = step_jacobian_by_differences(k)
        try:
            expect_close(J, numerical, "J", f"{label}, against central differences of the step in h_prev", GRADIENT_TOL)
            expect_close(J, ref.rnn_step_jacobian(h_next, p["Wh"]), "J", label)
        except GradingError as error:
            raise error.with_hint(first_match(J, diagnose.jacobian_mistakes(h_next, p["Wh"]))) from None


@functools.cache
def norms_by_differences(case, eps=1e-5):
    """norms (T,) from central differences on the inputs of case number `case` of the norms (large included):
    the RNN is run on from a perturbed state to the last one. Computed once per grader process."""
    p = list(cases(NORMS_INPUTS, large=True))[case].p
    x, Wx, Wh, b, h, dh_last = (p[k] for k in ("x", "Wx", "Wh", "b", "h", "dh_last"))
    N, T, H = h.shape

    def loss_per_example(t, h_t):
        """dh_last[n] . h[n, T - 1] when the state of step t is h_t (N, H); shape (N,)."""
        h_last = h_t if t == T - 1 else rnn_ref.rnn(x[:, t + 1 :], h_t, Wx, Wh, b)[:, -1]
        return np.sum(dh_last * h_last, axis=1)

    norms = np.empty(T)
    for t in range(T):
        grad = np.empty((N, H))
        for j in range(H):
            step = np.zeros(H)
            step[j] = eps
            grad[:, j] = (loss_per_example(t, h[:, t] + step) - loss_per_example(t, h[:, t] - step)) / (2 * eps)
        norms[t] = np.mean(np.linalg.norm(grad, axis=1))
    return norms


def check_norms(student):
    """The check of gradient_norms_through_time: against central differences (short sequences), then entry by
    entry against the reference (every sequence, the long ones included)."""
    name = "gradient_norms_through_time"
    numbered = [(k, case.where, case.p) for k, case in enumerate(cases(NORMS_INPUTS, large=True))]
    for k, where, p in numbered + [(None, where, p) for where, p in long_cases()]:
        h, Wh, dh_last = p["h"], p["Wh"], p["dh_last"]
        run, label = called(student, name, [h, Wh, dh_last], where)
        T, got = h.shape[1], np.shape(run.outputs[0])
        if got in ((T - 1,), (T + 1,)):
            raise GradingError(
                f"{label}: norms has shape {got}, expected {(T,)}: one entry per state h[:, 0], ..., h[:, T - 1] "
                "(h0 is not one of them), the last one the mean norm of dh_last.",
                "shape",
                "norms",
            )
        norms = expect_array(run.outputs[0], "norms", (T,), label)
        try:
            if k is not None:
                numerical = norms_by_differences(k)
                expect_close(norms, numerical, "norms", f"{label}, against central differences", GRADIENT_TOL)
            expect_entries(norms, ref.gradient_norms_through_time(h, Wh, dh_last), "norms", label, NORMS_TOL)
        except GradingError as error:
            raise error.with_hint(first_match(norms, diagnose.norms_mistakes(h, Wh, dh_last))) from None


def clip_cases():
    """(where, grads, max_norm) for each case: clipping needed or not, global versus per-array norms."""
    rng = np.random.default_rng(SEED + 100)
    shapes = {"Wx": (4, 3), "Wh": (4, 4), "b": (4,), "Wy": (2, 4), "by": (2,)}
    grads = {name: rng.standard_normal(shape) for name, shape in shapes.items()}
    total = ref.clip_grad_norm(grads, np.inf)[1]
    largest = max(np.linalg.norm(g) for g in grads.values())
    yield "five arrays, total norm above max_norm", grads, 0.3 * total
    yield "five arrays, total norm below max_norm", grads, 1.5 * total
    yield "every array below max_norm, their total above it", grads, 0.5 * (largest + total)
    lopsided = {**grads, "Wh": 20.0 * grads["Wh"]}
    yield "one array much larger than the others", lopsided, 2.0 * largest
    yield "a single array", {"W": rng.standard_normal((3, 5))}, 1.0


def check_clip(student):
    """The check of clip_grad_norm: new arrays, total_norm against the reference, then all arrays together."""
    name = "clip_grad_norm"
    for where, grads, max_norm in clip_cases():
        run, label = called(student, name, [grads, max_norm], where)
        expect_new_arrays(run, "clipped", label, "grads")
        clipped, total_norm = run.outputs
        expected, expected_total = ref.clip_grad_norm(grads, max_norm)
        expect_keys(clipped, grads, "clipped", label, f"the keys of grads, {sorted(grads)}")
        for key, g in grads.items():
            expect_array(clipped[key], f"clipped['{key}']", g.shape, label)
        total_norm = expect_array(total_norm, "total_norm", (), label)
        try:
            expect_close(total_norm, expected_total, "total_norm", label)
        except GradingError as error:
            raise error.with_hint(diagnose.total_norm_hint(total_norm, grads, max_norm)) from None
        error = rel_error(diagnose.flat(clipped), diagnose.flat(expected))
        if not error <= CLIPPED_TOL:
            candidates = [(hint, diagnose.flat(wrong)) for hint, wrong in diagnose.clip_mistakes(grads, max_norm)]
            raise GradingError(
                f"{label}: clipped is wrong: relative error {error:.1e} over all arrays together "
                f"(tolerance {CLIPPED_TOL:.0e}).",
                "wrong",
                "clipped",
                (first_match(diagnose.flat(clipped), candidates),),
            )


CHECKS = {
    "rnn_step_jacobian": check_jacobian,
    "gradient_norms_through_time": check_norms,
    "clip_grad_norm": check_clip,
}

# function -> the functions of the contract a student's version usually calls (or its check runs first), in the
# order to blame them when it fails with no hint of its own (common.with_dependencies)
DEPENDS = {"gradient_norms_through_time": ("rnn_step_jacobian",)}
CHECKS = common.with_dependencies(CHECKS, DEPENDS)


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "vanishing", name, namespace)
