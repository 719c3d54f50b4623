"""Linear recurrences h_t = a_t * h_{t-1} + b_t (elementwise), by a loop and by a parallel scan.

When a_t and b_t depend on x_t alone (minGRU, lab.min_gru), every a_t and b_t is known before the first
step, and the recurrence is a scan: with the pairs (a_t, b_t) combined by the associative operator

    (a, b) o (a', b') = (a' a, a' b + b')    (the earlier pair on the left)

the prefix (a_1, b_1) o ... o (a_t, b_t) is (a_t ... a_1, h_t) for h_0 = 0. Hillis and Steele's scan
(1986) gets all T prefixes in ceil(log2 T) vectorised steps; Blelloch's (1990) does O(T) work in
2 log2 T steps. The backward pass is the same recurrence in reverse,

    delta_t = g_t + a_{t+1} * delta_{t+1},  dL/da_t = delta_t * h_{t-1},  dL/db_t = delta_t,

with g_t = dL/dh_t from the loss, so it is a scan too. For long sequences the product a_t ... a_1 of
numbers below 1 underflows; Heinsen (2023) computes the recurrence in log space instead.

Shapes: a, b, h of shape (N, T, H), time on the second-to-last axis; h0 of shape (N, H). Any leading
axes may stand for N (a stack of S networks: (S, N, T, H) and (S, N, H)).
"""

import numpy as np


def recurrence_forward(a, b, h0, record=None):
    """h_t = a_t * h_{t-1} + b_t for t = 1..T by a Python loop: T steps of depth one, O(T) work.

    Inputs:
    - a: transitions, of shape (N, T, H)
    - b: inputs, of shape (N, T, H)
    - h0: initial state, of shape (N, H)
    - record: None, or a dict that receives "steps", the number of vectorised steps (T)
    Returns a tuple of:
    - h: states h_1..h_T, of shape (N, T, H)
    - cache: values needed for the backward pass
    """
    h = np.empty(np.broadcast_shapes(a.shape, b.shape), np.result_type(a, b, h0))
    previous = h0
    for t in range(h.shape[-2]):
        previous = a[..., t, :] * previous + b[..., t, :]
        h[..., t, :] = previous
    if record is not None:
        record["steps"] = h.shape[-2]
    return h, (a, h, h0)


def recurrence_backward(dh, cache, record=None):
    """Backward pass of recurrence_forward by a loop: delta_t = dh_t + a_{t+1} * delta_{t+1}.

    Inputs:
    - dh: upstream gradient dL/dh_t (the direct part, from the loss), of shape (N, T, H)
    - cache: from recurrence_forward
    - record: as in recurrence_forward
    Returns a tuple of:
    - da: of shape (N, T, H), delta_t * h_{t-1}
    - db: of shape (N, T, H), delta_t
    - dh0: of shape (N, H), a_1 * delta_1
    """
    a, h, h0 = cache
    db = np.empty_like(h)  # delta_t, for every t
    delta = np.zeros_like(h[..., 0, :])
    for t in reversed(range(h.shape[-2])):
        delta = dh[..., t, :] + delta  # delta_t: a_{t+1} * delta_{t+1} was carried from the step after
        db[..., t, :] = delta
        delta = a[..., t, :] * delta
    if record is not None:
        record["steps"] = h.shape[-2]
    return db * previous_states(h, h0), db, delta


def previous_states(h, h0):
    """h_0..h_{T-1}, of shape (N, T, H), from h (N, T, H) and h0 (N, H): the states each step reads."""
    first = np.broadcast_to(h0[..., None, :], h[..., :1, :].shape)
    return np.concatenate([first, h[..., :-1, :]], axis=-2)


def scan(a, b, record=None):
    """Hillis-Steele inclusive scan of the pairs (a_t, b_t) over the time axis.

    Step k combines every pair t with the pair 2^k places before it (those with t > 2^k), all t at once;
    after ceil(log2 T) steps pair t holds the prefix of the first t. Depth ceil(log2 T) (0 for T = 1),
    work about T log2 T products (the sequential loop does T).

    Inputs:
    - a, b: of shape (N, T, H)
    - record: None, or a dict that receives "steps", the number of vectorised steps
    Returns a tuple of:
    - A: of shape (N, T, H), A_t = a_t * ... * a_1
    - B: of shape (N, T, H), B_t = h_t of the recurrence from h_0 = 0
    """
    shape = np.broadcast_shapes(a.shape, b.shape)
    A, B = np.broadcast_to(a, shape).copy(), np.broadcast_to(b, shape).copy()
    T, offset, steps = shape[-2], 1, 0
    while offset < T:
        # (A_s, B_s) o (A_t, B_t) with s = t - offset; numpy reads overlapping operands as they were before
        B[..., offset:, :] += A[..., offset:, :] * B[..., :-offset, :]
        A[..., offset:, :] *= A[..., :-offset, :]
        offset, steps = 2 * offset, steps + 1
    if record is not None:
        record["steps"] = steps
    return A, B


def reverse_scan(a_next, g, record=None):
    """delta_t = g_t + a_next_t * delta_{t+1}, delta_T = g_T, for all t by scan on the reversed time axis.

    Inputs:
    - a_next: of shape (N, T, H), a_next_t = a_{t+1} (a_next_T is not used)
    - g: of shape (N, T, H)
    - record: as in scan
    Returns:
    - delta: of shape (N, T, H)
    """
    _, delta = scan(np.flip(a_next, axis=-2), np.flip(g, axis=-2), record)
    return np.flip(delta, axis=-2)


def scan_forward(a, b, h0, record=None):
    """recurrence_forward by the parallel scan: h_t = A_t * h_0 + B_t (see scan).

    Inputs:
    - a, b: of shape (N, T, H); h0: of shape (N, H); record: as in scan
    Returns a tuple of:
    - h: of shape (N, T, H)
    - cache: values needed for scan_backward
    """
    A, B = scan(a, b, record)
    h = A * h0[..., None, :] + B
    return h, (a, h, h0)


def scan_backward(dh, cache, record=None):
    """recurrence_backward by the reverse scan: the same gradients da, db (N, T, H) and dh0 (N, H)."""
    a, h, h0 = cache
    a_next = np.concatenate([a[..., 1:, :], np.zeros_like(a[..., :1, :])], axis=-2)
    delta = reverse_scan(np.broadcast_to(a_next, h.shape), dh, record)
    return delta * previous_states(h, h0), delta, a[..., 0, :] * delta[..., 0, :]


def closed_form(a, b, h0):
    """h_t = A_t * (h_0 + sum_{s<=t} b_s / A_s) with A_t = a_1 ... a_t, by numpy's cumprod and cumsum.

    The vectorised form that Heinsen's log-space scan starts from: O(T) work, and wrong (nan or inf) as soon
    as some A_t underflows to 0, which a long sequence with a < 1 does.

    Inputs:
    - a, b: of shape (N, T, H), a nonzero; h0: of shape (N, H)
    Returns:
    - h: of shape (N, T, H)
    """
    A = np.cumprod(a, axis=-2)
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        return A * (h0[..., None, :] + np.cumsum(b / A, axis=-2))


def log_scan(log_a, log_b, log_h0):
    """log h_t for h_t = a_t * h_{t-1} + b_t with a > 0, b >= 0, h_0 >= 0, in log space (Heinsen 2023).

    log h_t = a*_t + log sum_{s=0..t} exp(log b_s - a*_s), with a*_t = log a_1 + ... + log a_t (a*_0 = 0)
    and b_0 = h_0: a cumulative sum and a cumulative log-sum-exp, both O(T) work (each a scan itself), and
    no product of the a's is ever formed, so nothing underflows. log 0 = -inf is allowed in b and h_0.

    Inputs:
    - log_a, log_b: of shape (N, T, H); log_h0: of shape (N, H)
    Returns:
    - log_h: of shape (N, T, H)
    """
    a_star = np.cumsum(log_a, axis=-2)
    terms = np.concatenate([np.broadcast_to(log_h0[..., None, :], a_star[..., :1, :].shape), log_b - a_star], axis=-2)
    return a_star + np.logaddexp.accumulate(terms, axis=-2)[..., 1:, :]


def log_space_forward(a, b, h0):
    """h of the recurrence for a > 0 and b, h_0 of any sign: the positive and the negative parts of b and h_0
    each through log_scan (the recurrence is linear in (b, h_0)), then h = exp(log h+) - exp(log h-).

    Inputs:
    - a: of shape (N, T, H), entries > 0; b: of shape (N, T, H); h0: of shape (N, H)
    Returns:
    - h: of shape (N, T, H)
    """
    log_a = np.log(a)
    with np.errstate(divide="ignore"):  # log 0 = -inf: the part that is absent
        parts = [log_scan(log_a, np.log(np.maximum(sign * b, 0)), np.log(np.maximum(sign * h0, 0))) for sign in (1, -1)]
    return np.exp(parts[0]) - np.exp(parts[1])
