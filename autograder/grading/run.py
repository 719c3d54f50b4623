"""Hardened grading: every submission in its own sandboxed process, every verdict in this one.

    python -m autograder grade SUBMISSIONS --out RESULTS [--workers N | --cluster tcp://HOST:PORT]
                               [--timeout S] [--force] [--gradebook GRADEBOOK_DB]

SUBMISSIONS is a folder laid out as nbgrader's submitted/ (<student>/<assignment>/<assignment>.ipynb)
or a zip file; see grading.submissions for the layouts an LMS export may have. RESULTS receives
grades.csv (one row per test), totals.csv, feedback/<student>/<assignment>/<notebook>.html and
report.html; records/ keeps one JSON file per graded notebook, so a second run skips what is already
graded (unless --force or the submission or the grader changed). With --cluster the notebooks are
graded by the workers of a Dask cluster (grading.cluster), and this process still writes everything.
"""

import importlib
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

from autograder.failure import GradingError
from autograder.grading import records
from autograder.grading.notebooks import assignments, program, read, student_notebook, tampering, tests_of
from autograder.grading.records import row, rows_for_all
from autograder.grading.sandbox import Sandboxed, public_package
from autograder.grading.submissions import find_submissions


def invalid(job):
    """Why a Job cannot be graded (unknown assignment, no notebook, a misnamed or unreadable one), or None;
    and the notebook read when it can."""
    if job.assignment not in assignments():
        return f"unknown assignment {job.assignment!r}; expected one of {', '.join(assignments())}", None
    expected = f"{job.assignment}.ipynb"
    if job.path is None:
        return f"no notebook submitted; expected {expected}", None
    if job.notebook != expected:
        return f"found {job.notebook}; expected {expected}: submit the notebook under its original name", None
    try:
        submitted = read(job.path)
        nbformat.validate(submitted)
    except Exception as error:
        return f"not a readable notebook ({type(error).__name__}: {str(error)[:200]})", None
    return None, submitted


def test_rows(job, student):
    """One row per autograded test of the Job's assignment: its hidden check run on the student's functions."""
    checks = importlib.import_module(f"autograder.hidden.{job.assignment}").CHECKS
    rows = []
    for test, points in tests_of(job.assignment):
        try:
            checks[test](student)
            rows.append(row(job, test, points, points, "ok", "all hidden checks passed"))
        except GradingError as failure:
            rows.append(row(job, test, 0, points, failure.status, str(failure)))
        except Exception as error:  # a value the checks could not handle: the student's answer
            message = f"{test} could not be checked: {type(error).__name__}: {error}"
            rows.append(row(job, test, 0, points, "failed", message))
    return rows


def grade_job(job, timeout):
    """Grade one notebook.

    Inputs:
    - job: the Job
    - timeout: seconds per cell and per call
    Returns:
    - its record (grading.records.new_record)
    """
    why, submitted = invalid(job)
    if why:
        return records.new_record(job, rows_for_all(job, "invalid", why))
    released = student_notebook(job.assignment)
    rows = []
    notes = tampering(released, submitted)
    if notes:
        message = "; ".join(notes) + ". The original cells were used: this changes no score."
        rows.append(row(job, "notebook", 0, 0, "tampered", message))
    with tempfile.TemporaryDirectory() as public, tempfile.TemporaryDirectory() as workdir:
        student = Sandboxed(program(released, submitted), job.assignment, workdir, public_package(public), timeout)
        try:
            rows += test_rows(job, student)
        finally:
            student.kill()
    return records.new_record(job, rows, student.errors, student.skipped)


def safe_grade(job, timeout):
    """grade_job, but a failure of the grader itself becomes rows with status error, never a lost student."""
    try:
        return grade_job(job, timeout)
    except Exception as error:
        return records.new_record(job, rows_for_all(job, "error", f"the grader failed on this notebook: {error!r}"))


def progress(done, total, width=30):
    """Draw a progress bar of done / total notebooks on stderr."""
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def grade(source, out, workers=2, timeout=10.0, force=False, gradebook=None, quiet=False, cluster=None):
    """Grade every submission under source into out.

    Inputs:
    - source: a submissions folder or zip (grading.submissions)
    - out: the results folder
    - workers: notebooks graded at once; timeout: seconds per cell and per call
    - force: grade again what out already holds a current record of
    - gradebook: an nbgrader gradebook.db to write the scores into, or None
    - quiet: no progress bar
    - cluster: the address of a Dask scheduler (tcp://HOST:PORT) whose workers grade instead of a local
      pool of workers processes (grading.cluster), or None
    Returns:
    - the list of rows of grades.csv
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = find_submissions(source, out / "unpacked")
    grader = records.fingerprint()
    keys = {job: records.record_key(job, grader) for job in jobs}
    todo = [job for job in jobs if force or not records.is_current(out, job, keys[job])]
    tick = (lambda done: progress(done, len(jobs))) if not quiet else (lambda done: None)
    grade_todo(out, todo, keys, grader, timeout, workers, cluster, tick, len(jobs) - len(todo))
    graded = [records.load(out, job) for job in jobs]
    rows = [r for record in graded for r in record["rows"]]
    write_results(out, graded, rows, gradebook)
    return rows


def grade_todo(out, todo, keys, grader, timeout, workers, cluster, tick, done):
    """Grade the Jobs todo, saving each record in out as it arrives and calling tick(notebooks done).

    In a local pool of workers processes, or (cluster: a Dask scheduler's address) as tasks on the
    cluster's workers; either way only this process writes the records.
    """
    tick(done)

    def finish(job, record):
        nonlocal done
        records.save(out, job, record, keys[job])
        done += 1
        tick(done)

    if cluster:
        from autograder.grading.cluster import grade_on_cluster

        grade_on_cluster(cluster, todo, keys, grader, timeout, finish)
        return
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(safe_grade, job, timeout): job for job in todo}
        for future in as_completed(futures):
            finish(futures[future], future.result())


def write_results(out, graded, rows, gradebook=None):
    """grades.csv, totals.csv, every feedback page and the class report in out; the gradebook when given."""
    from autograder.grading.report import write_class_report, write_feedback

    records.write_grades(out, rows)
    for record in graded:
        write_feedback(out, record)
    write_class_report(out / "report.html", rows)
    if gradebook:
        from autograder.grading.gradebook import write_gradebook

        write_gradebook(gradebook, rows)
