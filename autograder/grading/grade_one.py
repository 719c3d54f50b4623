"""Grading one notebook: its cells in a sandboxed process of their own (grading.sandbox), every hidden check in
this one, a record of its rows (grading.records). The local pool (grading.pool) and the cluster's workers
(grading.cluster) both call safe_grade, the one entry here.
"""

import tempfile

from autograder.grading import records
from autograder.grading.causes import cause
from autograder.grading.intake import read_notebook
from autograder.grading.records import row, rows_for_all
from autograder.grading.sandbox import Sandboxed, public_package
from autograder.hidden import CHECKS
from autograder.notebooks import program, student_notebook, tampering, tests_of
from autograder.student_process.failure import GradingError


def test_rows(job, student):
    """One row per autograded test of the Job's assignment: its hidden check run on the student's functions (a
    function missing because the cell defining it failed is reported with that cause, grading.causes)."""
    checks = CHECKS[job.assignment]
    rows = []
    for test, points in tests_of(job.assignment):
        try:
            checks[test](student)
            rows.append(row(job, test, points, points, "ok", "all hidden checks passed"))
        except GradingError as failure:
            failure = cause(failure, student.cells, student.errors, student.left_out)
            rows.append(row(job, test, 0, points, failure.status, str(failure)))
        except Exception as error:  # a value the checks could not handle: the student's answer
            message = f"{test} could not be checked: {type(error).__name__}: {error}"
            rows.append(row(job, test, 0, points, "failed", message))
    return rows


def grade_job(job, timeout):
    """Grade one notebook.

    Inputs:
    - job: the Job (grading.intake); one with a problem is graded invalid, with its reason
    - timeout: seconds per cell and per call
    Returns:
    - its record (grading.records.new_record)
    """
    submitted, problem = (None, job.problem) if job.problem or job.path is None else read_notebook(job.path)
    if problem or submitted is None:
        return records.new_record(job, rows_for_all(job, "invalid", problem or "no notebook submitted"))
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
