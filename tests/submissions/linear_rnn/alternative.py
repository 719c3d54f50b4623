"""A correct submission written in another style than the solution: it must keep full marks.

The loop keeps a list of states and stacks them, dict caches, a backward loop that forms da step by step; the scan
folds h0 in as a pair of its own (1, h0) before the first step and pads each shifted copy with the identity pair
(1, 0) instead of slicing in place; its backward pass flips with np.flip and shifts a with np.pad; minGRU by
einsum, its sigmoid through tanh.
Each function is pasted into the answer cell of the same name.
"""

import numpy as np


def linear_recurrence_forward(a, b, h0):
    states = [h0]
    for a_t, b_t in zip(np.moveaxis(a, 1, 0), np.moveaxis(b, 1, 0)):
        states.append(a_t * states[-1] + b_t)
    return np.stack(states[1:], axis=1), {"a": a, "states": states}


def linear_recurrence_backward(dh, cache):
    a, states = cache["a"], cache["states"]
    da, db = np.empty_like(dh), np.empty_like(dh)
    delta = np.zeros_like(states[0])
    for t in range(dh.shape[1] - 1, -1, -1):
        delta = dh[:, t] + (a[:, t + 1] * delta if t + 1 < dh.shape[1] else 0.0)
        db[:, t] = delta
        da[:, t] = delta * states[t]
    return da, db, a[:, 0] * db[:, 0]


def parallel_scan(a, b, h0):
    N, T, H = a.shape
    A = np.concatenate([np.ones((N, 1, H)), a], axis=1)  # the pair (1, h0) first: B then holds h itself
    B = np.concatenate([h0[:, None, :], b], axis=1)
    k = 1
    while k <= T:
        A_before = np.concatenate([np.ones((N, k, H)), A[:, :-k]], axis=1)  # the identity pair where none is
        B_before = np.concatenate([np.zeros((N, k, H)), B[:, :-k]], axis=1)
        A, B = A * A_before, A * B_before + B
        k *= 2
    h = B[:, 1:]
    return h, {"a": a, "h0": h0, "h": h}


def parallel_scan_backward(dh, cache):
    a, h0, h = cache["a"], cache["h0"], cache["h"]
    a_next = np.pad(a[:, 1:], ((0, 0), (0, 1), (0, 0)))
    delta_flipped, _ = parallel_scan(np.flip(a_next, axis=1), np.flip(dh, axis=1), np.zeros_like(h0))
    delta = np.flip(delta_flipped, axis=1)
    h_before = np.concatenate([h0[:, None, :], h[:, :-1]], axis=1)
    return delta * h_before, np.array(delta), a[:, 0] * delta[:, 0]


def min_gru_forward(x, h0, Wz, bz, Wh, bh):
    z = 0.5 * (1.0 + np.tanh(0.5 * (np.einsum("ntd,hd->nth", x, Wz) + bz)))
    h_tilde = np.einsum("ntd,hd->nth", x, Wh) + bh
    h, scan = parallel_scan(1.0 - z, z * h_tilde, h0)
    return h, {"x": x, "Wz": Wz, "Wh": Wh, "z": z, "h_tilde": h_tilde, "scan": scan}


def min_gru_backward(dh, cache):
    z, h_tilde, x = cache["z"], cache["h_tilde"], cache["x"]
    da, db, dh0 = parallel_scan_backward(dh, cache["scan"])
    du_z = (db * h_tilde - da) * z * (1.0 - z)
    du_h = db * z
    dx = np.einsum("nth,hd->ntd", du_z, cache["Wz"]) + np.einsum("nth,hd->ntd", du_h, cache["Wh"])
    dWz = np.einsum("nth,ntd->hd", du_z, x)
    dWh = np.einsum("nth,ntd->hd", du_h, x)
    return dx, dh0, dWz, du_z.sum(axis=(0, 1)), dWh, du_h.sum(axis=(0, 1))
