"""Real nbgrader runs, end to end, with the README's instructor commands, in a scratch course.

Submissions: the solution, the untouched student notebook, a correct one in another style, and
every mutant of tests/submissions/mutants/. They are graded in one `nbgrader autograde` call.
"""

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from notebooks import (
    ROOT,
    functions_of,
    graded_cells,
    mutants,
    secret_lines,
    solution_code,
    solution_notebook,
    submission,
)

ASSIGNMENT = "rnn_bptt"
README = (ROOT / "README.md").read_text()
GENERATE = f"nbgrader generate_assignment {ASSIGNMENT} --force"
AUTOGRADE = f"nbgrader autograde {ASSIGNMENT} --create"
FEEDBACK = f"nbgrader generate_feedback {ASSIGNMENT}"
EXPORT = "nbgrader export"
MUTANTS = mutants()
FUNCTIONS = [grade_id.removeprefix("test_") for grade_id in graded_cells(solution_notebook(ASSIGNMENT))]


def run(command, course):
    """Run one README command in the course directory with the course's environment."""
    env_path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    done = subprocess.run(
        command, shell=True, cwd=course, env={"PATH": env_path, "HOME": str(course)}, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


def submissions():
    """student id -> notebook."""
    solution = solution_code(ASSIGNMENT)
    found = {
        "solution": submission(ASSIGNMENT, solution),
        "untouched": submission(ASSIGNMENT, {}),
        "alternative": submission(ASSIGNMENT, functions_of(ROOT / "tests" / "submissions" / "alternative.py")),
    }
    for name, (_, code) in MUTANTS.items():
        found[f"mutant-{name}"] = submission(ASSIGNMENT, {**solution, **code})
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory after generate, collect, autograde, generate_feedback and export."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / "autograder").mkdir()
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", course / "autograder")
    shutil.copytree(ROOT / "solutions", course / "solutions")
    run(GENERATE, course)
    for student, nb in submissions().items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")
    for command in (AUTOGRADE, FEEDBACK, EXPORT):
        run(command, course)
    return course


def cell_scores(course, student):
    """function name -> (score, max score) of its test cell."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {}
        for function in FUNCTIONS:
            grade = gb.find_grade(f"test_{function}", ASSIGNMENT, ASSIGNMENT, student)
            scores[function] = (grade.score, grade.max_score)
        return scores


def test_readme_shows_the_commands_tested_here():
    for command in (GENERATE, AUTOGRADE, FEEDBACK, EXPORT):
        assert command in README


def test_generate_assignment_releases_the_committed_student_notebook(course):
    released = course / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert released.read_bytes() == (ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_bytes()


def test_the_solution_gets_full_marks(course):
    scores = cell_scores(course, "solution")
    assert all(score == top for score, top in scores.values()), scores
    assert sum(top for _, top in scores.values()) == 25


def test_the_correct_solution_in_another_style_gets_full_marks(course):
    scores = cell_scores(course, "alternative")
    assert all(score == top for score, top in scores.values()), scores


def test_the_untouched_student_notebook_gets_zero(course):
    scores = cell_scores(course, "untouched")
    assert all(score == 0 for score, _ in scores.values()), scores


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_each_mutant_loses_exactly_the_points_of_what_it_breaks(course, name):
    fails, code = MUTANTS[name]
    scores = cell_scores(course, f"mutant-{name}")
    lost = {function for function, (score, top) in scores.items() if score < top}
    assert set(code) <= lost, f"{name}: the broken function kept its points"
    assert lost == fails, f"{name}: lost points on {sorted(lost)}, expected {sorted(fails)}"


def test_there_are_at_least_ten_mutants():
    assert len(MUTANTS) >= 10


def test_export_lists_every_student_with_a_score(course):
    rows = list(csv.DictReader((course / "grades.csv").open()))
    by_student = {row["student_id"]: float(row["score"]) for row in rows if row["assignment"] == ASSIGNMENT}
    assert by_student["solution"] == 25
    assert by_student["untouched"] == 0
    assert set(by_student) == {"solution", "untouched", "alternative"} | {f"mutant-{n}" for n in MUTANTS}


def test_feedback_explains_failures_without_hidden_code_or_solutions(course):
    secrets = secret_lines(ASSIGNMENT)
    feedback = sorted((course / "feedback").glob(f"*/{ASSIGNMENT}/{ASSIGNMENT}.html"))
    assert len(feedback) == 3 + len(MUTANTS)
    for path in feedback:
        html = path.read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "hidden_tests" not in html, path
        assert "autograder.hidden" not in html and "autograder/hidden" not in html, path
        leaked = [line for line in secrets if line in html]
        student = path.parts[-3]
        if student not in ("solution", "alternative") and not student.startswith("mutant-"):
            assert not leaked, f"{path}: {leaked[:3]}"
    # A mutant that passes the visible tests is caught by a hidden test, whose message is shown.
    in_place = (
        course / "feedback" / "mutant-backward_changes_dh_in_place" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    ).read_text()
    assert "changed its argument dh in place" in in_place
