"""z and 1 - z swapped (h_next = z * n + (1 - z) * h_prev), consistently in the forward and backward pass."""

import numpy as np

FAILS = {"gru_step_forward", "gru_step_backward", "gru_forward", "gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dx is wrong",
        "your gru_forward computes h_next = z * n + (1 - z) * h_prev, the form with z and 1 - z",
        "The contract's, like torch.nn.GRU's, keeps the previous state with weight z",
    ],
    "gru_forward": [
        "h is wrong",
        "your code computes h_next = z * n + (1 - z) * h_prev, the form with z and 1 - z swapped",
        "The contract's, like torch.nn.GRU's, keeps the previous state with weight z",
    ],
    "gru_step_backward": [
        "dx is wrong",
        "your gru_step_forward computes h_next = z * n + (1 - z) * h_prev, the form with z and 1 -",
        "The contract's, like torch.nn.GRU's, keeps the previous state with weight z",
    ],
    "gru_step_forward": [
        "h_next is wrong",
        "your code computes h_next = z * n + (1 - z) * h_prev, the form with z and 1 - z swapped",
        "The contract's, like torch.nn.GRU's, keeps the previous state with weight z",
    ],
}


def gru_step_forward(x, h_prev, Wx, Wh, bx, bh):
    H = h_prev.shape[1]
    ax = x @ Wx.T + bx
    ah = h_prev @ Wh.T + bh
    r = 1 / (1 + np.exp(-(ax[:, :H] + ah[:, :H])))
    z = 1 / (1 + np.exp(-(ax[:, H : 2 * H] + ah[:, H : 2 * H])))
    hn = ah[:, 2 * H :]
    n = np.tanh(ax[:, 2 * H :] + r * hn)
    h_next = z * n + (1 - z) * h_prev
    return h_next, (x, h_prev, Wx, Wh, r, z, n, hn)


def gru_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, r, z, n, hn = cache
    dan = dh_next * z * (1 - n**2)
    daz = dh_next * (n - h_prev) * z * (1 - z)
    dar = dan * hn * r * (1 - r)
    da_input = np.concatenate([dar, daz, dan], axis=1)
    da_recurrent = np.concatenate([dar, daz, dan * r], axis=1)
    dh_prev = dh_next * (1 - z) + da_recurrent @ Wh
    return da_input @ Wx, dh_prev, da_input.T @ x, da_recurrent.T @ h_prev, da_input.sum(0), da_recurrent.sum(0)
