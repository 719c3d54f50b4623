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
    expect_array,
    expect_close,
    expect_gradient,
    expect_unmodified,
    run_check,
)
from autograder.gradcheck import FULL_CHECK_MAX_SIZE, gradient_error, numerical_gradient, rel_error
from autograder.reference import lstm as ref

# (N, T, D, H): all four different in each shape; T = 1 isolates one step from many.
SHAPES = [(3, 1, 4, 5), (2, 4, 3, 4), (4, 3, 5, 2)]
LARGE_SHAPE = (6, 7, 8, 9)  # too many entries for full differences: directional checks
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


def block_hint(actual, loss, x, name, rng):
    """Which gate blocks of a parameter gradient are wrong, with a guess at why.

    Inputs:
    - actual: the student's gradient of Wx, Wh or b (rows: 4 gate blocks)
    - loss, x: the reference loss and the parameter it reads
    - name: "dWx", "dWh" or "db"
    - rng: Generator for directional checks
    """
    H = x.shape[0] // 4
    if x.size <= FULL_CHECK_MAX_SIZE:
        numeric = numerical_gradient(loss, x)
        for order in ORDERS:
            if rel_error(ref.read_in_order(order, actual), numeric) < GRADIENT_TOL:
                return (
                    f"Hint: the rows of {name} are the right gradients stacked in the order {', '.join(order)}; "
                    "stack the gate blocks of dA in the order i, f, g, o, as the gates."
                )
        errors = [rel_error(actual[k * H : (k + 1) * H], numeric[k * H : (k + 1) * H]) for k in range(4)]
    else:
        errors = []
        for k in range(4):
            mask = np.zeros_like(x)
            mask[k * H : (k + 1) * H] = 1.0

            def masked_loss(mask=mask):
                return loss()

            direction_rng = np.random.default_rng(rng.integers(1 << 30))
            errors.append(gradient_error(masked_loss, x, actual * mask, "directional", direction_rng))
            # a direction confined to block k: only that block of the gradient counts
    wrong = [gate for gate, err in zip(ref.GATES, errors) if not err <= GRADIENT_TOL]
    right = [gate for gate in ref.GATES if gate not in wrong]
    if not wrong or not right:
        return ""
    where = ", ".join(GATE_NAMES[gate] for gate in wrong)
    hint = f"Hint: {name} is wrong in the rows of the {where} and right in the others."
    if set(wrong) == {"i", "f", "o"}:
        hint += " The three sigmoid gates are wrong and the tanh candidate is right: sigma'(a) = sigma(a) (1 - sigma(a))."
    elif wrong == ["g"]:
        hint += " The candidate is g = tanh(a_g): its derivative is 1 - g**2."
    elif wrong == ["f"]:
        hint += " The forget gate multiplies c_prev: dA_f = dc * c_prev * f * (1 - f)."
    elif wrong == ["o"]:
        hint += " The output gate multiplies tanh(c_next): dA_o = dh_next * tanh(c_next) * o * (1 - o)."
    return hint


# --- the checks ------------------------------------------------------------------------------------


def check_forward(student, name, reference, args, where, weights_at, expected_names):
    """Outputs of a forward function against the reference (a function returning a tuple of arrays)."""
    run = student.run(name, args)
    label = f"{name} ({where})"
    expect_unmodified(run, label)
    expected = reference(*args)
    for out, exp, out_name in zip(run.outputs, expected, expected_names):
        out = expect_array(out, out_name, exp.shape, label)
        try:
            expect_close(out, exp, out_name, label)
        except GradingError as error:
            hint = order_hint(out, lambda *a, k=expected_names.index(out_name): reference(*a)[k], args, weights_at)
            raise GradingError(f"{error}\n{hint}".rstrip(), out_name) from None
    return run


def gradient_failure(student, forward, backward, reference, args, douts, where, rng):
    """The GradingError of the first wrong gradient of `backward` for these upstream gradients, or None.

    The loss is sum over outputs of dout * reference output; every gradient is compared with its
    central differences (full for small arrays, directional for large ones).
    """
    run = student.run(forward, args, backward, douts)
    label = f"{backward} ({where})"
    expect_unmodified(run, label)
    names = student.contract[backward].outputs
    if len(run.grads) != len(args):
        raise GradingError(f"{label}: returned {len(run.grads)} gradients, expected {len(args)}: {', '.join(names)}.")

    def loss():
        return float(sum(np.sum(d * out) for d, out in zip(douts, reference(*args))))

    for k, (grad_name, grad, x) in enumerate(zip(names, run.grads, args)):
        grad = expect_array(grad, grad_name, x.shape, label)
        key = (reference.__module__, reference.__name__, k, *douts, *args)
        try:
            expect_gradient(grad, loss, x, grad_name, label, rng, key=key)
        except GradingError as error:
            hint = block_hint(grad, loss, x, grad_name, rng) if grad_name in PARAMETERS else ""
            return GradingError(f"{error}\n{hint}".rstrip(), grad_name), run
    return None, run


def step_with_both_states(*args):
    return ref.lstm_step(*args)


def lstm_step_forward(student):
    for where, p in cases():
        check_forward(
            student, "lstm_step_forward", step_with_both_states, step_args(p), where, (3, 4, 5), ("h_next", "c_next")
        )


def lstm_step_backward(student):
    name, forward = "lstm_step_backward", "lstm_step_forward"
    for where, p in cases(SHAPES + [LARGE_SHAPE]):
        args = step_args(p)
        dh = p["rng"].standard_normal(p["h0"].shape)
        dc = p["rng"].standard_normal(p["h0"].shape)
        failure, _ = gradient_failure(student, forward, name, step_with_both_states, args, [dh, dc], where, p["rng"])
        if failure is None:
            continue
        # Which upstream path is mishandled: only dh_next, then only dc_next.
        zero = np.zeros_like(dh)
        only_h, _ = gradient_failure(student, forward, name, step_with_both_states, args, [dh, zero], where, p["rng"])
        only_c, run = gradient_failure(student, forward, name, step_with_both_states, args, [zero, dc], where, p["rng"])
        if only_c is not None and only_h is None:
            if not any(np.any(np.asarray(g)) for g in run.grads):
                hint = "with dh_next = 0 every gradient you return is zero: dc_next is ignored. It reaches the step "
            else:
                hint = "the gradients are right when only dh_next is nonzero and wrong when only dc_next is: "
            hint += "dc_next is part of the cell state's gradient, dc = dc_next + dh_next * o * (1 - tanh(c_next)**2)."
        elif only_h is not None and only_c is None:
            hint = (
                "the gradients are right when only dc_next is nonzero and wrong when only dh_next is: dh_next reaches "
                "the cell state through h_next = o * tanh(c_next), so dc = dc_next + dh_next * o * (1 - tanh(c_next)**2), "
                "and the output gate through dA_o = dh_next * tanh(c_next) * o * (1 - o)."
            )
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
        failure, run = gradient_failure(student, forward, name, lambda *a: (ref.lstm(*a),), args, [dh], where, p["rng"])
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
