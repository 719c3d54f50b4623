"""A correct submission written in another style than the solution: it must keep full marks.

Column-vector algebra and einsum instead of `x @ W.T`, dict caches, a backward pass through time
that never calls the step backward and sums the parameter gradients once after the loop.
Each function is pasted into the answer cell of the same name.
"""

import numpy as np


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    h_next = np.tanh((Wx @ x.T + Wh @ h_prev.T).T + b[None, :])
    return h_next, {"x": x, "h_prev": h_prev, "Wx": Wx, "Wh": Wh, "h_next": h_next}


def rnn_step_backward(dh_next, cache):
    da = dh_next * (1.0 - np.square(cache["h_next"]))
    dx = np.einsum("nh,hd->nd", da, cache["Wx"])
    dh_prev = np.einsum("nh,hk->nk", da, cache["Wh"])
    dWx = np.einsum("nh,nd->hd", da, cache["x"])
    dWh = np.einsum("nh,nk->hk", da, cache["h_prev"])
    return dx, dh_prev, dWx, dWh, np.einsum("nh->h", da)


def rnn_forward(x, h0, Wx, Wh, b):
    states = [h0]
    for x_t in np.moveaxis(x, 1, 0):
        states.append(np.tanh(np.einsum("nd,hd->nh", x_t, Wx) + np.einsum("nk,hk->nh", states[-1], Wh) + b))
    h = np.stack(states[1:], axis=1)
    return h, {"x": x, "states": np.stack(states, axis=1), "Wx": Wx, "Wh": Wh}


def rnn_backward(dh, cache):
    x, states, Wx, Wh = cache["x"], cache["states"], cache["Wx"], cache["Wh"]
    T = x.shape[1]
    da = np.empty_like(dh)
    carry = np.zeros_like(dh[:, 0])
    for t in range(T - 1, -1, -1):
        da[:, t] = (dh[:, t] + carry) * (1.0 - states[:, t + 1] ** 2)
        carry = np.einsum("nh,hk->nk", da[:, t], Wh)
    dx = np.einsum("nth,hd->ntd", da, Wx)
    dWx = np.einsum("nth,ntd->hd", da, x)
    dWh = np.einsum("nth,ntk->hk", da, states[:, :-1])
    db = da.sum(axis=(0, 1))
    return dx, carry, dWx, dWh, db


def rnn_step_forward_stacked(x, h_prev, W, b):
    D = x.shape[1]
    h_next = np.tanh(np.einsum("hd,nd->nh", W[:, :D], x) + np.einsum("hk,nk->nh", W[:, D:], h_prev) + b)
    return h_next, {"x": x, "h_prev": h_prev, "W": W, "h_next": h_next}


def linear_forward(h, Wy, by):
    return np.einsum("nh,ch->nc", h, Wy) + by, {"h": h, "Wy": Wy}


def linear_backward(dscores, cache):
    dh = np.einsum("nc,ch->nh", dscores, cache["Wy"])
    dWy = np.einsum("nc,nh->ch", dscores, cache["h"])
    return dh, dWy, dscores.sum(axis=0)


def softmax_cross_entropy(scores, y):
    log_z = np.logaddexp.reduce(scores, axis=1)
    picked = np.take_along_axis(scores, y[:, None], axis=1)[:, 0]
    n = len(y)
    probs = np.exp(scores - log_z[:, None])
    onehot = np.eye(scores.shape[1])[y]
    return float(np.sum(log_z - picked) / n), (probs - onehot) / n


def many_to_one_loss(x, y, params):
    Wx, Wh, b, Wy, by = (params[k] for k in ("Wx", "Wh", "b", "Wy", "by"))
    h, cache = rnn_forward(x, np.zeros((x.shape[0], Wh.shape[0])), Wx, Wh, b)
    last = h[:, -1]
    loss, dscores = softmax_cross_entropy(np.einsum("nh,ch->nc", last, Wy) + by, y)
    dh = np.zeros_like(h)
    dh[:, -1] = dscores @ Wy
    _, _, dWx, dWh, db = rnn_backward(dh, cache)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dscores.T @ last, "by": dscores.sum(0)}
