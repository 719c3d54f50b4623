"""Hardened grading: every submission in its own sandboxed process, every verdict in this one.

    python -m autograder grade SUBMISSIONS --out RESULTS [--workers N | --cluster tcp://HOST:PORT]
                               [--timeout S] [--force] [--gradebook GRADEBOOK_DB] [--assignment NAME]

SUBMISSIONS is nbgrader's submitted/ folder, or an LMS's download (a zip or its folder); grading.intake
accounts for every file in it (intake.csv) and picks one notebook per student and assignment. RESULTS receives
grades.csv (one row per test), totals.csv, changes.csv, feedback/<student>/<assignment>/<assignment>.html,
report.html and the LMS's import files; records/ keeps one JSON file per student and assignment, so a second
run grades only what is new or changed (unless --force), and removes what is gone. With --cluster the
notebooks are graded by the workers of a Dask cluster (grading.cluster), and this process still writes
everything.
"""

import importlib
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from autograder.failure import GradingError
from autograder.grading import intake, records
from autograder.grading.causes import cause
from autograder.grading.intake import read_notebook
from autograder.grading.notebooks import program, student_notebook, tampering, tests_of
from autograder.grading.records import row, rows_for_all
from autograder.grading.sandbox import Sandboxed, public_package


def test_rows(job, student):
    """One row per autograded test of the Job's assignment: its hidden check run on the student's functions (a
    function missing because the cell defining it failed is reported with that cause, grading.causes)."""
    checks = importlib.import_module(f"autograder.hidden.{job.assignment}").CHECKS
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


def progress(done, total, width=30):
    """Draw a progress bar of done / total notebooks on stderr."""
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def grade(source, out, workers=2, timeout=10.0, force=False, gradebook=None, quiet=False, cluster=None, **options):
    """Grade every submission under source into out.

    Inputs:
    - source: a submissions folder or zip (grading.intake)
    - out: the results folder
    - workers: notebooks graded at once; timeout: seconds per cell and per call
    - force: grade again what out already holds a current record of
    - gradebook: an nbgrader gradebook.db to write the scores into, or None
    - quiet: no progress bar
    - cluster: the address of a Dask scheduler (tcp://HOST:PORT) whose workers grade instead of a local
      pool of workers processes (grading.cluster), or None
    - options: assignment (every notebook's assignment, for an LMS download), canvas_ids (assignment -> Canvas
      assignment id, for canvas_grades.csv), say (called with each line of the run's summary; default: silent)
    Returns:
    - the list of rows of grades.csv
    Raises intake.IntakeError when source cannot be read, SystemExit when the cluster cannot grade.
    """
    say = options.get("say") or (lambda line: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jobs = take_in(source, out, options.get("assignment"), say)
    grader = records.fingerprint()
    keys = {job: records.record_key(job, grader) for job in jobs}
    state = records.states(out, jobs, keys)
    todo = [job for job in jobs if force or state[job] != "unchanged"]
    tick = (lambda done: progress(done, len(jobs))) if not quiet else (lambda done: None)
    try:
        grade_todo(out, todo, keys, grader, timeout, workers, cluster, tick, len(jobs) - len(todo))
    except SystemExit:
        sys.stderr.write("" if quiet else "\n")  # end the progress bar's line before the reason
        raise
    gone = records.remove_gone(out, jobs)
    before = records.read_totals(out)
    graded = [records.load(out, job) for job in jobs]
    totals = write_results(out, graded, gradebook, options.get("canvas_ids"))
    changed = records.write_changes(out, before, totals)
    say(rerun_summary(jobs, state, gone, len(todo) if force else None))
    say(f"totals changed for {changed} (changes.csv)")
    return [r for record in graded for r in record["rows"]]


def take_in(source, out, assignment, say):
    """The Jobs of source (grading.intake), its manifest written to out/intake.csv and summed up with say."""
    jobs, lines = intake.take_in(source, out / "unpacked", assignment)
    intake.write_manifest(out, lines)
    say(intake.summary(lines))
    return jobs


def rerun_summary(jobs, state, gone, forced):
    """What a run found in one line: results, students, how many new, changed, unchanged and gone; forced: how many
    were graded again with --force, or None."""
    counts = ", ".join(f"{sum(v == s for v in state.values())} {s}" for s in ("new", "changed", "unchanged"))
    again = f"; all {forced} graded again (--force)" if forced is not None else ""
    return f"results: {len(jobs)} ({len({j.student for j in jobs})} students): {counts}; {gone} gone, removed{again}"


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


def write_results(out, graded, gradebook=None, canvas_ids=None):
    """grades.csv, totals.csv, every feedback page, the class report (with its similarity check) and the LMS's
    import files in out; the gradebook when given. Returns the totals (records.total of each record)."""
    from autograder.grading.lms import write_lms_files
    from autograder.grading.report import write_class_report, write_feedback

    totals = records.write_grades(out, graded)
    for record in graded:
        write_feedback(out, record)
    write_class_report(out, graded)
    write_lms_files(out, [t | {"name": r["job"].get("name", "")} for t, r in zip(totals, graded)], canvas_ids)
    if gradebook:
        from autograder.grading.gradebook import write_gradebook

        write_gradebook(gradebook, [r for record in graded for r in record["rows"]])
    return totals
