"""The hidden checks, in process: right code passes, each mutant fails, messages help and hide the grader."""

import contextlib
import importlib
import io
import warnings

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from notebooks import alternative, assignments, mutants, solution_code

from autograder.checking import GradingError, InKernel, expect_array

ASSIGNMENTS = assignments()
MUTANTS = {a: mutants(a) for a in ASSIGNMENTS}
CASES = [(a, m) for a in ASSIGNMENTS for m in sorted(MUTANTS[a])]


def namespace(code):
    """A notebook's globals after running the answer cells: each value is source code or a function."""
    ns = {"np": np}
    for name, source in code.items():
        if callable(source):
            ns[name] = source
        else:
            exec(source, ns)
    return ns


def failures(assignment, ns):
    """function name -> message of its failed hidden check."""
    hidden = importlib.import_module(f"autograder.hidden.{assignment}")
    found = {}
    for name in hidden.CHECKS:
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                hidden.check(name, ns)
        except GradingError as error:
            found[name] = str(error)
    return found


def rnn_failures(code):
    return failures("rnn_bptt", namespace({**solution_code("rnn_bptt"), **code}))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solution_passes_every_hidden_check(assignment):
    assert failures(assignment, namespace(solution_code(assignment))) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_another_correct_style_passes_every_hidden_check(assignment):
    assert failures(assignment, namespace(alternative(assignment))) == {}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_function_has_a_check(assignment):
    hidden = importlib.import_module(f"autograder.hidden.{assignment}")
    assert set(hidden.CHECKS) <= set(solution_code(assignment))


@pytest.mark.parametrize("assignment, name", CASES)
def test_each_mutant_fails_the_hidden_check_of_the_function_it_breaks(assignment, name):
    fails, code = MUTANTS[assignment][name]
    found = failures(assignment, namespace({**solution_code(assignment), **code}))
    broken = set(code) & set(importlib.import_module(f"autograder.hidden.{assignment}").CHECKS)
    assert broken <= set(found), f"{name} passes the hidden check of {broken - set(found)}"
    assert set(found) <= fails, f"{name} also fails {set(found) - fails}"


@pytest.mark.parametrize(
    "name, words",
    [
        ("step_backward_bias_gradient_averaged", ["db is wrong", "relative error", "a mean where a sum belongs"]),
        ("step_backward_wrong_transpose", ["dWh is wrong", "transpose"]),
        ("backward_no_accumulation_over_time", ["right for a single time step", "summed"]),
        ("backward_gradient_not_carried_to_previous_step", ["dx is wrong", "carried back to the previous step"]),
        ("backward_changes_dh_in_place", ["changed its argument dh in place"]),
        ("softmax_unstable", ["NaN or inf", "subtract each row's maximum"]),
        ("linear_backward_wrong_transpose", ["dWy has shape (5, 2), expected (2, 5)", "transposed"]),
        ("step_forward_float32", ["dtype float32, expected float64"]),
    ],
)
def test_messages_say_what_is_wrong(name, words):
    _, code = MUTANTS["rnn_bptt"][name]
    (function,) = code
    message = rnn_failures(code)[function]
    for word in words:
        assert word in message, message


def test_a_missing_function_and_an_exception_are_reported_by_name():
    ns = namespace(solution_code("rnn_bptt"))
    del ns["rnn_forward"]
    assert "rnn_forward is not defined" in failures("rnn_bptt", ns)["rnn_forward"]

    def rnn_step_backward(dh_next, cache):
        raise ValueError("not yet")

    message = rnn_failures({"rnn_step_backward": rnn_step_backward})["rnn_step_backward"]
    assert "rnn_step_backward raised ValueError: not yet" in message
    assert 'raise ValueError("not yet")' in message  # the student's own line, to find the bug
    assert "autograder" not in message


def test_wrong_return_values_are_described():
    wrong = {"linear_backward": lambda dscores, cache: (dscores, dscores)}
    assert "returned 2 values; expected a tuple of 3: dh, dWy, dby" in rnn_failures(wrong)["linear_backward"]
    with pytest.raises(GradingError, match="is a list"):
        expect_array([1.0], "h", (1,), "f")


def test_a_failure_shows_only_its_message_in_a_notebook():
    shell = InteractiveShell.instance()
    ns = namespace(solution_code("rnn_bptt"))
    ns["rnn_step_forward"] = lambda x, h_prev, Wx, Wh, b: (np.tanh(x @ Wx.T + h_prev @ Wh.T), None)
    shell.user_ns.update(ns)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        shell.run_cell(
            'from autograder.hidden import rnn_bptt as hidden_tests\nhidden_tests.check("rnn_step_forward", globals())'
        )
    text = out.getvalue()
    assert "GradingError: rnn_step_forward" in text and "h_next is wrong" in text
    assert "Traceback" not in text and "hidden_tests" not in text and "expect_close" not in text


def test_in_kernel_calls_report_arguments_changed_in_place():
    def scale(x):
        x *= 2
        return x, None

    student = InKernel({"rnn_step_forward": lambda x, h, Wx, Wh, b: scale(x)})
    run = student.run("rnn_step_forward", [np.ones((2, 3)), np.zeros((2, 2)), np.eye(2, 3), np.eye(2), np.zeros(2)])
    assert run.modified == ("x",)
