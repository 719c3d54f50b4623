"""Time of the rnn_bptt notebook's hidden tests, beyond kernel start. Target: under 1 s on 2 cores.

Two measurements in one run, each the best of REPEATS:
1. in a real kernel (nbclient): the solution notebook with its hidden tests, minus the same notebook
   with the hidden test cells emptied; kernel start-up is printed as the baseline;
2. in this process: each function's hidden check on the solution, to see where the time goes.

    .venv/bin/python benchmarks/hidden_tests.py
"""

import contextlib
import io
import time

import nbformat
from nbclient import NotebookClient

from autograder.hidden import rnn_bptt
from autograder.notebooks import SOLUTIONS_FOLDER, graded_cells, solution_namespace, solution_notebook

FOLDER = SOLUTIONS_FOLDER / "rnn_bptt"
REPEATS = 3
TARGET_SECONDS = 1.0


def execute_seconds(nb):
    """Wall time of executing a notebook in a fresh kernel, kernel start included."""
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(FOLDER)}}).execute()
    return time.perf_counter() - start


def without_hidden_tests(nb):
    """A copy of the notebook with its autograded test cells emptied."""
    nb = nbformat.from_dict(nb)
    for cell in graded_cells(nb).values():
        cell.source = ""
    return nb


def main():
    solution = solution_notebook("rnn_bptt")
    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")])
    kernel = min(execute_seconds(nbformat.from_dict(empty)) for _ in range(REPEATS))
    without = min(execute_seconds(without_hidden_tests(solution)) for _ in range(REPEATS))
    with_hidden = min(execute_seconds(nbformat.from_dict(solution)) for _ in range(REPEATS))
    hidden = with_hidden - without

    print(f"kernel start (empty notebook)           {kernel:7.3f} s   (baseline)")
    print(f"solution notebook, hidden cells emptied {without:7.3f} s")
    print(f"solution notebook with hidden tests     {with_hidden:7.3f} s")
    print(f"hidden tests, beyond kernel start       {hidden:7.3f} s   = {hidden / kernel:.2f} x kernel start")

    ns = solution_namespace("rnn_bptt")
    print("\nin process, per function (best of 3):")
    total = 0.0
    for name in rnn_bptt.CHECKS:
        times = []
        for _ in range(REPEATS):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                rnn_bptt.check(name, ns)
            times.append(time.perf_counter() - start)
        total += min(times)
        print(f"  {name:26s} {min(times) * 1000:7.1f} ms")
    print(f"  {'total':26s} {total * 1000:7.1f} ms")
    verdict = "meets" if hidden < TARGET_SECONDS else "MISSES"
    print(f"\n{verdict} the target: hidden tests {hidden:.3f} s < {TARGET_SECONDS:.1f} s beyond kernel start")


if __name__ == "__main__":
    main()
