"""Hints of the exercise "The recurrence that trains in parallel": states started from zero, b added inside the
product, a scan that stops at the largest power of two, combines its pairs in the wrong order or reads the
products it has just updated, a backward pass not carried back through time, carried with the wrong transition or
forward in time, da read from the wrong state, dh0 without a_1; minGRU with z and 1 - z swapped or without the
sigmoid's derivative; a closed form that divides by an underflowed product."""

import numpy as np

from autograder.patterns import first_match
from autograder.reference import linear_rnn as ref

ZERO_H0_HINT = "your states start from zero; start from the given h0."
ADD_INSIDE_HINT = "b_t is added after the product: h_t = a_t * h_{t-1} + b_t, not a_t * (h_{t-1} + b_t)."
POWER_OF_TWO_HINT = (
    "the scan is right when T is a power of two and wrong otherwise: it stops one step early. It needs "
    "ceil(log2 T) steps, with offsets 1, 2, 4, ... as long as the offset is less than T."
)
ORDER_HINT = (
    "the pairs are combined in the wrong order. The earlier pair goes on the left, (a, b) o (a', b') = "
    "(a' a, a' b + b'): the later transition a' multiplies the earlier result b, then b' is added."
)
STALE_HINT = (
    "the products A are updated before B reads them: in a step, B_t = A_t * B_{t-offset} + B_t must use the A_t of "
    "before the step (compute both new values from the old ones, then store them)."
)
UNDERFLOW_HINT = (
    "on this long sequence the product a_1 * ... * a_t underflows to 0, and dividing by it (the closed form with "
    "cumprod and cumsum) gives NaN or inf. A scan combines pairs and never divides."
)
NOT_CARRIED_HINT = (
    "delta_t must add what step t + 1 sends back: delta_t = dh_t + a_{t+1} * delta_{t+1}, from t = T down to 1."
)
INDEX_HINT = (
    "the gradient goes back through the transition of the step after: delta_t = dh_t + a_{t+1} * delta_{t+1} "
    "(h_t reaches h_{t+1} through a_{t+1}), not a_t."
)
NOT_REVERSED_HINT = (
    "the gradient is carried forward in time; it flows backwards: delta_t = dh_t + a_{t+1} * delta_{t+1} starts at "
    "t = T. Reverse the time axis (np.flip(..., axis=1) or [:, ::-1]) before the scan and after it."
)
PREVIOUS_STATE_HINT = "dL/da_t = delta_t * h_{t-1}, the state before step t (h0 for the first step), not h_t."
DH0_HINT = "h0 reaches h_1 through a_1: dh0 = a_1 * delta_1."
SWAPPED_HINT = (
    "z and 1 - z are swapped: in the contract (as in Feng et al.) z writes, h_t = (1 - z_t) * h_{t-1} + z_t * h~_t, "
    "so a_t = 1 - z_t and b_t = z_t * h~_t."
)
GATE_HINT = (
    "the gradients of the gate's weights are wrong and those of the candidate right: z reaches the loss through "
    "a = 1 - z and b = z * h~, so dz = -da + db * h~, and z = sigmoid(u), so du_z = dz * z * (1 - z)."
)


def scan_variant(a, b, h0, steps=None, order="contract", stale=False):
    """h of a Hillis-Steele scan done one of the wrong ways: `steps` steps only, the pairs combined in the "swapped"
    order, or (stale) B combined with the products A already updated in the step."""
    A, B = a.copy(), b.copy()
    offset, done = 1, 0
    while offset < a.shape[1] and (steps is None or done < steps):
        old_A, old_B = A[:, :-offset].copy(), B[:, :-offset].copy()
        if stale:
            A[:, offset:] = A[:, offset:] * old_A
        if order == "swapped":
            B[:, offset:] = old_A * B[:, offset:] + old_B
        else:
            B[:, offset:] = A[:, offset:] * old_B + B[:, offset:]
        if not stale:
            A[:, offset:] = A[:, offset:] * old_A
        offset, done = 2 * offset, done + 1
    return A * h0[:, None] + B


def recurrence_hint(value, k, actual, expected, args):
    """diagnose for check_forward of linear_recurrence_forward and parallel_scan: the mistake the states show."""
    a, b, h0 = args
    T = a.shape[1]
    candidates = [
        (ZERO_H0_HINT, ref.recurrence(a, b, np.zeros_like(h0))),
        (ADD_INSIDE_HINT, ref.recurrence(a, a * b, h0)),
        (ORDER_HINT, scan_variant(a, b, h0, order="swapped")),
        (STALE_HINT, scan_variant(a, b, h0, stale=True)),
    ]
    if T & (T - 1):  # not a power of two
        candidates.append((POWER_OF_TWO_HINT, scan_variant(a, b, h0, steps=T.bit_length() - 1)))
    return first_match(actual, candidates)


def underflow_hint(args):
    """The hint for states with NaN or inf where the product of the transitions underflows ("" otherwise)."""
    a = args[0]
    return UNDERFLOW_HINT if np.any(np.prod(np.abs(a), axis=1) == 0) else ""


def min_gru_hint(value, k, actual, expected, args):
    """diagnose for check_forward of min_gru_forward."""
    x, h0, *weights = args
    candidates = [
        (ZERO_H0_HINT, ref.min_gru(x, np.zeros_like(h0), *weights)),
        (SWAPPED_HINT, ref.min_gru(x, h0, *weights, form="swapped")),
    ]
    return first_match(actual, candidates)


def deltas(a, g):
    """name -> delta (N, T, H) of the right reverse recurrence and of the wrong ones: "right", "not carried",
    "index" (a_t in place of a_{t+1}), "not reversed" (the recurrence run forward in time)."""
    found = {name: np.array(g, dtype=np.float64) for name in ("right", "not carried", "index", "not reversed")}
    T = a.shape[1]
    for t in reversed(range(T - 1)):
        found["right"][:, t] += a[:, t + 1] * found["right"][:, t + 1]
        found["index"][:, t] += a[:, t] * found["index"][:, t + 1]
    for t in range(1, T - 1):  # a_{t+1} carries delta_{t-1} on, and nothing reaches the last step
        found["not reversed"][:, t] += a[:, t + 1] * found["not reversed"][:, t - 1]
    return found


def recurrence_gradients(a, h, h0, delta):
    """{"da", "db", "dh0"} from delta (N, T, H), the states h (N, T, H) and h0: the recurrence's gradients."""
    previous = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return {"da": delta * previous, "db": delta, "dh0": a[:, 0] * delta[:, 0]}


def recurrence_gradient_hints(attempt, wrong):
    """diagnose for gradient_failure of linear_recurrence_backward and parallel_scan_backward: the hint of the first
    wrong gradient that a known mistake explains."""
    a, b, h0 = attempt.args
    (g,) = attempt.douts
    h = ref.recurrence(a, b, h0)
    variants = {name: recurrence_gradients(a, h, h0, d) for name, d in deltas(a, g).items()}
    right = variants["right"]
    extra = {
        "da": [(PREVIOUS_STATE_HINT, right["db"] * h)],
        "dh0": [(DH0_HINT, right["db"][:, 0])],
    }
    hints = []
    for w in wrong:
        candidates = [(NOT_CARRIED_HINT, variants["not carried"][w.name]), (INDEX_HINT, variants["index"][w.name])]
        candidates += [(NOT_REVERSED_HINT, variants["not reversed"][w.name]), *extra.get(w.name, [])]
        hints.append(first_match(w.grad, candidates))
    return hints


def min_gru_gradient_hints(attempt, wrong):
    """diagnose for gradient_failure of min_gru_backward: the gate's gradients wrong and the candidate's right."""
    names = {w.name for w in wrong}
    gate_only = {"dWz", "dbz"} & names and not {"dWh", "dbh", "dh0"} & names
    return [GATE_HINT if gate_only else ""]


def held_hint(value, grad, args, douts, case):
    """held_hint of the recurrence's backward checks (hidden.common.sequence_check)."""
    return NOT_CARRIED_HINT
