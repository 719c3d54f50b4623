"""Hardened grading on a Dask cluster against the local pool, on this machine (python -m autograder grade).

1. SMALL generated rnn_bptt submissions (the solution, the correct one in another style and the mutants
   of tests/submissions/, in turn) graded with the local pool (--workers 2) and with --cluster (one
   scheduler, two one-process one-thread workers on 127.0.0.1, started before the clock starts): both
   wall times, their ratio (target: cluster <= 1.15 x local) and whether every score is the same.
2. LARGE submissions graded through the same cluster: the coordinator's resident memory sampled
   through the run (its peak, and at each quarter of the class), whether every notebook has exactly
   one record and its rows, and the cluster path's overhead per submission over the local pool's.

    .venv/bin/python benchmarks/cluster_grading.py [SMALL [LARGE]]     # default 200 2000
"""

import csv
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from notebooks import alternative, mutants, solution_code, submission  # noqa: E402

A = "rnn_bptt"
TARGET = 1.15
DASK = str(Path(sys.executable).parent / "dask")


def write_class(folder, count):
    """count submissions of every kind in turn, under folder (nbgrader's submitted/ layout)."""
    solution = solution_code(A)
    kinds = [solution, alternative(A)] + [{**solution, **m.code} for m in mutants(A).values()]
    notebooks = [nbformat.writes(submission(A, code)) for code in kinds]
    for i, text in zip(range(count), itertools.cycle(notebooks)):
        target = folder / f"student{i:04d}" / A
        target.mkdir(parents=True)
        (target / f"{A}.ipynb").write_text(text)
    return folder


def start(argv, log, cwd=ROOT):
    """A process in its own process group, its output into log."""
    with open(log, "wb") as out:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        return subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=out, start_new_session=True)


def start_cluster(scratch):
    """A scheduler and two one-process workers on the loopback; (its address, the processes)."""
    scheduler_file = scratch / "scheduler.json"
    argv = [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
    processes = [start(argv + ["--scheduler-file", str(scheduler_file)], scratch / "scheduler.log")]
    while not (scheduler_file.is_file() and "address" in (scheduler_file.read_text() or "")):
        time.sleep(0.1)
    address = json.loads(scheduler_file.read_text())["address"]
    for name in ("worker-1", "worker-2"):
        argv = [DASK, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"]
        argv += ["--local-directory", str(scratch / name), "--death-timeout", "60"]
        argv += ["--preload", "autograder.grading.cluster"]
        processes.append(start(argv, scratch / f"{name}.log"))
    from distributed import Client

    with Client(address, timeout="60s", set_as_default=False) as client:
        client.wait_for_workers(2, timeout=120)
    return address, processes


def stop(processes):
    """Kill every process group started."""
    for process in processes:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def grade(submitted, out, extra, total=None):
    """Run python -m autograder grade; (wall seconds, peak coordinator RSS in MiB, RSS at each quarter)."""
    argv = [sys.executable, "-m", "autograder", "grade", str(submitted), "--out", str(out), *extra]
    started = time.perf_counter()
    process = start(argv, Path(out).with_suffix(".log"))
    watched, peak, quarters = psutil.Process(process.pid), 0, {}
    while process.poll() is None:
        try:
            rss = watched.memory_info().rss / 2**20
        except psutil.Error:
            break
        peak = max(peak, rss)
        if total:
            done = sum(1 for _ in (Path(out) / "records").rglob("*.json")) if (Path(out) / "records").is_dir() else 0
            quarters.setdefault(min(4, 4 * done // total), rss)
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    assert process.wait() == 0, Path(out).with_suffix(".log").read_text()[-3000:]
    return seconds, peak, quarters


def scores(out):
    """(student, test) -> (score, status) of grades.csv."""
    with open(Path(out) / "grades.csv", newline="") as handle:
        return {(r["student"], r["test"]): (r["score"], r["status"]) for r in csv.DictReader(handle)}


def compare(small, scratch, address):
    """Part 1; returns the local pool's seconds per submission."""
    submitted = write_class(scratch / f"class-{small}", small)
    local, _, _ = grade(submitted, scratch / "local", ["--workers", "2"])
    cluster, peak, _ = grade(submitted, scratch / "cluster", ["--cluster", address])
    differ = [k for k, v in scores(scratch / "local").items() if scores(scratch / "cluster").get(k) != v]
    print(f"submissions                       {small}")
    print(f"local pool (--workers 2)          {local:7.1f} s  ({small / local:5.2f} notebooks/s)")
    print(f"cluster (2 one-process workers)   {cluster:7.1f} s  ({small / cluster:5.2f} notebooks/s)")
    print(f"cluster / local wall time         {cluster / local:7.3f}  (target <= {TARGET})")
    print(f"coordinator peak memory           {peak:7.1f} MiB")
    print(f"tests with different scores       {len(differ)}" + (f": {differ[:5]}" if differ else ""))
    print(f"{'meets' if cluster / local <= TARGET and not differ else 'MISSES'} the target")
    return local / small


def large_run(large, scratch, address, local_per_submission):
    """Part 2."""
    submitted = write_class(scratch / f"class-{large}", large)
    out = scratch / "large"
    seconds, peak, quarters = grade(submitted, out, ["--cluster", address], total=large)
    record_count = sum(1 for _ in (out / "records").rglob("*.json"))
    rows = scores(out)
    students = {student for student, _ in rows}
    per_notebook = len(rows) / max(len(students), 1)
    print(f"\nsubmissions through the cluster   {large} in {seconds:.1f} s ({large / seconds:5.2f} notebooks/s)")
    at = ", ".join(f"{q * 25}%: {rss:.0f}" for q, rss in sorted(quarters.items()))
    print(f"coordinator memory (MiB)          peak {peak:.1f}; at {at}")
    print(f"records / students with rows      {record_count} / {len(students)} ({per_notebook:g} rows each)")
    lost = large - record_count
    print(f"records lost                      {lost}")
    overhead = seconds / large - local_per_submission
    print(
        f"overhead per submission           {overhead * 1000:+.1f} ms"
        f" over the local pool's {local_per_submission:.3f} s"
    )


def main(small=200, large=2000):
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        address, processes = start_cluster(scratch)
        try:
            local_per_submission = compare(small, scratch, address)
            if large:
                large_run(large, scratch, address, local_per_submission)
        finally:
            stop(processes)


if __name__ == "__main__":
    main(*map(int, sys.argv[1:3]))
