"""A correct submission written in another style than the solution: it must keep full marks.

Each gate with its own slice of the weights and its own products (four einsums instead of one product),
the sigmoid as 1 / (1 + exp(-a)) under np.errstate, dict caches, and a backward pass through time that
never calls the step backward: it carries dh and dc itself and sums the parameter gradients once, after
the loop. The two paths of the cell state's gradient go back through the step Jacobian of the pair
(h_t, c_t), its four blocks written as one matrix per example (the book's eq-lstm-state-jacobian), and the
part on the path is a cumulative product of the forget gates. Each function is pasted into the answer
cell of the same name.
"""

import numpy as np


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    pre = {}
    for k, gate in enumerate("ifgo"):
        rows = slice(k * H, (k + 1) * H)
        pre[gate] = np.einsum("nd,hd->nh", x, Wx[rows]) + np.einsum("nk,hk->nh", h_prev, Wh[rows]) + b[rows]
    with np.errstate(over="ignore"):
        gates = {gate: 1.0 / (1.0 + np.exp(-pre[gate])) for gate in "ifo"}
    gates["g"] = np.tanh(pre["g"])
    c_next = gates["f"] * c_prev + gates["i"] * gates["g"]
    h_next = gates["o"] * np.tanh(c_next)
    cache = {"x": x, "h_prev": h_prev, "c_prev": c_prev, "c_next": c_next, "Wx": Wx, "Wh": Wh, **gates}
    return h_next, c_next, cache


def lstm_step_backward(dh_next, dc_next, cache):
    i, f, g, o = cache["i"], cache["f"], cache["g"], cache["o"]
    tanh_c = np.tanh(cache["c_next"])
    dc = dc_next + dh_next * o * (1.0 - np.square(tanh_c))
    d_pre = {
        "i": dc * g * i * (1.0 - i),
        "f": dc * cache["c_prev"] * f * (1.0 - f),
        "g": dc * i * (1.0 - np.square(g)),
        "o": dh_next * tanh_c * o * (1.0 - o),
    }
    H = i.shape[1]
    dx = np.zeros_like(cache["x"])
    dh_prev = np.zeros_like(cache["h_prev"])
    dWx = np.zeros_like(cache["Wx"])
    dWh = np.zeros_like(cache["Wh"])
    db = np.zeros(4 * H)
    for k, gate in enumerate("ifgo"):
        rows = slice(k * H, (k + 1) * H)
        dx += np.einsum("nh,hd->nd", d_pre[gate], cache["Wx"][rows])
        dh_prev += np.einsum("nh,hk->nk", d_pre[gate], cache["Wh"][rows])
        dWx[rows] = np.einsum("nh,nd->hd", d_pre[gate], cache["x"])
        dWh[rows] = np.einsum("nh,nk->hk", d_pre[gate], cache["h_prev"])
        db[rows] = d_pre[gate].sum(axis=0)
    return dx, dh_prev, dc * f, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    steps = []
    h_t, c_t = h0, np.zeros_like(h0)
    for x_t in np.moveaxis(x, 1, 0):
        h_t, c_t, step = lstm_step_forward(x_t, h_t, c_t, Wx, Wh, b)
        steps.append({**step, "h_next": h_t})
    h = np.stack([step["h_next"] for step in steps], axis=1)
    return h, {"steps": steps, "x": x, "h0": h0, "Wx": Wx, "Wh": Wh}


def lstm_backward(dh, cache):
    steps, Wx, Wh = cache["steps"], cache["Wx"], cache["Wh"]
    N, T, H = dh.shape
    d_pre = np.zeros((N, T, 4 * H))
    carry_h = np.zeros((N, H))
    carry_c = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        s = steps[t]
        dh_t = dh[:, t] + carry_h
        tanh_c = np.tanh(s["c_next"])
        dc = carry_c + dh_t * s["o"] * (1.0 - tanh_c**2)
        d_pre[:, t, :H] = dc * s["g"] * s["i"] * (1.0 - s["i"])
        d_pre[:, t, H : 2 * H] = dc * s["c_prev"] * s["f"] * (1.0 - s["f"])
        d_pre[:, t, 2 * H : 3 * H] = dc * s["i"] * (1.0 - s["g"] ** 2)
        d_pre[:, t, 3 * H :] = dh_t * tanh_c * s["o"] * (1.0 - s["o"])
        carry_h = np.einsum("ng,gk->nk", d_pre[:, t], Wh)
        carry_c = dc * s["f"]
    previous_h = np.stack([cache["h0"]] + [s["h_next"] for s in steps[:-1]], axis=1)
    dx = np.einsum("ntg,gd->ntd", d_pre, Wx)
    dWx = np.einsum("ntg,ntd->gd", d_pre, cache["x"])
    dWh = np.einsum("ntg,ntk->gk", d_pre, previous_h)
    db = d_pre.sum(axis=(0, 1))
    return dx, carry_h, dWx, dWh, db


def lstm_gradient_paths(x, h0, Wx, Wh, b, dh_last):
    steps = lstm_forward(x, h0, Wx, Wh, b)[1]["steps"]
    N, H = h0.shape
    w = {gate: Wh[k * H : (k + 1) * H] for k, gate in enumerate("ifgo")}
    grad_h, grad_c = dh_last, np.zeros((N, H))  # dL/dh_t and dL/dc_t with the pair (h_t, c_t) as the state
    total_c = []  # dL/dc_t through h_t as well, from the last step back
    for s in reversed(steps):
        through_h = s["o"] * (1.0 - np.tanh(s["c_next"]) ** 2)  # d h_t / d c_t, a diagonal
        total_c.append(grad_c + grad_h * through_h)
        dc_dh = (
            np.einsum("nh,hk->nhk", s["c_prev"] * s["f"] * (1.0 - s["f"]), w["f"])
            + np.einsum("nh,hk->nhk", s["g"] * s["i"] * (1.0 - s["i"]), w["i"])
            + np.einsum("nh,hk->nhk", s["i"] * (1.0 - s["g"] ** 2), w["g"])
        )
        dh_dh = np.einsum("nh,hk->nhk", np.tanh(s["c_next"]) * s["o"] * (1.0 - s["o"]), w["o"])
        dh_dh = dh_dh + through_h[:, :, None] * dc_dh
        grad_h, grad_c = (
            np.einsum("nh,nhk->nk", grad_h, dh_dh) + np.einsum("nh,nhk->nk", grad_c, dc_dh),
            (grad_h * through_h + grad_c) * s["f"],
        )
    total_c = np.stack(total_c[::-1], axis=1)  # (N, T, H)
    forget = np.stack([s["f"] for s in steps], axis=1)
    kept = np.flip(np.cumprod(np.flip(forget[:, 1:], axis=1), axis=1), axis=1)  # f_{t+1} ... f_T
    on = np.concatenate([kept, np.ones((N, 1, H))], axis=1) * total_c[:, -1:]
    return (
        np.sqrt((on**2).sum(axis=2)).mean(axis=0),
        np.sqrt(((total_c - on) ** 2).sum(axis=2)).mean(axis=0),
    )
