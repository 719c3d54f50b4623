"""Forward pass and BPTT of S stacked networks of one cell.

Each pass takes a stack p (lab.networks), inputs xs (S, T, N, D) and `output`, a function of the states
o_1, ..., o_T, time-major (T, S, N, H), that returns (direct, grads): the gradient that the loss sends
straight to the states, either dL/do_T alone (S, N, H) for a loss on the last step or one per step
(T, S, N, H) for a loss at every step, and a dict that already holds the output layer's gradients (or
(None, None) to skip the backward pass). The pass returns that dict with the gradients of the cell
added, one per array of p, summed over the sequences and the steps (eq-bptt-grad-params of the book).

`state` is the state the sequence starts from (zeros if None; for the LSTM a pair (h, c)), as a language
model carries it from one chunk of a long text to the next. No gradient flows back into it: truncated
BPTT cuts the graph at the chunk's start. With a dict `record`, the pass stores the last state in
record["state"], to carry on, and with record["measure"] true also the measurements of each pass.

The equations are those of the chapters: the RNN's of `bptt`, the LSTM's of `lstm`, the GRU's of
`gru`, with the examples as rows, so that the lecture's w x_t + w' o_{t-1} is one product of the row
[x_t, o_{t-1}] with [w, w']^T (the notes' f([w', w], [x, o]) with the blocks in the order of the
row). Inside a pass, arrays are time-major, (T, S, ...): each step reads and writes one contiguous
slab, and the sums over time of the weight gradients are accumulated step by step, so no array of
the size of the whole sequence is made beyond what the backward pass must keep.
"""

import numpy as np

from lab.min_gru import min_gru_pass, signed_min_gru_pass

ROWS = ["w", "w_prime", "b"]  # the blocks of the product with [x_t, o_{t-1}, 1]


def stacked_rows(p, names):
    """The arrays `names` of a stack as one block of rows (S, G, K, H) for a product with a row of inputs.

    Weights (S, G, H, K) are transposed and biases (S, G, 1, H) taken as they are, so that with names
    w, w_prime, b the row [x_t, o_{t-1}, 1] times the block is w x_t + w' o_{t-1} + b: the bias rides
    along against a constant 1.
    """
    return np.concatenate([p[name] if name.startswith("b") else p[name].mT for name in names], axis=2)


def time_major_rows(xs, extra):
    """The time-major rows [x_t, 0 (extra - 1 entries), 1] for t = 1..T: (T, S, 1, N, D + extra).

    The zeros are where the pass writes o_{t-1}; the last entry is the constant 1 of the bias.
    """
    S, T, N, D = xs.shape
    rows = np.zeros((T, S, 1, N, D + extra), xs.dtype)
    rows[..., :D] = xs.transpose(1, 0, 2, 3)[:, :, None]
    rows[..., -1] = 1.0
    return rows


def split_rows(grads, g_rows, p, names):
    """Adds to grads the gradient of each array of stacked_rows(p, names), from that of the block (S, G, K, H)."""
    start = 0
    for name in names:
        size = p[name].shape[2] if name.startswith("b") else p[name].shape[3]
        block = g_rows[:, :, start : start + size]
        grads[name] = block.copy() if name.startswith("b") else block.mT.copy()
        start += size
    return grads


def rnn_pass(p, xs, output, record=None, state=None):
    """S tanh RNNs: o_t = tanh(w x_t + w' o_{t-1} + b) from o_0 = state (or 0), and BPTT.

    record: None, or a dict that receives "state" (S, N, H), the last state, and "delta_norms"
    (S, T + 1): the mean over the sequences of ||dL/do_t|| for t = 0..T (the chapters'
    vanishing-gradient measurement).
    Returns the gradients (see the module's docstring).
    """
    S, T, N, D = xs.shape
    H = p["w_prime"].shape[-1]
    weights = stacked_rows(p, ROWS)
    rows = time_major_rows(xs, H + 1)
    if state is not None:
        rows[0, :, 0, :, D:-1] = state
    os = np.empty((T, S, N, H), xs.dtype)  # os[k] is o_{k+1}
    for k in range(T):  # step k + 1 of the math
        np.tanh((rows[k] @ weights)[:, 0], out=os[k])
        if k + 1 < T:
            rows[k + 1, :, 0, :, D:-1] = os[k]
    if record is not None:
        record["state"] = os[T - 1].copy()
    direct, grads = output(os)
    if direct is None:
        return grads
    delta = direct[T - 1] if direct.ndim == 4 else direct
    g_rows = np.zeros_like(weights)
    norms = np.empty((S, T + 1)) if record is not None and record.get("measure") else None
    for k in reversed(range(T)):
        if k < T - 1 and direct.ndim == 4:
            delta = delta + direct[k]  # (eq-bptt-delta-rec): the direct part at step k + 1
        if norms is not None:
            norms[:, k + 1] = np.linalg.norm(delta, axis=-1).mean(axis=-1)
        d_a = (delta * (1 - os[k] ** 2))[:, None]  # f'(a_t) delta_t, (S, 1, N, H)
        g_rows += rows[k].transpose(0, 1, 3, 2) @ d_a
        delta = (d_a @ p["w_prime"])[:, 0]  # delta_{t-1} = w'^T (f'(a_t) delta_t), as rows
    if norms is not None:
        norms[:, 0] = np.linalg.norm(delta, axis=-1).mean(axis=-1)
        record["delta_norms"] = norms
    return split_rows(grads, g_rows, p, ROWS)


def lstm_pass(p, xs, output, record=None, state=None):
    """S LSTMs, parts i, f, g, o, from (h_0, c_0) = state (or zeros), and BPTT with the gradient on the cell.

    The sigmoid is (1 + tanh(a / 2)) / 2, so one tanh call gives the sigmoids of i, f, o and the tanh of g.
    record: None, or a dict that receives "state", the last (h, c), with record["keep cells"] true also
    "cells", c_1..c_T (T, S, N, H), and with record["measure"] true "on_path_norms" (S, T + 1): the
    mean over the sequences of the norm of the part of dL/dc_t on the cell-state path,
    f_{t+1} ... f_T dL/dc_T, for t = 1..T (entry 0 nan).
    Returns the gradients (see the module's docstring).
    """
    rows, weights, gates, cs, hs, tanh_cs = lstm_steps(p, xs, state)
    if record is not None:
        record["state"] = (hs[-1].copy(), cs[-1].copy())
        if record.get("keep cells"):
            record["cells"] = cs[1:].copy()  # c_1..c_T, (T, S, N, H)
    direct, grads = output(hs)
    if direct is None:
        return grads
    on_path = np.full((xs.shape[0], xs.shape[1] + 1), np.nan) if record is not None and record.get("measure") else None
    g_rows = lstm_bptt(p, rows, weights, gates, cs, tanh_cs, direct, on_path)
    if on_path is not None:
        record["on_path_norms"] = on_path
    return split_rows(grads, g_rows, p, ROWS)


def lstm_steps(p, xs, state):
    """The forward pass of lstm_pass, time-major: (rows [x_t, h_{t-1}, 1] (T, S, 1, N, D + H + 1), the stacked
    weights, gates i, f, g, o (T, S, 4, N, H), cs = c_0..c_T (T + 1, S, N, H), hs = h_1..h_T and tanh(c_1..c_T)
    (T, S, N, H)), from (h_0, c_0) = state or zeros."""
    S, T, N, D = xs.shape
    H = p["w_prime"].shape[-1]
    weights = stacked_rows(p, ROWS)
    rows = time_major_rows(xs, H + 1)
    gates = np.empty((T, S, 4, N, H), xs.dtype)
    cs = np.zeros((T + 1, S, N, H), xs.dtype)  # cs[k] is c_k
    if state is not None:
        rows[0, :, 0, :, D:-1], cs[0] = state
    hs = np.empty((T, S, N, H), xs.dtype)  # hs[k] is h_{k+1}
    tanh_cs = np.empty((T, S, N, H), xs.dtype)  # tanh(c_{k+1})
    scale = np.array([0.5, 0.5, 1.0, 0.5], xs.dtype)[:, None, None]
    shift = np.array([0.5, 0.5, 0.0, 0.5], xs.dtype)[:, None, None]
    for k in range(T):  # step k + 1 of the math
        gate = gates[k]
        gate[...] = rows[k] @ weights  # (matmul with out= skips BLAS for larger sizes)
        gate *= scale
        np.tanh(gate, out=gate)
        gate *= scale
        gate += shift
        i, f, g, o = gate[:, 0], gate[:, 1], gate[:, 2], gate[:, 3]
        np.multiply(f, cs[k], out=cs[k + 1])
        cs[k + 1] += i * g
        np.tanh(cs[k + 1], out=tanh_cs[k])
        np.multiply(o, tanh_cs[k], out=hs[k])
        if k + 1 < T:
            rows[k + 1, :, 0, :, D:-1] = hs[k]
    return rows, weights, gates, cs, hs, tanh_cs


def lstm_bptt(p, rows, weights, gates, cs, tanh_cs, direct, on_path):
    """BPTT of lstm_pass from the direct gradient (see the module's docstring): the gradient of the stacked
    weights (S, 4, D + H + 1, H). on_path: None, or an array (S, T + 1) that receives, for t = 1..T, the mean over the
    sequences of ||f_{t+1} ... f_T dL/dc_T||, the part of dL/dc_t on the cell-state path."""
    T, S, _, N, H = gates.shape
    delta = direct[T - 1] if direct.ndim == 4 else direct
    g_rows = np.zeros_like(weights)
    gamma = np.zeros((S, N, H), rows.dtype)  # dL/dc_t
    d_a = np.empty((S, 4, N, H), rows.dtype)
    along = None  # the part of gamma_t on the cell-state path
    for k in reversed(range(T)):
        if k < T - 1 and direct.ndim == 4:
            delta = delta + direct[k]
        i, f, g, o = gates[k, :, 0], gates[k, :, 1], gates[k, :, 2], gates[k, :, 3]
        tanh_c = tanh_cs[k]
        gamma += delta * o * (1 - tanh_c * tanh_c)
        if on_path is not None:
            along = gamma.copy() if along is None else along * gates[k + 1, :, 1]  # f_{t+1} times the part at t + 1
            on_path[:, k + 1] = np.linalg.norm(along, axis=-1).mean(axis=-1)
        np.multiply(gamma * g, i * (1 - i), out=d_a[:, 0])
        np.multiply(gamma * cs[k], f * (1 - f), out=d_a[:, 1])
        np.multiply(gamma * i, 1 - g * g, out=d_a[:, 2])
        np.multiply(delta * tanh_c, o * (1 - o), out=d_a[:, 3])
        g_rows += rows[k].transpose(0, 1, 3, 2) @ d_a
        delta = (d_a @ p["w_prime"]).sum(axis=1)
        gamma *= f
    return g_rows


def gru_pass(p, xs, output, record=None, state=None):
    """S GRUs, parts r, z, n, in the form of torch.nn.GRU (reset after the product), from o_0 = state (or 0).

    r = sigma(w_r x + b_r + w'_r o + b'_r), z likewise, n = tanh(w_n x + b_n + r (w'_n o + b'_n)),
    o_t = (1 - z) n + z o_{t-1}. record: None, or a dict that receives "state" (S, N, H), the last state.
    Returns the gradients (see the module's docstring), with b_prime (S, 3, 1, H).
    """
    x_rows, w_rows, w_prime_rows, os, from_input, from_state, gates = gru_steps(p, xs, state)
    H = p["w_prime"].shape[-1]
    if record is not None:
        record["state"] = os[-1, :, 0, :, :H].copy()
    direct, grads = output(os[1:, :, 0, :, :H])
    if direct is None:
        return grads
    g_w_rows, g_w_prime_rows = np.zeros_like(w_rows), np.zeros_like(w_prime_rows)
    gru_bptt(p, x_rows, os, from_state, gates, direct, g_w_rows, g_w_prime_rows)
    split_rows(grads, g_w_rows, p, ["w", "b"])
    return split_rows(grads, g_w_prime_rows, p, ["w_prime", "b_prime"])


def gru_steps(p, xs, state):
    """The forward pass of gru_pass, time-major: (rows [x_t, 1] (T, S, 1, N, D + 1), the stacked [w, b] and
    [w', b'], os = [o_k, 1] for k = 0..T (T + 1, S, 1, N, H + 1), w_g x_t + b_g and w'_g o_{t-1} + b'_g and the
    gates r, z, n (T, S, 3, N, H) each), from o_0 = state or zeros."""
    S, T, N, D = xs.shape
    H = p["w_prime"].shape[-1]
    x_rows = time_major_rows(xs, 1)  # [x_t, 1]
    w_rows, w_prime_rows = stacked_rows(p, ["w", "b"]), stacked_rows(p, ["w_prime", "b_prime"])
    os = np.zeros((T + 1, S, 1, N, H + 1), xs.dtype)  # os[k] is [o_k, 1]
    os[..., -1] = 1.0
    if state is not None:
        os[0, :, 0, :, :H] = state
    from_input = np.empty((T, S, 3, N, H), xs.dtype)  # w_g x_t + b_g
    from_state = np.empty((T, S, 3, N, H), xs.dtype)  # w'_g o_{t-1} + b'_g
    gates = np.empty((T, S, 3, N, H), xs.dtype)  # r, z, n
    for k in range(T):  # step k + 1 of the math
        from_input[k] = x_rows[k] @ w_rows
        from_state[k] = os[k] @ w_prime_rows
        gate = gates[k]
        np.add(from_input[k, :, :2], from_state[k, :, :2], out=gate[:, :2])
        gate[:, :2] *= 0.5
        np.tanh(gate[:, :2], out=gate[:, :2])  # sigma(a) = (1 + tanh(a / 2)) / 2
        gate[:, :2] *= 0.5
        gate[:, :2] += 0.5
        np.tanh(from_input[k, :, 2] + gate[:, 0] * from_state[k, :, 2], out=gate[:, 2])
        z, n = gate[:, 1], gate[:, 2]
        os[k + 1, :, 0, :, :H] = n + z * (os[k, :, 0, :, :H] - n)
    return x_rows, w_rows, w_prime_rows, os, from_input, from_state, gates


def gru_bptt(p, x_rows, os, from_state, gates, direct, g_w_rows, g_w_prime_rows):
    """BPTT of gru_pass from the direct gradient (see the module's docstring), adding the gradients of the stacked
    [w, b] and [w', b'] into g_w_rows and g_w_prime_rows."""
    T, S, _, N, H = gates.shape
    delta = direct[T - 1] if direct.ndim == 4 else direct
    d_input = np.empty((S, 3, N, H), gates.dtype)  # dL/da^r, dL/da^z, dL/da^n
    d_state = np.empty((S, 3, N, H), gates.dtype)  # dL/da^r, dL/da^z, dL/dm with m = w'_n o + b'_n
    for k in reversed(range(T)):
        if k < T - 1 and direct.ndim == 4:
            delta = delta + direct[k]
        r, z, n = gates[k, :, 0], gates[k, :, 1], gates[k, :, 2]
        o_prev = os[k, :, 0, :, :H]
        d_candidate = delta * (1 - z) * (1 - n * n)  # dL/da^n
        d_input[:, 2] = d_candidate
        np.multiply(d_candidate * from_state[k, :, 2], r * (1 - r), out=d_input[:, 0])
        np.multiply(delta * (o_prev - n), z * (1 - z), out=d_input[:, 1])
        d_state[:, :2] = d_input[:, :2]
        np.multiply(d_candidate, r, out=d_state[:, 2])
        g_w_rows += x_rows[k].transpose(0, 1, 3, 2) @ d_input
        g_w_prime_rows += os[k].transpose(0, 1, 3, 2) @ d_state
        delta = delta * z + (d_state @ p["w_prime"]).sum(axis=1)


PASSES = {"RNN": rnn_pass, "LSTM": lstm_pass, "GRU": gru_pass}
PASSES |= {"minGRU": min_gru_pass, "signed minGRU": signed_min_gru_pass}  # lab.min_gru: no w', no loop
