"""The classifier reads the first state instead of the last."""

import numpy as np

FAILS = {"many_to_one_loss"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["loss is wrong"],
}


def many_to_one_loss(x, y, params):
    N = x.shape[0]
    h0 = np.zeros((N, params["Wh"].shape[0]))
    h, rnn_cache = rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])
    scores, linear_cache = linear_forward(h[:, 0], params["Wy"], params["by"])
    loss, dscores = softmax_cross_entropy(scores, y)
    dh_first, dWy, dby = linear_backward(dscores, linear_cache)
    dh = np.zeros_like(h)
    dh[:, 0] = dh_first
    _, _, dWx, dWh, db = rnn_backward(dh, rnn_cache)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby}
