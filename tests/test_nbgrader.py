"""Real nbgrader runs, end to end, with the README's instructor commands, in a scratch course.

Submissions of every assignment: the solution, the untouched student notebook, a correct one in another style,
and one mutant of tests/submissions/<assignment>/mutants/ (notebooks.PLUMBED). Each assignment is graded in one
`nbgrader autograde` call. nbgrader's hidden test cells call the same hidden checks that test_hidden_checks runs in
process on every mutant: here, that the plumbing gives the same verdicts and words.
"""

import csv
import html
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from notebooks import (
    PLUMBED,
    ROOT,
    alternative,
    assignments,
    graded_cells,
    mutants,
    secret_lines,
    solution_code,
    solution_notebook,
    submission,
)

README = (ROOT / "README.md").read_text()
README_ASSIGNMENT = "rnn_bptt"  # the README's commands name this one; the others run the same way
GENERATE = "nbgrader generate_assignment {} --force"
AUTOGRADE = "nbgrader autograde {} --create"
FEEDBACK = "nbgrader generate_feedback {}"
EXPORT = "nbgrader export"
ASSIGNMENTS = assignments()
MUTANTS = {a: mutants(a) for a in ASSIGNMENTS}
CASES = sorted(PLUMBED.items())


def run(command, course):
    """Run one README command in the course directory with the course's environment."""
    env_path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    done = subprocess.run(
        command, shell=True, cwd=course, env={"PATH": env_path, "HOME": str(course)}, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done


def submissions(assignment):
    """student id -> notebook, for one assignment."""
    solution = solution_code(assignment)
    found = {
        "solution": submission(assignment, solution),
        "untouched": submission(assignment, {}),
        "alternative": submission(assignment, alternative(assignment)),
    }
    mutant = MUTANTS[assignment][PLUMBED[assignment]]
    found[f"mutant-{PLUMBED[assignment]}"] = submission(assignment, {**solution, **mutant.code})
    return found


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory after generate, collect, autograde, generate_feedback and export."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    (course / "autograder").mkdir()
    shutil.copy(ROOT / "autograder" / "nbgrader_config.py", course / "autograder")
    shutil.copytree(ROOT / "solutions", course / "solutions")
    for assignment in ASSIGNMENTS:
        run(GENERATE.format(assignment), course)
        for student, nb in submissions(assignment).items():
            folder = course / "submitted" / student / assignment
            folder.mkdir(parents=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
    for assignment in ASSIGNMENTS:
        done = run(AUTOGRADE.format(assignment), course)
        (course / f"autograde-{assignment}.log").write_text(done.stdout + done.stderr)
        run(FEEDBACK.format(assignment), course)
    run(EXPORT, course)
    return course


def cell_scores(course, assignment, student):
    """function name -> (score, max score) of its autograded test cell."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {}
        for grade_id in graded_cells(solution_notebook(assignment)):
            grade = gb.find_grade(grade_id, assignment, assignment, student)
            scores[grade_id.removeprefix("test_")] = (grade.score, grade.max_score)
        return scores


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograde_prints_no_warning_that_says_nothing_about_the_submissions(course, assignment):
    # nbgrader's checksum warning for every test cell (its hidden tests were cut from the release) and SQLAlchemy's
    # SAWarnings are silenced in autograder/nbgrader_config.py; the README says what remains and why.
    log = (course / f"autograde-{assignment}.log").read_text()
    assert "Autograding" in log
    assert "SAWarning" not in log and "Attribute 'checksum' for cell test_" not in log, log[-3000:]


@pytest.mark.fast
def test_readme_shows_the_commands_tested_here():
    for command in (GENERATE, AUTOGRADE, FEEDBACK, EXPORT):
        assert command.format(README_ASSIGNMENT) in README


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generate_assignment_releases_the_committed_student_notebook(course, assignment):
    released = course / "exercises" / assignment / f"{assignment}.ipynb"
    assert released.read_bytes() == (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_bytes()


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solution_gets_full_marks(course, assignment):
    scores = cell_scores(course, assignment, "solution")
    assert scores and all(score == top for score, top in scores.values()), scores


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_correct_solution_in_another_style_gets_full_marks(course, assignment):
    scores = cell_scores(course, assignment, "alternative")
    assert scores and all(score == top for score, top in scores.values()), scores


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_untouched_student_notebook_gets_zero(course, assignment):
    scores = cell_scores(course, assignment, "untouched")
    assert all(score == 0 for score, _ in scores.values()), scores


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment, name", CASES)
def test_each_mutant_loses_exactly_the_points_of_what_it_breaks(course, assignment, name):
    mutant = MUTANTS[assignment][name]
    scores = cell_scores(course, assignment, f"mutant-{name}")
    lost = {function for function, (score, top) in scores.items() if score < top}
    assert set(mutant.code) & set(scores) <= lost, f"{name}: the broken function kept its points"
    assert lost == mutant.fails, f"{name}: lost points on {sorted(lost)}, expected {sorted(mutant.fails)}"


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment, name", CASES)
def test_each_mutant_feedback_says_its_words(course, assignment, name):
    # nbgrader's feedback page shows the message of each failed hidden test cell.
    feedback = course / "feedback" / f"mutant-{name}" / assignment / f"{assignment}.html"
    text = html.unescape(feedback.read_text())
    for function, words in MUTANTS[assignment][name].says.items():
        for word in words:
            assert word in text, (function, word)


@pytest.mark.fast
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_there_are_at_least_ten_mutants(assignment):
    assert len(MUTANTS[assignment]) >= 10


@pytest.mark.plumbing
def test_rnn_bptt_is_worth_25_points(course):
    assert sum(top for _, top in cell_scores(course, "rnn_bptt", "solution").values()) == 25


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_export_lists_every_student_with_a_score(course, assignment):
    rows = [row for row in csv.DictReader((course / "grades.csv").open()) if row["assignment"] == assignment]
    by_student = {row["student_id"]: float(row["score"]) for row in rows}
    autograded = sum(top for _, top in cell_scores(course, assignment, "solution").values())
    assert by_student["solution"] == autograded
    assert by_student["untouched"] == 0
    # nbgrader lists every student of the course under every assignment; those who did not submit score 0.
    assert set(submissions(assignment)) <= set(by_student)
    assert all(score == 0 for student, score in by_student.items() if student not in submissions(assignment))


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_explains_failures_without_hidden_code_or_solutions(course, assignment):
    secrets = secret_lines(assignment)
    feedback = sorted((course / "feedback").glob(f"*/{assignment}/{assignment}.html"))
    assert len(feedback) == len(submissions(assignment))
    for path in feedback:
        html = path.read_text()
        assert "BEGIN HIDDEN TESTS" not in html and "hidden_tests" not in html, path
        assert "autograder.hidden" not in html and "autograder/hidden" not in html, path
        if path.parts[-3] == "untouched":
            leaked = [line for line in secrets if line in html]
            assert not leaked, f"{path}: {leaked[:3]}"


@pytest.mark.plumbing
def test_feedback_shows_the_message_of_a_failed_hidden_test(course):
    # This mutant passes the visible tests; only a hidden test catches it, and its message is shown.
    feedback = course / "feedback" / "mutant-backward_changes_dh_in_place" / "rnn_bptt" / "rnn_bptt.html"
    assert "changed its argument dh in place" in feedback.read_text()


@pytest.fixture(scope="module")
def hardened(course, tmp_path_factory):
    """The same submissions graded by python -m autograder grade, scores also written to a gradebook copy."""
    gradebook = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    shutil.copy(course / "gradebook.db", gradebook)
    out = tmp_path_factory.mktemp("hardened")
    command = [sys.executable, "-m", "autograder", "grade", str(course / "submitted"), "--out", str(out)]
    done = subprocess.run([*command, "--gradebook", str(gradebook)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader((out / "grades.csv").open())), gradebook


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment, name", CASES)
def test_each_mutant_gets_its_words_from_the_hardened_grader(hardened, assignment, name):
    rows, _ = hardened
    messages = {
        r["test"]: r["message"] for r in rows if r["student"] == f"mutant-{name}" and r["assignment"] == assignment
    }
    for function, words in MUTANTS[assignment][name].says.items():
        for word in words:
            assert word in messages[function], (function, word, messages[function])


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nbgrader_and_the_hardened_grader_give_honest_submissions_equal_scores(course, hardened, assignment):
    rows, _ = hardened
    for student in submissions(assignment):
        nbgrader = {test: score for test, (score, _) in cell_scores(course, assignment, student).items()}
        mine = {r["test"]: float(r["score"]) for r in rows if r["student"] == student and r["assignment"] == assignment}
        assert mine == nbgrader, student


@pytest.mark.plumbing
def test_the_hardened_scores_land_in_the_nbgrader_gradebook(course, hardened):
    rows, gradebook = hardened
    with Gradebook(f"sqlite:///{gradebook}") as gb:
        for r in rows:
            grade = gb.find_grade(f"test_{r['test']}", r["assignment"], r["assignment"], r["student"])
            assert grade.score == float(r["score"])
