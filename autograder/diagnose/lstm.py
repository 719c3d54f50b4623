"""Hints of the exercise "The LSTM, forward and backward": the gates stacked in another order, one of the two
upstream gradients (through h or through c) mishandled, a gradient right in some gate blocks and wrong in
others, a state not carried back through time."""

from itertools import permutations

import numpy as np

from autograder.diagnose import gates
from autograder.diagnose.patterns import MATCH_TOL
from autograder.gradcheck import rel_error
from autograder.reference import lstm as ref

ORDERS = ["".join(p) for p in permutations(ref.GATES) if "".join(p) != ref.GATES]
GATE_NAMES = {"i": "input gate i", "f": "forget gate f", "g": "candidate g", "o": "output gate o"}
PARAMETERS = ("dWx", "dWh", "db")  # gradients whose rows are four gate blocks
STEP_WEIGHTS, SEQUENCE_WEIGHTS = (3, 4, 5), (2, 3, 4)  # where Wx, Wh, b are in the arguments
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
ONE_GATE_HINTS = {
    "g": " The candidate is g = tanh(a_g), whose derivative is 1 - g**2, and it multiplies i.",
    "f": " The forget gate multiplies c_prev: dA_f = dc * c_prev * f * (1 - f).",
    "o": " The output gate multiplies tanh(c_next): dA_o = dh_next * tanh(c_next) * o * (1 - o).",
}
SIGMOIDS_HINT = " The sigmoid gates are wrong and the tanh candidate is right: sigma'(a) = sigma(a) (1 - sigma(a))."
HELD_C_HINT = (
    "it is the gradient you would get if the cell state's gradient stopped at each step: pass the dc_prev "
    "returned by step t + 1 as the dc_next of step t."
)
NOT_CARRIED_HINT = (
    "are both gradients carried back to the previous step (dh_prev added to dh[:, t], dc_prev passed as "
    "dc_next), and the parameter gradients of all steps summed?"
)


def order_hint(actual, reference, args, weights_at):
    """The hint naming the gate order in which the student's forward reads the blocks, if another order explains
    the output; "" otherwise.

    Inputs:
    - actual: the student's (wrong) output
    - reference: function(*args) -> the output to compare
    - args: the arguments given, in the contract's order
    - weights_at: indices of Wx, Wh, b in args
    """
    order = gates.read_order(actual, reference, args, weights_at, ORDERS, ref.read_in_order)
    if order is None:
        return ""
    return (
        f"your code reads the blocks of Wx, Wh and b in the order {', '.join(order)}; the contract's order is "
        "i, f, g, o (as torch.nn.LSTM): rows 0:H input gate, H:2H forget gate, 2H:3H candidate g, "
        "3H:4H output gate."
    )


def step_forward_hint(value, k, actual, expected, args):
    """The hint for a wrong output of lstm_step_forward (c_next is checked first, k = 0, then h_next)."""
    position = ("h_next", "c_next").index(value)  # in the tuple of ref.lstm_step
    hint = order_hint(actual, lambda *a: ref.lstm_step(*a)[position], args, STEP_WEIGHTS)
    return hint or (f"c_next is right; check the formula of {value}." if k > 0 else "")


def sequence_hint(value, k, h, expected, args):
    """Why the hidden states h of lstm_forward are wrong, when a known mistake explains them; "" otherwise."""
    hint = order_hint(h, ref.lstm, args, SEQUENCE_WEIGHTS)
    if hint:
        return hint
    x, h0, Wx, Wh, b = args
    if rel_error(h, ref.lstm_states(*args, c0=h0)[0]) < MATCH_TOL:
        return "your cell state starts from h0; the initial cell state c0 is zero."
    if expected.shape[1] > 1 and rel_error(h[:, 0], expected[:, 0]) < MATCH_TOL:
        return (
            "the first step is right and the later ones are not: pass h_next and c_next of each step on "
            "as h_prev and c_prev of the next."
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
    order, wrong, numeric = gates.wrong_blocks(actual, loss, x, rng, ref.GATES, ORDERS, ref.read_in_order)
    if order:
        return gates.stacked_in_order_hint(name, order, ref.GATES)
    # A block whose true gradient is zero (the forget gate's when c_prev = 0) shows nothing.
    informative = [gate for gate, size in zip(ref.GATES, block_sizes(numeric)) if size > 0]
    right = [gate for gate in informative if gate not in wrong]
    if not wrong or not right:
        return ""
    where = ", ".join(GATE_NAMES[gate] for gate in wrong)
    hint = f"{name} is wrong in the rows of the {where} and right in the rows of {', '.join(right)}."
    if "g" in right and set(wrong) <= {"i", "f", "o"} and len(wrong) > 1:
        return hint + SIGMOIDS_HINT
    return hint + ONE_GATE_HINTS.get("".join(wrong), "")


def gradient_hints(attempt, wrong):
    """diagnose for gradient_failure: a block hint for each wrong parameter gradient that is not simply scaled.

    Inputs:
    - attempt: the Attempt (its loss, and its case's Generator for directional checks)
    - wrong: the Wrong gradients, in the contract's order
    Returns:
    - list of hints, one per wrong gradient ("" for none)
    """
    rng = attempt.case.p["rng"]
    return [
        block_hint(w.grad, attempt.loss, w.x, w.name, rng)
        if w.name in PARAMETERS and w.error.pattern != "scaled"
        else ""
        for w in wrong
    ]


def upstream_hint(again, douts):
    """Which of the two upstream gradients of lstm_step_backward is mishandled, from two more runs: only dh_next
    nonzero, then only dc_next; "" when both or neither fail.

    Inputs:
    - again: function(douts) -> (GradingError or None, Run), the check on other upstream gradients
    - douts: [dh_next, dc_next] of the failed check
    """
    dh, dc = douts
    zero = np.zeros_like(dh)
    only_h, _ = again([dh, zero])
    only_c, run = again([zero, dc])
    if only_c is not None and only_h is None:
        ignored = not any(np.any(np.asarray(grad)) for grad in run.grads)
        return UPSTREAM_HINTS["c ignored" if ignored else "c wrong"]
    if only_h is not None and only_c is None:
        return UPSTREAM_HINTS["h wrong"]
    return ""


def held_gradient_hint(value, grad, args, douts, case):
    """held_hint of lstm_backward (hidden.common.sequence_check): whether the wrong gradient `value`, grad, is
    the one obtained when c, or h, is not carried back through time; the hint's words. args are lstm_forward's,
    douts [dh], and the directions come from case.p["rng"]."""
    (dh,) = douts
    hs, cs = ref.lstm_states(*args)
    h0 = args[1]
    previous = {"hold_h": gates.previous_states(h0, hs), "hold_c": gates.previous_states(np.zeros_like(h0), cs)}
    target = args[("dx", "dh0", "dWx", "dWh", "db").index(value)]
    for held, message in (("hold_c", HELD_C_HINT), ("hold_h", gates.HELD_H_HINT)):

        def loss(held=held):
            return float(np.sum(dh * ref.lstm_states(*args, **{held: previous[held]})[0]))

        if gates.matches_held(loss, target, grad, case.p["rng"]):
            return message
    return NOT_CARRIED_HINT
