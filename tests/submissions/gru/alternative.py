"""A correct submission written in another style than the solution: it must keep full marks.

The weights viewed as three gate blocks on an axis of their own (reshape and einsum instead of
`x @ W.T` and slicing), a sigmoid through tanh, dict caches, and a backward pass through time that
never calls the step backward and sums the parameter gradients once after the loop.
Each function is pasted into the answer cell of the same name.
"""

import numpy as np


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    H = h_prev.shape[1]
    gx = np.einsum("ghd,nd->gnh", Wx.reshape(3, H, -1), x) + bx.reshape(3, 1, H)
    gh = np.einsum("ghk,nk->gnh", Wh.reshape(3, H, H), h_prev) + bh.reshape(3, 1, H)
    r, z = 0.5 * (1.0 + np.tanh(0.5 * (gx[:2] + gh[:2])))
    n = np.tanh(gx[2] + r * gh[2])
    h_next = n + z * (h_prev - n)
    return h_next, {"x": x, "h_prev": h_prev, "Wx": Wx, "Wh": Wh, "r": r, "z": z, "n": n, "m": gh[2]}


def gru_step_backward(dh_next, cache):
    r, z, n, m, h_prev = cache["r"], cache["z"], cache["n"], cache["m"], cache["h_prev"]
    H = h_prev.shape[1]
    d_n = dh_next * (1.0 - z) * (1.0 - np.square(n))
    d_gates_x = np.stack([d_n * m * r * (1.0 - r), dh_next * (h_prev - n) * z * (1.0 - z), d_n])  # (3, N, H)
    d_gates_h = np.stack([d_gates_x[0], d_gates_x[1], d_n * r])
    Wx3 = cache["Wx"].reshape(3, H, -1)
    Wh3 = cache["Wh"].reshape(3, H, H)
    dx = np.einsum("gnh,ghd->nd", d_gates_x, Wx3)
    dh_prev = z * dh_next + np.einsum("gnh,ghk->nk", d_gates_h, Wh3)
    dWx = np.einsum("gnh,nd->ghd", d_gates_x, cache["x"]).reshape(3 * H, -1)
    dWh = np.einsum("gnh,nk->ghk", d_gates_h, h_prev).reshape(3 * H, H)
    return dx, dh_prev, dWx, dWh, d_gates_x.sum(axis=1).ravel(), d_gates_h.sum(axis=1).ravel()


def gru_forward(x, h0, Wx, Wh, bx, bh):
    states, steps = [h0], []
    for x_t in np.moveaxis(x, 1, 0):
        h_next, step = gru_step_forward(x_t, states[-1], Wx, Wh, bx, bh)
        states.append(h_next)
        steps.append(step)
    return np.stack(states[1:], axis=1), {"x": x, "Wx": Wx, "Wh": Wh, "steps": steps}


def gru_backward(dh, cache):
    N, T, H = dh.shape
    Wx3 = cache["Wx"].reshape(3, H, -1)
    Wh3 = cache["Wh"].reshape(3, H, H)
    d_x_side = np.empty((3, N, T, H))
    d_h_side = np.empty((3, N, T, H))
    previous = np.empty((N, T, H))
    carry = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        s = cache["steps"][t]
        total = dh[:, t] + carry
        d_n = total * (1.0 - s["z"]) * (1.0 - s["n"] ** 2)
        d_x_side[:, :, t] = [
            d_n * s["m"] * s["r"] * (1.0 - s["r"]),
            total * (s["h_prev"] - s["n"]) * s["z"] * (1.0 - s["z"]),
            d_n,
        ]
        d_h_side[:, :, t] = [d_x_side[0, :, t], d_x_side[1, :, t], d_n * s["r"]]
        previous[:, t] = s["h_prev"]
        carry = s["z"] * total + np.einsum("gnh,ghk->nk", d_h_side[:, :, t], Wh3)
    dx = np.einsum("gnth,ghd->ntd", d_x_side, Wx3)
    dWx = np.einsum("gnth,ntd->ghd", d_x_side, cache["x"]).reshape(3 * H, -1)
    dWh = np.einsum("gnth,ntk->ghk", d_h_side, previous).reshape(3 * H, H)
    return dx, carry, dWx, dWh, d_x_side.sum(axis=(1, 2)).ravel(), d_h_side.sum(axis=(1, 2)).ravel()
