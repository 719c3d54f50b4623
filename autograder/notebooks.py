"""The one reader of the course's notebooks and their nbgrader metadata.

Grading, the demo class, the tests, the benchmarks and the instructors' page of the book all read the
solution notebooks (solutions/, nbgrader's source) and the student notebooks (exercises/, its release)
through these functions: which cells are answers, which are autograded tests and their points, which
are locked, and the solution's code without nbgrader's markers.
"""

from functools import cache
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS_FOLDER = ROOT / "solutions"  # nbgrader's source: solutions and hidden tests
EXERCISES_FOLDER = ROOT / "exercises"  # nbgrader's release: the student notebooks
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def read(path):
    """The notebook at path (nbformat 4)."""
    return nbformat.read(path, as_version=4)


def meta(cell):
    """A cell's nbgrader metadata, {} when it has none."""
    return cell.get("metadata", {}).get("nbgrader", {})


@cache
def assignments():
    """Names of the assignments: the folders of solutions/, sorted."""
    return tuple(sorted(p.name for p in SOLUTIONS_FOLDER.iterdir() if p.is_dir()))


def solution_notebook(assignment):
    """The instructor notebook of an assignment: solutions and hidden tests."""
    return read(SOLUTIONS_FOLDER / assignment / f"{assignment}.ipynb")


def student_notebook(assignment):
    """The released student notebook of an assignment (exercises/)."""
    return read(EXERCISES_FOLDER / assignment / f"{assignment}.ipynb")


def answer_cells(nb):
    """grade_id -> cell of each code cell students write in (each named after its function)."""
    return {meta(c)["grade_id"]: c for c in nb.cells if c.cell_type == "code" and meta(c).get("solution")}


def graded_cells(nb):
    """grade_id (test_<function>) -> cell of each autograded test cell; manually graded answers are not among them."""
    return {
        meta(c)["grade_id"]: c
        for c in nb.cells
        if c.cell_type == "code" and meta(c).get("grade") and not meta(c).get("solution")
    }


def graded_points(nb, cell_type):
    """name -> points of the graded cells of one type: "code" (autograded tests) or "markdown" (written answers).

    The name is the grade_id without its "test_" prefix: the function a test cell grades.
    """
    graded = [meta(c) for c in nb.cells if c.cell_type == cell_type and meta(c).get("grade")]
    return {m["grade_id"].removeprefix("test_"): m["points"] for m in graded}


@cache
def tests_of(assignment):
    """[(function, points)] of the assignment's autograded test cells, in notebook order."""
    cells = graded_cells(solution_notebook(assignment))
    return [(grade_id.removeprefix("test_"), meta(cell)["points"]) for grade_id, cell in cells.items()]


def without_markers(source):
    """A solution cell's code as a student would write it: the BEGIN/END SOLUTION lines dropped."""
    return "\n".join(line for line in source.splitlines() if not any(m in line for m in MARKERS))


def solution_code(assignment):
    """function name -> the solution's definition of it, without nbgrader's markers."""
    return {name: without_markers(c.source) for name, c in answer_cells(solution_notebook(assignment)).items()}


def solution_namespace(*assignments):
    """The globals of the solution notebooks' answer cells of `assignments`, run in that order in one dict
    (numpy as np): the solution's functions by name, for the benchmarks and tests that call them."""
    namespace = {"np": np}
    for assignment in assignments:
        for source in solution_code(assignment).values():
            exec(source, namespace)
    return namespace


def filled(assignment, code, extra=None):
    """The student notebook with its answer cells filled in.

    Inputs:
    - assignment: name of the assignment
    - code: dict function name -> source put into the answer cell of that name; answer cells
      not named are left as released (raising NotImplementedError)
    - extra: source of a code cell added at the end, or None
    Returns:
    - a notebook
    """
    nb = student_notebook(assignment)
    for name, cell in answer_cells(nb).items():
        if name in code:
            cell.source = code[name]
    if extra:
        nb.cells.append(nbformat.v4.new_code_cell(extra))
    return nb


def locked_ids(released):
    """grade_ids of the cells students may not change: instructions and tests (answer cells excluded)."""
    return {meta(c)["grade_id"] for c in released.cells if meta(c).get("locked") and not meta(c).get("solution")}


def tampering(released, submitted):
    """Messages about locked cells (instructions, tests) the student edited or deleted.

    Inputs:
    - released: the student notebook as released; submitted: the student's notebook
    Returns:
    - list of messages, such as "cell test_rnn_backward was deleted"
    """
    mine = {meta(c).get("grade_id"): c for c in submitted.cells if meta(c).get("grade_id")}
    notes, locked = [], locked_ids(released)
    for cell in released.cells:
        grade_id = meta(cell).get("grade_id")
        if grade_id not in locked:
            continue
        theirs = mine.get(grade_id)
        if theirs is None:
            notes.append(f"cell {grade_id} was deleted")
        elif theirs.source.strip() != cell.source.strip() or meta(theirs).get("points") != meta(cell).get("points"):
            notes.append(f"cell {grade_id} was edited")
    return notes


def program(released, submitted):
    """The cells run in the student's process: the released setup cells, then the student's own code.

    Test cells and visible tests are never run from the submission: the grader calls the functions.

    Inputs:
    - released: the student notebook as released; submitted: the student's notebook
    Returns:
    - list of {"id": cell id, "source": code, "label": the cell in words, for messages}
    """
    locked = locked_ids(released)
    setup = [
        {"id": meta(c)["grade_id"], "source": c.source, "label": f"the setup cell {meta(c)['grade_id']}"}
        for c in released.cells
        if c.cell_type == "code" and meta(c).get("grade_id") in locked
        if not meta(c).get("grade") and not meta(c)["grade_id"].startswith("visible_")
    ]
    own = [
        {"id": meta(c).get("grade_id") or f"cell-{i}", "source": c.source, "label": cell_label(c, i)}
        for i, c in enumerate(submitted.cells)
        if c.cell_type == "code" and meta(c).get("grade_id") not in locked
    ]
    return setup + own


def cell_label(cell, index):
    """A cell of the student's notebook in words: its number (counting every cell from 1) and, for an answer
    cell, the function it is for."""
    if meta(cell).get("solution"):
        return f"cell {index + 1} (the answer cell of {meta(cell)['grade_id']})"
    return f"cell {index + 1}"
