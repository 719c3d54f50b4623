"""The hidden checks, in process: right code passes, each mutant fails, messages help and hide the grader."""

import contextlib
import importlib
import io
import linecache
import warnings

import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell
from notebooks import alternative, assignments, mutants, solution_code

from autograder.diagnose import char_lm as char_lm_diagnose
from autograder.diagnose import lstm as lstm_diagnose
from autograder.diagnose import rnn_bptt as rnn_diagnose
from autograder.diagnose import vanishing as vanishing_diagnose
from autograder.gradcheck import check_layer
from autograder.hidden import cells
from autograder.judge import expect_array
from autograder.patterns import through_time
from autograder.reference import char_lm as char_lm_ref
from autograder.student_process.calls import InKernel
from autograder.student_process.failure import GradingError

pytestmark = pytest.mark.fast

ASSIGNMENTS = assignments()
MUTANTS = {a: mutants(a) for a in ASSIGNMENTS}
CASES = [(a, m) for a in ASSIGNMENTS for m in sorted(MUTANTS[a])]


def namespace(code):
    """A notebook's globals after running the answer cells: each value is source code or a function."""
    ns = {"np": np}
    for name, source in code.items():
        if callable(source):
            ns[name] = source
        else:  # with its lines known to tracebacks, as in a kernel, whose cells IPython keeps in linecache
            filename = f"<answer {name}>"
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            exec(compile(source, filename, "exec"), ns)
    return ns


def errors(assignment, ns):
    """function name -> the GradingError of its failed hidden check, run as a notebook's hidden test cell does."""
    hidden = importlib.import_module(f"autograder.hidden.{assignment}")
    found = {}
    for name in hidden.CHECKS:
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                hidden.check(name, ns)
        except GradingError as error:
            found[name] = error
    return found


def failures(assignment, ns):
    """function name -> message of its failed hidden check."""
    return {name: str(error) for name, error in errors(assignment, ns).items()}


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
    mutant = MUTANTS[assignment][name]
    found = failures(assignment, namespace({**solution_code(assignment), **mutant.code}))
    broken = set(mutant.code) & set(importlib.import_module(f"autograder.hidden.{assignment}").CHECKS)
    assert broken <= set(found), f"{name} passes the hidden check of {broken - set(found)}"
    assert set(found) <= mutant.fails, f"{name} also fails {set(found) - mutant.fails}"


@pytest.mark.parametrize("assignment, name", CASES)
def test_every_mutant_says_its_words_for_every_function_it_fails(assignment, name):
    # The in-kernel path, as under nbgrader; test_nbgrader.py asserts the same words in nbgrader's feedback
    # and in the hardened grader's grades.csv.
    mutant = MUTANTS[assignment][name]
    assert set(mutant.says) == mutant.fails, f"{name}: SAYS must give words for each function of FAILS"
    found = errors(assignment, namespace({**solution_code(assignment), **mutant.code}))
    for function, words in mutant.says.items():
        assert words, f"{name}: no words for {function}"
        for word in words:
            assert word in str(found[function]), (function, word, str(found[function]))
    # A function that fails only because a function of the student's it depends on (the module's DEPENDS) is
    # broken carries a hint: the root cause ("fix rnn_step_backward first") or a more precise diagnosis.
    depends = importlib.import_module(f"autograder.hidden.{assignment}").DEPENDS
    for function, error in found.items():
        if function not in mutant.code and set(depends.get(function, ())) & set(mutant.code):
            named = [f for f in mutant.code if f in " ".join(error.hints)]
            assert named, (function, str(error))


def test_a_failure_carries_its_kind_value_and_hints_as_fields():
    code = {**solution_code("rnn_bptt"), **MUTANTS["rnn_bptt"]["backward_no_accumulation_over_time"].code}
    error = errors("rnn_bptt", namespace(code))["rnn_backward"]
    assert (error.kind, error.value, error.status) == ("wrong", "dWx", "failed")
    assert error.hints == (through_time("dWx", rnn_diagnose.ACCUMULATE_HINT),)
    assert str(error) == f"{error.message}\nHint: {error.hints[0]}"
    code = {**solution_code("rnn_bptt"), **MUTANTS["rnn_bptt"]["softmax_unstable"].code}
    error = errors("rnn_bptt", namespace(code))["softmax_cross_entropy"]
    assert (error.kind, error.value, error.hints) == ("nonfinite", "loss", (rnn_diagnose.OVERFLOW_HINT,))
    restored = GradingError.from_fields(error.fields())
    assert (str(restored), restored.kind, restored.value, restored.status) == (
        str(error),
        "nonfinite",
        "loss",
        "failed",
    )


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


# Hints that no mutant of tests/submissions/ shows, each asserted on a made-up wrong function.


def solution_with(assignment, **functions):
    """The solution's namespace with functions replaced: name=make, make(the solution's function) -> the new one."""
    ns = namespace(solution_code(assignment))
    ns.update({name: make(ns[name]) for name, make in functions.items()})
    return ns


def later_steps_off(forward):
    """A forward function whose first step is right and whose later steps are 10% off."""

    def wrong(x, h0, *weights):
        h, cache = forward(x, h0, *weights)
        h = h.copy()
        h[:, 1:] *= 1.1
        return h, cache

    return wrong


def test_lstm_says_when_only_the_cell_gradient_is_mishandled():
    ns = solution_with("lstm", lstm_step_backward=lambda right: lambda dh, dc, cache: right(dh, 2 * dc, cache))
    assert lstm_diagnose.UPSTREAM_HINTS["c wrong"] in failures("lstm", ns)["lstm_step_backward"]


@pytest.mark.parametrize("assignment", ["lstm", "gru"])
def test_a_sequence_right_only_at_its_first_step_is_named(assignment):
    forward = f"{assignment}_forward"
    ns = solution_with(assignment, **{forward: later_steps_off})
    message = failures(assignment, ns)[forward]
    assert "h is wrong" in message and "the first step is right and the later ones are not" in message


def test_norms_averaged_as_squares_are_named():
    def squares(right):
        return lambda h, Wh, dh_last: vanishing_diagnose.norms_variant(h, Wh, dh_last, reduce="mean square")

    message = failures("vanishing", solution_with("vanishing", gradient_norms_through_time=squares))
    assert "norms is wrong" in message["gradient_norms_through_time"]
    assert "norms[t] is a mean of norms, not of squared norms." in message["gradient_norms_through_time"]


def test_gradients_not_rescaled_are_named():
    def unclipped(right):
        # Right, except for a single array, which it forgets to rescale. In the earlier cases no entry exceeds
        # max_norm, and arrays left as they are could as well have been clipped by value.
        def clip_grad_norm(grads, max_norm):
            clipped, total = right(grads, max_norm)
            return ({k: g.copy() for k, g in grads.items()}, total) if len(grads) == 1 else (clipped, total)

        return clip_grad_norm

    message = failures("vanishing", solution_with("vanishing", clip_grad_norm=unclipped))["clip_grad_norm"]
    assert "clipped is wrong" in message
    assert "the gradients were not rescaled although total_norm > max_norm." in message


def test_gradient_paths_in_reverse_order_are_named():
    def reversed_paths(right):
        return lambda *args: tuple(v[::-1].copy() for v in right(*args))

    message = failures("lstm", solution_with("lstm", lstm_gradient_paths=reversed_paths))["lstm_gradient_paths"]
    assert "on_path is wrong" in message and lstm_diagnose.PATH_HINTS["reversed"] in message


def test_gradient_paths_are_checked_entry_by_entry_over_many_orders_of_magnitude():
    # Right, except that on-path norms below 1e-30 come back as 0: a norm-wise comparison cannot see it, the
    # entry-by-entry one on the long sequence whose forget gates are small does.
    def flushed(right):
        def lstm_gradient_paths(*args):
            on_path, off_path = right(*args)
            return np.where(on_path < 1e-30, 0.0, on_path), off_path

        return lstm_gradient_paths

    message = failures("lstm", solution_with("lstm", lstm_gradient_paths=flushed))["lstm_gradient_paths"]
    assert "forget-gate bias -4" in message and "on_path is wrong: on_path[" in message


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_the_cells_lent_to_lm_chunk_loss_are_the_contracts(cell):
    # The grader's cells (hidden.cells) that a student's lm_chunk_loss runs: the reference's forward pass, and
    # every gradient of their backward pass against central differences in float64.
    forward, backward = cells.LENT[cell]
    rng = np.random.default_rng(7)
    N, T, D, H = 3, 4, 5, 2
    rows = 3 * H if cell == "gru" else H
    inputs = {"x": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H))}
    inputs |= {"Wx": rng.standard_normal((rows, D)), "Wh": rng.standard_normal((rows, H))}
    inputs |= {name: rng.standard_normal(rows) for name in (("bx", "bh") if cell == "gru" else ("b",))}
    h, _ = forward(*inputs.values())
    assert np.array_equal(h, char_lm_ref.CELLS[cell](*inputs.values()))
    errors = check_layer(forward, backward, inputs)
    assert max(errors.values()) < 1e-8, errors
    with pytest.raises(ValueError, match=r"dh must have the shape of the states h, \(3, 4, 2\); got \(3, 2\)"):
        backward(np.zeros((N, H)), forward(*inputs.values())[1])


def test_a_language_model_that_keeps_the_previous_cache_is_named_in_the_second_chunk():
    mutant = MUTANTS["char_lm"]["chunk_gradient_crosses_the_boundary"]
    error = errors("char_lm", namespace({**solution_code("char_lm"), **mutant.code}))["lm_chunk_loss"]
    assert (error.kind, error.value) == ("wrong", "grads['W_embed']")
    assert "chunk 2 of 2" in error.message and error.hints == (char_lm_diagnose.LEAK_HINT,)


def test_the_registry_finds_the_hidden_checks_of_every_assignment():
    from autograder.hidden import CHECKS

    assert set(CHECKS) == set(ASSIGNMENTS)
    for assignment in ASSIGNMENTS:
        assert CHECKS[assignment] is importlib.import_module(f"autograder.hidden.{assignment}").CHECKS


def test_an_unwritten_function_is_said_to_be_unwritten():
    released = {"rnn_step_forward": "def rnn_step_forward(x, h_prev, Wx, Wh, b):\n    raise NotImplementedError()"}
    found = rnn_failures(released)["rnn_step_forward"]
    assert "rnn_step_forward is not written yet: it still raises NotImplementedError." in found, found
