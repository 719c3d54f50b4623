"""Hardened grading of a class: every submission in its own sandboxed process, every verdict in the grader's.

    python -m autograder grade SUBMISSIONS --out RESULTS [--workers N | --cluster tcp://HOST:PORT]
                               [--timeout S] [--force] [--gradebook GRADEBOOK_DB] [--assignment NAME]

SUBMISSIONS is nbgrader's submitted/ folder, or an LMS's download (a zip or its folder); grading.intake
accounts for every file in it (intake.csv) and picks one notebook per student and assignment. RESULTS receives
grades.csv (one row per test), totals.csv, changes.csv, feedback/<student>/<assignment>/<assignment>.html,
report.html and the LMS's import files; records/ keeps one JSON file per student and assignment, so a second
run grades only what is new or changed (unless --force), and removes what is gone. With --cluster the
notebooks are graded by the workers of a Dask cluster (grading.cluster), else in a local pool (grading.pool), each
by grading.grade_one; this process alone writes everything.
"""

import sys
from pathlib import Path

from autograder.grading import intake, records
from autograder.grading.pool import grade_in_pool
from rnnkit import TIME_LIMIT


def progress(done, total, width=30):
    """Draw a progress bar of done / total notebooks on stderr."""
    filled = int(width * done / max(total, 1))
    sys.stderr.write(f"\rgrading [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()
    if done == total:
        sys.stderr.write("\n")


def grade(
    source, out, workers=2, timeout=TIME_LIMIT, force=False, gradebook=None, quiet=False, cluster=None, **options
):
    """Grade every submission under source into out.

    Inputs:
    - source: a submissions folder or zip (grading.intake)
    - out: the results folder
    - workers: notebooks graded at once; timeout: seconds per cell and per call
    - force: grade again what out already holds a current record of
    - gradebook: an nbgrader gradebook.db to write the scores into, or None; quiet: no progress bar
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
    jobs = take_in(source, out, options.get("assignment"), say)
    grader = records.fingerprint()
    keys = {job: records.record_key(job, grader) for job in jobs}
    state = records.states(out, jobs, keys)
    todo = [job for job in jobs if force or state[job] != "unchanged"]
    tick = (lambda done: progress(done, len(jobs))) if not quiet else (lambda done: None)
    try:
        grade_todo(out, todo, keys, peer(cluster, keys, grader, timeout, workers), tick, len(jobs) - len(todo))
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
    out.mkdir(parents=True, exist_ok=True)
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


def peer(cluster, keys, grader, timeout, workers):
    """The function grade_each(todo, finish) that grades a list of Jobs: on the cluster whose scheduler is at cluster
    (grading.cluster), or in a pool of workers local processes (grading.pool)."""
    if cluster:
        from autograder.grading.cluster import grade_on_cluster  # Dask is loaded only for a cluster

        return lambda todo, finish: grade_on_cluster(cluster, todo, keys, grader, timeout, finish)
    return lambda todo, finish: grade_in_pool(todo, timeout, workers, finish)


def grade_todo(out, todo, keys, grade_each, tick, done):
    """Grade the Jobs todo with grade_each (peer), saving each record in out as it arrives (atomically, here only)
    and calling tick(notebooks done)."""
    tick(done)

    def finish(job, record):
        nonlocal done
        records.save(out, job, record, keys[job])
        done += 1
        tick(done)

    grade_each(todo, finish)


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
