"""Hints of the exercise "The LSTM, forward and backward": the gates stacked in another order, one of the two
upstream gradients (through h or through c) mishandled, a gradient right in some gate blocks and wrong in
others, a state not carried back through time; and for the two paths of the cell state's gradient, known wrong
splits computed from the reference and compared with the student's norms."""

from itertools import permutations

import numpy as np

from autograder.diagnose import gates
from autograder.gradcheck import rel_error
from autograder.patterns import MATCH_TOL
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
PATH_HINTS = {
    "reversed": (
        "the entries are in reverse order: on_path[t] and off_path[t] belong to the cell state c[:, t], so "
        "off_path[T - 1] = 0 and on_path[T - 1] is the mean norm of dL/dc[:, T - 1]."
    ),
    "same step": (
        "the part on the path steps back from c[:, t + 1] to c[:, t] through the forget gate of step t + 1, the one "
        "that multiplies c[:, t] in c[:, t + 1] = f[:, t + 1] * c[:, t] + ...: on[:, t] = f[:, t + 1] * on[:, t + 1], "
        "not f[:, t] * on[:, t + 1]."
    ),
    "other gate": (
        "the part on the path goes back along the cell states only, one forget gate per step (dc_prev = dc * f), "
        "not through the {gate}."
    ),
    "from dh_last": (
        "the part on the path starts from the last cell state's gradient, dL/dc[:, T - 1] = dh_last * o * "
        "(1 - tanh(c[:, T - 1])**2), not from dh_last, which is the gradient on h[:, T - 1]."
    ),
    "sum": "on_path[t] and off_path[t] are means over the batch of each example's norm, not their sum.",
    "whole batch": "on_path[t] and off_path[t] are means over the batch of each example's norm, not the norm of the "
    "whole (N, H) array.",
    "mean square": "on_path[t] and off_path[t] are means of norms, not of squared norms.",
    "batch axis": (
        "on_path[t] and off_path[t] are means over the batch of the norm of each example's vector, "
        "np.linalg.norm(v, axis=1).mean() for v of shape (N, H), not norms over the batch (axis=0) averaged over the "
        "hidden units."
    ),
    "time order": (
        "the forget gates on the path are those of the steps it crosses, from the end back: on[:, t] = f[:, t + 1] * "
        "... * f[:, T - 1] * dL/dc[:, T - 1]; yours are taken in time order from the start, f[:, 1], f[:, 2], ...."
    ),
    "each cell state": (
        "the part on the path carries dL/dc[:, T - 1], the last cell state's gradient, back one forget gate per "
        "step: on[:, t] = f[:, t + 1] * on[:, t + 1], not f[:, t + 1] * dL/dc[:, t + 1], which holds the parts "
        "that came off the path too."
    ),
    "whole dc": (
        "off_path is the norm of what is left of dL/dc[:, t] once the part on the path is taken away, "
        "dL/dc[:, t] - on[:, t], not of dL/dc[:, t] itself."
    ),
    "dh": (
        "off_path is the rest of the cell state's gradient, dL/dc[:, t] - on[:, t], not the hidden state's gradient "
        "dL/dh[:, t]."
    ),
    "norm difference": (
        "off_path[t] is the mean norm of the difference dL/dc[:, t] - on[:, t], not the difference of the two norms."
    ),
}


def order_hint(actual, reference, args, weights_at):
    """The hint naming the gate order in which the student's forward reads the blocks, if another order explains
    the output; "" otherwise.

    Inputs:
    - actual: the student's (wrong) output
    - reference: function(*args) -> the output to compare
    - args: the arguments given, in the contract's order
    - weights_at: indices of Wx, Wh, b in args
    """
    order = gates.read_order(actual, reference, args, weights_at, ORDERS, ref.GATES)
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
    order, wrong, numeric = gates.wrong_blocks(actual, loss, x, rng, ref.GATES, ORDERS)
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
    - again: function(douts) -> (GradingError or None, Call), the check on other upstream gradients
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


def carried(start, factors):
    """The vectors (N, T, H) that start (N, H) becomes at each step when it is carried back from the last step,
    multiplied by factors[:, t] (N, T - 1, H) on the way from step t + 1 to step t."""
    vectors = [start]
    for t in range(factors.shape[1] - 1, -1, -1):
        vectors.append(factors[:, t] * vectors[-1])
    return np.stack(vectors[::-1], axis=1)


def reduced(v, how="mean"):
    """(T,): the norms of each example's v[n, t] (v (N, T, H)) reduced over the batch: "mean" (the contract's),
    "sum", "mean square", "whole batch" (the norm of the (N, H) array of each step) or "batch axis" (norms over the
    batch, averaged over the hidden units)."""
    norms = np.sqrt(np.sum(v * v, axis=2))  # (N, T)
    ways = {
        "mean": lambda: norms.mean(axis=0),
        "sum": lambda: norms.sum(axis=0),
        "mean square": lambda: np.mean(norms**2, axis=0),
        "whole batch": lambda: np.sqrt(np.sum(v * v, axis=(0, 2))),
        "batch axis": lambda: np.sqrt(np.sum(v * v, axis=0)).mean(axis=-1),
    }
    return ways[how]()


def paths_mistakes(args):
    """Known wrong answers of lstm_gradient_paths, and the right one.

    Inputs:
    - args: x, h0, Wx, Wh, b, dh_last, the arguments given
    Returns:
    - list of (hint, on_path or None, off_path or None), None for an output the mistake says nothing about
    - (on_path, off_path) of the reference
    """
    dh, dc = ref.state_gradients(*args)
    gate = dict(zip(ref.GATES, ref.sequence_gates(*args[:5])))
    on, off = ref.path_parts(dc, gate["f"])
    right, full, last, f = (reduced(on), reduced(off)), reduced(dc), dc[:, -1], gate["f"]
    found = [(PATH_HINTS["reversed"], right[0][::-1], right[1][::-1])]
    found += [(PATH_HINTS["same step"], reduced(carried(s, f[:, :-1])), None) for s in (last, f[:, -1] * last)]
    found += [
        (PATH_HINTS["other gate"].format(gate=GATE_NAMES[g]), reduced(carried(last, gate[g][:, 1:])), None)
        for g in "igo"
    ]
    found.append((PATH_HINTS["from dh_last"], reduced(carried(args[5], f[:, 1:])), None))
    found += [(PATH_HINTS["time order"], reduced(carried(last, f[:, 1:][:, ::-1])), None)]
    stepped = np.concatenate([f[:, 1:] * dc[:, 1:], dc[:, -1:]], axis=1)  # each step from the next full gradient
    found += [(PATH_HINTS["each cell state"], reduced(stepped), reduced(dc - stepped))]
    ways = ("sum", "whole batch", "mean square", "batch axis")
    found += [(PATH_HINTS[how], reduced(on, how), reduced(off, how)) for how in ways]
    found += [(PATH_HINTS["whole dc"], None, full), (PATH_HINTS["dh"], None, reduced(dh))]
    found += [(PATH_HINTS["norm difference"], None, d) for d in (full - right[0], np.abs(full - right[0]))]
    return found, right


def paths_hint(on_path, off_path, args):
    """The hint of the first known wrong answer of lstm_gradient_paths that the student's outputs equal, in the
    outputs it says something about (it must differ from the right answer in one of them); "" when none does."""
    mistakes, right = paths_mistakes(args)
    for hint, *wrong in mistakes:
        parts = [(a, w, r) for a, w, r in zip((on_path, off_path), wrong, right) if w is not None]
        if all(rel_error(a, w) < MATCH_TOL for a, w, _ in parts) and any(
            rel_error(w, r) > MATCH_TOL for _, w, r in parts
        ):
            return hint
    return ""
