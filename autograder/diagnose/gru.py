"""Hints of the exercise "The GRU, forward and backward": another published form of the GRU (z and 1 - z
swapped, the reset applied before the matrix product, the recurrent bias of the candidate outside the
reset), the gates stacked in another order, the direct path z * h_prev missing from dh_prev, a parameter
gradient right in some gate blocks and wrong in others, a gradient not carried back through time."""

import numpy as np

from autograder.diagnose import gates
from autograder.gradcheck import rel_error
from autograder.patterns import MATCH_TOL
from autograder.reference import gru as ref

GATE_NAMES = {"r": "reset gate r", "z": "update gate z", "n": "candidate n"}
PARAMETERS = ("dWx", "dWh", "dbx", "dbh")  # gradients whose rows are three gate blocks
WEIGHTS = (2, 3, 4, 5)  # where Wx, Wh, bx, bh are in the arguments of a step and of a sequence
FORM_HINTS = {  # {subject} is "your code", or the function whose forward pass computes the form
    "swap_z": (
        "{subject} computes h_next = z * n + (1 - z) * h_prev, the form with z and 1 - z swapped. "
        "The contract's, like torch.nn.GRU's, keeps the previous state with weight z: "
        "h_next = (1 - z) * n + z * h_prev."
    ),
    "reset_before": (
        "{subject} applies the reset before the matrix product, n = tanh(x Wxn^T + bxn + (r * h_prev) Whn^T "
        "+ bhn), the form of Cho et al. (2014). The contract's, like torch.nn.GRU's, applies it after the product: "
        "n = tanh(x Wxn^T + bxn + r * (h_prev Whn^T + bhn))."
    ),
    "bias_outside": (
        "{subject} adds the recurrent bias of the candidate outside the reset. In the contract it sits "
        "inside: n = tanh(x Wxn^T + bxn + r * (h_prev Whn^T + bhn))."
    ),
}
ORDER_HINT = (
    "{subject} reads the blocks of Wx, Wh, bx and bh in the order {order}; the contract's order is r, z, n "
    "(as torch.nn.GRU): rows 0:H reset gate, H:2H update gate, 2H:3H candidate."
)
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
DIRECT_PATH_HINT = (
    "dh_prev misses the direct path: h_next = (1 - z) * n + z * h_prev depends on h_prev directly, so "
    "dh_prev = dh_next * z + (the products of dA_r, dA_z and r * dA_n with the blocks of Wh)."
)
NOT_CARRIED_HINT = (
    "is the gradient carried back to the previous step, and are the parameter gradients of all steps summed?"
)
STEP_BACKWARD_HINT = "your gru_step_backward fails its own hidden checks: fix it first, gru_backward builds on it."


def form_hint(actual, reference, args, subject="your code"):
    """The hint naming the published form or the gate order that explains a wrong output ("" if none).

    Inputs:
    - actual: the student's (wrong) output
    - reference: ref.gru_step or ref.gru, called as reference(*args, form=...)
    - args: the arguments given, in the contract's order (weights at indices 2 to 5)
    - subject: who computes it, in the hint's words
    """
    for form, hint in FORM_HINTS.items():
        if rel_error(actual, reference(*args, form=form)) < MATCH_TOL:
            return hint.format(subject=subject)
    order = gates.read_order(actual, reference, args, WEIGHTS, ref.ORDERS, ref.GATES)
    return ORDER_HINT.format(subject=subject, order=", ".join(order)) if order else ""


def forward_hint(reference):
    """diagnose for check_forward of gru_step_forward (reference ref.gru_step) or gru_forward (ref.gru)."""

    def hint(value, k, actual, expected, args):
        return form_hint(actual, reference, args) or (
            sequence_hint(actual, expected, args) if reference is ref.gru else ""
        )

    return hint


def sequence_hint(h, expected, args):
    """Why the hidden states h of gru_forward are wrong, when a known mistake explains them; "" otherwise."""
    x, h0, *weights = args
    if rel_error(h, ref.gru(x, np.zeros_like(h0), *weights)) < MATCH_TOL:
        return "your states start from zero; start from the given h0."
    if expected.shape[1] > 1 and rel_error(h[:, 0], expected[:, 0]) < MATCH_TOL:
        return "the first step is right and the later ones are not: pass h_next of each step on as h_prev."
    return ""


def block_hint(actual, loss, x, name, rng):
    """Which gate blocks of a parameter gradient are wrong, with a guess at why ("" when no pattern shows).

    Inputs:
    - actual: the student's gradient of Wx, Wh, bx or bh (rows: 3 gate blocks)
    - loss, x: the reference loss and the parameter it reads
    - name: "dWx", "dWh", "dbx" or "dbh"
    - rng: Generator for directional checks
    """
    order, wrong, _ = gates.wrong_blocks(actual, loss, x, rng, ref.GATES, ref.ORDERS)
    if order:
        return gates.stacked_in_order_hint(name, order, ref.GATES)
    wrong = tuple(wrong)
    if not wrong or len(wrong) == 3:
        return ""
    hint = (
        f"{name} is wrong in the rows of the {', '.join(GATE_NAMES[gate] for gate in wrong)} and right in the others."
    )
    more = BLOCK_HINTS.get((name, wrong)) or BLOCK_HINTS.get(("any", wrong))
    return f"{hint} {more}" if more else hint


def direct_path_hint(dh_prev, dh_next, args, loss, rng):
    """The hint when dh_prev lacks the direct term dh_next * z of h_next = (1 - z) * n + z * h_prev; "" otherwise.

    Inputs:
    - dh_prev: the student's gradient; dh_next: the upstream gradient
    - args: the arguments of gru_step_forward; loss: the reference loss, reading args[1] (h_prev)
    - rng: Generator; a child Generator is drawn from it
    """
    _, z, _ = ref.gates(*args)
    with_direct = np.asarray(dh_prev) + dh_next * z
    return DIRECT_PATH_HINT if gates.matches_held(loss, args[1], with_direct, rng) else ""


def forward_pass_hint(run, reference, args, forward):
    """The hint when the forward pass of a backward check is wrong, which explains wrong gradients; "" otherwise."""
    expected = reference(*args)
    try:
        out = np.asarray(run.outputs[0], dtype=np.float64)
    except (TypeError, ValueError):
        out = None
    if out is None or out.shape != expected.shape:
        return f"your {forward} does not return an array of shape {expected.shape}: fix it first."
    if rel_error(out, expected) > MATCH_TOL:
        hint = form_hint(out, reference, args, subject=f"your {forward}")
        if hint:
            return hint + " The gradients are checked against the contract's form."
        return f"your {forward} is already wrong on these inputs: fix it first."
    return ""


def gradient_hints(attempt, wrong):
    """diagnose for gradient_failure: a wrong forward pass first, then the direct path, then the gate blocks.

    Inputs:
    - attempt: the Attempt (forward function, reference, arguments, upstream gradients, case, Call, loss)
    - wrong: the Wrong gradients, in the contract's order
    Returns:
    - list of hints, the one of the forward pass first ("" for none)
    """
    rng, found = attempt.case.p["rng"], []
    for w in wrong:  # every hint is computed, in order: each may draw from rng
        if w.name == "dh_prev":
            found.append(direct_path_hint(w.grad, attempt.douts[0], attempt.args, attempt.loss, rng))
        if w.name in PARAMETERS:
            found.append(block_hint(w.grad, attempt.loss, w.x, w.name, rng))
    return [forward_pass_hint(attempt.run, attempt.reference, attempt.args, attempt.forward), *found]


def held_gradient_hint(value, grad, args, douts, case):
    """held_hint of gru_backward (hidden.common.sequence_check): the hint's words for the wrong gradient `value`,
    grad, naming a state not carried back through time when it is that; as for diagnose.lstm.held_gradient_hint."""
    (dh,) = douts
    previous = gates.previous_states(args[1], ref.gru(*args))
    target = args[("dx", "dh0", "dWx", "dWh", "dbx", "dbh").index(value)]

    def loss():
        return float(np.sum(dh * ref.gru(*args, hold_h=previous)))

    return gates.HELD_H_HINT if gates.matches_held(loss, target, grad, case.p["rng"]) else NOT_CARRIED_HINT
