"""Throughput of hardened grading against nbgrader autograde, on the same submissions, in one run.

Generates SUBMISSIONS notebooks for rnn_bptt (the solution, the correct one in another style and
the mutants of tests/submissions/, in turn), grades them with `nbgrader autograde` (the baseline)
and with `python -m autograder grade --workers 2`, checks that both give every test the same score,
and prints the wall times and the ratio. Target: at least 5 x nbgrader on this 2-core machine.

    .venv/bin/python benchmarks/grading_throughput.py [SUBMISSIONS]
"""

import csv
import itertools
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from notebooks import alternative, mutants, solution_code, submission  # noqa: E402

A = "rnn_bptt"
TARGET = 5.0


def run(command, cwd):
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(cwd)}
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main(count=40):
    solution = solution_code(A)
    kinds = [solution, alternative(A)] + [{**solution, **m.code} for m in mutants(A).values()]
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch)
        shutil.copy(ROOT / "nbgrader_config.py", course)
        (course / "autograder").mkdir()
        shutil.copy(ROOT / "autograder" / "nbgrader_config.py", course / "autograder")
        shutil.copytree(ROOT / "solutions", course / "solutions")
        run(["nbgrader", "generate_assignment", A, "--force"], course)
        for i, code in zip(range(count), itertools.cycle(kinds)):
            folder = course / "submitted" / f"student{i:03d}" / A
            folder.mkdir(parents=True)
            nbformat.write(submission(A, code), folder / f"{A}.ipynb")

        nbgrader_seconds = run(["nbgrader", "autograde", A, "--create"], course)
        command = [sys.executable, "-m", "autograder", "grade", "submitted", "--out", "hardened", "--workers", "2"]
        hardened_seconds = run(command, course)

        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
            rows = list(csv.DictReader((course / "hardened" / "grades.csv").open()))
            differ = [
                (r["student"], r["test"])
                for r in rows
                if gb.find_grade(f"test_{r['test']}", A, A, r["student"]).score != float(r["score"])
            ]
    print(f"submissions graded            {count}")
    baseline = f"({count / nbgrader_seconds:5.2f} notebooks/s, baseline)"
    print(f"nbgrader autograde            {nbgrader_seconds:7.2f} s  {baseline}")
    print(f"python -m autograder grade    {hardened_seconds:7.2f} s  ({count / hardened_seconds:5.2f} notebooks/s)")
    ratio = nbgrader_seconds / hardened_seconds
    print(f"throughput ratio              {ratio:7.2f} x nbgrader  (target >= {TARGET:g} x)")
    print(f"tests with different scores   {len(differ)} of {len(rows)}" + (f": {differ[:5]}" if differ else ""))
    print(f"{'meets' if ratio >= TARGET and not differ else 'MISSES'} the target")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40)
