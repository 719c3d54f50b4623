"""Every mutant once through the hardened grader's sandbox, matched against the hidden checks run in process.

test_hidden_checks runs each mutant's hidden checks in the test's own process: the fast tier's table of verdicts
and messages. Here the same notebooks are graded as a class by `autograder.grading.grade_class.grade` (each in its own
sandboxed process, the verdicts in the grader's): each must lose the points of exactly the same functions, with
the same messages, and the correct answer in another style must keep every point.
"""

import nbformat
import pytest
from notebooks import alternative, assignments, mutants, solution_code, submission
from test_hidden_checks import failures, namespace

from autograder.grading.grade_class import grade

pytestmark = pytest.mark.plumbing
CASES = [(a, m) for a in assignments() for m in sorted(mutants(a))]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(assignment, student) -> {test: (status, message)} of the class graded in sandboxes."""
    submitted = tmp_path_factory.mktemp("sandboxed") / "submitted"
    for assignment in assignments():
        students = {"alternative": alternative(assignment)}
        for name, mutant in mutants(assignment).items():
            students[f"mutant-{name}"] = {**solution_code(assignment), **mutant.code}
        for student, code in students.items():
            folder = submitted / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(submission(assignment, code), folder / f"{assignment}.ipynb")
    rows = grade(submitted, submitted.parent / "results", workers=2, timeout=10, quiet=True)
    found = {}
    for r in rows:
        found.setdefault((r["assignment"], r["student"]), {})[r["test"]] = (r["status"], r["message"])
    return found


@pytest.mark.parametrize("assignment", assignments())
def test_the_alternative_keeps_every_point_in_the_sandbox(graded, assignment):
    assert {status for status, _ in graded[(assignment, "alternative")].values()} == {"ok"}


@pytest.mark.parametrize(("assignment", "name"), CASES, ids=[f"{a}-{n}" for a, n in CASES])
def test_each_mutant_gets_in_the_sandbox_the_verdicts_and_messages_it_gets_in_process(graded, assignment, name):
    in_process = failures(assignment, namespace({**solution_code(assignment), **mutants(assignment)[name].code}))
    sandboxed = {test: message for test, (status, message) in graded[(assignment, f"mutant-{name}")].items()}
    sandboxed = {test: message for test, message in sandboxed.items() if message != "all hidden checks passed"}
    assert sandboxed == in_process
