"""A small demo class for `python -m autograder grade` without arguments: good and bad submissions.

Built at run time from the solution notebook (so no solution is stored twice): a correct notebook,
an untouched one, typical mistakes, and broken ones (a syntax error, a crash, an endless loop, a
monkeypatched numpy, a file that is not a notebook).
"""

from pathlib import Path

import nbformat

from autograder.notebooks import filled, solution_code

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


def demo_notebooks():
    """student -> notebook of every demo submission that is a notebook."""
    solution = solution_code(ASSIGNMENT)
    notebooks = {"ada": filled(ASSIGNMENT, solution), "ivy": filled(ASSIGNMENT, {})}
    for student, (function, old, new) in MISTAKES.items():
        assert old in solution[function], f"demo mistake for {student} no longer applies to the solution"
        notebooks[student] = filled(ASSIGNMENT, solution | {function: solution[function].replace(old, new)})
    for student, extra in EXTRA_CELLS.items():
        notebooks[student] = filled(ASSIGNMENT, solution, extra)
    return notebooks


def write_demo_class(folder):
    """Write the demo submissions as nbgrader's submitted/ layout under folder; return folder (a Path)."""
    folder = Path(folder)
    for student, nb in demo_notebooks().items():
        target = folder / student / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target / f"{ASSIGNMENT}.ipynb")
    broken = folder / "jon" / ASSIGNMENT
    broken.mkdir(parents=True, exist_ok=True)
    (broken / f"{ASSIGNMENT}.ipynb").write_text('{"cells": [ this is not json')
    return folder
