"""Hidden checks of the exercise "The LSTM, forward and backward".

The hidden inputs (several shapes with N, T, D, H all different, nonzero biases and states) and the
table CHECKS, built by ``hidden.common`` with the hints of ``diagnose.lstm``: the gates stacked in another
order, one of the two upstream gradients (through h or through c) mishandled, a gradient right in some
gate blocks and wrong in others, a gradient not carried back through time. The two paths of the cell
state's gradient (lstm_gradient_paths) are checked against central differences of the reference LSTM and,
entry by entry, against the reference, also on two long sequences whose forget gates are near 1 or small
(norms over many orders of magnitude). A hidden test cell of the notebook runs

    from autograder.hidden import lstm
    lstm.check("lstm_backward", globals())
"""

import functools

import numpy as np

from autograder.diagnose import lstm as diagnose
from autograder.hidden import common
from autograder.hidden.common import backward_check, called, cases, forward_check, sequence_check
from autograder.judge import GRADIENT_TOL, expect_array, expect_close, expect_entries
from autograder.reference import lstm as ref
from autograder.student_process.failure import GradingError

# (N, T, D, H): all four different in each shape; T = 1 isolates one step from many. The large shape is
# checked by directional derivatives only, which cost the same for any size.
INPUTS = common.Inputs(
    common.gated_inputs(4, ("b",), cell_state=True),
    ((3, 1, 4, 5), (2, 4, 3, 4), (4, 3, 5, 2), (1, 3, 2, 4)),
    (6, 7, 8, 9),
    50_417,
    "NTDH",
    "directional",
)

# lstm_gradient_paths: the same shapes with an upstream gradient dh_last on the last state, then two long
# sequences, (N, T, D, H) and a forget-gate bias added: the cell-state path kept (f near 1) or cut (f small).
LONG_PATHS = (((4, 40, 3, 6), 4.0), ((3, 40, 5, 2), -4.0))
PATHS_TOL = 1e-7  # entry by entry: an on-path norm of 1e-60 must be as right as a norm of 1
# off_path[t] = mean ||dL/dc[:, t] - on||: a difference, so it may lose this fraction of mean ||dL/dc[:, t]||.
OFF_PATH_FLOOR = 1e-5
DEPENDS_ON = ("lstm_step_forward", "lstm_forward", "lstm_step_backward")  # what the solution's version calls


def paths_inputs(shape, seed, forget_bias=0.0):
    """The inputs of lstm_gradient_paths: x, h0, Wx, Wh, b (its forget block shifted by forget_bias), dh_last."""
    p = common.gated_inputs(4, ("b",))(shape, seed)
    H = shape[3]
    p["b"][H : 2 * H] += forget_bias
    p["dh_last"] = p["rng"].standard_normal((shape[0], H))
    return p


PATHS_INPUTS = common.Inputs(paths_inputs, INPUTS.shapes, INPUTS.large, 60_221, "NTDH")


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


def paths_args(p):
    """Arguments of lstm_gradient_paths."""
    return [p["x"], p["h0"], p["Wx"], p["Wh"], p["b"], p["dh_last"]]


def paths_cases():
    """(where, inputs, checked by differences) of every case of lstm_gradient_paths: the shapes, then the long ones."""
    for case in cases(PATHS_INPUTS, large=True):
        yield case.where, case.p, True
    for k, ((N, T, D, H), forget_bias) in enumerate(LONG_PATHS):
        p = paths_inputs((N, T, D, H), PATHS_INPUTS.seed - k - 1, forget_bias)
        yield f"N={N}, T={T}, D={D}, H={H}, forget-gate bias {forget_bias:+g}", p, False


@functools.cache
def expected_paths(k):
    """(on_path, off_path, mean ||dL/dc[:, t]||) of the reference on case k; once per grader process."""
    args = paths_args(list(paths_cases())[k][1])
    dc = ref.state_gradients(*args)[1]
    on, off = ref.path_parts(dc, ref.sequence_gates(*args[:5])[1])
    return ref.mean_norms(on), ref.mean_norms(off), ref.mean_norms(dc)


@functools.cache
def paths_by_differences(k, eps=1e-5):
    """(on_path, off_path) on case k from dL/dc by central differences of the reference LSTM: each entry of c[:, t]
    moved by eps (with h[:, t] = o * tanh(c[:, t])), in N * H copies, and the LSTM run on to the last step."""
    x, h0, Wx, Wh, b, dh_last = paths_args(list(paths_cases())[k][1])
    hs, cs = ref.lstm_states(x, h0, Wx, Wh, b)
    gates = ref.sequence_gates(x, h0, Wx, Wh, b)
    N, T, H = hs.shape

    def copies(a):
        return np.repeat(a, H, axis=0)  # copy n * H + j of example n moves entry j

    def loss(t, c):
        """Each copy's sum(dh_last * h[:, T - 1]) when its cell state after step t is c (N * H, H)."""
        h_t = copies(gates[3][:, t]) * np.tanh(c)
        return np.sum(copies(dh_last) * ref.last_hidden_state(copies(x), t, h_t, c, Wx, Wh, b), axis=1)

    step = eps * np.tile(np.eye(H), (N, 1))
    dc = np.empty((N, T, H))
    for t in range(T):
        c = copies(cs[:, t])
        dc[:, t] = ((loss(t, c + step) - loss(t, c - step)) / (2 * eps)).reshape(N, H)
    on, off = ref.path_parts(dc, gates[1])
    return ref.mean_norms(on), ref.mean_norms(off)


def expect_paths(outputs, k, label):
    """Raise GradingError unless on_path and off_path equal the reference's entry by entry, within PATHS_TOL of each
    entry (of each entry plus OFF_PATH_FLOOR times mean ||dL/dc[:, t]|| for off_path)."""
    *expected, full = expected_paths(k)
    for name, got, right, floor in zip(("on_path", "off_path"), outputs, expected, (0.0, OFF_PATH_FLOOR)):
        expect_entries(got, right, name, label, PATHS_TOL, floor * full)


def dependency_hint(student):
    """A hint naming the first function lstm_gradient_paths may run that fails its own hidden check, or ""."""
    for name in DEPENDS_ON:
        try:
            CHECKS[name](student)
        except GradingError:
            return (
                f"your {name} fails its own hidden tests (see its message); lstm_gradient_paths is checked against "
                f"the contract's LSTM, so if it runs your {name}, fix {name} first."
            )
    return ""


def check_gradient_paths(student):
    """The check of lstm_gradient_paths: shapes, no argument changed, against central differences of the reference
    LSTM (the shapes), then entry by entry against the reference (every case, the long ones included)."""
    name = "lstm_gradient_paths"
    for k, (where, p, by_differences) in enumerate(paths_cases()):
        args = paths_args(p)
        run, label = called(student, name, args, where)
        T = p["x"].shape[1]
        outputs = [
            expect_array(out, out_name, (T,), label) for out, out_name in zip(run.outputs, ("on_path", "off_path"))
        ]
        try:
            if by_differences:
                for out, out_name, numerical in zip(outputs, ("on_path", "off_path"), paths_by_differences(k)):
                    expect_close(out, numerical, out_name, f"{label}, against central differences", GRADIENT_TOL)
            expect_paths(outputs, k, label)
        except GradingError as error:
            raise error.with_hint(diagnose.paths_hint(*outputs, args) or dependency_hint(student)) from None


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
    "lstm_gradient_paths": check_gradient_paths,
}

# function -> the functions of the contract a student's version usually calls (or its check runs first), in the
# order to blame them when it fails with no hint of its own (common.with_dependencies)
DEPENDS = {
    "lstm_step_backward": ("lstm_step_forward",),
    "lstm_forward": ("lstm_step_forward",),
    "lstm_backward": ("lstm_step_backward", "lstm_step_forward", "lstm_forward"),
}
CHECKS = common.with_dependencies(CHECKS, DEPENDS)


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "lstm", name, namespace)
