"""Hidden checks of the exercise "The GRU, forward and backward".

The hidden inputs (several shapes with N, T, D, H all different, nonzero biases and states) and the
table CHECKS, built by ``hidden.common`` with the hints of ``diagnose.gru``: another published form of
the GRU, the gates stacked in another order, the direct path z * h_prev missing from dh_prev, a parameter
gradient right in some gate blocks and wrong in others, a gradient not carried back through time or not
summed over it. A hidden test cell of the notebook runs

    from autograder.hidden import gru
    gru.check("gru_backward", globals())
"""

from autograder.diagnose import gru as diagnose
from autograder.hidden import common
from autograder.hidden.common import backward_check, forward_check, sequence_check
from autograder.reference import gru as ref
from autograder.student_process.failure import GradingError

# (N, T, D, H): all four different in each shape; T = 1 isolates one step from many. The large shape has
# too many entries for full differences: directional checks.
INPUTS = common.Inputs(
    common.gated_inputs(3, ("bx", "bh")),
    ((3, 1, 4, 5), (2, 4, 3, 5), (4, 3, 5, 2), (1, 3, 2, 4)),
    (6, 5, 10, 14),
    60_221,
    "NTDH",
)


def step_args(p):
    """Arguments of gru_step_forward: the first time step of the inputs."""
    return [p["x"][:, 0], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"]]


def sequence_args(p):
    """Arguments of gru_forward."""
    return [p["x"], p["h0"], p["Wx"], p["Wh"], p["bx"], p["bh"]]


def step_backward_hint(student):
    """The hint when the student's gru_step_backward, which gru_backward usually calls, fails its own check."""
    try:
        CHECKS["gru_step_backward"](student)
    except GradingError:
        return diagnose.STEP_BACKWARD_HINT
    return ""


CHECKS = {
    "gru_step_forward": forward_check(
        INPUTS, "gru_step_forward", ref.gru_step, step_args, diagnose.forward_hint(ref.gru_step)
    ),
    "gru_step_backward": backward_check(
        INPUTS, "gru_step_forward", "gru_step_backward", ref.gru_step, step_args, diagnose.gradient_hints
    ),
    "gru_forward": forward_check(INPUTS, "gru_forward", ref.gru, sequence_args, diagnose.forward_hint(ref.gru)),
    "gru_backward": sequence_check(
        INPUTS,
        "gru_forward",
        "gru_backward",
        ref.gru,
        sequence_args,
        diagnose.held_gradient_hint,
        diagnose.gradient_hints,
        step_backward_hint,
    ),
}

# function -> the functions of the contract a student's version usually calls (or its check runs first), in the
# order to blame them when it fails with no hint of its own (common.with_dependencies)
DEPENDS = {
    "gru_step_backward": ("gru_step_forward",),
    "gru_forward": ("gru_step_forward",),
    "gru_backward": ("gru_step_backward", "gru_step_forward", "gru_forward"),
}
CHECKS = common.with_dependencies(CHECKS, DEPENDS)


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "gru", name, namespace)
