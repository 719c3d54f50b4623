"""The process that runs a notebook's cells for rnnkit.check: python -m rnnkit.runner < cells.json.

It reads a JSON list of {"id", "source"} from stdin and runs the cells in order in one namespace, as
a kernel would. For each cell it writes one JSON line to its own stdout, {"id", "error"} with error
None or the message the cell raised; what the cells themselves print is dropped.
"""

import json
import os
import sys
import traceback


def runnable(source):
    """A cell's code without IPython's magics and shell escapes (lines starting with % or !)."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def message(error, cell_name, source):
    """What a cell's exception says: its words, or for a bare assert the line that failed."""
    if isinstance(error, NotImplementedError):
        return "not written yet (it raises NotImplementedError)"
    words = str(error).strip()
    if words:
        return words if isinstance(error, AssertionError) else f"{type(error).__name__}: {words}"
    lines = source.splitlines()
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == cell_name]
    if frames and frames[-1].lineno and frames[-1].lineno <= len(lines):
        return f"{type(error).__name__} at: {lines[frames[-1].lineno - 1].strip()}"
    return type(error).__name__


def run_cells(cells, report):
    """Run the cells in order in one namespace; report(cell id, error message or None) after each."""
    namespace = {"__name__": "__main__"}
    for cell in cells:
        cell_name = f"<cell {cell['id']}>"
        source = runnable(cell["source"])
        try:
            exec(compile(source, cell_name, "exec"), namespace)
        except BaseException as error:  # a cell's SystemExit is its failure too, not the end of the run
            report(cell["id"], message(error, cell_name, source))
        else:
            report(cell["id"], None)


def main():
    """Read the cells, keep stdout for the reports, send the cells' own output to nowhere."""
    cells = json.load(sys.stdin)
    reports = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    quiet = open(os.devnull, "w")  # open for the life of the process
    os.dup2(quiet.fileno(), sys.stdout.fileno())
    os.dup2(quiet.fileno(), sys.stderr.fileno())
    sys.stdout = sys.stderr = quiet

    def report(cell_id, error):
        reports.write(json.dumps({"id": cell_id, "error": error}) + "\n")

    run_cells(cells, report)


if __name__ == "__main__":
    main()
