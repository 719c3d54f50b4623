"""Hardened grading (python -m autograder grade): bad input of every kind is graded, with a reason.

One class of submissions to rnn_bptt, each broken in one way, is graded in one run; every
submission gets a clear status and message, and the correct submission in the same run keeps
full marks.
"""

import csv
import json
import re
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest
from notebooks import ROOT, secret_lines, solution_code, submission

from autograder.grading.grade_class import grade
from autograder.grading.records import FIELDS, STATUSES

pytestmark = pytest.mark.plumbing

A = "rnn_bptt"
SOLUTION = solution_code(A)
GOOD = "good"
BROKEN_FUNCTIONS = {
    # student: (function replaced, its new code)
    "renamed": ("rnn_forward", SOLUTION["rnn_forward"].replace("def rnn_forward(", "def rnn_fwd(")),
    "syntax-error": ("linear_forward", "def linear_forward(h, Wy, by):\n    return h @ Wy.T +"),
    "raises": ("linear_forward", "def linear_forward(h, Wy, by):\n    raise ValueError('not done')"),
    "endless": ("linear_forward", "def linear_forward(h, Wy, by):\n    while True:\n        pass"),
    "sleeps": ("linear_forward", "import time\n\n\ndef linear_forward(h, Wy, by):\n    time.sleep(600)"),
    "memory-bomb": ("linear_forward", "def linear_forward(h, Wy, by):\n    return np.ones(10**11), None"),
    "os-exit": ("linear_forward", "import os\n\n\ndef linear_forward(h, Wy, by):\n    os._exit(0)"),
    "segfault": ("linear_forward", "import ctypes\n\n\ndef linear_forward(h, Wy, by):\n    ctypes.string_at(0)"),
    "nan": (
        "linear_forward",
        "def linear_forward(h, Wy, by):\n    return np.full((h.shape[0], Wy.shape[0]), np.nan), None",
    ),
    "wrong-shape": ("linear_forward", "def linear_forward(h, Wy, by):\n    return (h @ Wy.T + by).T, None"),
    "float32": (
        "linear_forward",
        "def linear_forward(h, Wy, by):\n    return (h @ Wy.T + by).astype(np.float32), (h, Wy)",
    ),
    "in-place": (
        "linear_forward",
        "def linear_forward(h, Wy, by):\n    scores = h @ Wy.T\n    scores += by\n    h *= 1.0\n    h[0, 0] += 1.0\n"
        "    h[0, 0] -= 1.0\n    by += 0.0\n    by[0] = by[0] + 1.0\n    return scores, (h, Wy)",
    ),
}
STACKED = SOLUTION["rnn_step_forward_stacked"]
TOP_LEVEL = {
    # student: (the answer cell of rnn_step_forward_stacked, the status and words of its test's row): a cell that
    # fails at top level before its def runs; the row names the cell and what happened, not only "not defined"
    "cell-syntax-error": (
        STACKED.replace("):", ")", 1),
        "error",
        "(the answer cell of rnn_step_forward_stacked) raised SyntaxError: expected ':' (line 1), so "
        "rnn_step_forward_stacked is not defined",
    ),
    "cell-endless-loop": (
        "while True:\n    pass\n\n\n" + STACKED,
        "timeout",
        "ran longer than 3 s and was left out, so rnn_step_forward_stacked is not defined",
    ),
    "cell-exits": (
        "import os\n\nos._exit(3)\n\n\n" + STACKED,
        "crashed",
        "ended the student's process (it exited with status 3) and was left out, so rnn_step_forward_stacked",
    ),
    "cell-allocates-80-gb": (
        "big = np.ones(10**10)\n\n\n" + STACKED,
        "error",
        "raised MemoryError: Unable to allocate",
    ),
}
BROKEN_RNN_FORWARD = SOLUTION["rnn_forward"].replace("):", ")", 1)  # a syntax error in rnn_forward's own cell
HUGE_MESSAGE = "def linear_forward(h, Wy, by):\n    raise ValueError('x' * 2_000_000)"
EXTRA_CELLS = {
    # student: a cell added after the answers (the answers are the solution's)
    "top-level-loop": "while True:\n    pass",
    "top-level-exit": "import sys\n\nsys.exit(3)",
    "prints-100-mb": "import sys\n\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)",
    "warns": "import warnings\n\nwarnings.warn('this correct code warns on stderr')",
    "patches-builtins": "import builtins\n\nbuiltins.isinstance = lambda *a: True\nbuiltins.abs = lambda x: 0",
    "patches-numpy": "np.allclose = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n\n\n"
    "def linear_backward(dscores, cache):\n    h, Wy = cache\n"
    "    return dscores @ Wy, dscores.T @ h, dscores.mean(axis=0)",
}
ROGUE = """
import os
import socket
from pathlib import Path

READ = []
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    READ.append("a server on the grader's loopback")
except OSError:
    pass
for secret in {secrets!r}:
    try:
        Path(secret).read_bytes()
        READ.append(secret)
    except OSError:
        pass
for target in {targets!r}:
    try:
        Path(target).write_text("written by a student")
    except OSError:
        pass
_right = rnn_step_forward


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    if READ:
        raise RuntimeError("read " + ", ".join(READ))
    return _right(x, h_prev, Wx, Wh, b)
"""


def write(folder, student, nb, name=f"{A}.ipynb"):
    target = folder / student / A
    target.mkdir(parents=True)
    nbformat.write(nb, target / name)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """(rows, out folder, outside paths the rogue student tried to write)."""
    base = tmp_path_factory.mktemp("hardened")
    submitted, out = base / "submitted", base / "results"
    write(submitted, GOOD, submission(A, SOLUTION))
    for student, (function, code) in BROKEN_FUNCTIONS.items():
        write(submitted, student, submission(A, {**SOLUTION, function: code}))
    for student, (cell, _, _) in TOP_LEVEL.items():
        write(submitted, student, submission(A, {**SOLUTION, "rnn_step_forward_stacked": cell}))
    write(submitted, "huge-message", submission(A, {**SOLUTION, "linear_forward": HUGE_MESSAGE}))
    write(submitted, "cell-breaks-rnn-forward", submission(A, {**SOLUTION, "rnn_forward": BROKEN_RNN_FORWARD}))
    for student, extra in EXTRA_CELLS.items():
        nb = submission(A, SOLUTION)
        nb.cells.append(nbformat.v4.new_code_cell(extra))
        write(submitted, student, nb)
    targets = [str(base / "written-by-student.txt"), str(out / "grades.csv.hacked"), str(submitted / GOOD / "x")]
    gradebook = base / "gradebook.db"
    gradebook.write_text("the instructor's gradebook")
    secrets = [
        str(ROOT / "solutions" / A / f"{A}.ipynb"),
        str(ROOT / "autograder" / "hidden" / f"{A}.py"),
        str(submitted / GOOD / A / f"{A}.ipynb"),
        str(gradebook),
        "/etc/shadow",
    ]
    server = socket.create_server(("127.0.0.1", 0))  # on the grader's loopback: out of the sandbox's reach
    port = server.getsockname()[1]
    nb = submission(A, SOLUTION)
    nb.cells.append(nbformat.v4.new_code_cell(ROGUE.format(secrets=secrets, targets=targets, port=port)))
    write(submitted, "rogue", nb)
    tampered = submission(A, SOLUTION)
    tampered.cells = [
        c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_rnn_backward"
    ]
    for cell in tampered.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "visible_rnn_forward":
            cell.source = "pass"
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "test_linear_forward":
            cell.metadata["nbgrader"]["points"] = 100
    write(submitted, "tampered", tampered)
    (submitted / "unreadable" / A).mkdir(parents=True)
    (submitted / "unreadable" / A / f"{A}.ipynb").write_text("{ not a notebook")
    write(submitted, "misnamed", submission(A, SOLUTION), name="my_rnn_final.ipynb")
    (submitted / "missing" / A).mkdir(parents=True)
    rows = grade(submitted, out, workers=2, timeout=3, quiet=True)
    server.close()
    return rows, out, targets


def of(rows, student, test=None):
    found = [r for r in rows if r["student"] == student and (test is None or r["test"] == test)]
    assert found, (student, test)
    return found


def total(rows, student):
    return sum(r["score"] for r in of(rows, student))


def test_grades_csv_has_exactly_the_columns_and_known_statuses(graded):
    rows, out, _ = graded
    with open(out / "grades.csv") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == FIELDS
        assert len(list(reader)) == len(rows)
    assert {r["status"] for r in rows} <= set(STATUSES)
    assert all(r["message"] for r in rows)


def test_the_correct_submission_keeps_full_marks_beside_the_broken_ones(graded):
    rows, _, _ = graded
    assert total(rows, GOOD) == 25
    assert {r["status"] for r in of(rows, GOOD)} == {"ok"}


@pytest.mark.parametrize(
    "student, status, words",
    [
        ("renamed", "failed", "rnn_forward is not defined"),
        ("syntax-error", "error", "raised SyntaxError: invalid syntax (line 2), so linear_forward is not defined"),
        ("raises", "error", "linear_forward raised ValueError: not done"),
        ("endless", "timeout", "ran longer than 3 s"),
        ("sleeps", "timeout", "ran longer than 3 s"),
        ("memory-bomb", "error", "MemoryError"),
        ("os-exit", "crashed", "exited with status 0"),
        ("segfault", "crashed", "SIGSEGV"),
        ("nan", "failed", "NaN or inf"),
        ("wrong-shape", "failed", "has shape"),
        ("float32", "failed", "dtype float32, expected float64"),
        ("in-place", "failed", "in place"),
    ],
)
def test_a_broken_function_loses_its_points_with_a_reason_and_nothing_else(graded, student, status, words):
    rows, _, _ = graded
    function = BROKEN_FUNCTIONS[student][0]
    (broken,) = of(rows, student, function)
    assert broken["status"] == status and words in broken["message"], broken
    users = {
        "rnn_forward": {"rnn_backward", "many_to_one_loss"},
        "linear_forward": {"linear_backward", "many_to_one_loss"},
    }
    for r in of(rows, student):
        if r["test"] not in {function} | users[function]:
            assert r["status"] == "ok", r


@pytest.mark.parametrize("student", sorted(TOP_LEVEL))
def test_a_cell_that_fails_at_top_level_is_named_with_what_happened(graded, student):
    rows, _, _ = graded
    _, status, words = TOP_LEVEL[student]
    (stacked,) = of(rows, student, "rnn_step_forward_stacked")
    assert stacked["status"] == status and words in stacked["message"], stacked
    assert "cell " in stacked["message"]
    assert all(r["status"] == "ok" for r in of(rows, student) if r["test"] != "rnn_step_forward_stacked")


def test_every_test_that_needs_a_function_of_a_failed_cell_names_that_cell(graded):
    # rnn_forward's cell does not compile: its test, rnn_backward's (whose check calls rnn_forward first) and
    # many_to_one_loss's (whose code calls rnn_forward: a NameError) all name the cell and its syntax error.
    rows, _, _ = graded
    for test in ("rnn_forward", "rnn_backward", "many_to_one_loss"):
        (row,) = of(rows, "cell-breaks-rnn-forward", test)
        assert row["status"] == "error", row
        assert "(the answer cell of rnn_forward) raised SyntaxError" in row["message"], row
        assert "so rnn_forward is not defined" in row["message"], row
    (many,) = of(rows, "cell-breaks-rnn-forward", "many_to_one_loss")
    assert "many_to_one_loss raised NameError: name 'rnn_forward' is not defined" in many["message"]
    broken = {"rnn_forward", "rnn_backward", "many_to_one_loss"}
    assert all(r["status"] == "ok" for r in of(rows, "cell-breaks-rnn-forward") if r["test"] not in broken)


def test_a_2_mb_message_is_cut_in_grades_csv_and_the_report(graded):
    rows, out, _ = graded
    (linear,) = of(rows, "huge-message", "linear_forward")
    assert linear["status"] == "error" and len(linear["message"]) <= 20_100
    assert "more characters)" in linear["message"]
    with open(out / "grades.csv", newline="") as handle:
        cut = next(
            r for r in csv.DictReader(handle) if r["student"] == "huge-message" and r["test"] == "linear_forward"
        )
    assert 2000 <= len(cut["message"]) <= 2100 and cut["message"].endswith("more characters)")
    assert (out / "grades.csv").stat().st_size < 200_000
    assert (out / "report.html").stat().st_size < 1_000_000


@pytest.mark.parametrize("student", sorted(set(EXTRA_CELLS) - {"patches-numpy"}))
def test_a_harmless_or_hostile_extra_cell_costs_nothing(graded, student):
    rows, out, _ = graded
    assert total(rows, student) == 25, [r for r in of(rows, student) if r["status"] != "ok"]
    record = json.loads((out / "records" / student / f"{A}.json").read_text())
    if student in ("top-level-loop", "top-level-exit"):
        assert record["skipped"] or record["cell_errors"]


def test_monkeypatching_numpy_cannot_pass_a_wrong_gradient(graded):
    rows, _, _ = graded
    (linear,) = of(rows, "patches-numpy", "linear_backward")
    assert linear["status"] == "failed" and "dby is wrong" in linear["message"]


def test_student_code_cannot_read_other_files_reach_the_network_or_write_outside(graded):
    rows, _, targets = graded
    (forward,) = of(rows, "rogue", "rnn_step_forward")
    assert forward["status"] == "ok", forward["message"]
    for target in targets:
        assert not Path(target).exists(), target


def test_edited_or_deleted_tests_are_reported_and_change_no_score(graded):
    rows, _, _ = graded
    (note,) = of(rows, "tampered", "notebook")
    assert note["status"] == "tampered" and note["max_score"] == 0
    for words in ("test_rnn_backward was deleted", "visible_rnn_forward was edited", "test_linear_forward was edited"):
        assert words in note["message"]
    assert total(rows, "tampered") == 25


@pytest.mark.parametrize("student, words", [("unreadable", "not a readable notebook"), ("missing", "no notebook")])
def test_a_notebook_that_cannot_be_graded_is_invalid_with_a_reason(graded, student, words):
    rows, _, _ = graded
    assert all(r["status"] == "invalid" and words in r["message"] and r["score"] == 0 for r in of(rows, student))
    assert len(of(rows, student)) == 9


def test_a_renamed_notebook_is_recognised_by_its_cells_and_graded(graded):
    rows, _, _ = graded
    assert total(rows, "misnamed") == 25 and {r["notebook"] for r in of(rows, "misnamed")} == {"my_rnn_final.ipynb"}


def test_feedback_and_report_show_no_hidden_code(graded):
    _, out, _ = graded
    secrets = secret_lines(A)
    feedback = list((out / "feedback").rglob("*.html"))
    assert len(feedback) >= len(BROKEN_FUNCTIONS) + len(EXTRA_CELLS)
    for path in feedback + [out / "report.html"]:
        text = path.read_text()
        assert "hidden_tests" not in text and "BEGIN HIDDEN" not in text and "expect_gradient" not in text
        # The lines of a traceback quote the student's own code (these students' code is the solution's).
        text = re.sub(r"\n\s*line \d+, in \w+: [^\n]*", "", text)
        assert not [line for line in secrets if line in text], path
    report = (out / "report.html").read_text()
    assert report.count("data:image/png;base64") >= 1 and "Most common messages" in report
    good = (out / "feedback" / GOOD / A / f"{A}.html").read_text()
    assert "25 / 25" in good


def test_a_second_run_skips_what_is_graded_and_force_grades_again(graded, tmp_path):
    rows, out, _ = graded
    record = out / "records" / GOOD / f"{A}.json"
    before = record.stat().st_mtime_ns
    again = grade(out.parent / "submitted", out, workers=2, timeout=3, quiet=True)
    assert record.stat().st_mtime_ns == before
    assert sorted(map(str, again)) == sorted(map(str, rows))
    forced = grade(out.parent / "submitted", out, workers=2, timeout=3, force=True, quiet=True)
    assert record.stat().st_mtime_ns != before
    assert sorted(map(str, forced)) == sorted(map(str, rows))


def test_an_lms_zip_is_graded(graded, tmp_path):
    _, out, _ = graded
    good = out.parent / "submitted" / GOOD / A / f"{A}.ipynb"
    archive = tmp_path / "canvas.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(good, f"lovelaceada_1234_5678_{A}.ipynb")
        z.write(good, f"Grace Hopper_42_assignsubmission_file_/{A}.ipynb")
    rows = grade(archive, tmp_path / "results", workers=2, timeout=3, quiet=True)
    assert {r["student"] for r in rows} == {"lovelaceada", "Grace-Hopper"}
    totals = list(csv.DictReader(open(tmp_path / "results" / "totals.csv")))
    assert {(t["student"], t["lms"], t["lms_id"]) for t in totals} == {
        ("lovelaceada", "canvas", "1234"),
        ("Grace-Hopper", "moodle", "42"),
    }
    assert sum(r["score"] for r in rows) == 50


def test_without_arguments_it_grades_the_demo_class(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "grade", "--timeout", "3"], cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    totals = {
        r["student"]: float(r["score"]) for r in csv.DictReader(open(tmp_path / "grading-demo/results/totals.csv"))
    }
    assert totals["ada"] == 25 and totals["ivy"] == 0 and totals["jon"] == 0
    assert 0 < totals["ben"] < 25
    assert (tmp_path / "grading-demo/results/report.html").is_file()


# char_lm's lm_chunk_loss receives the grader's cell as two functions: in the sandbox, stand-ins whose calls
# the grader answers. Misusing them fails that function with a reason, and only it.
LENT_MISUSE = {
    # student: (the replaced function, its body, the status and words of its test's row)
    "forged-cache": (
        "lm_chunk_loss",
        "from autograder.student_process.codec import Handle\n\n"
        "    return cell_backward(np.zeros((1, 1, 1)), Handle(10**6))",
        ("error", "lm_chunk_loss raised ValueError: unknown cache"),
    ),
    "huge-input": (
        "lm_chunk_loss",
        "return cell_forward(np.zeros((1, 200_000, 1)), h0, *params['cell'])",
        ("error", "lm_chunk_loss raised ValueError: arrays of more than 100000 entries"),
    ),
    "not-arrays": (
        "lm_chunk_loss",
        "return cell_forward([[[1.0]]], h0, *params['cell'])",
        ("error", "lm_chunk_loss raised TypeError: the arguments must be numpy arrays"),
    ),
    "endless-calls": (
        "lm_chunk_loss",
        "while True:\n        cell_forward(np.zeros((1, 1, 1)), h0[:1], *params['cell'])",
        ("timeout", "the student's process called the functions lent to it 1000 times"),
    ),
    "keeps-the-cell": (
        "temperature_softmax",
        "return kept_cell(*[np.zeros((1, 1))] * (kept_cell.__code__.co_argcount))",  # the right number: rnn or gru
        ("error", "temperature_softmax raised TypeError: not a call of a function given to you"),
    ),
}
KEEPS_THE_CELL = """
_right_lm_chunk_loss = lm_chunk_loss


def lm_chunk_loss(chars, h0, params, cell_forward, cell_backward):
    globals()["kept_cell"] = cell_forward
    return _right_lm_chunk_loss(chars, h0, params, cell_forward, cell_backward)
"""


def test_misused_lent_cells_fail_only_their_function_with_a_reason(tmp_path):
    solution = solution_code("char_lm")
    for student, (function, body, _) in LENT_MISUSE.items():
        signature = solution[function].split("\n")[0]
        nb = submission("char_lm", {**solution, function: f"{signature}\n    {body}\n"})
        if student == "keeps-the-cell":
            nb.cells.append(nbformat.v4.new_code_cell(KEEPS_THE_CELL))
        folder = tmp_path / "submitted" / student / "char_lm"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "char_lm.ipynb")
    rows = grade(tmp_path / "submitted", tmp_path / "results", workers=2, timeout=5, quiet=True)
    for student, (function, _, (status, words)) in LENT_MISUSE.items():
        (row,) = of(rows, student, function)
        assert row["status"] == status and words in row["message"], row
        assert all(r["status"] == "ok" for r in of(rows, student) if r["test"] != function), student
