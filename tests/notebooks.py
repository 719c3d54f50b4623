"""Reading the course's notebooks in tests: solution code, hidden tests, and made-up submissions."""

import ast
import re
import runpy
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1\n?", re.S)
MIN_LEAK_LENGTH = 12  # shorter lines (like "return h, cache") may appear anywhere legitimately


def read(path):
    return nbformat.read(path, as_version=4)


def solution_notebook(assignment):
    return read(ROOT / "solutions" / assignment / f"{assignment}.ipynb")


def student_notebook(assignment):
    return read(ROOT / "exercises" / assignment / f"{assignment}.ipynb")


def nbgrader_meta(cell):
    return cell.metadata.get("nbgrader", {})


def answer_cells(nb):
    """The code cells students write in, by grade_id (each named after its function)."""
    return {
        nbgrader_meta(c)["grade_id"]: c for c in nb.cells if c.cell_type == "code" and nbgrader_meta(c).get("solution")
    }


def graded_cells(nb):
    """The autograded test cells, by grade_id (test_<function>); manually graded answers are not among them."""
    return {
        nbgrader_meta(c)["grade_id"]: c
        for c in nb.cells
        if c.cell_type == "code" and nbgrader_meta(c).get("grade") and not nbgrader_meta(c).get("solution")
    }


def without_markers(source):
    """A solution cell's code as a student would write it: the BEGIN/END SOLUTION lines dropped."""
    markers = ("### BEGIN SOLUTION", "### END SOLUTION")
    return "\n".join(line for line in source.splitlines() if not any(m in line for m in markers))


def solution_code(assignment):
    """function name -> the solution's definition of it."""
    return {name: without_markers(c.source) for name, c in answer_cells(solution_notebook(assignment)).items()}


def secret_lines(assignment):
    """Lines of solution code and hidden tests that must never reach students, stripped.

    A line that the student notebook's instructions quote (a formula of the contract, such as
    `scores = h @ Wy.T + by`) is public and left out.
    """
    lines = set()
    for cell in solution_notebook(assignment).cells:
        for _, block in BLOCK.findall(cell.source):
            lines |= {line.strip() for line in block.splitlines() if len(line.strip()) >= MIN_LEAK_LENGTH}
    instructions = "\n".join(c.source for c in student_notebook(assignment).cells if c.cell_type == "markdown")
    return {line for line in lines if line not in instructions}


def functions_of(path):
    """function name -> source of each top-level function in a Python file."""
    source = Path(path).read_text()
    tree = ast.parse(source)
    return {node.name: ast.get_source_segment(source, node) for node in tree.body if isinstance(node, ast.FunctionDef)}


def submission(assignment, code):
    """The student notebook with its answer cells filled in.

    Inputs:
    - assignment: name of the assignment
    - code: dict function name -> source put into the answer cell of that name; answer cells
      not named are left as released (raising NotImplementedError)
    Returns:
    - a notebook
    """
    nb = student_notebook(assignment)
    for name, cell in answer_cells(nb).items():
        if name in code:
            cell.source = code[name]
    return nb


def assignments():
    """Names of the assignments: the folders of solutions/."""
    return sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir())


def alternative(assignment):
    """function name -> code of the correct submission in another style (tests/submissions/<assignment>/)."""
    return functions_of(ROOT / "tests" / "submissions" / assignment / "alternative.py")


def mutants(assignment):
    """name -> (FAILS, function name -> code) for each file of tests/submissions/<assignment>/mutants/."""
    found = {}
    for path in sorted((ROOT / "tests" / "submissions" / assignment / "mutants").glob("*.py")):
        found[path.stem] = (frozenset(runpy.run_path(str(path))["FAILS"]), functions_of(path))
    return found
