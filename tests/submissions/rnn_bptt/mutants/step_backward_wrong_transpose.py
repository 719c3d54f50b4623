"""dWh = h_prev.T @ da: the transpose of the right gradient (same shape)."""

FAILS = {"many_to_one_loss", "rnn_backward", "rnn_step_backward"}
SAYS = {  # function -> words its feedback must contain
    "many_to_one_loss": ["grads['Wh'] is wrong", "It equals the transpose of the right answer"],
    "rnn_backward": ["dWh is wrong", "It equals the transpose of the right answer"],
    "rnn_step_backward": ["dWh is wrong", "It equals the transpose of the right answer"],
}


def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx, da @ Wh, da.T @ x, h_prev.T @ da, da.sum(axis=0)
