"""What grading writes down: one row per test, one JSON record per graded notebook, grades.csv and totals.csv.

A record holds the notebook's rows, the cells left out and the cells that raised, and a key: the hash
of the submission and of the grader, so that a second run grades only what is new or changed.
"""

import csv
import hashlib
import json
import os
from pathlib import Path

from autograder.grading.notebooks import ROOT, assignments, tests_of

FIELDS = ["student", "assignment", "notebook", "test", "score", "max_score", "status", "message"]
STATUSES = ("ok", "failed", "error", "timeout", "crashed", "tampered", "invalid")


def fingerprint():
    """A hash of everything that decides a grade on the grader's side: autograder/ and solutions/."""
    digest = hashlib.sha256()
    for path in sorted(list((ROOT / "autograder").rglob("*.py")) + list((ROOT / "solutions").rglob("*.ipynb"))):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def record_key(job, grader):
    """The key of a Job's record: a hash of the grader's fingerprint and of the submitted file."""
    digest = hashlib.sha256(grader.encode())
    digest.update(job.path.read_bytes() if job.path else b"missing")
    return digest.hexdigest()


def record_path(out, job):
    """Where the record of a Job is kept: out/records/<student>/<assignment>/<notebook>.json."""
    return Path(out) / "records" / job.student / job.assignment / f"{job.notebook}.json"


def is_current(out, job, key):
    """True when out holds a record of this Job with this key (graded already, nothing changed)."""
    path = record_path(out, job)
    try:
        return json.loads(path.read_text()).get("key") == key
    except (OSError, ValueError):  # none yet, or not a record
        return False


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
    return {"job": job_fields, "rows": list(rows), "cell_errors": cell_errors or {}, "skipped": skipped or {}}


def write_grades(out, rows):
    """grades.csv (one line per row) and totals.csv (one line per student and assignment) in out."""
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
