"""db is a mean over the batch instead of a sum."""

FAILS = {"many_to_one_loss", "rnn_backward", "rnn_step_backward"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["grads['b'] is wrong", "a mean where a sum belongs?"],
    "rnn_backward": ["db is wrong", "a mean where a sum belongs?"],
    "rnn_step_backward": ["db is wrong", "a mean where a sum belongs?", "relative error"],
}


def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx, da @ Wh, da.T @ x, da.T @ h_prev, da.mean(axis=0)
