"""Hidden checks of the exercise "The GRU, forward and backward".

One check per graded function. Each runs the student's function on inputs the notebook never shows
(several shapes with N, T, D, H all different, nonzero biases and states), then checks shapes, dtype,
that no argument was changed in place, the forward values against ``autograder.reference.gru`` and
every gradient against central differences of the reference in float64. When a check fails, it looks
for the pattern of the mistake to say more: another published form of the GRU (z and 1 - z swapped,
the reset applied before the matrix product, the recurrent bias of the candidate outside the reset),
the gates stacked in another order, the direct path z * h_prev missing from dh_prev, a parameter
gradient right in some gate blocks and wrong in others, a gradient not carried back through time or
not summed over it. A hidden test cell of the notebook runs

    from autograder.hidden import gru
    gru.check("gru_backward", globals())
"""

import numpy as np

from autograder.checking import (
    GRADIENT_TOL,
    GradingError,
    block_errors,
    expect_array,
    expect_close,
    expect_gradient,
    expect_unmodified,
    run_check,
)
from autograder.gradcheck import (
    gradient_error,
    rel_error,
)
from autograder.reference import gru as ref

# (N, T, D, H): all four different in each shape; T = 1 isolates one step from many.
SHAPES = [(3, 1, 4, 5), (2, 4, 3, 5), (4, 3, 5, 2)]
LARGE_SHAPE = (6, 5, 10, 14)  # too many entries for full differences: directional checks
SEED = 60_221
GATE_NAMES = {"r": "reset gate r", "z": "update gate z", "n": "candidate n"}
PARAMETERS = ("dWx", "dWh", "dbx", "dbh")  # gradients whose rows are three gate blocks
FORM_HINTS = {
    "swap_z": (
        "Hint: your code computes h_next = z * n + (1 - z) * h_prev, the form with z and 1 - z swapped. "
        "The contract's, like torch.nn.GRU's, keeps the previous state with weight z: "
        "h_next = (1 - z) * n + z * h_prev."
    ),
    "reset_before": (
        "Hint: your code applies the reset before the matrix product, n = tanh(x Wxn^T + bxn + (r * h_prev) Whn^T "
        "+ bhn), the form of Cho et al. (2014). The contract's, like torch.nn.GRU's, applies it after the product: "
        "n = tanh(x Wxn^T + bxn + r * (h_prev Whn^T + bhn))."
    ),
    "bias_outside": (
        "Hint: your code adds the recurrent bias of the candidate outside the reset. In the contract it sits "
        "inside: n = tanh(x Wxn^T + bxn + r * (h_prev Whn^T + bhn))."
    ),
}


def make_inputs(shape, seed):
    """Random inputs of one shape: every array float64, biases and states nonzero.

    Inputs:
    - shape: (N, T, D, H)
    - seed: int
    Returns:
    - dict with x (N, T, D), h0 (N, H), Wx (3H, D), Wh (3H, H), bx and bh (3H,), and the Generator
      rng for upstream gradients and directions
    """
    N, T, D, H = shape
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((N, T, D)),
        "h0": 0.6 * rng.standard_normal((N, H)),
        "Wx": rng.standard_normal((3 * H, D)) / np.sqrt(D),
        "Wh": rng.standard_normal((3 * H, H)) / np.sqrt(H),
        "bx": 0.5 * rng.standard_normal(3 * H),
        "bh": 0.5 * rng.standard_normal(3 * H),
        "rng": rng,
    }


def cases(shapes=SHAPES):
    for k, shape in enumerate(shapes):
        N, T, D, H = shape
        yield f"N={N}, T={T}, D={D}, H={H}", make_inputs(shape, SEED + k)


def step_args(p):
    return [p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"]]


def sequence_args(p):
    return [p["x"], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"]]


# --- hints: what pattern a wrong answer has -------------------------------------------------------


def form_hint(actual, reference, args):
    """A hint naming the published form or the gate order that explains a wrong output ("" if none).

    Inputs:
    - actual: the student's (wrong) output
    - reference: ref.gru_step or ref.gru, called as reference(*args, form=...)
    - args: the arguments given, in the contract's order (weights at indices 2 to 5)
    """
    for form, hint in FORM_HINTS.items():
        if rel_error(actual, reference(*args, form=form)) < 1e-8:
            return hint
    for order in ref.ORDERS:
        permuted = list(args[:2]) + [ref.read_in_order(order, a) for a in args[2:]]
        if rel_error(actual, reference(*permuted)) < 1e-8:
            return (
                f"Hint: your code reads the blocks of Wx, Wh, bx and bh in the order {', '.join(order)}; "
                "the contract's order is r, z, n (as torch.nn.GRU): rows 0:H reset gate, H:2H update gate, "
                "2H:3H candidate."
            )
    return ""


BLOCK_HINTS = {
    ("dWh", ("n",)): (
        "The reset multiplies the recurrent part of the candidate, r * (h_prev Whn^T + bhn), so the candidate's "
        "rows are dWh_n = (r * dA_n)^T h_prev, with dA_n = dh_next * (1 - z) * (1 - n**2)."
    ),
    ("dbh", ("n",)): (
        "The recurrent bias of the candidate sits inside the reset, so dbh_n is the sum over the batch of "
        "r * dA_n, unlike dbx_n, the sum of dA_n."
    ),
    ("any", ("r", "z")): "The gates r and z are sigmoids: sigma'(a) = sigma(a) * (1 - sigma(a)).",
    ("any", ("z",)): "The update gate: dz = dh_next * (h_prev - n), and dA_z = dz * z * (1 - z).",
    ("any", ("r",)): (
        "The reset gate: dr = dA_n * (h_prev Whn^T + bhn), the recurrent part of the candidate that r multiplies, "
        "and dA_r = dr * r * (1 - r)."
    ),
    ("any", ("r", "n")): (
        "The candidate and the reset gate are wrong, the update gate is right: both hang on "
        "dA_n = dh_next * (1 - z) * (1 - n**2), through n = tanh(.)."
    ),
}


def block_hint(actual, loss, x, name, rng):
    """Which gate blocks of a parameter gradient are wrong, with a guess at why ("" when no pattern shows).

    Inputs:
    - actual: the student's gradient of Wx, Wh, bx or bh (rows: 3 gate blocks)
    - loss, x: the reference loss and the parameter it reads
    - name: "dWx", "dWh", "dbx" or "dbh"
    - rng: Generator for directional checks
    """
    errors, numeric = block_errors(actual, loss, x, rng, 3)
    if numeric is not None:
        for order in ref.ORDERS:
            if rel_error(ref.read_in_order(order, actual), numeric) < GRADIENT_TOL:
                return (
                    f"{name} holds the right gradients with its gate blocks in the order {', '.join(order)}; "
                    "stack the blocks in the order of the gates, r, z, n."
                )
    wrong = tuple(gate for gate, err in zip(ref.GATES, errors) if not err <= GRADIENT_TOL)
    if not wrong or len(wrong) == 3:
        return ""
    hint = (
        f"{name} is wrong in the rows of the {', '.join(GATE_NAMES[gate] for gate in wrong)} and right in the others."
    )
    more = BLOCK_HINTS.get((name, wrong)) or BLOCK_HINTS.get(("any", wrong))
    return f"{hint} {more}" if more else hint


def direct_path_hint(dh_prev, dh_next, args, loss, rng):
    """A hint when dh_prev lacks the direct term dh_next * z of h_next = (1 - z) * n + z * h_prev."""
    _, z, _ = ref.gates(*args)
    h_prev = args[1]
    with_direct = np.asarray(dh_prev) + dh_next * z
    if gradient_error(loss, h_prev, with_direct, "auto", np.random.default_rng(rng.integers(1 << 30))) < GRADIENT_TOL:
        return (
            "dh_prev misses the direct path: h_next = (1 - z) * n + z * h_prev depends on h_prev directly, so "
            "dh_prev = dh_next * z + (the products of dA_r, dA_z and r * dA_n with the blocks of Wh)."
        )
    return ""


# --- the checks ------------------------------------------------------------------------------------


def check_forward(student, name, reference, args, where):
    """The one output of a forward function against the reference, with a hint from the form of the mistake."""
    run = student.run(name, args)
    label = f"{name} ({where})"
    expect_unmodified(run, label)
    expected = reference(*args)
    out_name = student.contract[name].outputs[0]
    out = expect_array(run.outputs[0], out_name, expected.shape, label)
    try:
        expect_close(out, expected, out_name, label)
    except GradingError as error:
        hint = form_hint(out, reference, args) or sequence_hint(out, expected, args, reference)
        raise GradingError(f"{error}\n{hint}".rstrip(), out_name) from None
    return run


def sequence_hint(h, expected, args, reference):
    """Why the hidden states of a sequence are wrong, when a known mistake explains them."""
    if reference is not ref.gru:
        return ""
    x, h0, *weights = args
    if rel_error(h, ref.gru(x, np.zeros_like(h0), *weights)) < 1e-8:
        return "Hint: your states start from zero; start from the given h0."
    if expected.shape[1] > 1 and rel_error(h[:, 0], expected[:, 0]) < 1e-8:
        return "Hint: the first step is right and the later ones are not: pass h_next of each step on as h_prev."
    return ""


def gradient_failure(student, forward, backward, reference, args, dout, where, rng):
    """(GradingError or None, Run): every gradient of `backward` for the upstream gradient dout.

    The loss is sum(dout * reference(*args)). Every gradient is compared with its central differences
    (full for small arrays, directional for large ones). The error returned is the first wrong
    gradient's, with the first hint found: the forward pass computing another form, the direct path
    missing from dh_prev, or a pattern in the gate blocks of a parameter gradient.
    """
    run = student.run(forward, args, backward, [dout])
    label = f"{backward} ({where})"
    expect_unmodified(run, label)
    names = student.contract[backward].outputs
    if len(run.grads) != len(args):
        raise GradingError(f"{label}: returned {len(run.grads)} gradients, expected {len(args)}: {', '.join(names)}.")

    def loss():
        return float(np.sum(dout * reference(*args)))

    first, hints = None, []
    for k, (grad_name, grad, x) in enumerate(zip(names, run.grads, args)):
        grad = expect_array(grad, grad_name, x.shape, label)
        key = (reference.__module__, reference.__name__, k, dout, *args)
        try:
            expect_gradient(grad, loss, x, grad_name, label, rng, key=key)
        except GradingError as error:
            first = first or error
            if grad_name == "dh_prev":
                hints.append(direct_path_hint(grad, dout, args, loss, rng))
            if grad_name in PARAMETERS:
                hints.append(block_hint(grad, loss, x, grad_name, rng))
    if first is None:
        return None, run
    expected = reference(*args)
    try:
        out = np.asarray(run.outputs[0], dtype=np.float64)
    except (TypeError, ValueError):
        out = None
    if out is None or out.shape != expected.shape:
        forward_hint = f"Hint: your {forward} does not return an array of shape {expected.shape}: fix it first."
    elif rel_error(out, expected) > 1e-8:
        forward_hint = form_hint(out, reference, args)
        if forward_hint:
            forward_hint = forward_hint.replace("Hint: your code", f"Hint: your {forward}", 1)
            forward_hint += " The gradients are checked against the contract's form."
        else:
            forward_hint = f"Hint: your {forward} is already wrong on these inputs: fix it first."
    else:
        forward_hint = ""
    hint = forward_hint or next((f"Hint: {h}" for h in hints if h), "")
    return GradingError(f"{first}\n{hint}".rstrip(), first.wrong_value), run


def gru_step_forward(student):
    for where, p in cases():
        check_forward(student, "gru_step_forward", ref.gru_step, step_args(p), where)


def gru_step_backward(student):
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = step_args(p)
        dh = p["rng"].standard_normal(p["h0"].shape)
        failure, _ = gradient_failure(
            student, "gru_step_forward", "gru_step_backward", ref.gru_step, args, dh, where, p["rng"]
        )
        if failure is not None:
            raise failure


def gru_forward(student):
    for where, p in cases():
        check_forward(student, "gru_forward", ref.gru, sequence_args(p), where)


def held_gradient_hint(grad, grad_name, args, dh, rng):
    """Whether a wrong sequence gradient is the one obtained when h is not carried back through time."""
    x, h0, *weights = args
    hs = ref.gru(*args)
    previous = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    target = args[("dx", "dh0", "dWx", "dWh", "dbx", "dbh").index(grad_name)]

    def loss():
        return float(np.sum(dh * ref.gru(*args, hold_h=previous)))

    if gradient_error(loss, target, grad, "auto", np.random.default_rng(rng.integers(1 << 30))) < GRADIENT_TOL:
        return (
            "it is the gradient you would get if the hidden state's gradient stopped at each step: add the dh_prev "
            "returned by step t + 1 to dh[:, t] for the dh_next of step t."
        )
    return "is the gradient carried back to the previous step, and are the parameter gradients of all steps summed?"


def step_backward_hint(student):
    """A hint when the student's gru_step_backward, which gru_backward usually calls, fails its own check."""
    try:
        gru_step_backward(student)
    except GradingError:
        return "Hint: your gru_step_backward fails its own hidden checks: fix it first, gru_backward builds on it."
    return ""


def gru_backward(student):
    name, forward = "gru_backward", "gru_forward"
    one_step_ok = False
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = sequence_args(p)
        dh = p["rng"].standard_normal(p["x"].shape[:2] + p["h0"].shape[1:])
        failure, run = gradient_failure(student, forward, name, ref.gru, args, dh, where, p["rng"])
        if failure is not None:
            if "\nHint:" in str(failure):
                raise failure
            if not (one_step_ok and failure.wrong_value):
                raise GradingError(f"{failure}\n{step_backward_hint(student)}".rstrip(), failure.wrong_value) from None
            wrong = failure.wrong_value
            grad = np.asarray(run.grads[student.contract[name].outputs.index(wrong)])
            hint = held_gradient_hint(grad, wrong, args, dh, p["rng"])
            message = f"{failure}\nHint: {wrong} is right for a single time step and wrong for longer sequences: {hint}"
            raise GradingError(message, wrong) from None
        one_step_ok = one_step_ok or p["x"].shape[1] == 1


CHECKS = {
    "gru_step_forward": gru_step_forward,
    "gru_step_backward": gru_step_backward,
    "gru_forward": gru_forward,
    "gru_backward": gru_backward,
}


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals())."""
    run_check(CHECKS, "gru", name, namespace)
