"""The true reason a graded function cannot be called: the cell of the notebook that defines it failed.

The student's process reports a function that is not defined (GradingError kind "missing"), or a NameError that
the student's own code raised calling one (kind "raised", the name in its value: many_to_one_loss calling an
rnn_forward that never got defined). When a cell that defines that name raised at top level (a syntax error, an
exception), ran past the time limit or ended the process (and was left out), that cell is the cause: the test's
message names the cell and what happened to it, and its status says what happened (error, timeout or crashed),
instead of a bare "is not defined".
"""

import re

from autograder.student_process.failure import GradingError


def defines(source, name):
    """True when a cell's source defines name at its top level (def name( or name = ...), even if it cannot run."""
    pattern = rf"^(?:async\s+)?def\s+{re.escape(name)}\s*\(|^{re.escape(name)}\s*="
    return re.search(pattern, source, re.M) is not None


def cause(failure, cells, errors, left_out):
    """The failure, with the failed cell that defines its missing function as the cause (else unchanged).

    Inputs:
    - failure: a GradingError
    - cells: the program's cells, [{"id", "source", "label"}], in the order they ran
    - errors: cell id -> the exception it raised, in one line
    - left_out: cell id -> (kind "timeout" or "crashed", what happened in words) for the cells left out
    Returns:
    - a GradingError
    """
    if failure.kind not in ("missing", "raised") or not failure.value:
        return failure
    name = failure.value
    then = "" if failure.kind == "missing" else f" ({failure.message.splitlines()[0]})"
    for cell in reversed(cells):  # the last definition is the one that would have counted
        if not defines(cell["source"], name):
            continue
        label = cell.get("label") or f"cell {cell['id']}"
        if cell["id"] in left_out:
            kind, what = left_out[cell["id"]]
            return GradingError(f"{label} {what} and was left out, so {name} is not defined{then}.", kind, name)
        if cell["id"] in errors:
            error = errors[cell["id"]]
            return GradingError(f"{label} raised {error}, so {name} is not defined{then}.", "raised", name)
        return failure
    return failure
