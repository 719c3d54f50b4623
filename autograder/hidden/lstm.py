"""Hidden checks of the exercise "The LSTM, forward and backward".

The hidden inputs (several shapes with N, T, D, H all different, nonzero biases and states) and the
table CHECKS, built by ``hidden.common`` with the hints of ``diagnose.lstm``: the gates stacked in another
order, one of the two upstream gradients (through h or through c) mishandled, a gradient right in some
gate blocks and wrong in others, a gradient not carried back through time. A hidden test cell of the
notebook runs

    from autograder.hidden import lstm
    lstm.check("lstm_backward", globals())
"""

from autograder.diagnose import lstm as diagnose
from autograder.hidden import common
from autograder.hidden.common import backward_check, forward_check, sequence_check
from autograder.reference import lstm as ref

# (N, T, D, H): all four different in each shape; T = 1 isolates one step from many. The large shape is
# checked by directional derivatives only, which cost the same for any size.
INPUTS = common.Inputs(
    common.gated_inputs(4, ("b",), cell_state=True),
    ((3, 1, 4, 5), (2, 4, 3, 4), (4, 3, 5, 2)),
    (6, 7, 8, 9),
    50_417,
    "NTDH",
    "directional",
)


def step_args(p):
    """Arguments of lstm_step_forward: the first time step of the inputs."""
    return [p["x"][:, 0], p["h0"], p["c_prev"], p["Wx"], p["Wh"], p["b"]]


def sequence_args(p):
    """Arguments of lstm_forward."""
    return [p["x"], p["h0"], p["Wx"], p["Wh"], p["b"]]


def step_outputs(x, h_prev, c_prev, Wx, Wh, b):
    """(c_next, h_next) of the reference step, in the order they are checked: c_next first."""
    h_next, c_next = ref.lstm_step(x, h_prev, c_prev, Wx, Wh, b)
    return c_next, h_next


def step_outputs_in_contract_order(x, h_prev, c_prev, Wx, Wh, b):
    """(h_next, c_next): the outputs of lstm_step_forward, whose upstream gradients dh_next, dc_next are."""
    return ref.lstm_step(x, h_prev, c_prev, Wx, Wh, b)


def upstream_hint(failure, again, douts):
    """explain for backward_check: which of the two upstream gradients of the step is mishandled."""
    return diagnose.upstream_hint(again, douts)


CHECKS = {
    "lstm_step_forward": forward_check(
        INPUTS, "lstm_step_forward", step_outputs, step_args, diagnose.step_forward_hint, ("c_next", "h_next")
    ),
    "lstm_step_backward": backward_check(
        INPUTS,
        "lstm_step_forward",
        "lstm_step_backward",
        step_outputs_in_contract_order,
        step_args,
        diagnose.gradient_hints,
        upstream_hint,
        forward_first=True,
    ),
    "lstm_forward": forward_check(INPUTS, "lstm_forward", ref.lstm, sequence_args, diagnose.sequence_hint),
    "lstm_backward": sequence_check(
        INPUTS,
        "lstm_forward",
        "lstm_backward",
        ref.lstm,
        sequence_args,
        diagnose.held_gradient_hint,
        diagnose.gradient_hints,
        forward_first=True,
    ),
}


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "lstm", name, namespace)
