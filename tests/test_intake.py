"""Grading a real class: what Canvas, Moodle and nbgrader hand an instructor, with the quirks real classes produce.

Every file found gets exactly one line of intake.csv (graded, superseded, invalid or ignored, with a reason); each
student gets one result per assignment, never a sum; a correct notebook gets full marks whatever its name; the
LMS's ids reach totals.csv and the LMS's import files; a rerun says what changed; a bad command line gets one line
and a non-zero exit, never a traceback.
"""

import csv
import json
import os
import subprocess
import sys
import zipfile

import nbformat
import pytest
from notebooks import ROOT, solution_code, submission

from autograder.grading.grade_class import grade
from autograder.grading.intake import IntakeError, take_in

A = "rnn_bptt"
GOOD = nbformat.writes(submission(A, solution_code(A)))
BLANK = nbformat.writes(submission(A, {}))  # the released notebook, untouched: 0 points
OTHER = nbformat.writes(submission("lstm", solution_code("lstm")))
STRIPPED = json.dumps(json.loads(GOOD) | {"cells": [c | {"metadata": {}} for c in json.loads(GOOD)["cells"]]})
OLD, NEW = 1_700_000_000, 1_700_086_400  # two file times, a day apart

# file in the Canvas download -> (its content, its outcome, the student's key, the assignment in intake.csv)
CANVAS = {
    "garcialuis_late_1006_5006_rnn_bptt.ipynb": (GOOD, "graded", "garcialuis", A),
    "van_der_berg_1010_5010_rnn_bptt.ipynb": (GOOD, "graded", "van_der_berg", A),
    "smithjane_1011_5011_Untitled.ipynb": (GOOD, "graded", "smithjane", A),
    "twofiles_1012_5012_rnn_bptt.ipynb": (BLANK, "superseded", "twofiles", A),
    "twofiles_1012_5020_rnn_bptt-1.ipynb": (GOOD, "graded", "twofiles", A),
    "lovelaceada_LATE_1013_5013_RNN_BPTT.ipynb": (GOOD, "graded", "lovelaceada", A),
    "pdfonly_1014_5014_answers.pdf": ("%PDF-1.4", "ignored", "pdfonly", ""),
    "broken_1015_5015_rnn_bptt.ipynb": ("{ not json", "invalid", "broken", A),
    "stripped_1016_5016_rnn_bptt (1).ipynb": (STRIPPED, "graded", "stripped", A),
    "smithjohn_1020_5030_rnn_bptt.ipynb": (GOOD, "graded", "smithjohn-1020", A),
    "smithjohn_1021_5031_rnn_bptt.ipynb": (BLANK, "graded", "smithjohn-1021", A),
    "wrongnb_1022_5032_rnn_bptt.ipynb": (OTHER, "invalid", "wrongnb", A),  # the lstm notebook uploaded
    "__MACOSX/._garcialuis_late_1006_5006_rnn_bptt.ipynb": ("x", "ignored", "", ""),
    ".DS_Store": ("x", "ignored", "", ""),
}
# Moodle: folder or flat file -> (content, file time, outcome, student, participant id)
MOODLE = {
    "José O'Brien_123456_assignsubmission_file_/rnn_bptt.ipynb": (GOOD, OLD, "graded", "José-O-Brien", "123456"),
    "Zoë Ng_123457_assignsubmission_file_/rnn_bptt.ipynb": (BLANK, OLD, "superseded", "Zoë-Ng", "123457"),
    "Zoë Ng_123457_assignsubmission_file_/rnn_bptt-Copy1.ipynb": (GOOD, NEW, "graded", "Zoë-Ng", "123457"),
    "Ann Lee_123458_assignsubmission_onlinetext_/onlinetext.html": ("<p>hi</p>", OLD, "ignored", "Ann-Lee", "123458"),
    "Ann Lee_123458_assignsubmission_file_/notes.pdf": ("%PDF", OLD, "ignored", "Ann-Lee", "123458"),
    "Bo Li_123459_assignsubmission_file_rnn_bptt.ipynb": (GOOD, OLD, "graded", "Bo-Li", "123459"),
}
# nbgrader's submitted/: path -> (content, file time, outcome, student, assignment)
NBGRADER = {
    "alice/rnn_bptt/rnn_bptt.ipynb": (GOOD, OLD, "graded", "alice", A),
    "alice/rnn_bptt/timestamp.txt": ("2026-12-01 10:00:00", OLD, "ignored", "alice", ""),
    "alice/rnn_bptt/.ipynb_checkpoints/rnn_bptt-checkpoint.ipynb": (BLANK, OLD, "ignored", "alice", ""),
    "dana/rnn_bptt/rnn_bptt.ipynb": (GOOD, OLD, "graded", "dana", A),
    "dana/rnn_bptt/rnn_bptt (1).ipynb": (GOOD, OLD, "superseded", "dana", A),
    "fred/rnn_bptt/lstm.ipynb": (OTHER, OLD, "invalid", "fred", A),
    "gina/Untitled.ipynb": (GOOD, OLD, "graded", "gina", A),
    "stray.ipynb": (GOOD, OLD, "invalid", "", ""),
}


def write_files(folder, files):
    """Write {relative path: (content, mtime, ...)} under folder, each with its file time."""
    for name, (content, mtime, *_) in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
        os.utime(path, (mtime, mtime))


@pytest.fixture(scope="module")
def downloads(tmp_path_factory):
    """The three downloads: a Canvas zip, a Moodle zip, an nbgrader submitted/ folder with an empty folder."""
    base = tmp_path_factory.mktemp("downloads")
    with zipfile.ZipFile(base / "canvas.zip", "w") as archive:
        for name, (content, *_) in CANVAS.items():
            archive.writestr(name, content)
    with zipfile.ZipFile(base / "moodle.zip", "w") as archive:
        for name, (content, mtime, *_) in MOODLE.items():
            info = zipfile.ZipInfo(name, date_time=tuple(__import__("time").gmtime(mtime))[:6])
            archive.writestr(info, content)
    write_files(base / "submitted", NBGRADER)
    (base / "submitted" / "erin" / A).mkdir(parents=True)  # a student who submitted nothing
    return base


def manifest(out):
    with open(out / "intake.csv", newline="", encoding="utf-8") as handle:
        return {line["file"]: line for line in csv.DictReader(handle)}


def totals(out):
    with open(out / "totals.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def graded(downloads):
    """source -> (rows, results folder, summary lines) of each download graded end to end."""
    found = {}
    for source in ("canvas.zip", "moodle.zip", "submitted"):
        out, lines = downloads / f"results-{source}", []
        rows = grade(downloads / source, out, workers=2, timeout=5, quiet=True, say=lines.append)
        found[source] = rows, out, lines
    return found


@pytest.mark.parametrize(
    "source, files",
    [("canvas.zip", {n: v[1:] for n, v in CANVAS.items()}), ("moodle.zip", {n: v[2:] for n, v in MOODLE.items()})],
)
@pytest.mark.plumbing
def test_every_file_of_an_lms_download_has_one_line_with_its_outcome(graded, source, files):
    _, out, lines = graded[source]
    found = manifest(out)
    assert set(found) == set(files)
    for name, (outcome, student, third) in files.items():
        assert (found[name]["outcome"], found[name]["student"]) == (outcome, student), found[name]
        assert found[name]["reason"] and third in (found[name]["assignment"], found[name]["lms_id"])
    assert lines[0].startswith(f"intake: {len(files)} files: ")


@pytest.mark.plumbing
def test_every_file_of_a_submitted_folder_has_one_line_and_an_empty_folder_one_too(graded):
    _, out, _ = graded["submitted"]
    found = manifest(out)
    assert set(found) == set(NBGRADER) | {"erin/rnn_bptt/"}
    for name, (_, _, outcome, student, assignment) in NBGRADER.items():
        assert (found[name]["outcome"], found[name]["student"], found[name]["assignment"]) == (
            outcome,
            student,
            assignment,
        ), found[name]
    assert "this is the lstm notebook" in found["fred/rnn_bptt/lstm.ipynb"]["reason"]
    assert "in no student's folder" in found["stray.ipynb"]["reason"]
    assert found["erin/rnn_bptt/"]["outcome"] == "invalid"
    assert (
        "superseded by dana/rnn_bptt/rnn_bptt.ipynb: named as released"
        in found["dana/rnn_bptt/rnn_bptt (1).ipynb"]["reason"]
    )


@pytest.mark.plumbing
@pytest.mark.parametrize("source", ["canvas.zip", "moodle.zip", "submitted"])
def test_each_student_has_one_total_per_assignment_with_its_max_score(graded, source):
    _, out, _ = graded[source]
    lines = totals(out)
    keys = [(t["student"], t["assignment"]) for t in lines]
    assert len(keys) == len(set(keys))
    tops = {"rnn_bptt": 25, "lstm": 24}
    assert all(float(t["max_score"]) == tops[t["assignment"]] for t in lines), lines


@pytest.mark.plumbing
def test_a_correct_notebook_gets_full_marks_whatever_its_name(graded):
    full = {
        "canvas.zip": [
            "garcialuis",
            "van_der_berg",
            "smithjane",
            "twofiles",
            "lovelaceada",
            "stripped",
            "smithjohn-1020",
        ],
        "moodle.zip": ["José-O-Brien", "Zoë-Ng", "Bo-Li"],
        "submitted": ["alice", "dana", "gina"],
    }
    for source, students in full.items():
        scores = {(t["student"], t["assignment"]): float(t["score"]) for t in totals(graded[source][1])}
        for student in students:
            assert scores[(student, A)] == 25, (source, student)
    canvas = {(t["student"], t["assignment"]): float(t["score"]) for t in totals(graded["canvas.zip"][1])}
    assert canvas[("wrongnb", A)] == 0
    assert canvas[("smithjohn-1021", A)] == 0 and canvas[("broken", A)] == 0 and canvas[("pdfonly", A)] == 0


@pytest.mark.plumbing
def test_students_with_nothing_to_grade_keep_a_result_with_the_reason(graded):
    rows, _, _ = graded["submitted"]
    erin = [r for r in rows if r["student"] == "erin"]
    assert erin and all(r["status"] == "invalid" and "no notebook in erin/rnn_bptt/" in r["message"] for r in erin)
    fred = [r for r in rows if r["student"] == "fred"]
    assert fred and all(r["status"] == "invalid" and "lstm notebook" in r["message"] for r in fred)
    rows, _, _ = graded["canvas.zip"]
    pdf = [r for r in rows if r["student"] == "pdfonly"]
    assert pdf and all("no notebook submitted (found answers.pdf)" in r["message"] for r in pdf)


@pytest.mark.plumbing
def test_totals_and_the_lms_files_keep_the_lms_ids(graded):
    canvas = {t["student"]: t["lms_id"] for t in totals(graded["canvas.zip"][1])}
    assert (
        canvas["van_der_berg"] == "1010" and canvas["smithjohn-1020"] == "1020" and canvas["smithjohn-1021"] == "1021"
    )
    with open(graded["canvas.zip"][1] / "canvas_grades.csv", newline="", encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] and A in table[0]
    ids = {line[1]: line[table[0].index(A)] for line in table[2:]}
    assert ids["1010"] == "25" and ids["1021"] == "0" and len(ids) == len(canvas)
    moodle = graded["moodle.zip"][1] / f"moodle_grades_{A}.csv"
    with open(moodle, newline="", encoding="utf-8-sig") as handle:
        lines = {line["Identifier"]: line for line in csv.DictReader(handle)}
    assert lines["Participant 123456"]["Full name"] == "José O'Brien" and lines["Participant 123456"]["Grade"] == "25"
    assert not (graded["submitted"][1] / "canvas_grades.csv").exists()


@pytest.mark.plumbing
def test_a_rerun_says_what_changed_and_removes_what_is_gone(graded, downloads, tmp_path):
    source = tmp_path / "submitted"
    write_files(source, {k: v for k, v in NBGRADER.items() if not k.startswith("dana/")})
    (source / "alice" / A / f"{A}.ipynb").write_text(BLANK)  # alice's notebook changed: 25 -> 0
    out = downloads / "results-submitted"
    said = []
    grade(source, out, workers=2, timeout=5, quiet=True, say=said.append)
    assert said[1] == "results: 3 (3 students): 0 new, 1 changed, 2 unchanged; 2 gone, removed", said
    assert said[2] == "totals changed for 3 (changes.csv)"  # alice's total; dana and erin are gone
    with open(out / "changes.csv", newline="") as handle:
        changes = {(c["student"], c["assignment"]): (c["before"], c["after"]) for c in csv.DictReader(handle)}
    assert changes[("alice", A)] == ("25", "0") and changes[("dana", A)] == ("25", "")
    assert not (out / "feedback" / "dana").exists() and not (out / "records" / "dana").exists()


@pytest.mark.parametrize(
    "argv, words",
    [
        (["grade", "nonexistent", "--out", "r"], "no such file or folder"),
        (["grade", "x.ipynb", "--out", "r"], "neither a folder nor a zip file"),
        (["grade", "fake.zip", "--out", "r"], "neither a folder nor a zip file"),
        (["grade", "empty", "--out", "r"], "holds no files"),
        (["grade", "submitted/carol", "--out", "r"], "looks like one student's folder"),
        (["grade", "submitted", "--out", "r", "--cluster", "tcp://127.0.0.1:9"], "no Dask scheduler reachable"),
        (["grade", "submitted"], "--out RESULTS is required"),
    ],
)
@pytest.mark.plumbing
def test_a_bad_command_line_says_what_is_wrong_in_one_line(tmp_path, argv, words):
    (tmp_path / "x.ipynb").write_text(GOOD)
    (tmp_path / "fake.zip").write_text("not a zip")
    (tmp_path / "empty").mkdir()
    write_files(tmp_path / "submitted", {f"carol/{A}/{A}.ipynb": (GOOD, OLD)})
    done = subprocess.run(
        [sys.executable, "-m", "autograder", *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and words in done.stderr, done.stderr
    assert len([line for line in done.stderr.splitlines() if line.strip() and "grading [" not in line]) == 1


@pytest.mark.fast
def test_intake_refuses_an_unknown_assignment_and_an_unsafe_zip(tmp_path):
    with pytest.raises(IntakeError, match="no such assignment"):
        take_in(tmp_path, tmp_path / "u", assignment="rnn")
    with zipfile.ZipFile(tmp_path / "evil.zip", "w") as archive:
        archive.writestr("../outside.ipynb", GOOD)
    with pytest.raises(IntakeError, match="unsafe path"):
        take_in(tmp_path / "evil.zip", tmp_path / "u")
    assert not (tmp_path / "outside.ipynb").exists()


@pytest.mark.fast
def test_with_assignment_a_notebook_of_another_assignment_is_invalid(tmp_path):
    write_files(tmp_path / "dl", {"kim_1_2_lstm.ipynb": (OTHER, OLD), "lee_3_4_Untitled.ipynb": (STRIPPED, OLD)})
    jobs, lines = take_in(tmp_path / "dl", tmp_path / "u", assignment=A)
    outcome = {line.file: (line.outcome, line.assignment) for line in lines}
    assert outcome == {"kim_1_2_lstm.ipynb": ("invalid", A), "lee_3_4_Untitled.ipynb": ("graded", A)}
    assert {j.student: j.assignment for j in jobs} == {"kim": A, "lee": A}


@pytest.mark.fast
def test_the_newer_file_and_the_later_canvas_submission_win(tmp_path):
    write_files(
        tmp_path / "dl",
        {
            "ann_1_20_rnn_bptt.ipynb": (BLANK, NEW),  # newer file, earlier submission id: the id decides
            "ann_1_30_Untitled.ipynb": (GOOD, OLD),
            "bo_2_40_rnn_bptt.ipynb": (GOOD, OLD),
            "bo_2_40_rnn_bptt-2.ipynb": (BLANK, OLD),  # the same submission id: Canvas's -2 is the later upload
        },
    )
    jobs, lines = take_in(tmp_path / "dl", tmp_path / "u")
    assert {j.student: j.notebook for j in jobs} == {"ann": "Untitled.ipynb", "bo": "rnn_bptt-2.ipynb"}
    reasons = {line.file: line.reason for line in lines if line.outcome == "superseded"}
    assert "a later Canvas submission (id 30 after 20)" in reasons["ann_1_20_rnn_bptt.ipynb"]
    assert "uploaded again later (-2 after the first upload)" in reasons["bo_2_40_rnn_bptt.ipynb"]


@pytest.mark.plumbing
def test_the_class_report_has_the_similarity_check_of_each_assignment(graded):
    _, out, _ = graded["canvas.zip"]
    report = (out / "report.html").read_text()
    assert "similarity/rnn_bptt.html" in report and "not a verdict" in report
    assert (out / "similarity" / "rnn_bptt.html").is_file()


STUDENT_DATA = [
    # what the README's instructor commands write in the course directory (nbgrader's and the hardened grader's)
    "submitted/alice/rnn_bptt/rnn_bptt.ipynb",
    "autograded/alice/rnn_bptt/rnn_bptt.ipynb",
    "feedback/alice/rnn_bptt/rnn_bptt.html",
    "gradebook.db",
    "grades.csv",
    ".nbgrader.log",
    "downloaded/rnn_bptt/archive/canvas.zip",
    "results/grades.csv",
    "results/unpacked/alice/rnn_bptt/rnn_bptt.ipynb",
    "results/records/alice/rnn_bptt.json",
    "grading-demo/results/totals.csv",
    "canvas.zip",
    "public/notebooks/rnn_bptt.ipynb",
]


@pytest.mark.fast
@pytest.mark.parametrize("path", STUDENT_DATA)
def test_student_data_in_the_course_directory_is_ignored_by_git(path):
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT)
    assert done.returncode == 0, f"{path} is not in .gitignore: one `git add .` would publish it"


@pytest.mark.fast
def test_the_readme_grades_into_an_ignored_folder():
    readme = (ROOT / "README.md").read_text()
    outs = set(__import__("re").findall(r"--out (\S+)", readme))
    assert outs and all(f"{out}/grades.csv" in STUDENT_DATA or out == "RESULTS" for out in outs), outs
