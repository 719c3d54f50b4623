"""The gradient is not multiplied by tanh'(a) = 1 - h_next**2."""

FAILS = {"many_to_one_loss", "rnn_backward", "rnn_step_backward"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["grads['Wx'] is wrong"],
    "rnn_backward": ["dx is wrong"],
    "rnn_step_backward": ["dx is wrong"],
}


def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next
    return da @ Wx, da @ Wh, da.T @ x, da.T @ h_prev, da.sum(axis=0)
