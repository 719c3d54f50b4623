"""Reading the course's notebooks in tests: solution code, hidden tests, and made-up submissions.

Notebooks and their nbgrader metadata are read by autograder.notebooks, as in grading; this
module adds what only tests need: the secret lines a student notebook must not hold, and the
submissions of tests/submissions/.
"""

import ast
import re
import runpy
from pathlib import Path
from typing import NamedTuple

from autograder.notebooks import (  # noqa: F401 (re-exported for the tests)
    ROOT,
    answer_cells,
    assignments,
    filled,
    graded_cells,
    read,
    solution_code,
    solution_namespace,
    solution_notebook,
    student_notebook,
)
from rnnkit.contract import EXERCISES

BLOCK = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1\n?", re.S)
MIN_LEAK_LENGTH = 12  # shorter lines (like "return dW") may appear anywhere legitimately
submission = filled  # the student notebook with answer cells filled in: submission(assignment, code)


def secret_lines(assignment):
    """Lines of solution code and hidden tests that must never reach students, stripped.

        A line that the student notebook's instructions quote (a formula of the contract, such as
    `scores = h @ Wy.T + by`) is public and left out, and so is a line that another exercise's student
    notebook gives out (such as `return h, cache` of a released skeleton: char_lm's pasted RNN of
    exercise 1 is a solution block there and part of the template of other exercises).
    """
    lines = set()
    for cell in solution_notebook(assignment).cells:
        for _, block in BLOCK.findall(cell.source):
            lines |= {line.strip() for line in block.splitlines() if len(line.strip()) >= MIN_LEAK_LENGTH}
    public = [c.source for c in student_notebook(assignment).cells if c.cell_type == "markdown"]
    public += [c.source for other in assignments() if other != assignment for c in student_notebook(other).cells]
    public_lines = {line.strip() for source in public for line in source.splitlines()}
    return {line for line in lines if line not in "\n".join(public) and line not in public_lines}


def functions_of(path):
    """function name -> source of each top-level function in a Python file."""
    source = Path(path).read_text()
    tree = ast.parse(source)
    return {node.name: ast.get_source_segment(source, node) for node in tree.body if isinstance(node, ast.FunctionDef)}


def pasted_cells(assignment):
    """answer cell -> the functions it defines, for each answer cell that is not one function of its own name:
    a cell where students paste functions of an earlier exercise, which this assignment does not grade (char_lm's
    your_rnn)."""
    found = {}
    for name, source in solution_code(assignment).items():
        defined = [node.name for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]
        if defined != [name]:
            found[name] = defined
    return found


def alternative(assignment):
    """function name -> code of the correct submission in another style (tests/submissions/<assignment>/).

    The functions of a pasted cell go into that cell, joined (its key is the cell's name); they come from
    the alternative of the exercise that grades them (char_lm's your_rnn: rnn_bptt's RNN).
    """
    code = functions_of(ROOT / "tests" / "submissions" / assignment / "alternative.py")
    for cell, names in pasted_cells(assignment).items():
        owner = next(other for other, functions in EXERCISES.items() if names[0] in functions)
        earlier = functions_of(ROOT / "tests" / "submissions" / owner / "alternative.py")
        code[cell] = "\n\n\n".join(earlier[name] for name in names)
    return code


class Mutant(NamedTuple):
    """One wrong submission of tests/submissions/<assignment>/mutants/."""

    fails: frozenset  # the functions that must lose their points (the file's FAILS)
    says: dict  # function -> words its feedback must contain (the file's SAYS)
    code: dict  # function name -> the code that replaces the solution's


def read_mutant(path):
    """The Mutant in a file: its FAILS and SAYS markers and its functions."""
    markers = runpy.run_path(str(path))
    says = {function: tuple(words) for function, words in markers["SAYS"].items()}
    return Mutant(frozenset(markers["FAILS"]), says, functions_of(path))


def mutants(assignment):
    """name -> Mutant for each file of tests/submissions/<assignment>/mutants/."""
    folder = ROOT / "tests" / "submissions" / assignment / "mutants"
    return {path.stem: read_mutant(path) for path in sorted(folder.glob("*.py"))}


# The one mutant of each exercise that also goes through nbgrader, a student's kernel and the cluster (the
# plumbing tier); every mutant goes through the hidden checks in process (test_hidden_checks), the visible tests in
# process (test_visible_checks) and the sandbox once (test_sandboxed_mutants).
PLUMBED = {
    "rnn_bptt": "backward_changes_dh_in_place",  # caught by a hidden test only
    "vanishing": "clip_by_value",
    "lstm": "step_backward_ignores_dc_next",
    "gru": "z_and_one_minus_z_swapped",
    "char_lm": "chunk_starts_from_zeros",  # calls the cells the grader lends
    "linear_rnn": "scan_is_the_loop",  # right values: its operations, counted in the student's process, fail it
}

# Mutants no visible test can catch: only the hidden tests see them (the visible test pins what they miss).
VISIBLE_MISSES = {
    ("rnn_bptt", "many_to_one_uses_first_state"),  # its own loss and gradients agree; the visible loss is log(C)
    ("vanishing", "jacobian_changes_h_next_in_place"),  # no visible test looks at the arguments afterwards
    ("vanishing", "norms_change_dh_last_in_place"),
}
# A mutant whose visible failure shows in another function's test than the one it breaks.
SEEN_IN = {("gru", "forward_states_stored_in_float32"): {"gru_backward"}}  # float32 states spoil the gradient check
