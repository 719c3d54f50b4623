"""What grading writes down: one row per test, one JSON record per student and assignment, grades.csv, totals.csv
and changes.csv.

A record holds the notebook's rows, the cells left out and the cells that raised, and a key: the hash of the
submission (the file and what intake found about it) and of the grader, so that a second run grades only what is
new or changed, and says so; a record whose submission is gone is removed with its feedback.

Messages are kept whole up to FEEDBACK_CHARACTERS in records and feedback pages, and cut at CSV_CHARACTERS in
grades.csv and the class report (a spreadsheet cell holds 32,767 characters), with the number of characters cut.
"""

import csv
import hashlib
import json
import os
import shutil
from pathlib import Path

from autograder.notebooks import ROOT, assignments, tests_of

FIELDS = ["student", "assignment", "notebook", "test", "score", "max_score", "status", "message"]
STATUSES = ("ok", "failed", "error", "timeout", "crashed", "tampered", "invalid")
TOTALS = ["student", "lms", "lms_id", "assignment", "score", "max_score"]
CSV_CHARACTERS = 2000
PRESENTATION = {
    f"autograder/grading/{name}.py" for name in ("report", "pages", "similarity", "lms", "gradebook", "demo")
}
FEEDBACK_CHARACTERS = 20000


def fingerprint():
    """A hash of everything that decides a grade on the grader's side: autograder/ and solutions/ (not the modules
    that only present results, PRESENTATION: changing a report regrades nobody)."""
    digest = hashlib.sha256()
    decides = [p for p in (ROOT / "autograder").rglob("*.py") if p.relative_to(ROOT).as_posix() not in PRESENTATION]
    for path in sorted(decides + list((ROOT / "solutions").rglob("*.ipynb"))):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def record_key(job, grader):
    """The key of a Job's record: a hash of the grader's fingerprint, of what intake found (file, names, ids,
    problem) and of the submitted file's bytes."""
    digest = hashlib.sha256(grader.encode())
    digest.update(json.dumps(job._asdict() | {"path": None}, sort_keys=True).encode())
    digest.update(job.path.read_bytes() if job.path else b"missing")
    return digest.hexdigest()


def record_path(out, job):
    """Where the record of a Job is kept: out/records/<student>/<assignment>.json."""
    return Path(out) / "records" / job.student / f"{job.assignment}.json"


def cut(message, limit):
    """message, cut after limit characters with the number of characters cut said."""
    return message if len(message) <= limit else f"{message[:limit]}… ({len(message) - limit} more characters)"


def states(out, jobs, keys):
    """Job -> "new" (no record), "changed" (a record with another key) or "unchanged"."""
    found = {}
    for job in jobs:
        try:
            found[job] = (
                "unchanged" if json.loads(record_path(out, job).read_text()).get("key") == keys[job] else "changed"
            )
        except (OSError, ValueError):  # none yet, or not a record
            found[job] = "new"
    return found


def remove_gone(out, jobs):
    """Remove the records (and feedback) of submissions that are no longer in the source; return how many."""
    kept = {record_path(out, job) for job in jobs}
    gone = [p for p in (Path(out) / "records").glob("*/*.json") if p not in kept]
    for path in gone:
        student, assignment = path.parent.name, path.stem
        shutil.rmtree(Path(out) / "feedback" / student / assignment, ignore_errors=True)
        path.unlink()
    for folder in [*(Path(out) / "records").glob("*"), *(Path(out) / "feedback").glob("*")]:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return len(gone)


def save(out, job, record, key):
    """Write a Job's record, with its key, atomically: a run stopped midway leaves the old record or the new one."""
    path = record_path(out, job)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    partial.write_text(json.dumps(record | {"key": key}, indent=1))
    os.replace(partial, path)


def load(out, job):
    """The saved record of a Job."""
    return json.loads(record_path(out, job).read_text())


def row(job, test, score, max_score, status, message):
    """One row of grades.csv, a dict with the keys FIELDS."""
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


def rows_for_all(job, status, message):
    """One row per test of the assignment, all with score 0 and the same status (one row if the assignment is
    unknown)."""
    tests = tests_of(job.assignment) if job.assignment in assignments() else [("notebook", 0)]
    return [row(job, test, 0, points, status, message) for test, points in tests]


def new_record(job, rows=(), cell_errors=None, skipped=None):
    """The record of a graded notebook.

    Inputs:
    - job: the Job; rows: its rows
    - cell_errors: cell id -> the exception it raised; skipped: cell id -> why it was left out
    """
    job_fields = job._asdict() | {"path": str(job.path)}
    rows = [r | {"message": cut(r["message"], FEEDBACK_CHARACTERS)} for r in rows]
    cell_errors = {cell: cut(error, CSV_CHARACTERS) for cell, error in (cell_errors or {}).items()}
    return {"job": job_fields, "rows": rows, "cell_errors": cell_errors, "skipped": skipped or {}}


def write_grades(out, graded):
    """grades.csv (one line per row, messages cut at CSV_CHARACTERS) and totals.csv (one line per student and
    assignment, with the LMS's id) in out, from the records graded."""
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        for record in graded:
            writer.writerows(r | {"message": cut(r["message"], CSV_CHARACTERS)} for r in record["rows"])
    totals = [total(record) for record in graded]
    with open(out / "totals.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=TOTALS)
        writer.writeheader()
        writer.writerows(totals)
    return totals


def total(record):
    """The line of totals.csv of one record: the student, their LMS id, the assignment, score and max_score."""
    job = record["job"]
    score = sum(r["score"] for r in record["rows"])
    top = sum(r["max_score"] for r in record["rows"])
    return {k: job.get(k, "") for k in TOTALS[:4]} | {"score": score, "max_score": top}


def read_totals(out):
    """(student, assignment) -> the score in out/totals.csv of an earlier run ({} when there is none)."""
    try:
        with open(Path(out) / "totals.csv", newline="", encoding="utf-8") as handle:
            return {(r["student"], r["assignment"]): float(r["score"]) for r in csv.DictReader(handle)}
    except (OSError, KeyError, ValueError):  # no earlier run, or one before totals had these columns
        return {}


def write_changes(out, before, totals):
    """changes.csv: the students whose total changed since the earlier run (new and gone ones included); return
    how many lines it has."""
    after = {(t["student"], t["assignment"]): t for t in totals}
    lines = []
    for key in sorted(set(before) | set(after)):
        now = after.get(key)
        score = float(now["score"]) if now else None
        if before.get(key) != score:
            lines.append([*key, "" if key not in before else f"{before[key]:g}", "" if now is None else f"{score:g}"])
    with open(Path(out) / "changes.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "before", "after"])
        writer.writerows(lines)
    return len(lines)
