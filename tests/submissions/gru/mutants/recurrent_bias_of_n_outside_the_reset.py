"""The recurrent bias of the candidate added outside the reset, n = tanh(x Wxn^T + bxn + bhn + r * (h_prev Whn^T)),
as if the two biases were one (consistently in the forward and backward pass)."""

import numpy as np

FAILS = {"gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dx is wrong",
        "your gru_forward adds the recurrent bias of the candidate outside the reset",
        "In the contract it sits inside",
    ],
    "gru_forward": [
        "h is wrong",
        "your code adds the recurrent bias of the candidate outside the reset",
        "In the contract it sits inside",
    ],
    "gru_step_backward": [
        "dx is wrong",
        "your gru_step_forward adds the recurrent bias of the candidate outside the reset",
        "In the contract it sits inside",
    ],
    "gru_step_forward": [
        "h_next is wrong",
        "your code adds the recurrent bias of the candidate outside the reset",
        "In the contract it sits inside",
    ],
}


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    H = h_prev.shape[1]
    ax = x @ Wx.T + bx + bh * np.r_[np.zeros(2 * H), np.ones(H)]
    ah = h_prev @ Wh.T + bh * np.r_[np.ones(2 * H), np.zeros(H)]
    r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
    z = 1 / (1 + np.exp(-(ax[:, H : 2 * H] + ah[:, H : 2 * H])))
    hn = ah[:, 2 * H :]
    n = np.tanh(ax[:, 2 * H :] + r * hn)
    h_next = (1 - z) * n + z * h_prev
    return h_next, (x, h_prev, Wx, Wh, r, z, n, hn)


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n, hn = cache
    dan = dh_next * (1 - z) * (1 - n**2)
    daz = dh_next * (h_prev - n) * z * (1 - z)
    dar = dan * hn * r * (1 - r)
    da_input = np.concatenate([dar, daz, dan], axis=1)
    da_recurrent = np.concatenate([dar, daz, dan * r], axis=1)
    dh_prev = dh_next * z + da_recurrent @ Wh
    dbh = np.concatenate([dar.sum(0), daz.sum(0), dan.sum(0)])
    return da_input @ Wx, dh_prev, da_input.T @ x, da_recurrent.T @ h_prev, da_input.sum(0), dbh
