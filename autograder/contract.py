"""The exercise contract (../shared/exercise-contract.md) as data: names, arguments, outputs.

Graders use it to call a student's functions and to name what they return in messages.
"""

from typing import NamedTuple


class Function(NamedTuple):
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

EXERCISES = {"rnn_bptt": RNN_BPTT}
