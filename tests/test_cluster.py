"""Hardened grading on a Dask cluster (python -m autograder grade --cluster), on the loopback only.

A scheduler and two workers run as separate processes, each in its own process group, stopped by the
fixtures' finalizers also when a test fails. The class is the hostile one of tests/test_hardened.py and
the mutants of tests/submissions/; the cluster's grades must be the local pool's, also when a worker
or the coordinator is killed midway, and a worker from another copy of the course must refuse.
"""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from notebooks import ROOT, mutants, submission
from test_hardened import BROKEN_FUNCTIONS, EXTRA_CELLS, GOOD, SOLUTION, A, write

from autograder.grading import records
from autograder.grading.grade_class import grade

pytestmark = pytest.mark.plumbing

TIMEOUT = 3  # seconds per cell and per call, as in tests/test_hardened.py
WAIT = 120  # the longest any wait for a process or a condition may take, on a loaded machine
KILLS_WORKERS = "kills-workers"  # the student whose grading kills the worker process (PRELOAD)
# Loaded into every test worker (dask worker --preload): grading the notebook of KILLS_WORKERS ends the
# worker's process, as a grader crash would; every other notebook is graded as usual.
PRELOAD = f"""
import os
import signal

import autograder.grading.grade_one as one


def killing(grade_job):
    def grade(job, timeout):
        if job.student == {KILLS_WORKERS!r}:
            os.kill(os.getpid(), signal.SIGKILL)
        return grade_job(job, timeout)

    grade.kills = True
    return grade


if not getattr(one.grade_job, "kills", False):  # the nanny and the worker both load this file
    one.grade_job = killing(one.grade_job)
"""


def wait_for(condition, what, seconds=WAIT):
    """Poll condition() until it is true; fail naming what was awaited after seconds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


class Processes:
    """Processes started by a test, each in its own process group; stop() kills every group."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.started = []

    def start(self, name, argv, cwd=ROOT, env=None):
        log = open(self.folder / f"{name}.log", "wb")
        env = {**os.environ, "PYTHONPATH": str(cwd), **(env or {})}
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=log, stderr=log, start_new_session=True)
        log.close()
        self.started.append(process)
        return process

    def kill(self, process):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=WAIT)

    def stop(self):
        for process in reversed(self.started):
            self.kill(process)


DASK = str(Path(sys.executable).parent / "dask")


def start_scheduler(processes, name):
    """A scheduler on 127.0.0.1 at a free port (no dashboard); its address. A notebook may kill its
    worker twice before it is recorded crashed (allowed-failures 1), to keep the test short."""
    scheduler_file = processes.folder / f"{name}.json"
    argv = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    argv += ["--scheduler-file", str(scheduler_file), "--idle-timeout", "900"]
    process = processes.start(name, argv, env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"})
    wait_for(lambda: scheduler_file.is_file() and scheduler_file.stat().st_size, f"{name} to start")
    wait_for(lambda: "address" in json.loads(scheduler_file.read_text() or "{}"), f"{name}'s address")
    assert process.poll() is None
    return json.loads(scheduler_file.read_text())["address"]


def start_worker(processes, name, address, checkout=ROOT):
    """A one-process, one-thread worker (with its nanny) of the scheduler at address, run from checkout."""
    preload = processes.folder / "kill_preload.py"
    preload.write_text(PRELOAD)
    scratch = processes.folder / f"{name}-space"
    argv = [DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard", "--name", name]
    argv += ["--local-directory", str(scratch), "--death-timeout", "60"]
    argv += ["--preload", "autograder.grading.cluster", "--preload", str(preload)]
    return processes.start(name, argv, cwd=checkout)


def client_of(address):
    from distributed import Client

    return Client(address, timeout="60s", set_as_default=False)


def wait_for_workers(address, count):
    with client_of(address) as client:
        client.wait_for_workers(count, timeout=WAIT)
        return list(client.scheduler_info()["workers"])


@pytest.fixture(scope="module")
def processes(tmp_path_factory):
    started = Processes(tmp_path_factory.mktemp("cluster-processes"))
    yield started
    started.stop()


@pytest.fixture(scope="module")
def cluster(processes):
    """The address of a scheduler with two workers, on the loopback."""
    address = start_scheduler(processes, "scheduler")
    for name in ("worker-1", "worker-2"):
        start_worker(processes, name, address)
    wait_for_workers(address, 2)
    return address


CLUSTER_MUTANTS = 6  # enough notebooks for a worker to be killed while it grades one


def write_class(submitted):
    """The hostile class of tests/test_hardened.py and some mutants of tests/submissions/ (every mutant goes through
    the sandbox in test_sandboxed_mutants); the students."""
    write(submitted, GOOD, submission(A, SOLUTION))
    for student, (function, code) in BROKEN_FUNCTIONS.items():
        write(submitted, student, submission(A, {**SOLUTION, function: code}))
    for student, extra in EXTRA_CELLS.items():
        nb = submission(A, SOLUTION)
        nb.cells.append(nbformat.v4.new_code_cell(extra))
        write(submitted, student, nb)
    for name, mutant in sorted(mutants(A).items())[:CLUSTER_MUTANTS]:
        write(submitted, f"mutant-{name}", submission(A, {**SOLUTION, **mutant.code}))
    write(submitted, "twin", submission(A, SOLUTION))  # the same bytes as GOOD: graded as its own task
    tampered = submission(A, SOLUTION)
    tampered.cells = [
        c for c in tampered.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "test_rnn_backward"
    ]
    write(submitted, "tampered", tampered)
    (submitted / "unreadable" / A).mkdir(parents=True)
    (submitted / "unreadable" / A / f"{A}.ipynb").write_text("{ not a notebook")
    write(submitted, "misnamed", submission(A, SOLUTION), name="my_rnn_final.ipynb")
    (submitted / "missing" / A).mkdir(parents=True)


@pytest.fixture(scope="module")
def local(tmp_path_factory):
    """(submitted folder, the local pool's rows by student) on the class."""
    base = tmp_path_factory.mktemp("local")
    write_class(base / "submitted")
    rows = grade(base / "submitted", base / "results", workers=2, timeout=TIMEOUT, quiet=True)
    return base / "submitted", by_student(rows)


def by_student(rows):
    found = {}
    for r in rows:
        found.setdefault(r["student"], []).append(tuple(r[field] for field in records.FIELDS))
    return {student: sorted(rs) for student, rs in found.items()}


def subset(submitted, folder, students):
    """A submitted/ folder holding only these students' submissions (copies)."""
    for student in students:
        shutil.copytree(submitted / student, folder / student)
    return folder


def record_files(out):
    return sorted(p for p in (out / "records").rglob("*.json"))


def test_the_cluster_grades_the_class_as_the_local_pool_does(cluster, local, tmp_path):
    submitted, expected = local
    shutil.copytree(submitted, tmp_path / "submitted")
    write(tmp_path / "submitted", KILLS_WORKERS, submission(A, SOLUTION))
    rows = grade(tmp_path / "submitted", tmp_path / "results", timeout=TIMEOUT, quiet=True, cluster=cluster)
    got = by_student(rows)
    crashed = got.pop(KILLS_WORKERS)
    assert got == expected
    # The notebook whose grading killed every worker it was given: crashed after a bounded number of tries.
    assert {r[records.FIELDS.index("status")] for r in crashed} == {"crashed"} and len(crashed) == 9
    assert "ended every worker it ran on" in crashed[0][records.FIELDS.index("message")]
    assert (tmp_path / "results" / "report.html").is_file()
    assert (tmp_path / "results" / "feedback" / GOOD / A / f"{A}.html").is_file()
    assert len(record_files(tmp_path / "results")) == len(expected) + 1
    wait_for_workers(cluster, 2)  # the nannies restarted the killed workers


def sandboxes_of(process):
    """The student processes (sandboxed workers) running under a dask worker process."""
    try:
        children = psutil.Process(process.pid).children(recursive=True)
        return [c for c in children if "autograder.student_process.worker" in " ".join(c.cmdline())]
    except psutil.Error:
        return []


def coordinator(processes, name, submitted, out, address):
    argv = [sys.executable, "-m", "autograder", "grade", str(submitted), "--out", str(out)]
    return processes.start(name, argv + ["--timeout", str(TIMEOUT), "--cluster", address])


def test_a_worker_killed_mid_grading_loses_nothing_and_adds_no_row(cluster, local, processes, tmp_path):
    submitted, expected = local
    students = [s for s in expected if s.startswith("mutant-")] + [GOOD, "twin", "raises", "nan"]
    subset(submitted, tmp_path / "submitted", students)
    victim = start_worker(processes, "victim", cluster)
    wait_for_workers(cluster, 3)
    run = coordinator(processes, "coordinator-1", tmp_path / "submitted", tmp_path / "results", cluster)
    wait_for(lambda: sandboxes_of(victim) or run.poll() is not None, "the victim worker to grade a notebook")
    assert run.poll() is None, "the class was graded before the victim took a notebook"
    processes.kill(victim)  # nanny, worker and the sandbox it runs: as a lost machine
    assert run.wait(timeout=WAIT * 2) == 0, (processes.folder / "coordinator-1.log").read_text()[-3000:]
    assert len(record_files(tmp_path / "results")) == len(students)
    with open(tmp_path / "results" / "grades.csv", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert len(lines) == sum(len(expected[s]) for s in students)
    rows = grade(tmp_path / "submitted", tmp_path / "results", timeout=TIMEOUT, quiet=True)  # reads records only
    assert by_student(rows) == {s: expected[s] for s in students}


def test_a_second_run_after_the_coordinator_is_killed_grades_only_what_is_missing(cluster, local, processes, tmp_path):
    submitted, expected = local
    students = [s for s in expected if s.startswith("mutant-")] + [GOOD, "twin"]
    subset(submitted, tmp_path / "submitted", students)
    out = tmp_path / "results"
    run = coordinator(processes, "coordinator-2", tmp_path / "submitted", out, cluster)
    wait_for(lambda: len(record_files(out)) >= 3 or run.poll() is not None, "three records")
    processes.kill(run)
    assert not (out / "grades.csv").exists(), "the first run finished before it was killed"
    before = {p: p.stat().st_mtime_ns for p in record_files(out)}
    assert 3 <= len(before) < len(students)
    rows = grade(tmp_path / "submitted", out, timeout=TIMEOUT, quiet=True, cluster=cluster)
    assert by_student(rows) == {s: expected[s] for s in students}
    assert {p: p.stat().st_mtime_ns for p in before} == before  # recorded ones were not graded again
    assert len(record_files(out)) == len(students)
    assert not list(out.rglob("*.partial"))


def test_a_worker_with_another_hidden_test_refuses_naming_both_versions(local, processes, tmp_path):
    submitted, _ = local
    checkout = tmp_path / "checkout"
    for part in ("autograder", "solutions", "exercises", "rnnkit"):
        shutil.copytree(ROOT / part, checkout / part, ignore=shutil.ignore_patterns("__pycache__"))
    hidden = checkout / "autograder" / "hidden" / f"{A}.py"
    hidden.write_text(hidden.read_text() + "\n# a hidden test changed on this machine\n")
    address = start_scheduler(processes, "scheduler-mismatch")
    start_worker(processes, "stale", address, checkout=checkout)
    wait_for_workers(address, 1)
    ours = records.fingerprint()[:12]
    theirs = subprocess.run(
        [sys.executable, "-c", "from autograder.grading.records import fingerprint; print(fingerprint()[:12])"],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout)},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert ours != theirs
    subset(submitted, tmp_path / "submitted", [GOOD])
    with pytest.raises(SystemExit) as refused:
        grade(tmp_path / "submitted", tmp_path / "results", timeout=TIMEOUT, quiet=True, cluster=address)
    assert "refuses" in str(refused.value) and ours in str(refused.value) and theirs in str(refused.value)
    assert not (tmp_path / "results" / "grades.csv").exists() and not record_files(tmp_path / "results")

    # The check is in the task too: a task sent straight to that worker refuses, naming both versions.
    from autograder.grading.cluster import GraderMismatch, describe, grade_remote
    from autograder.grading.intake import take_in

    (job,), _ = take_in(tmp_path / "submitted", tmp_path / "unpacked")
    version = {"fingerprint": records.fingerprint(), "description": describe(records.fingerprint())}
    with client_of(address) as client:
        future = client.submit(grade_remote, job, job.path.read_bytes(), TIMEOUT, version, pure=False)
        with pytest.raises(GraderMismatch) as mismatch:
            future.result(timeout=WAIT)
    assert ours in str(mismatch.value) and theirs in str(mismatch.value)


def test_without_cluster_no_dask_is_imported(local, tmp_path):
    submitted, expected = local
    subset(submitted, tmp_path / "submitted", [GOOD])
    script = (
        "import sys\nfrom autograder.__main__ import main\n"
        f"assert main(['grade', {str(tmp_path / 'submitted')!r}, '--out', {str(tmp_path / 'out')!r}]) == 0\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed'))\n"
        "assert not loaded, loaded\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 0, done.stderr[-3000:]
