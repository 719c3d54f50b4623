"""The student notebooks are generated from the solutions, and hold none of their secrets."""

import ast
import re
import subprocess
import sys

import pytest
from notebooks import (
    ROOT,
    answer_cells,
    assignments,
    graded_cells,
    pasted_cells,
    secret_lines,
    solution_code,
    solution_notebook,
    student_notebook,
)

from rnnkit.contract import EXERCISES

ASSIGNMENTS = assignments()


@pytest.mark.plumbing
def test_exercises_are_what_generate_makes_from_solutions_now():
    done = subprocess.run(
        [sys.executable, "-m", "autograder", "check-generated"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.fast
def test_every_assignment_has_a_student_notebook():
    released = sorted(p.name for p in (ROOT / "exercises").iterdir() if p.is_dir())
    assert released == list(ASSIGNMENTS)


@pytest.mark.fast
def test_student_notebooks_hold_no_solution_code_or_hidden_test():
    for assignment in ASSIGNMENTS:
        secrets = secret_lines(assignment)
        assert secrets, "no solution lines found: the leak checks would pass vacuously"
        nb = student_notebook(assignment)
        text = "\n".join(c.source for c in nb.cells)
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        assert "autograder.hidden" not in text
        leaked = [line for line in secrets if line in {s.strip() for s in text.splitlines()}]
        assert not leaked, leaked


@pytest.mark.fast
def test_student_notebooks_carry_no_outputs():
    for assignment in ASSIGNMENTS:
        for nb in (solution_notebook(assignment), student_notebook(assignment)):
            for cell in nb.cells:
                if cell.cell_type == "code":
                    assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.fast
def test_every_answer_cell_has_a_graded_hidden_test():
    # Except a cell where students paste functions of an earlier exercise (graded there, not here).
    for assignment in ASSIGNMENTS:
        nb = solution_notebook(assignment)
        pasted = pasted_cells(assignment)
        answers = set(answer_cells(nb)) - set(pasted)
        tested = {grade_id.removeprefix("test_") for grade_id in graded_cells(nb)}
        assert answers == tested
        earlier = {name for exercise, functions in EXERCISES.items() if exercise != assignment for name in functions}
        for cell, names in pasted.items():
            assert names and set(names) <= earlier, (assignment, cell, names)
        for grade_id, cell in graded_cells(nb).items():
            name = grade_id.removeprefix("test_")
            assert f'check("{name}", globals())' in cell.source


def functions_in(source):
    """name -> ast.dump of each top-level function of source, its docstring left out (a pasted copy drops it)."""
    found = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and len(node.body) > 1:
                node.body = node.body[1:]
            found[node.name] = ast.dump(node)
    return found


@pytest.mark.fast
def test_a_pasted_cell_holds_exactly_the_earlier_exercises_solution():
    # char_lm's your_rnn: the solution pastes exercise 1's RNN; one solution, so the copy must not drift from it.
    for assignment in ASSIGNMENTS:
        for cell, names in pasted_cells(assignment).items():
            pasted = functions_in(solution_code(assignment)[cell])
            for name in names:
                owner = next(a for a, functions in EXERCISES.items() if name in functions)
                assert pasted[name] == functions_in(solution_code(owner)[name])[name], (assignment, cell, name)


@pytest.mark.plumbing
def test_every_solution_notebook_runs_clean_with_its_visible_and_hidden_tests():
    from nbclient import NotebookClient

    for assignment in ASSIGNMENTS:
        nb = solution_notebook(assignment)
        folder = ROOT / "solutions" / assignment
        NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        streams = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("name") == "stderr"]
        assert not errors and not streams, (assignment, errors[:1], streams[:1])


@pytest.mark.plumbing
def test_the_language_model_trains_on_the_sonnets_and_writes_at_three_temperatures():
    # The ungraded end of char_lm, switched on, with the solution's functions and rnnkit's text.
    from nbclient import NotebookClient

    nb = solution_notebook("char_lm")
    switch = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("TRAIN = False"))
    switch.source = switch.source.replace("TRAIN = False", "TRAIN = True", 1)
    folder = ROOT / "solutions" / "char_lm"
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    printed = "".join(o.get("text", "") for o in outputs)
    bits = [float(b) for b in re.findall(r"epoch +\d+: ([\d.]+) bits per character held out", printed)]
    unigram = float(re.search(r"characters only: ([\d.]+) bits", printed).group(1))
    assert len(bits) == 12 and bits[-1] < 3.0 < unigram, printed
    for temperature in (0.5, 1.0, 1.5):
        assert f"--- temperature {temperature} ---\nFrom fairest creatures " in printed
