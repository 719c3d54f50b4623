"""Hidden checks of the exercise "Vanishing and exploding gradients".

One check per graded function, on inputs the notebook never shows: several shapes with N, T, D, H
all different, states of a real tanh RNN with nonzero biases, a long sequence whose gradients
vanish and one whose gradients explode. Each check tests shapes, dtype, that no argument was
changed in place, the values against ``autograder.reference.vanishing``, and the derivatives
against central differences of the reference RNN step (``autograder.reference.rnn``) in float64.
A hidden test cell of the notebook runs

    from autograder.hidden import vanishing
    vanishing.check("rnn_step_jacobian", globals())
"""

import functools

import numpy as np

from autograder.checking import (
    GRADIENT_TOL,
    GradingError,
    expect_array,
    expect_close,
    expect_unmodified,
    run_check,
)
from autograder.gradcheck import rel_error
from autograder.reference import rnn as rnn_ref
from autograder.reference import vanishing as ref

# (N, T, D, H): all four different in each shape; T = 1 leaves only the last state.
SHAPES = [(3, 1, 4, 5), (2, 5, 3, 4), (4, 6, 2, 5), (5, 3, 6, 2)]
LARGE_SHAPE = (9, 4, 10, 16)
JACOBIAN_SHAPES = (*SHAPES, LARGE_SHAPE)
NORMS_SHAPES = (*SHAPES, (9, 7, 10, 16))  # short: also checked against central differences
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


def cases(shapes=SHAPES):
    for i, shape in enumerate(shapes):
        N, T, D, H = shape
        yield f"N={N}, T={T}, D={D}, H={H}", make_inputs(shape, SEED + i)


def long_cases():
    for i, (case, orthogonal) in enumerate([(VANISHING_CASE, False), (EXPLODING_CASE, True)]):
        (N, T, D, H), gain, input_scale = case
        kind = "vanishing" if gain < 1 else "exploding"
        p = make_inputs((N, T, D, H), SEED - i - 1, gain, input_scale, orthogonal)
        yield f"N={N}, T={T}, D={D}, H={H}, gradients {kind}", p


def first_match(actual, candidates):
    """The hint of the first (hint, wrong answer) pair that actual equals, or ""."""
    for hint, wrong in candidates:
        if wrong.shape == actual.shape and rel_error(actual, wrong) < 1e-8:
            return f"\nHint: {hint}"
    return ""


# rnn_step_jacobian


@functools.cache
def step_jacobian_by_differences(case, eps=1e-5):
    """d h_next / d h_prev (N, H, H) of the reference step on the inputs of JACOBIAN_SHAPES[case], one column j
    at a time for all examples. The inputs are the same for every student: computed once per grader process."""
    p = make_inputs(JACOBIAN_SHAPES[case], SEED + case)
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


def jacobian_mistakes(h_next, Wh):
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


def rnn_step_jacobian(student):
    name = "rnn_step_jacobian"
    for case, (where, p) in enumerate(cases(JACOBIAN_SHAPES)):
        label = f"{name} ({where})"
        x, h_prev = p["x"][:, 0], p["h0"]
        h_next = rnn_ref.rnn_step(x, h_prev, p["Wx"], p["Wh"], p["b"])
        run = student.run(name, [h_next, p["Wh"]])
        expect_unmodified(run, label)
        N, H = h_next.shape
        J = expect_array(run.outputs[0], "J", (N, H, H), label)
        numerical = step_jacobian_by_differences(case)
        try:
            expect_close(J, numerical, "J", f"{label}, against central differences of the step in h_prev", GRADIENT_TOL)
            expect_close(J, ref.rnn_step_jacobian(h_next, p["Wh"]), "J", label)
        except GradingError as error:
            raise GradingError(f"{error}{first_match(J, jacobian_mistakes(h_next, p['Wh']))}", "J") from None


# gradient_norms_through_time


@functools.cache
def norms_by_differences(case, eps=1e-5):
    """norms (T,) from central differences on the inputs of NORMS_SHAPES[case]: the RNN is run on from a
    perturbed state to the last one. Computed once per grader process."""
    p = make_inputs(NORMS_SHAPES[case], SEED + case)
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


def norms_variant(h, Wh, dh_last, transposed=False, state_shift=0, reduce="mean"):
    """Typical wrong versions of the norms, for hints: Jacobian transposed, taken at the wrong state, or
    the per-example norms reduced otherwise than by their mean."""
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


def gradient_norms_through_time(student):
    name = "gradient_norms_through_time"
    for case, (where, p) in enumerate([*cases(NORMS_SHAPES), *long_cases()]):
        label = f"{name} ({where})"
        h, Wh, dh_last = p["h"], p["Wh"], p["dh_last"]
        run = student.run(name, [h, Wh, dh_last])
        expect_unmodified(run, label)
        T = h.shape[1]
        got = np.shape(run.outputs[0])
        if got in ((T - 1,), (T + 1,)):
            raise GradingError(
                f"{label}: norms has shape {got}, expected {(T,)}: one entry per state h[:, 0], ..., h[:, T - 1] "
                "(h0 is not one of them), the last one the mean norm of dh_last."
            )
        norms = expect_array(run.outputs[0], "norms", (T,), label)
        expected = ref.gradient_norms_through_time(h, Wh, dh_last)
        try:
            if case < len(NORMS_SHAPES):  # the long sequences are checked against the reference only
                numerical = norms_by_differences(case)
                expect_close(norms, numerical, "norms", f"{label}, against central differences", GRADIENT_TOL)
            errors = np.abs(norms - expected) / expected
            worst = int(np.argmax(errors))
            if not errors[worst] <= NORMS_TOL:
                raise GradingError(
                    f"{label}: norms is wrong: norms[{worst}] is {norms[worst]:.6e}, expected {expected[worst]:.6e} "
                    f"(relative error {errors[worst]:.1e}, tolerance {NORMS_TOL:.0e}).",
                    "norms",
                )
        except GradingError as error:
            raise GradingError(f"{error}{first_match(norms, norms_mistakes(h, Wh, dh_last))}", "norms") from None


# clip_grad_norm


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


def clip_mistakes(grads, max_norm):
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


def flat(arrays):
    return np.concatenate([np.ravel(arrays[name]) for name in sorted(arrays)])


def clip_grad_norm(student):
    name = "clip_grad_norm"
    for where, grads, max_norm in clip_cases():
        label = f"{name} ({where})"
        run = student.run(name, [grads, max_norm])
        expect_unmodified(run, label)
        if "clipped" in run.aliased:
            raise GradingError(f"{label}: clipped holds the arrays of grads themselves; return new arrays.", "clipped")
        clipped, total_norm = run.outputs
        expected, expected_total = ref.clip_grad_norm(grads, max_norm)
        if not isinstance(clipped, dict) or set(clipped) != set(grads):
            keys = sorted(clipped) if isinstance(clipped, dict) else type(clipped).__name__
            raise GradingError(f"{label}: clipped must be a dict with the keys of grads, {sorted(grads)}; got {keys}.")
        for key, g in grads.items():
            expect_array(clipped[key], f"clipped['{key}']", g.shape, label)
        total_norm = expect_array(total_norm, "total_norm", (), label)
        try:
            expect_close(total_norm, expected_total, "total_norm", label)
        except GradingError as error:
            hint = ""
            if abs(total_norm - min(expected_total, max_norm)) < 1e-8 * expected_total:
                hint = "\nHint: total_norm is the norm of the gradients passed in, before clipping."
            elif abs(total_norm - sum(np.linalg.norm(g) for g in grads.values())) < 1e-8 * expected_total:
                hint = "\nHint: the global norm is the square root of the sum of squares of all entries of all arrays."
            raise GradingError(f"{error}{hint}", "total_norm") from None
        error = rel_error(flat(clipped), flat(expected))
        if not error <= CLIPPED_TOL:
            candidates = [(hint, flat(wrong)) for hint, wrong in clip_mistakes(grads, max_norm)]
            raise GradingError(
                f"{label}: clipped is wrong: relative error {error:.1e} over all arrays together "
                f"(tolerance {CLIPPED_TOL:.0e}).{first_match(flat(clipped), candidates)}",
                "clipped",
            )


CHECKS = {
    "rnn_step_jacobian": rnn_step_jacobian,
    "gradient_norms_through_time": gradient_norms_through_time,
    "clip_grad_norm": clip_grad_norm,
}


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals())."""
    run_check(CHECKS, "vanishing", name, namespace)
