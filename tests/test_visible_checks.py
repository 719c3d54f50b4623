"""The visible tests, in process, as `python -m rnnkit check` runs them: each mutant fails one, or is listed as a
mistake only the hidden tests see; the correct answers pass them all.

The cells are those rnnkit.check.program picks (graded cells left out, hidden blocks cut), run by
rnnkit.runner.run_cells and judged by rnnkit.check.verdicts, the same functions the command runs in a process of
its own; test_student_package runs the command itself, and a kernel, in a fresh environment with only the wheel.
"""

import contextlib
import io
import json

import matplotlib
import nbformat
import pytest
from notebooks import SEEN_IN, VISIBLE_MISSES, alternative, assignments, mutants, solution_code, submission

from rnnkit.check import program, verdicts
from rnnkit.runner import run_cells

pytestmark = [pytest.mark.fast, pytest.mark.filterwarnings("ignore::RuntimeWarning")]  # unstable mutants overflow
matplotlib.use("Agg")

MUTANTS = [(a, name) for a in assignments() for name in mutants(a)]


def visible_verdicts(assignment, code):
    """function -> "passed" or its visible test's message, for the notebook filled with code, run in process."""
    import matplotlib.pyplot as plt

    cells = program(json.loads(nbformat.writes(submission(assignment, code))))
    results = {}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        run_cells(cells, results.__setitem__)
    plt.close("all")
    found, _ = verdicts(cells, results, {})
    return found


@pytest.mark.parametrize("assignment", assignments())
def test_correct_answers_pass_every_visible_test(assignment):
    for code in (solution_code(assignment), alternative(assignment)):
        found = visible_verdicts(assignment, code)
        assert found and set(found.values()) == {"passed"}, found


@pytest.mark.parametrize(("assignment", "name"), MUTANTS, ids=[f"{a}-{n}" for a, n in MUTANTS])
def test_each_mutant_fails_a_visible_test_of_what_it_breaks(assignment, name):
    mutant = mutants(assignment)[name]
    found = visible_verdicts(assignment, {**solution_code(assignment), **mutant.code})
    failed = {function for function, verdict in found.items() if verdict != "passed"}
    if (assignment, name) in VISIBLE_MISSES:
        assert failed == set(), f"a visible test now catches {name}: take it out of VISIBLE_MISSES"
    else:
        assert failed & SEEN_IN.get((assignment, name), mutant.fails), (found, mutant.fails)


# A correct backward pass returning what the contract does not allow, and the words both the visible tests
# (rnnkit's check_layer) and the hidden tests use for it.
BACKWARDS = {"rnn_bptt": "rnn_step_backward", "lstm": "lstm_step_backward", "gru": "gru_step_backward"}
OUTPUT_VARIANTS = {
    "last gradient as a row": ("(*grads[:-1], grads[-1][None])", "has shape (1, "),
    "last gradient in float32": ("(*grads[:-1], grads[-1].astype(np.float32))", "has dtype float32, expected float64"),
    "last gradient missing": ("grads[:-1]", "values; expected a tuple of"),
    "first two swapped": ("(grads[1], grads[0], *grads[2:])", "dx has shape"),
}


def returning(assignment, variant):
    """The solution of the assignment with its step backward wrapped to return the variant of its gradients."""
    name = BACKWARDS[assignment]
    right = solution_code(assignment)[name].replace(f"def {name}(", f"def _right_{name}(", 1)
    wrapper = f"\n\n\ndef {name}(*args):\n    grads = _right_{name}(*args)\n    return {OUTPUT_VARIANTS[variant][0]}\n"
    return solution_code(assignment) | {name: right + wrapper}


@pytest.mark.parametrize("variant", OUTPUT_VARIANTS)
@pytest.mark.parametrize("assignment", sorted(BACKWARDS))
def test_outputs_the_contract_does_not_allow_fail_the_visible_test_in_the_graders_words(assignment, variant):
    from test_hidden_checks import failures, namespace

    code, words = returning(assignment, variant), OUTPUT_VARIANTS[variant][1]
    visible = visible_verdicts(assignment, code)[BACKWARDS[assignment]]
    hidden = failures(assignment, namespace(code))[BACKWARDS[assignment]]
    assert words in visible and words in hidden, (visible, hidden)
