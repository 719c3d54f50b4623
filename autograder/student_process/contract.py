"""The exercise contract as data: names, arguments and outputs of every graded function.

The chapters' exercise sections and the notation page state the same contract in words.

Graders use it to call a student's functions and to name what they return in messages.
"""

from typing import NamedTuple


class Function(NamedTuple):
    """One graded function of the contract."""

    args: tuple  # argument names, in order
    outputs: tuple  # names of the returned values, in order, without the cache
    cache: bool = False  # True when a cache is returned after the outputs


RNN_BPTT = {
    "rnn_step_forward": Function(("x", "h_prev", "Wx", "Wh", "b"), ("h_next",), cache=True),
    "rnn_step_backward": Function(("dh_next", "cache"), ("dx", "dh_prev", "dWx", "dWh", "db")),
    "rnn_forward": Function(("x", "h0", "Wx", "Wh", "b"), ("h",), cache=True),
    "rnn_backward": Function(("dh", "cache"), ("dx", "dh0", "dWx", "dWh", "db")),
    "rnn_step_forward_stacked": Function(("x", "h_prev", "W", "b"), ("h_next",), cache=True),
    "linear_forward": Function(("h", "Wy", "by"), ("scores",), cache=True),
    "linear_backward": Function(("dscores", "cache"), ("dh", "dWy", "dby")),
    "softmax_cross_entropy": Function(("scores", "y"), ("loss", "dscores")),
    "many_to_one_loss": Function(("x", "y", "params"), ("loss", "grads")),
}

VANISHING = {
    # J (N, H, H): J[n] = diag(1 - h_next[n]**2) @ Wh = d h_next[n] / d h_prev[n].
    "rnn_step_jacobian": Function(("h_next", "Wh"), ("J",)),
    # norms (T,): norms[t] = mean over n of ||dL/dh[n, t]||_2 when the loss reaches the states only
    # through the last one, with dL/dh[:, T-1] = dh_last (N, H); h (N, T, H) are the states of a tanh RNN.
    "gradient_norms_through_time": Function(("h", "Wh", "dh_last"), ("norms",)),
    # Global L2 norm over all arrays of the dict; all rescaled by max_norm / total_norm only when
    # total_norm > max_norm; new arrays returned; total_norm is the norm before clipping.
    "clip_grad_norm": Function(("grads", "max_norm"), ("clipped", "total_norm")),
}

LSTM = {
    # Gates stacked in the order i, f, g, o (as torch.nn.LSTM): Wx (4H, D), Wh (4H, H), b (4H,).
    "lstm_step_forward": Function(("x", "h_prev", "c_prev", "Wx", "Wh", "b"), ("h_next", "c_next"), cache=True),
    "lstm_step_backward": Function(("dh_next", "dc_next", "cache"), ("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db")),
    # The initial cell state is zero.
    "lstm_forward": Function(("x", "h0", "Wx", "Wh", "b"), ("h",), cache=True),
    "lstm_backward": Function(("dh", "cache"), ("dx", "dh0", "dWx", "dWh", "db")),
    # on_path, off_path (T,) for a loss that reaches the states only through h[:, T-1], with dL/dh[:, T-1] = dh_last
    # (N, H) and dc = dL/dc (N, T, H): on_path[t] = mean over n of ||f[:, t+1] * ... * f[:, T-1] * dc[:, T-1]||_2
    # (one forget gate per step back; on_path[T-1] = mean ||dc[:, T-1]||), off_path[t] = mean over n of
    # ||dc[:, t] - that on-path vector||_2 (off_path[T-1] = 0).
    "lstm_gradient_paths": Function(("x", "h0", "Wx", "Wh", "b", "dh_last"), ("on_path", "off_path")),
}

GRU = {
    # Gates stacked in the order r, z, n with two biases (as torch.nn.GRU): Wx (3H, D), Wh (3H, H), bx and bh (3H,).
    # n = tanh(x Wxn^T + bxn + r * (h_prev Whn^T + bhn)), h_next = (1 - z) * n + z * h_prev.
    "gru_step_forward": Function(("x", "h_prev", "Wx", "Wh", "bx", "bh"), ("h_next",), cache=True),
    "gru_step_backward": Function(("dh_next", "cache"), ("dx", "dh_prev", "dWx", "dWh", "dbx", "dbh")),
    "gru_forward": Function(("x", "h0", "Wx", "Wh", "bx", "bh"), ("h",), cache=True),
    "gru_backward": Function(("dh", "cache"), ("dx", "dh0", "dWx", "dWh", "dbx", "dbh")),
}

CHAR_LM = {
    # x int (N, T) with entries in [0, V), W (V, D): out (N, T, D), out[n, t] = W[x[n, t]].
    "embedding_forward": Function(("x", "W"), ("out",), cache=True),
    # dW (V, D): the sum of dout (N, T, D) over every position holding each character (repeats accumulate).
    "embedding_backward": Function(("dout", "cache"), ("dW",)),
    # scores (N, T, V), y int (N, T), mask bool (N, T): loss = the sum over positions with mask True of
    # -log softmax(scores[n, t])[y[n, t]], divided by mask.sum() (not by N, as cs231n's), in nats; dscores
    # (N, T, V) its gradient, zero where mask is False. Stable for large scores. mask.sum() == 0 is undefined.
    "temporal_softmax_loss": Function(("scores", "y", "mask"), ("loss", "dscores")),
    # One chunk of truncated BPTT. chars int (N, T + 1): inputs chars[:, :-1], targets chars[:, 1:]. params:
    # W_embed (V, D), Wy (V, H), by (V,), and "cell", the list of the cell's weights in the order
    # cell_forward(x, h0, *cell) -> (h, cache) takes them; cell_backward(dh, cache) -> (dx, dh0, *dcell)
    # (the contract's rnn_forward/rnn_backward, cell [Wx, Wh, b], or gru_forward/gru_backward, cell
    # [Wx, Wh, bx, bh]). Embedding, the cell from h0, scores = h @ Wy.T + by at every step,
    # temporal_softmax_loss with every position counted. grads: the structure of params; h_last = h[:, -1]
    # (N, H), the state to carry. h0 is a constant: dh0 is dropped, nothing is kept between calls.
    "lm_chunk_loss": Function(("chars", "h0", "params", "cell_forward", "cell_backward"), ("loss", "grads", "h_last")),
    # probs (N, V) = softmax(scores / temperature) over the last axis, stable; temperature > 0.
    "temperature_softmax": Function(("scores", "temperature"), ("probs",)),
}

EXERCISES = {"rnn_bptt": RNN_BPTT, "vanishing": VANISHING, "lstm": LSTM, "gru": GRU, "char_lm": CHAR_LM}
