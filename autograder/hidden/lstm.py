"""Hidden checks of the exercise "The LSTM, forward and backward".

One check per graded function. Each runs the student's function on inputs the notebook never shows
(several shapes with N, T, D, H all different, nonzero biases and states), then checks shapes, dtype,
that no argument was changed in place, the forward values against ``autograder.reference.lstm`` and
every gradient against central differences of the reference in float64. When a check fails, it looks
for the pattern of the mistake to say more: the gates stacked in another order, one of the two
upstream gradients (through h or through c) mishandled, a gradient right in some gate blocks and
wrong in others, a gradient not carried back through time. A hidden test cell of the notebook runs

    from autograder.hidden import lstm
    lstm.check("lstm_backward", globals())
"""

from itertools import permutations

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
from autograder.reference import lstm as ref

# (N, T, D, H): all four different in each shape; T = 1 isolates one step from many.
SHAPES = [(3, 1, 4, 5), (2, 4, 3, 4), (4, 3, 5, 2)]
LARGE_SHAPE = (6, 7, 8, 9)  # checked by directional derivatives only, which cost the same for any size
SEED = 50_417
ORDERS = ["".join(p) for p in permutations(ref.GATES) if "".join(p) != ref.GATES]
GATE_NAMES = {"i": "input gate i", "f": "forget gate f", "g": "candidate g", "o": "output gate o"}
PARAMETERS = ("dWx", "dWh", "db")  # gradients whose rows are four gate blocks


def make_inputs(shape, seed):
    """Random inputs of one shape: every array float64, biases and states nonzero.

    Inputs:
    - shape: (N, T, D, H)
    - seed: int
    Returns:
    - dict with x (N, T, D), h0 and c_prev (N, H), Wx (4H, D), Wh (4H, H), b (4H,), and the
      Generator rng for upstream gradients and directions
    """
    N, T, D, H = shape
    rng = np.random.default_rng(seed)
    return {
        "x": rng.standard_normal((N, T, D)),
        "h0": 0.6 * rng.standard_normal((N, H)),
        "c_prev": 0.8 * rng.standard_normal((N, H)),
        "Wx": rng.standard_normal((4 * H, D)) / np.sqrt(D),
        "Wh": rng.standard_normal((4 * H, H)) / np.sqrt(H),
        "b": 0.5 * rng.standard_normal(4 * H),
        "rng": rng,
    }


def cases(shapes=SHAPES):
    for k, shape in enumerate(shapes):
        N, T, D, H = shape
        yield f"N={N}, T={T}, D={D}, H={H}", make_inputs(shape, SEED + k)


def method_for(where):
    """Full differences for the small shapes, directional ones for the large shape."""
    N, T, D, H = LARGE_SHAPE
    return "directional" if where == f"N={N}, T={T}, D={D}, H={H}" else "auto"


def step_args(p):
    return [p["x"][:, 0], p["h0"], p["c_prev"], p["Wx"], p["Wh"], p["b"]]


def sequence_args(p):
    return [p["x"], p["h0"], p["Wx"], p["Wh"], p["b"]]


# --- hints: what pattern a wrong answer has -------------------------------------------------------


def order_hint(actual, reference, args, weights_at):
    """The gate order in which the student's forward reads the blocks, if another order explains the output.

    Inputs:
    - actual: the student's (wrong) output
    - reference: function(*args) -> the output to compare
    - args: the arguments given, in the contract's order
    - weights_at: indices of Wx, Wh, b in args
    """
    for order in ORDERS:
        permuted = list(args)
        for k in weights_at:
            permuted[k] = ref.read_in_order(order, args[k])
        if rel_error(actual, reference(*permuted)) < 1e-8:
            got = ", ".join(order)
            return (
                f"Hint: your code reads the blocks of Wx, Wh and b in the order {got}; the contract's order is "
                "i, f, g, o (as torch.nn.LSTM): rows 0:H input gate, H:2H forget gate, 2H:3H candidate g, "
                "3H:4H output gate."
            )
    return ""


def block_sizes(numeric):
    """The norm of each gate block of a numerical gradient (all 1 when it was not computed)."""
    if numeric is None:
        return [1.0] * 4
    H = numeric.shape[0] // 4
    return [float(np.linalg.norm(numeric[k * H : (k + 1) * H])) for k in range(4)]


def block_hint(actual, loss, x, name, rng):
    """Which gate blocks of a parameter gradient are wrong, with a guess at why ("" when no pattern shows).

    Inputs:
    - actual: the student's gradient of Wx, Wh or b (rows: 4 gate blocks)
    - loss, x: the reference loss and the parameter it reads
    - name: "dWx", "dWh" or "db"
    - rng: Generator for directional checks
    """
    errors, numeric = block_errors(actual, loss, x, rng, 4)
    if numeric is not None:
        for order in ORDERS:
            if rel_error(ref.read_in_order(order, actual), numeric) < GRADIENT_TOL:
                return (
                    f"{name} holds the right gradients with its gate blocks in the order {', '.join(order)}; "
                    "stack the blocks of dA in the order of the gates, i, f, g, o."
                )
    wrong = [gate for gate, err in zip(ref.GATES, errors) if not err <= GRADIENT_TOL]
    # A block whose true gradient is zero (the forget gate's when c_prev = 0) shows nothing.
    informative = [gate for gate, size in zip(ref.GATES, block_sizes(numeric)) if size > 0]
    right = [gate for gate in informative if gate not in wrong]
    if not wrong or not right:
        return ""
    where = ", ".join(GATE_NAMES[gate] for gate in wrong)
    hint = f"{name} is wrong in the rows of the {where} and right in the rows of {', '.join(right)}."
    if "g" in right and set(wrong) <= {"i", "f", "o"} and len(wrong) > 1:
        hint += " The sigmoid gates are wrong and the tanh candidate is right: sigma'(a) = sigma(a) (1 - sigma(a))."
    elif wrong == ["g"]:
        hint += " The candidate is g = tanh(a_g), whose derivative is 1 - g**2, and it multiplies i."
    elif wrong == ["f"]:
        hint += " The forget gate multiplies c_prev: dA_f = dc * c_prev * f * (1 - f)."
    elif wrong == ["o"]:
        hint += " The output gate multiplies tanh(c_next): dA_o = dh_next * tanh(c_next) * o * (1 - o)."
    return hint


# --- the checks ------------------------------------------------------------------------------------


def check_forward(student, name, reference, args, where, weights_at, names):
    """Outputs of a forward function against the reference, a function returning a tuple of arrays.

    Inputs:
    - names: the names of the outputs checked, in the order of the reference's tuple; they are checked
      in that order
    """
    run = student.run(name, args)
    label = f"{name} ({where})"
    expect_unmodified(run, label)
    expected = reference(*args)
    returned = dict(zip(student.contract[name].outputs, run.outputs))
    for k, out_name in enumerate(names):
        out = expect_array(returned[out_name], out_name, expected[k].shape, label)
        try:
            expect_close(out, expected[k], out_name, label)
        except GradingError as error:
            hint = order_hint(out, lambda *a, k=k: reference(*a)[k], args, weights_at)
            if not hint and k > 0:
                hint = f"Hint: {names[0]} is right; check the formula of {out_name}."
            raise GradingError(f"{error}\n{hint}".rstrip(), out_name) from None
    return run


def gradient_failure(student, forward, backward, reference, args, douts, where, rng, method="auto"):
    """(GradingError or None, Run): every gradient of `backward` for these upstream gradients.

    The loss is the sum over outputs of dout * reference output. Every gradient is compared with its
    central differences (method: "full", "directional", or "auto" for full on small arrays). The error returned is the
    first wrong gradient's, with a hint from the first wrong parameter gradient whose gate blocks show
    a pattern.
    """
    args = [np.array(a, dtype=np.float64) for a in args]
    run = student.run(forward, args, backward, douts)
    label = f"{backward} ({where})"
    expect_unmodified(run, label)
    for out, expected in zip(run.outputs, reference(*args)):
        if np.shape(out) != expected.shape or not rel_error(out, expected) <= 1e-8:
            raise GradingError(
                f"{label}: not checked, because {forward} returns wrong values on these inputs, and the gradients "
                f"must be those of the contract's LSTM: fix {forward} first (see its message)."
            )
    names = student.contract[backward].outputs
    if len(run.grads) != len(args):
        raise GradingError(f"{label}: returned {len(run.grads)} gradients, expected {len(args)}: {', '.join(names)}.")

    def loss():
        return float(sum(np.sum(d * out) for d, out in zip(douts, reference(*args))))

    first, hints = None, []
    for k, (grad_name, grad, x) in enumerate(zip(names, run.grads, args)):
        grad = expect_array(grad, grad_name, x.shape, label)
        key = (reference.__module__, reference.__name__, k, *douts, *args)
        try:
            expect_gradient(grad, loss, x, grad_name, label, rng, method, key=key)
        except GradingError as error:
            first = first or error
            if grad_name in PARAMETERS and "right answer times" not in str(error):
                hints.append(block_hint(grad, loss, x, grad_name, rng))
    if first is None:
        return None, run
    hint = next((h for h in hints if h), "")
    return GradingError(f"{first}\nHint: {hint}" if hint else str(first), first.wrong_value), run


def step_outputs(x, h_prev, c_prev, Wx, Wh, b):
    """(c_next, h_next) of the reference step, in the order they are checked: c_next first."""
    h_next, c_next = ref.lstm_step(x, h_prev, c_prev, Wx, Wh, b)
    return c_next, h_next


def step_outputs_in_contract_order(x, h_prev, c_prev, Wx, Wh, b):
    """(h_next, c_next): the outputs of lstm_step_forward, whose upstream gradients dh_next, dc_next are."""
    return ref.lstm_step(x, h_prev, c_prev, Wx, Wh, b)


def sequence_outputs(x, h0, Wx, Wh, b):
    """(h,): the one output of lstm_forward."""
    return (ref.lstm(x, h0, Wx, Wh, b),)


def lstm_step_forward(student):
    for where, p in cases():
        check_forward(student, "lstm_step_forward", step_outputs, step_args(p), where, (3, 4, 5), ("c_next", "h_next"))


UPSTREAM_HINTS = {
    "c ignored": (
        "with dh_next = 0, every gradient you return is zero: dc_next is ignored. The cell state's gradient is "
        "dc = dc_next + dh_next * o * (1 - tanh(c_next)**2)."
    ),
    "c wrong": (
        "the gradients are right when only dh_next is nonzero and wrong when only dc_next is: the cell state's "
        "gradient is dc = dc_next + dh_next * o * (1 - tanh(c_next)**2), and dc_prev = dc * f."
    ),
    "h wrong": (
        "the gradients are right when only dc_next is nonzero and wrong when only dh_next is: dh_next reaches the "
        "cell state through h_next = o * tanh(c_next), so dc = dc_next + dh_next * o * (1 - tanh(c_next)**2), and "
        "the output gate through dA_o = dh_next * tanh(c_next) * o * (1 - o)."
    ),
}


def lstm_step_backward(student):
    name, forward = "lstm_step_backward", "lstm_step_forward"
    reference = step_outputs_in_contract_order
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args, rng = step_args(p), p["rng"]
        dh, dc = rng.standard_normal(p["h0"].shape), rng.standard_normal(p["h0"].shape)
        failure, _ = gradient_failure(student, forward, name, reference, args, [dh, dc], where, rng, method_for(where))
        if failure is None:
            continue
        # Which upstream path is mishandled: only dh_next nonzero, then only dc_next.
        zero = np.zeros_like(dh)
        only_h, _ = gradient_failure(student, forward, name, reference, args, [dh, zero], where, rng, method_for(where))
        only_c, run = gradient_failure(
            student, forward, name, reference, args, [zero, dc], where, rng, method_for(where)
        )
        if only_c is not None and only_h is None:
            ignored = not any(np.any(np.asarray(grad)) for grad in run.grads)
            hint = UPSTREAM_HINTS["c ignored" if ignored else "c wrong"]
        elif only_h is not None and only_c is None:
            hint = UPSTREAM_HINTS["h wrong"]
        else:
            raise failure
        raise GradingError(f"{failure}\nHint: {hint}", failure.wrong_value) from None


def lstm_forward(student):
    name = "lstm_forward"
    for where, p in cases():
        args = sequence_args(p)
        run = student.run(name, args)
        label = f"{name} ({where})"
        expect_unmodified(run, label)
        expected = ref.lstm(*args)
        h = expect_array(run.outputs[0], "h", expected.shape, label)
        try:
            expect_close(h, expected, "h", label)
        except GradingError as error:
            raise GradingError(f"{error}\n{sequence_hint(h, expected, args)}".rstrip(), "h") from None


def sequence_hint(h, expected, args):
    """Why the hidden states of a sequence are wrong, when a known mistake explains them."""
    hint = order_hint(h, ref.lstm, args, (2, 3, 4))
    if hint:
        return hint
    x, h0, Wx, Wh, b = args
    if rel_error(h, ref.lstm_states(*args, c0=h0)[0]) < 1e-8:
        return "Hint: your cell state starts from h0; the initial cell state c0 is zero."
    if expected.shape[1] > 1 and rel_error(h[:, 0], expected[:, 0]) < 1e-8:
        return (
            "Hint: the first step is right and the later ones are not: pass h_next and c_next of each step on "
            "as h_prev and c_prev of the next."
        )
    return ""


def held_gradient_hint(grad, grad_name, args, dh, rng):
    """Whether a wrong sequence gradient is the one obtained when h or c is not carried back through time."""
    x, h0, Wx, Wh, b = args
    hs, cs = ref.lstm_states(*args)
    previous = {
        "hold_h": np.concatenate([h0[:, None], hs[:, :-1]], axis=1),
        "hold_c": np.concatenate([np.zeros_like(h0)[:, None], cs[:, :-1]], axis=1),
    }
    index = ("dx", "dh0", "dWx", "dWh", "db").index(grad_name)
    target = args[index]
    messages = {
        "hold_c": (
            "it is the gradient you would get if the cell state's gradient stopped at each step: pass the dc_prev "
            "returned by step t + 1 as the dc_next of step t."
        ),
        "hold_h": (
            "it is the gradient you would get if the hidden state's gradient stopped at each step: add the dh_prev "
            "returned by step t + 1 to dh[:, t] for the dh_next of step t."
        ),
    }
    for held, message in messages.items():

        def loss(held=held):
            return float(np.sum(dh * ref.lstm_states(*args, **{held: previous[held]})[0]))

        if gradient_error(loss, target, grad, "auto", np.random.default_rng(rng.integers(1 << 30))) < GRADIENT_TOL:
            return message
    return (
        "are both gradients carried back to the previous step (dh_prev added to dh[:, t], dc_prev passed as "
        "dc_next), and the parameter gradients of all steps summed?"
    )


def lstm_backward(student):
    name, forward = "lstm_backward", "lstm_forward"
    one_step_ok = False
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = sequence_args(p)
        dh = p["rng"].standard_normal(p["x"].shape[:2] + p["h0"].shape[1:])
        failure, run = gradient_failure(
            student, forward, name, sequence_outputs, args, [dh], where, p["rng"], method_for(where)
        )
        if failure is not None:
            if not (one_step_ok and failure.wrong_value):
                raise failure
            wrong = failure.wrong_value
            grad = np.asarray(run.grads[student.contract[name].outputs.index(wrong)])
            hint = held_gradient_hint(grad, wrong, args, dh, p["rng"])
            message = f"{failure}\nHint: {wrong} is right for a single time step and wrong for longer sequences: {hint}"
            raise GradingError(message, wrong) from None
        one_step_ok = one_step_ok or p["x"].shape[1] == 1


CHECKS = {
    "lstm_step_forward": lstm_step_forward,
    "lstm_step_backward": lstm_step_backward,
    "lstm_forward": lstm_forward,
    "lstm_backward": lstm_backward,
}


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals())."""
    run_check(CHECKS, "lstm", name, namespace)
