"""Hardened grading on a Dask cluster: python -m autograder grade SUBMISSIONS --out RESULTS --cluster tcp://HOST:PORT

Every notebook is one Dask task, run on whichever worker takes it: the task runs the same sandboxed
grading as the local pool (grade_one.safe_grade, with the student's process under bubblewrap on that worker)
and returns the same record. The submission's bytes travel with the task, so workers need no shared
folder; only this process, the coordinator, writes records, grades.csv, totals.csv, feedback, the
report and the gradebook.

- A worker runs its own checkout of the course. Each task carries the coordinator's grader version
  (records.fingerprint: autograder/ and solutions/, the hidden tests) and a worker whose copy differs
  refuses it (GraderMismatch, naming both versions); the coordinator then sends that notebook, and the
  rest, only to workers that agree, and stops when none does. No grade comes from a mismatched grader.
- A worker that dies mid-task: the scheduler gives its tasks to the others; a notebook whose grading
  killed every worker it ran on more than `distributed.scheduler.allowed-failures` times (default 3)
  comes back as KilledWorker and is recorded `crashed`; the run goes on.
- Only a bounded number of tasks is in flight (four times the workers' threads), so the coordinator's memory
  does not grow with the class; each record is written once, as its task completes, atomically.

Workers started with `--preload autograder.grading.cluster` load the grader when they start (dask_setup)
and grade with the version they loaded. Dask is imported here only: without --cluster nothing of it is
loaded.
"""

import hashlib
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.grading import records
from autograder.notebooks import ROOT

CONNECT_SECONDS = 60  # to reach the scheduler, and for a first worker to join it
PROBE_SECONDS = 5  # to find out that nothing listens at the scheduler's address
REFRESH = 16
LOADED = {}  # on a worker started with --preload autograder.grading.cluster: the grader's version it loaded


class GraderMismatch(RuntimeError):
    """A worker's copy of the course is not the coordinator's: it refuses to grade (args: why, the worker)."""

    def __str__(self):
        return f"worker {self.args[1]} refuses: {self.args[0]}"


def describe(fingerprint):
    """The grader version in words: its fingerprint, the commit of the checkout when git knows it, the machine."""
    try:
        git = ["git", "-C", str(ROOT), "describe", "--always", "--dirty=+changes"]
        commit = subprocess.run(git, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    where = f"{socket.gethostname()}:{ROOT}"
    return f"grader {fingerprint[:12]}" + (f" (commit {commit})" if commit else "") + f" in {where}"


def refusal(own, coordinator):
    """The message of a worker that refuses: both versions, and what to do."""
    return (
        f"this worker's course is {describe(own)}, the coordinator's is {coordinator['description']}: "
        "it refuses to grade; check out the same commit on both (set up with the README's first command) "
        "and restart the worker"
    )


def worker_version(coordinator):
    """On a worker: None when its course (as loaded, and as on disk) is the coordinator's, else the refusal
    message."""
    own = LOADED.get("fingerprint") or records.fingerprint()
    if own != coordinator["fingerprint"]:
        return refusal(own, coordinator)
    if records.fingerprint() != own:
        return refusal(records.fingerprint(), coordinator) + " (its checkout changed since it started)"
    return None


def dask_setup(worker):
    """dask worker --preload autograder.grading.cluster: load the grader once, when the worker starts (its
    version is then the one it grades with), and stop Dask's sampling profiler, which costs grading time."""
    import importlib

    importlib.import_module("autograder.grading.grade_one")  # and with it every hidden check (autograder.hidden)
    LOADED["fingerprint"] = records.fingerprint()
    for name in ("profile", "profile-cycle"):
        callback = worker.periodic_callbacks.pop(name, None)
        if callback:
            callback.stop()


def grade_remote(job, content, timeout, coordinator):
    """The task, on a worker: grade one notebook from its bytes, after checking the grader version.

    Inputs:
    - job: the Job (its path is the coordinator's; content is that file's bytes, None when missing)
    - timeout: seconds per cell and per call
    - coordinator: {"fingerprint", "description"} of the coordinator's grader
    Returns:
    - the record, as the local pool would write it (with the coordinator's path)
    Raises GraderMismatch when this worker's course differs.
    """
    from autograder.grading.grade_one import safe_grade

    why = worker_version(coordinator)
    if why:
        from distributed import get_worker

        raise GraderMismatch(why, get_worker().address)
    if content is None:
        return safe_grade(job, timeout)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "submitted.ipynb"
        path.write_bytes(content)
        record = safe_grade(job._replace(path=path), timeout)
    record["job"]["path"] = str(job.path)
    return record


def task_key(job, key, attempt):
    """A Dask key unique to the Job and its record key (equal notebooks of two students are two tasks)."""
    digest = hashlib.sha256(f"{key}\0{job.student}\0{job.assignment}\0{job.notebook}".encode()).hexdigest()
    return f"autograder-grade-{digest[:40]}-{attempt}"


def crashed_record(job, error):
    """The record of a notebook whose grading killed every worker it was given to."""
    message = (
        "grading this notebook ended every worker it ran on, as many times as the scheduler allows "
        f"(distributed.scheduler.allowed-failures); it was not graded ({type(error).__name__})"
    )
    return records.new_record(job, records.rows_for_all(job, "crashed", message))


def probe(address, seconds=PROBE_SECONDS):
    """None when something listens at address (tcp://HOST:PORT), else why not, in words."""
    host, _, port = address.removeprefix("tcp://").rpartition(":")
    if not host or not port.isdigit():
        return f"{address!r} is not an address tcp://HOST:PORT"
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=seconds).close()
        return None
    except OSError as error:
        return error.strerror or type(error).__name__


def connect(address):
    """A Client of the scheduler at address, with at least one worker; SystemExit with one line when not."""
    from distributed import Client

    why = probe(address)
    if why:
        raise SystemExit(
            f"no Dask scheduler reachable at {address} ({why}): start one with `.venv/bin/dask scheduler` "
            "or check the address and the port"
        )
    try:
        client = Client(address, timeout=f"{CONNECT_SECONDS}s", set_as_default=False)
    except OSError as error:
        raise SystemExit(f"no Dask scheduler reachable at {address}: {error}") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except TimeoutError:
        client.close()
        raise SystemExit(
            f"the scheduler at {address} has no worker after {CONNECT_SECONDS} s: start dask worker"
        ) from None
    return client


def refusing_workers(client, coordinator):
    """worker address -> why it refuses, for every worker now connected (a worker that cannot load the
    course's grader refuses too)."""
    answers = client.run(worker_version, coordinator, on_error="return")
    refused = {}
    for worker, answer in answers.items():
        if isinstance(answer, BaseException):
            answer = unloadable(answer)
        if answer:
            refused[worker] = answer
    return refused


def unloadable(error):
    """The message of a worker that could not load the course's grader."""
    return (
        f"it could not load the course's grader ({type(error).__name__}: {error}); start dask worker in a "
        "checkout of the course, with PYTHONPATH set to it"
    )


class ClusterRun:
    """One run on the cluster: the tasks in flight, the workers that refused, the Jobs still to send."""

    def __init__(self, client, address, todo, keys, grader, timeout):
        self.client, self.address, self.keys, self.timeout = client, address, keys, timeout
        self.coordinator = {"fingerprint": grader, "description": describe(grader)}
        self.pending = iter(todo)
        self.refused = {}  # worker address -> why it refuses
        self.jobs = {}  # task key -> Job, for the tasks in flight
        self.attempts = {}  # Job -> how many times it was sent
        from distributed import as_completed

        self.tasks = as_completed(loop=client.loop, with_results=True, raise_errors=False)
        self.limit, self.completed = 0, 0  # tasks kept in flight, refreshed every REFRESH completions

    def note_refusals(self, found):
        """Remember the workers that refuse (worker address -> why), saying so once each on stderr."""
        for worker, why in found.items():
            if worker not in self.refused:
                sys.stderr.write(f"\nworker {worker} refuses: {why}\n")
                self.refused[worker] = why

    def eligible(self):
        """The workers connected now that did not refuse; SystemExit when there is none."""
        workers = [w for w in self.client.scheduler_info()["workers"] if w not in self.refused]
        if not workers:
            reasons = "; ".join(sorted(set(self.refused.values())))
            raise SystemExit(f"no worker of {self.address} can grade with this course: {reasons}")
        return workers

    def submit(self, job):
        """Send one Job as a task (only to the workers that agree, once one refused)."""
        self.attempts[job] = self.attempts.get(job, -1) + 1
        content = job.path.read_bytes() if job.path else None
        where = {"workers": self.eligible(), "allow_other_workers": False} if self.refused else {}
        key = task_key(job, self.keys[job], self.attempts[job])
        args = (grade_remote, job, content, self.timeout, self.coordinator)
        future = self.client.submit(*args, key=key, pure=False, **where)
        self.jobs[future.key] = job
        self.tasks.add(future)

    def top_up(self):
        """Send Jobs until four times as many tasks as the workers have threads are in flight (at least 8)."""
        if self.completed % REFRESH == 0:  # workers may have joined or left
            self.limit = max(8, 4 * sum(self.client.nthreads().values()))
        while len(self.jobs) < self.limit:
            job = next(self.pending, None)
            if job is None:
                return
            self.submit(job)

    def records(self):
        """(Job, record) as each task completes; a refused task is sent again, to a worker that agrees."""
        from distributed import KilledWorker

        self.note_refusals(refusing_workers(self.client, self.coordinator))
        self.eligible()
        self.top_up()
        for future, result in self.tasks:  # results fetched as tasks finish, in the client's thread
            job = self.jobs.pop(future.key)
            self.completed += 1
            try:
                record = result if future.status == "finished" else future.result()  # raises its error
            except KilledWorker as error:
                record = crashed_record(job, error)
            except GraderMismatch as error:
                why, worker = error.args
                self.note_refusals({worker: why})
                future.release()
                self.submit(job)
                continue
            except (ImportError, AttributeError) as error:
                raise SystemExit(f"a worker of {self.address} {unloadable(error)}") from None
            future.release()
            yield job, record
            self.top_up()


def grade_on_cluster(address, todo, keys, grader, timeout, finish):
    """Grade the Jobs todo on the cluster whose scheduler is at address.

    Inputs:
    - address: the scheduler's address, tcp://HOST:PORT
    - todo: the Jobs to grade; keys: Job -> its record key; grader: records.fingerprint() here
    - timeout: seconds per cell and per call
    - finish: called as finish(job, record) in this process, once per Job, as its record arrives
    """
    client = connect(address)
    try:
        for job, record in ClusterRun(client, address, todo, keys, grader, timeout).records():
            finish(job, record)
    finally:
        client.close()
