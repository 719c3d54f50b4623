"""Real nbgrader runs, end to end, with the README's instructor commands, in a scratch course.

Submissions of every assignment: the solution, the untouched student notebook, a correct one in another style,
and one mutant of tests/submissions/<assignment>/mutants/ (notebooks.PLUMBED). Each assignment is graded in one
`nbgrader autograde` call. nbgrader's hidden test cells call the same hidden checks that test_hidden_checks runs in
process on every mutant: here, that the plumbing gives the same verdicts and words. The feedback pages are read
as a student gets one, alone and offline: parsed, and opened from disk in headless Chromium (test_browser's).
"""

import csv
import functools
import html
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

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
from playwright.sync_api import sync_playwright
from test_browser import CHROMIUM, CHROMIUM_FLAGS, Visit, new_context, open_page

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


MATHJAX = ROOT / "vendor" / "mathjax"  # scripts/setup.sh installs it from package-lock.json
ADDRESSES = {"src", "href", "data", "action", "poster", "srcset"}  # the attributes that load or link an address
# In Chromium: the math MathJax typeset, its errors, and the dollar signs left in the text of markdown cells
# outside code and math (raw TeX, as when MathJax does not run).
TYPESET = r"""() => {
    const text = Array.from(document.querySelectorAll(".text_cell_render"), (cell) => {
        const copy = cell.cloneNode(true);
        copy.querySelectorAll("mjx-container, code, pre").forEach((e) => e.remove());
        return copy.textContent;
    }).join("\n");
    return {
        typeset: document.querySelectorAll("mjx-container").length,
        errors: document.querySelectorAll("mjx-merror").length,
        raw: text.split("\n").filter((line) => line.includes("$")),
    };
}"""


class FeedbackPage(HTMLParser):
    """What a feedback page holds: the addresses its tags load or link, the text of its scripts, and the labels of
    its table of contents' links (href -> text) and of its cells (the panels' headings, in order)."""

    def __init__(self, text):
        super().__init__()
        self.addresses, self.scripts, self.links, self.cell_labels = [], [], {}, []
        self._open = None  # (what, key, parts) of the script, link or label being read
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        """Note the addresses of a tag, and start reading a script, an internal link or a cell's label."""
        attrs = dict(attrs)
        self.addresses += [value for name, value in attrs.items() if name in ADDRESSES and value]
        if tag == "script":
            self._open = ("script", None, [])
        elif tag == "a" and (attrs.get("href") or "").startswith("#") and self._open is None:
            self._open = ("link", attrs["href"], [])
        elif tag == "span" and attrs.get("class") == "nbgrader-label":
            self._open = ("label", None, [])

    def handle_data(self, data):
        """Text of what is being read."""
        if self._open:
            self._open[2].append(data)

    def handle_endtag(self, tag):
        """Keep what was read when its element ends."""
        what, key, parts = self._open or (None, None, None)
        text = "".join(parts or ())
        if (what, tag) == ("script", "script"):
            self.scripts.append(text)
        elif (what, tag) == ("link", "a"):
            self.links[key] = " ".join(text.split())
        elif (what, tag) == ("label", "span"):
            self.cell_labels.append(" ".join(text.split()))
        else:
            return
        self._open = None

    def outside(self):
        """The addresses on another host (http, https or //host) that the page's tags load or link."""
        return [a for a in self.addresses if urlsplit(a.strip()).scheme in ("http", "https") or a.startswith("//")]


def feedback_pages(course, assignment):
    """The feedback page of each student of an assignment."""
    return sorted((course / "feedback").glob(f"*/{assignment}/{assignment}.html"))


@functools.cache
def mathjax_builds():
    """The text of each of the vendored MathJax's single-file builds (tex-*.js)."""
    return {path.read_text().strip() for path in MATHJAX.glob("tex-*.js")}


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_loads_nothing_from_another_host_and_holds_mathjax(course, assignment):
    # A student opens the page alone, from disk: MathJax is in it, and no tag loads or links another host (the
    # strings of MathJax's own code, such as XML namespaces, are no tags; the browser test sees no request leave).
    for path in feedback_pages(course, assignment):
        page = FeedbackPage(path.read_text())
        assert not page.outside(), f"{path} loads or links other hosts: {page.outside()[:5]}"
        assert any(script.strip() in mathjax_builds() for script in page.scripts), f"{path}: no MathJax inlined"


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_names_each_test_cell_by_its_function(course, assignment):
    # Each test cell's grade_id is test_<function>; the page names the function, in the words of the test cell's
    # own comment ("Hidden tests of rnn_step_backward (4 points) run here ..."), where nbgrader says "Test cell".
    grade_ids = list(graded_cells(solution_notebook(assignment)))
    labels = [f"Hidden tests of {grade_id.removeprefix('test_')}" for grade_id in grade_ids]
    for path in feedback_pages(course, assignment):
        page = FeedbackPage(path.read_text())
        assert [page.links.get(f"#{grade_id}") for grade_id in grade_ids] == labels, path
        assert [label for label in page.cell_labels if label.startswith("Hidden tests")] == labels, path


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium (Debian's, as in test_browser), in which no host name resolves but the loopback's."""
    assert CHROMIUM.is_file(), f"{CHROMIUM} is missing: run scripts/setup.sh (it installs Debian's chromium)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.mark.plumbing
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_math_renders_opened_alone_from_disk_offline(course, assignment, chromium, tmp_path):
    # The untouched notebook's page (every page has the same markdown), copied alone into an empty folder, opened
    # from file://; a request to any other host is aborted and recorded (test_browser.new_context).
    page = tmp_path / f"{assignment}.html"
    shutil.copy(course / "feedback" / "untouched" / assignment / f"{assignment}.html", page)
    outside = []
    context = new_context(chromium, outside)
    visit = Visit(page.as_uri())
    tab = open_page(context, visit.url, visit)
    tab.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
    found = tab.evaluate(TYPESET)
    context.close()
    assert found["typeset"] > 0 and found["errors"] == 0, found
    assert not found["raw"], f"raw TeX left in the text: {found['raw'][:3]}"
    assert not outside and not visit.failed_requests and not visit.console_errors, visit


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
