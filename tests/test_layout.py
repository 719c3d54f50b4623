"""The shape of autograder/ and book/figures/: what the sandbox ships, no decision from a message's words,
a docstring on every public function, short functions."""

import ast
import os
import re
import subprocess
import sys
import tempfile

import pytest
from notebooks import ROOT, assignments, student_notebook

from autograder.grading.sandbox import PUBLIC_MODULES, public_package

pytestmark = pytest.mark.fast

PACKAGE = ROOT / "autograder"
SOURCES = sorted([*PACKAGE.rglob("*.py"), *(ROOT / "book" / "figures").rglob("*.py")])
MAX_LINES = 40
IMPORT = re.compile(r"^\s*(?:from\s+autograder\.(\w+)\s+import|import\s+autograder\.(\w+))", re.M)


def autograder_imports(source):
    """The top-level modules of autograder/ that Python source imports (names without .py)."""
    return {a or b for a, b in IMPORT.findall(source)}


def needed_by_the_student_process():
    """The files of autograder/ the student's process runs: the worker, what it imports (transitively), and
    what the released notebooks' cells import."""
    todo = {"worker"}
    for assignment in assignments():
        for cell in student_notebook(assignment).cells:
            if cell.cell_type == "code":
                todo |= autograder_imports(cell.source)
    needed = set()
    while todo:
        name = todo.pop()
        needed.add(name)
        path = PACKAGE / f"{name}.py"
        assert path.is_file(), f"the student's process imports autograder.{name}, which is not a module file"
        todo |= autograder_imports(path.read_text()) - needed
    return {f"{name}.py" for name in needed} | {"__init__.py"}


def test_the_sandbox_ships_exactly_what_the_student_process_imports():
    assert set(PUBLIC_MODULES) == needed_by_the_student_process()


def test_the_shipped_modules_import_alone():
    # Only the shipped copy on the path: the worker and the gradient checker (rnnkit's) import, from it, and
    # nothing else of the course is importable (no hidden checks, no hints, no grader).
    with tempfile.TemporaryDirectory() as folder:
        public_package(folder)
        probe = (
            "import importlib.util, sys, autograder.worker, rnnkit.gradcheck\n"
            "mine = [m.__file__ for n, m in sys.modules.items() if n.startswith(('autograder', 'rnnkit'))]\n"
            "assert all(f.startswith(sys.argv[1]) for f in mine), mine\n"
            "print(*[n for n in ('hidden', 'judge', 'diagnose', 'grading', 'reference')"
            " if importlib.util.find_spec('autograder.' + n)])"
        )
        env = {"PATH": os.environ["PATH"], "PYTHONPATH": folder}
        done = subprocess.run(
            [sys.executable, "-c", probe, folder], env=env, cwd=folder, capture_output=True, text=True
        )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


@pytest.mark.parametrize("words", [r"in str\(", r"\.replace\(\s*\"Hint", r"not in str\(", r"_value2member_map_"])
def test_no_code_decides_from_the_words_of_a_message(words):
    found = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py") if re.search(words, p.read_text())]
    assert not found, found


def definitions(path):
    """(name, node) of each function defined at the top of a module or in a top-level class."""
    tree = ast.parse(path.read_text())
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            yield node.name, node
        if isinstance(node, ast.ClassDef):
            yield from ((f"{node.name}.{f.name}", f) for f in node.body if isinstance(f, ast.FunctionDef))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_public_function_has_a_docstring(path):
    missing = [
        name
        for name, node in definitions(path)
        if not name.split(".")[-1].startswith("_") and ast.get_docstring(node) is None
    ]
    assert not missing, missing


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_is_longer_than_forty_lines(path):
    long = [(name, node.end_lineno - node.lineno + 1) for name, node in definitions(path)]
    assert not [(name, lines) for name, lines in long if lines > MAX_LINES]
