"""Hardened grading: every submission in its own sandboxed process, every verdict in this one.

    python -m autograder grade SUBMISSIONS --out RESULTS [--workers N] [--timeout S] [--force]
                               [--gradebook GRADEBOOK_DB]

SUBMISSIONS is a folder laid out as nbgrader's submitted/ (<student>/<assignment>/<assignment>.ipynb)
or a zip file; see find_submissions() for the layouts an LMS export may have. RESULTS receives
grades.csv (one row per test), totals.csv, feedback/<student>/<assignment>/<notebook>.html and
report.html; records/ keeps one JSON file per graded notebook, so a second run skips what is already
graded (unless --force or the submission or the grader changed).
"""

import csv
import hashlib
import importlib
import json
import re
import sys
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import cache
from pathlib import Path
from typing import NamedTuple

import nbformat

from autograder.checking import GradingError
from autograder.sandbox import Sandboxed, public_package

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ["student", "assignment", "notebook", "test", "score", "max_score", "status", "message"]
STATUSES = ("ok", "failed", "error", "timeout", "crashed", "tampered", "invalid")


class Job(NamedTuple):
    student: str
    assignment: str
    notebook: str  # the file name found (or expected, when missing)
    path: Path | None  # None when the notebook is missing


def meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def read_notebook(path):
    return nbformat.read(path, as_version=4)


@cache
def assignments():
    return tuple(sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()))


@cache
def tests_of(assignment):
    """[(function, points)] of the assignment's autograded test cells, in notebook order."""
    nb = read_notebook(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    return [
        (meta(c)["grade_id"].removeprefix("test_"), meta(c)["points"])
        for c in nb.cells
        if c.cell_type == "code" and meta(c).get("grade") and not meta(c).get("solution")
    ]


# --- finding submissions -------------------------------------------------------------------------

CANVAS = re.compile(r"^(?P<student>[^_]+)_(?:LATE_)?\d+_\d+_(?P<name>.+?)(?:-\d+)?\.ipynb$")
MOODLE = re.compile(r"^(?P<student>.+?)_\d+_assignsubmission_file_?$")


def find_submissions(source, unpack_to):
    """Every (student, assignment, notebook) to grade.

    Layouts accepted, in a folder or in a zip file (a zip is unpacked into unpack_to):
    - nbgrader's submitted/: <student>/<assignment>/<assignment>.ipynb (a single top folder around it
      is fine);
    - Canvas's "Download submissions": flat files <student>_<id>_<id>_<assignment>.ipynb, optionally
      with LATE_ after the student and a -1, -2 resubmission suffix;
    - Moodle's "Download all submissions": folders <Full Name>_<id>_assignsubmission_file_/ holding
      <assignment>.ipynb.
    A notebook whose name is not <assignment>.ipynb for a known assignment is reported as invalid.
    """
    source = Path(source)
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for member in archive.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise ValueError(f"{source}: unsafe path in zip: {member}")
            archive.extractall(unpack_to)
        source = Path(unpack_to)
    known = assignments()
    entries = [p for p in source.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not any(p.is_dir() and p.name in known for p in entries):
        inner = [p for p in entries[0].iterdir() if p.is_dir()]
        if inner and all(any(q.is_dir() for q in p.iterdir()) for p in inner):
            source = entries[0]  # a zip of the submitted/ folder itself
    jobs = []
    for path in sorted(source.iterdir()):
        canvas = CANVAS.match(path.name) if path.is_file() else None
        moodle = MOODLE.match(path.name) if path.is_dir() else None
        if canvas:
            name = canvas["name"]
            jobs.append(Job(canvas["student"], name, f"{name}.ipynb", path))
        elif moodle:
            student = re.sub(r"\W+", "-", moodle["student"]).strip("-")
            for notebook in sorted(path.glob("*.ipynb")) or [None]:
                name = notebook.stem if notebook else "?"
                jobs.append(Job(student, name, notebook.name if notebook else "?", notebook))
        elif path.is_dir():
            for folder in sorted(p for p in path.iterdir() if p.is_dir()):
                notebooks = sorted(folder.glob("*.ipynb"))
                if not notebooks:
                    jobs.append(Job(path.name, folder.name, f"{folder.name}.ipynb", None))
                for notebook in notebooks:
                    jobs.append(Job(path.name, folder.name, notebook.name, notebook))
    return jobs


# --- grading one notebook ------------------------------------------------------------------------


def fingerprint():
    """A hash of everything that decides a grade on the grader's side."""
    digest = hashlib.sha256()
    for path in sorted(list((ROOT / "autograder").rglob("*.py")) + list((ROOT / "solutions").rglob("*.ipynb"))):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def record_key(job, grader):
    digest = hashlib.sha256(grader.encode())
    digest.update(job.path.read_bytes() if job.path else b"missing")
    return digest.hexdigest()


def rows_for_all(job, status, message):
    """One row per test of the assignment, all with the same status (or one row if the assignment is unknown)."""
    tests = tests_of(job.assignment) if job.assignment in assignments() else [("notebook", 0)]
    return [row(job, test, 0, points, status, message) for test, points in tests]


def row(job, test, score, max_score, status, message):
    return {
        "student": job.student,
        "assignment": job.assignment,
        "notebook": job.notebook,
        "test": test,
        "score": score,
        "max_score": max_score,
        "status": status,
        "message": message,
    }


def tampering(released, submitted):
    """Messages about locked cells (instructions, tests) the student edited or deleted."""
    mine = {meta(c).get("grade_id"): c for c in submitted.cells if meta(c).get("grade_id")}
    notes = []
    for cell in released.cells:
        grade_id = meta(cell).get("grade_id")
        if not meta(cell).get("locked") or meta(cell).get("solution"):
            continue
        theirs = mine.get(grade_id)
        if theirs is None:
            notes.append(f"cell {grade_id} was deleted")
        elif theirs.source.strip() != cell.source.strip() or meta(theirs).get("points") != meta(cell).get("points"):
            notes.append(f"cell {grade_id} was edited")
    return notes


def program(released, submitted):
    """The cells run in the student's process: the released setup cells, then the student's own code.

    Test cells and visible tests are never run from the submission: the grader calls the functions.
    """
    locked = {meta(c)["grade_id"] for c in released.cells if meta(c).get("locked") and not meta(c).get("solution")}
    setup = [
        {"id": meta(c)["grade_id"], "source": c.source}
        for c in released.cells
        if c.cell_type == "code" and meta(c).get("grade_id") in locked
        if not meta(c).get("grade") and not meta(c)["grade_id"].startswith("visible_")
    ]
    own = [
        {"id": meta(c).get("grade_id") or f"cell-{i}", "source": c.source}
        for i, c in enumerate(submitted.cells)
        if c.cell_type == "code" and meta(c).get("grade_id") not in locked
    ]
    return setup + own


def grade_job(job, timeout):
    """Grade one notebook: a record with its rows and what the student should know."""
    record = {"job": job._asdict() | {"path": str(job.path)}, "notes": [], "cell_errors": {}, "skipped": {}}
    if job.assignment not in assignments():
        message = f"unknown assignment {job.assignment!r}; expected one of {', '.join(assignments())}"
        return record | {"rows": rows_for_all(job, "invalid", message)}
    expected = f"{job.assignment}.ipynb"
    if job.path is None:
        return record | {"rows": rows_for_all(job, "invalid", f"no notebook submitted; expected {expected}")}
    if job.notebook != expected:
        message = f"found {job.notebook}; expected {expected}: submit the notebook under its original name"
        return record | {"rows": rows_for_all(job, "invalid", message)}
    try:
        submitted = read_notebook(job.path)
        nbformat.validate(submitted)
    except Exception as error:
        message = f"not a readable notebook ({type(error).__name__}: {str(error)[:200]})"
        return record | {"rows": rows_for_all(job, "invalid", message)}

    released = read_notebook(ROOT / "exercises" / job.assignment / expected)
    rows = []
    notes = tampering(released, submitted)
    if notes:
        message = "; ".join(notes) + ". The original cells were used: this changes no score."
        rows.append(row(job, "notebook", 0, 0, "tampered", message))
    checks = importlib.import_module(f"autograder.hidden.{job.assignment}").CHECKS
    with tempfile.TemporaryDirectory() as public, tempfile.TemporaryDirectory() as workdir:
        student = Sandboxed(program(released, submitted), job.assignment, workdir, public_package(public), timeout)
        try:
            for test, points in tests_of(job.assignment):
                try:
                    checks[test](student)
                    rows.append(row(job, test, points, points, "ok", "all hidden checks passed"))
                except GradingError as failure:
                    rows.append(row(job, test, 0, points, failure.status, str(failure)))
                except Exception as error:  # a value the checks could not handle: the student's answer
                    message = f"{test} could not be checked: {type(error).__name__}: {error}"
                    rows.append(row(job, test, 0, points, "failed", message))
        finally:
            student.kill()
    record.update(rows=rows, cell_errors=student.errors, skipped=student.skipped, output=student.output[-4000:])
    return record


def safe_grade(job, timeout):
    """grade_job, but a failure of the grader itself becomes rows with status error, never a lost student."""
    try:
        return grade_job(job, timeout)
    except Exception as error:
        record = {"job": job._asdict() | {"path": str(job.path)}, "notes": [], "cell_errors": {}, "skipped": {}}
        return record | {"rows": rows_for_all(job, "error", f"the grader failed on this notebook: {error!r}")}


# --- the run ---------------------------------------------------------------------------------------


def record_path(out, job):
    return Path(out) / "records" / job.student / job.assignment / f"{job.notebook}.json"


def progress(done, total, width=30):
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def grade(source, out, workers=2, timeout=10.0, force=False, gradebook=None, quiet=False):
    """Grade every submission under source into out; return the list of rows of grades.csv."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = find_submissions(source, out / "unpacked")
    grader = fingerprint()
    todo = []
    for job in jobs:
        path = record_path(out, job)
        key = record_key(job, grader)
        if force or not path.is_file() or json.loads(path.read_text()).get("key") != key:
            todo.append((job, key))
    done = len(jobs) - len(todo)
    if not quiet:
        progress(done, len(jobs))
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(safe_grade, job, timeout): (job, key) for job, key in todo}
        for future in as_completed(futures):
            job, key = futures[future]
            path = record_path(out, job)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(future.result() | {"key": key}, indent=1))
            done += 1
            if not quiet:
                progress(done, len(jobs))
    records = [json.loads(record_path(out, job).read_text()) for job in jobs]
    rows = [r for record in records for r in record["rows"]]
    write_results(out, records, rows)
    if gradebook:
        from autograder.gradebook import write_gradebook

        write_gradebook(gradebook, rows)
    return rows


def write_results(out, records, rows):
    from autograder.report import write_class_report, write_feedback

    with open(out / "grades.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    totals = {}
    for r in rows:
        key = (r["student"], r["assignment"])
        score, top = totals.get(key, (0, 0))
        totals[key] = (score + r["score"], top + r["max_score"])
    with open(out / "totals.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "score", "max_score"])
        writer.writerows([*key, score, top] for key, (score, top) in sorted(totals.items()))
    for record in records:
        write_feedback(out, record)
    write_class_report(out / "report.html", rows)
