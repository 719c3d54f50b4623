"""python -m rnnkit check NOTEBOOK.ipynb: run a notebook's visible tests before you submit it.

The notebook's code cells run in order in a fresh Python process (rnnkit.runner), headless (matplotlib
draws to no screen), each within a time limit; a cell that runs longer is left out and the rest run
again without it. The cells where the hidden tests go when the notebook is graded (nbgrader's graded
cells, test_<function>) are never run, and a hidden-test block anywhere is cut out unread. Then each
function's visible test (the cell visible_<function>) says passed, or its message.
"""

import json
import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

from rnnkit import TIME_LIMIT

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?(### END HIDDEN TESTS|\Z)", re.S)
VISIBLE = "visible_"
HERE = str(Path(__file__).resolve().parent.parent)  # where rnnkit is, for the runner from any folder
GRADED_LATER = "hidden tests run when the notebook is graded"


def nbgrader_id(cell):
    """A cell's nbgrader grade_id, or None."""
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def program(notebook):
    """The cells to run, [{"id", "source"}]: every code cell but the graded ones, hidden blocks cut out."""
    cells = []
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code" or cell.get("metadata", {}).get("nbgrader", {}).get("grade"):
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cells.append({"id": nbgrader_id(cell) or f"cell {number + 1}", "source": HIDDEN.sub("", source)})
    return cells


def read(path):
    """(the notebook at path as JSON, "") or (None, why it cannot be checked, in words)."""
    if not path.is_file():
        return None, "no such file" if not path.exists() else "a folder, not a notebook (.ipynb)"
    text = path.read_text(encoding="utf-8", errors="replace")
    if not text.strip():
        return None, "the file is empty: save the notebook in Jupyter (Ctrl+S), then check it again"
    try:
        notebook = json.loads(text)
    except ValueError:
        return None, "not a notebook (not JSON): give the .ipynb file of an exercise"
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        return None, "not a notebook (no cells): give the .ipynb file of an exercise"
    return notebook, ""


def _read_reports(stream, reports):
    """Put each report line of the runner on the queue, then None when the runner's output ends."""
    for line in stream:
        reports.put(json.loads(line))
    reports.put(None)


def run_once(cells, timeout, cwd):
    """Run the cells in one runner process: (cell id -> error message or None, id of a cell that hung or
    ended the process, or None when every cell ran, and why)."""
    runner = subprocess.Popen(
        [sys.executable, "-m", "rnnkit.runner"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=cwd,
        env={
            **os.environ,
            "MPLBACKEND": "Agg",
            "PYTHONPATH": os.pathsep.join([HERE, os.environ.get("PYTHONPATH", "")]),
        },
        text=True,
    )
    reports = queue.Queue()
    threading.Thread(target=_read_reports, args=(runner.stdout, reports), daemon=True).start()
    runner.stdin.write(json.dumps(cells))
    runner.stdin.close()
    results = {}
    try:
        for cell in cells:
            try:
                report = reports.get(timeout=timeout)
            except queue.Empty:
                return results, cell["id"], f"it ran longer than {timeout:g} s"
            if report is None:
                return results, cell["id"], "the notebook's process ended while running it"
            results[report["id"]] = report["error"]
        return results, None, None
    finally:
        runner.kill()
        runner.wait()


def run(cells, timeout, cwd):
    """Run the cells, leaving out each one that hangs or ends the process: (results, left out: id -> why)."""
    left_out = {}
    while True:
        results, stuck, why = run_once([c for c in cells if c["id"] not in left_out], timeout, cwd)
        if stuck is None:
            return results, left_out
        left_out[stuck] = why


def verdicts(cells, results, left_out):
    """function -> "passed" or what its visible test said, in notebook order; and the notes on other cells."""
    found, notes = {}, []
    for cell in cells:
        error = left_out.get(cell["id"]) or results.get(cell["id"])
        if cell["id"].startswith(VISIBLE):
            found[cell["id"].removeprefix(VISIBLE)] = error or "passed"
        elif error:
            notes.append(f"cell {cell['id']}: {error}")
    return found, notes


def check(path, timeout=None, say=print):
    """Run the visible tests of the notebook at path and say what they found; return the exit status
    (0 when every visible test passed, 1 when one did not, 2 when the file holds no visible test)."""
    path, timeout = Path(path), TIME_LIMIT if timeout is None else timeout
    notebook, why = read(path)
    if why:
        say(f"{path}: {why}")
        return 2
    cells = program(notebook)
    if not any(c["id"].startswith(VISIBLE) for c in cells):
        say(f"{path}: no visible tests found (is it a notebook of the course, with its cells' metadata?)")
        return 2
    found, notes = verdicts(cells, *run(cells, timeout, path.parent.resolve()))
    for note in notes:
        say(note)
    width = max(map(len, found))
    for function, verdict in found.items():
        say(f"{function:<{width}}  {verdict}")
    passed = sum(verdict == "passed" for verdict in found.values())
    say(f"{passed} of {len(found)} functions pass their visible tests.")
    say(GRADED_LATER)
    return 0 if passed == len(found) else 1
