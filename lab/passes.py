"""Forward pass and BPTT of S stacked networks of one cell, for a loss on the last state.

Each pass takes a stack p (lab.networks), inputs xs (S, T, N, D) and `output`, a function of the last
state o_T (S, N, H) that returns (delta_T, grads): the gradient dL/do_T (S, N, H) and a dict that
already holds the output layer's gradients (or (None, None) to skip the backward pass). The pass
returns that dict with the gradients of the cell added, one per array of p, summed over the
sequences and the steps (eq-bptt-grad-params of the book).

The equations are those of the chapters: the RNN's of `bptt`, the LSTM's of `lstm`, the GRU's of
`gru`, with the examples as rows: the lecture's w' o_{t-1} is o_{t-1} @ w'^T here.
"""

import numpy as np


def input_parts(p, xs):
    """w_g x_t + b_g of every network, part, step and sequence, in one product for all steps.

    Inputs:
    - p: a stack; xs: inputs (S, T, N, D)
    Returns:
    - array (S, G, T, N, H)
    """
    S, T, N, D = xs.shape
    G, H = p["w"].shape[1:3]
    rows = xs.reshape(S, 1, T * N, D) @ p["w"].transpose(0, 1, 3, 2)  # (S, G, T N, H)
    return (rows + p["b"]).reshape(S, G, T, N, H)


def sums_over_time(grads, d_a, xs, states_before, d_a_prime=None):
    """Adds the gradients of w, b (from d_a) and of w' (from d_a_prime, by default d_a) to grads.

    Inputs:
    - grads: dict, changed in place and returned
    - d_a: (S, G, T, N, H), dL/da at every part, step and sequence
    - xs: (S, T, N, D); states_before: (S, T, N, H), the states o_{t-1}
    - d_a_prime: like d_a, the gradient seen by w' where it differs (the GRU's candidate)
    Returns:
    - grads, with w (S, G, H, D), b (S, G, 1, H) and w_prime (S, G, H, H)
    """
    S, G, T, N, H = d_a.shape
    d_a_prime = d_a if d_a_prime is None else d_a_prime
    columns = d_a.reshape(S, G, T * N, H).transpose(0, 1, 3, 2)  # (S, G, H, T N)
    grads["w"] = columns @ xs.reshape(S, 1, T * N, -1)
    grads["b"] = d_a.sum(axis=(2, 3))[:, :, None]
    columns_prime = d_a_prime.reshape(S, G, T * N, H).transpose(0, 1, 3, 2)
    grads["w_prime"] = columns_prime @ states_before.reshape(S, 1, T * N, H)
    return grads


def rnn_pass(p, xs, output, record=None):
    """S tanh RNNs: o_t = tanh(w x_t + w' o_{t-1} + b), o_0 = 0, and BPTT.

    record: None, or a dict that receives "delta_norms" (S, T + 1): the mean over the sequences of
    ||dL/do_t|| for t = 0..T (the chapters' vanishing-gradient measurement).
    Returns the gradients (see the module's docstring).
    """
    S, T, N, _ = xs.shape
    H = p["w_prime"].shape[-1]
    u = input_parts(p, xs)[:, 0]
    w_prime_rows = p["w_prime"][:, 0].transpose(0, 2, 1)
    os = np.zeros((S, T + 1, N, H), xs.dtype)
    for k in range(T):  # step k + 1 of the math
        os[:, k + 1] = np.tanh(u[:, k] + os[:, k] @ w_prime_rows)
    delta, grads = output(os[:, T])
    if delta is None:
        return grads
    f_prime = 1 - os[:, 1:] ** 2
    d_a = np.empty((S, 1, T, N, H), xs.dtype)
    norms = np.empty((S, T + 1)) if record is not None else None
    for k in reversed(range(T)):
        if norms is not None:
            norms[:, k + 1] = np.linalg.norm(delta, axis=-1).mean(axis=-1)
        d_a[:, 0, k] = delta * f_prime[:, k]
        delta = d_a[:, 0, k] @ p["w_prime"][:, 0]  # delta_{t-1} = w'^T (f'(a_t) delta_t), as rows
    if norms is not None:
        norms[:, 0] = np.linalg.norm(delta, axis=-1).mean(axis=-1)
        record["delta_norms"] = norms
    return sums_over_time(grads, d_a, xs, os[:, :-1])


def lstm_pass(p, xs, output, record=None):
    """S LSTMs, parts i, f, g, o, from h_0 = c_0 = 0, and BPTT with the gradient gamma on the cell state.

    The sigmoid is (1 + tanh(a / 2)) / 2, so one tanh call gives the sigmoids of i, f, o and the tanh of g.
    record: unused (the same signature as the other passes).
    Returns the gradients (see the module's docstring).
    """
    S, T, N, _ = xs.shape
    H = p["w_prime"].shape[-1]
    u = input_parts(p, xs)
    w_prime_rows = p["w_prime"].transpose(0, 1, 3, 2)
    hs = np.zeros((S, T + 1, N, H), xs.dtype)
    cs = np.zeros((S, T + 1, N, H), xs.dtype)
    gates = np.empty((S, 4, T, N, H), xs.dtype)
    scale = np.array([0.5, 0.5, 1.0, 0.5], xs.dtype)[:, None, None]
    shift = np.array([0.5, 0.5, 0.0, 0.5], xs.dtype)[:, None, None]
    for k in range(T):  # step k + 1 of the math
        gate = gates[:, :, k]
        np.tanh((u[:, :, k] + hs[:, None, k] @ w_prime_rows) * scale, out=gate)
        gate *= scale
        gate += shift
        cs[:, k + 1] = gate[:, 1] * cs[:, k] + gate[:, 0] * gate[:, 2]
        hs[:, k + 1] = gate[:, 3] * np.tanh(cs[:, k + 1])
    delta, grads = output(hs[:, T])
    if delta is None:
        return grads
    i, f, g, o = gates[:, 0], gates[:, 1], gates[:, 2], gates[:, 3]
    tanh_c = np.tanh(cs[:, 1:])
    to_cell = o * (1 - tanh_c**2)
    cell_to_parts = np.stack([g * i * (1 - i), cs[:, :-1] * f * (1 - f), i * (1 - g**2)], axis=1)
    to_output_gate = tanh_c * o * (1 - o)
    d_a = np.empty((S, 4, T, N, H), xs.dtype)
    gamma = np.zeros((S, N, H), xs.dtype)  # dL/dc_t
    for k in reversed(range(T)):
        gamma = gamma + delta * to_cell[:, k]
        d_a[:, :3, k] = gamma[:, None] * cell_to_parts[:, :, k]
        d_a[:, 3, k] = delta * to_output_gate[:, k]
        delta = (d_a[:, :, k] @ p["w_prime"]).sum(axis=1)
        gamma = gamma * f[:, k]
    return sums_over_time(grads, d_a, xs, hs[:, :-1])


def gru_pass(p, xs, output, record=None):
    """S GRUs, parts r, z, n, in the form of torch.nn.GRU (reset after the product), from o_0 = 0.

    r = sigma(w_r x + w'_r o + b_r + b'_r), z likewise, n = tanh(w_n x + b_n + r (w'_n o + b'_n)),
    o_t = (1 - z) n + z o_{t-1}. The factors of the backward pass that do not depend on delta are
    computed for all steps at once. record: unused.
    Returns the gradients (see the module's docstring), with b_prime (S, 3, 1, H).
    """
    S, T, N, _ = xs.shape
    H = p["w_prime"].shape[-1]
    u = input_parts(p, xs)
    w_prime_rows = p["w_prime"].transpose(0, 1, 3, 2)
    b_prime = p["b_prime"]
    os = np.zeros((S, T + 1, N, H), xs.dtype)
    gates = np.empty((S, 2, T, N, H), xs.dtype)  # r, z
    n, m = np.empty((S, T, N, H), xs.dtype), np.empty((S, T, N, H), xs.dtype)
    for k in range(T):  # step k + 1 of the math
        from_state = os[:, None, k] @ w_prime_rows + b_prime  # w'_g o_{t-1} + b'_g for g = r, z, n
        gate = gates[:, :, k]
        np.tanh(0.5 * (u[:, :2, k] + from_state[:, :2]), out=gate)  # sigma(a) = (1 + tanh(a / 2)) / 2
        gate *= 0.5
        gate += 0.5
        m[:, k] = from_state[:, 2]
        n[:, k] = np.tanh(u[:, 2, k] + gate[:, 0] * m[:, k])
        os[:, k + 1] = n[:, k] + gate[:, 1] * (os[:, k] - n[:, k])
    delta, grads = output(os[:, T])
    if delta is None:
        return grads
    r, z = gates[:, 0], gates[:, 1]
    to_candidate = (1 - z) * (1 - n**2)
    factors = np.stack([to_candidate * m * r * (1 - r), (os[:, :-1] - n) * z * (1 - z), to_candidate * r], axis=1)
    d_a_prime = np.empty((S, 3, T, N, H), xs.dtype)  # dL/da^r, dL/da^z, dL/dm
    deltas = np.empty((S, T, N, H), xs.dtype)
    for k in reversed(range(T)):
        deltas[:, k] = delta
        d_a_prime[:, :, k] = delta[:, None] * factors[:, :, k]
        delta = delta * z[:, k] + (d_a_prime[:, :, k] @ p["w_prime"]).sum(axis=1)
    d_a = d_a_prime.copy()
    d_a[:, 2] = deltas * to_candidate  # dL/da^n: the input side sees it without the reset gate
    grads = sums_over_time(grads, d_a, xs, os[:, :-1], d_a_prime)
    grads["b_prime"] = d_a_prime.sum(axis=(2, 3))[:, :, None]
    return grads


PASSES = {"RNN": rnn_pass, "LSTM": lstm_pass, "GRU": gru_pass}
