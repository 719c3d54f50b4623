"""dh_next is overwritten in place (right values, corrupted argument)."""

FAILS = {"rnn_step_backward"}
SAYS = {  # function -> words its feedback must contain
    "rnn_step_backward": ["changed its argument dh_next in place"],
}


def rnn_step_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache
    dh_next *= 1 - h_next**2
    return dh_next @ Wx, dh_next @ Wh, dh_next.T @ x, dh_next.T @ h_prev, dh_next.sum(axis=0)
