"""The visible tests, in process, as `python -m rnnkit check` runs them: each mutant fails one, or is listed as a
mistake only the hidden tests see; the correct answers pass them all.

The cells are those rnnkit.check.program picks (graded cells left out, hidden blocks cut), run by
rnnkit.runner.run_cells and judged by rnnkit.check.verdicts, the same functions the command runs in a process of
its own; test_student_package runs the command itself, and a kernel, in a fresh environment with only the wheel.
"""

import contextlib
import io
import json
import re

import matplotlib
import nbformat
import pytest
from notebooks import SEEN_IN, VISIBLE_MISSES, alternative, assignments, mutants, solution_code, submission

from rnnkit.check import program, verdicts
from rnnkit.contract import EXERCISES, FUNCTIONS
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


# A correct answer returning what the contract does not allow: for every graded function, its first array (or
# number) made a row, made float32, its last value left out, its first two swapped. Each fails the function's visible
# test (rnnkit.checked, check_layer, check_loss) in the words the hidden test uses, sizes aside.
VARIANTS = {
    "as a row": "(*out[:k], np.asarray(out[k])[None], *out[k + 1 :])",
    "in float32": "(*out[:k], np.asarray(out[k]).astype(np.float32), *out[k + 1 :])",
    "last value missing": "out[:-1]",
    "first two swapped": "(out[1], out[0], *out[2:])",
}
OUTPUTS = [
    (a, name, variant)
    for a, functions in EXERCISES.items()
    for name, spec in functions.items()
    for variant in VARIANTS
    if variant != "first two swapped" or len(spec.outputs) + spec.cache > 1
]


def returning(assignment, name, variant):
    """The solution of the assignment with function `name` wrapped to return the variant of what it returns."""
    spec = EXERCISES[assignment][name]
    single = len(spec.outputs) + spec.cache == 1
    k = next(i for i, out in enumerate(spec.outputs) if spec.values[out].kind in ("array", "float"))
    right = solution_code(assignment)[name].replace(f"def {name}(", f"def _right_{name}(", 1)
    changed = VARIANTS[variant].replace("out[:-1]", "None" if single else "out[:-1]")
    body = f"out = {'(' if single else ''}_right_{name}(*args){',)' if single else ''}\n    k = {k}\n"
    unpack = "[0]" if single and variant != "last value missing" else ""
    wrapper = f"\n\n\ndef {name}(*args):\n    {body}    return {changed}{unpack}\n"
    return solution_code(assignment) | {name: right + wrapper}


def words(name, message):
    """A message of function `name` without its label and sizes: "db has shape (), expected ()." from the words of
    either tool ("rnn_step_backward: ..." or "rnn_step_backward (N=3, D=4, H=5): ...")."""
    core = re.sub(rf"^{name}(?: \(.*?\))?: ", "", message)
    return re.sub(r"\([^()]*\)|\[[^]]*\]|\d+", "", core).replace(" (transposed?)", "")


def same_shapes(spec):
    """True when the first two values of the function spec have the same shape: swapped, only their numbers tell."""
    if len(spec.outputs) < 2:  # the value and the cache swapped
        return False
    values = FUNCTIONS[spec.forward].values if spec.forward else spec.values
    first, second = (values.get(n.removeprefix("d") if spec.forward else n) for n in spec.outputs[:2])
    return first.sizes == second.sizes and first.kind == second.kind


@pytest.mark.parametrize(("assignment", "name", "variant"), OUTPUTS, ids=["-".join(o) for o in OUTPUTS])
def test_what_the_contract_does_not_allow_fails_the_visible_test_in_the_graders_words(assignment, name, variant):
    from test_hidden_checks import failures, namespace

    code = returning(assignment, name, variant)
    visible = visible_verdicts(assignment, code)[name]
    hidden = failures(assignment, namespace(code))[name]
    if variant == "first two swapped" and same_shapes(EXERCISES[assignment][name]):
        assert visible != "passed", hidden
    else:
        assert words(name, visible) == words(name, hidden), (visible, hidden)
