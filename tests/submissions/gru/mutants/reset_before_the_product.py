"""The reset applied before the recurrent matrix product (the form of Cho et al. 2014),
n = tanh(x Wxn^T + bxn + (r * h_prev) Whn^T + bhn), consistently in the forward and backward pass."""

import numpy as np

FAILS = {"gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dx is wrong",
        "your gru_forward applies the reset before the matrix product, n = tanh(x Wxn^T + bxn + (r",
        "The contract's, like torch.nn.GRU's, applies it after the product",
    ],
    "gru_forward": [
        "h is wrong",
        "your code applies the reset before the matrix product, n = tanh(x Wxn^T + bxn + (r *",
        "The contract's, like torch.nn.GRU's, applies it after the product",
    ],
    "gru_step_backward": [
        "dx is wrong",
        "your gru_step_forward applies the reset before the matrix product, n = tanh(x Wxn^T + bxn",
        "The contract's, like torch.nn.GRU's, applies it after the product",
    ],
    "gru_step_forward": [
        "h_next is wrong",
        "your code applies the reset before the matrix product, n = tanh(x Wxn^T + bxn + (r *",
        "The contract's, like torch.nn.GRU's, applies it after the product",
        "Cho et al.",
    ],
}


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    H = h_prev.shape[1]
    ax = x @ Wx.T + bx
    ah = h_prev @ Wh[: 2 * H].T + bh[: 2 * H]
    r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
    z = 1 / (1 + np.exp(-(ax[:, H : 2 * H] + ah[:, H:])))
    n = np.tanh(ax[:, 2 * H :] + (r * h_prev) @ Wh[2 * H :].T + bh[2 * H :])
    h_next = (1 - z) * n + z * h_prev
    return h_next, (x, h_prev, Wx, Wh, r, z, n)


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n = cache
    H = h_prev.shape[1]
    dan = dh_next * (1 - z) * (1 - n**2)
    daz = dh_next * (h_prev - n) * z * (1 - z)
    d_rh = dan @ Wh[2 * H :]  # gradient of r * h_prev
    dar = d_rh * h_prev * r * (1 - r)
    da_rz = np.concatenate([dar, daz], axis=1)
    da_input = np.concatenate([dar, daz, dan], axis=1)
    dh_prev = dh_next * z + da_rz @ Wh[: 2 * H] + d_rh * r
    dWh = np.concatenate([da_rz.T @ h_prev, dan.T @ (r * h_prev)], axis=0)
    dbh = np.concatenate([da_rz.sum(0), dan.sum(0)])
    return da_input @ Wx, dh_prev, da_input.T @ x, dWh, da_input.sum(0), dbh
