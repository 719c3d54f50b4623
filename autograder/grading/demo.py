"""A small demo class for `python -m autograder grade` without arguments: good and bad submissions.

Built at run time from the solution notebook (so no solution is stored twice): a correct notebook,
an untouched one, typical mistakes, and broken ones (a syntax error, a crash, an endless loop, a
monkeypatched numpy, a file that is not a notebook).
"""

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "rnn_bptt"

# student -> (function, text in the solution, replacement): each a typical mistake
MISTAKES = {
    "ben": ("rnn_backward", "dWx += dWx_t", "dWx = dWx_t"),
    "cara": ("rnn_step_backward", "da = dh_next * (1 - h_next**2)", "da = dh_next"),
    "dev": ("softmax_cross_entropy", "    dscores /= N\n", ""),
}
EXTRA_CELLS = {
    "eli": "this is not python (",
    "fay": "import os\n\nos._exit(1)",
    "gil": "np.allclose = lambda *a, **k: True\n\n\ndef rnn_step_backward(dh_next, cache):\n    return (0,) * 5",
    "hal": "def linear_backward(dscores, cache):\n    while True:\n        pass",
}


def solution_cells():
    nb = nbformat.read(ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if c.metadata["nbgrader"].get("solution")}


def without_markers(source):
    return "\n".join(
        line for line in source.splitlines() if "### BEGIN SOLUTION" not in line and "### END SOLUTION" not in line
    )


def student_notebook(answers, extra=None):
    nb = nbformat.read(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    if extra:
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    return nb


def write_demo_class(folder):
    """Write the demo submissions as nbgrader's submitted/ layout under folder; return folder."""
    folder = Path(folder)
    solution = {k: without_markers(v) for k, v in solution_cells().items()}
    notebooks = {"ada": student_notebook(solution), "ivy": student_notebook({})}
    for student, (function, old, new) in MISTAKES.items():
        assert old in solution[function], f"demo mistake for {student} no longer applies to the solution"
        notebooks[student] = student_notebook(solution | {function: solution[function].replace(old, new)})
    for student, extra in EXTRA_CELLS.items():
        notebooks[student] = student_notebook(solution, extra)
    for student, nb in notebooks.items():
        target = folder / student / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target / f"{ASSIGNMENT}.ipynb")
    broken = folder / "jon" / ASSIGNMENT
    broken.mkdir(parents=True, exist_ok=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [ this is not json')
    return folder
