"""The dh_prev of step t + 1 is not added to the upstream gradient of step t: each step sees only dh[:, t]."""

import numpy as np

FAILS = {"gru_backward"}
SAYS = {  # function -> words its feedback must contain
    "gru_backward": [
        "dx is wrong",
        "dx is right for a single time step and wrong for longer sequences",
        "it is the gradient you would get if the hidden state's gradient stopped at each step",
    ],
}


def gru_backward(dh, cache):
    N, T, H = dh.shape
    x0, _, Wx, Wh = cache[0][:4]
    dx = np.zeros((N, T, x0.shape[1]))
    grads = [np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(3 * H), np.zeros(3 * H)]
    dh0 = np.zeros((N, H))
    for t in reversed(range(T)):
        dx[:, t], dh_prev, *step = gru_step_backward(dh[:, t], cache[t])
        grads = [g + s for g, s in zip(grads, step)]
        if t == 0:
            dh0 = dh_prev
    return (dx, dh0, *grads)
