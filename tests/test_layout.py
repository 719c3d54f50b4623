"""The shape of autograder/ and book/figures/: what the sandbox ships, no decision from a message's words,
a docstring on every public function, short functions."""

import ast
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from notebooks import ROOT, assignments, student_notebook

from autograder.grading.sandbox import public_package

pytestmark = pytest.mark.fast

PACKAGE = ROOT / "autograder"
# The course's code under the style guards: the grader, the student package, the chapters' library, figures and
# the students' site.
SOURCES = sorted(
    p
    for folder in ("autograder", "rnnkit", "lab", "book/figures", "book/students")
    for p in (ROOT / folder).rglob("*.py")
)
MAX_LINES = 40
IMPORT = re.compile(r"^\s*(?:from\s+autograder\.([\w.]+)\s+import|import\s+autograder\.([\w.]+))", re.M)


def autograder_imports(source):
    """The modules of autograder/ that Python source imports, as paths relative to autograder/ (without .py)."""
    return {(a or b).replace(".", "/") for a, b in IMPORT.findall(source)}


def needed_by_the_student_process():
    """The modules of autograder/ the student's process runs: the worker, what it imports (transitively), and what
    the released notebooks' cells import; as paths relative to autograder/."""
    todo = {"student_process/worker"}
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
    return needed


def test_the_student_process_runs_exactly_the_modules_of_its_folder():
    folder = {f"student_process/{p.stem}" for p in (PACKAGE / "student_process").glob("*.py") if p.stem != "__init__"}
    assert needed_by_the_student_process() == folder


def test_the_sandbox_ships_that_folder_and_nothing_else_of_the_course():
    with tempfile.TemporaryDirectory() as folder:
        public_package(folder)
        shipped = sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*") if p.is_file())
    own = sorted(f"autograder/student_process/{p.name}" for p in (PACKAGE / "student_process").glob("*.py"))
    assert shipped == sorted(
        [
            "autograder/__init__.py",
            *own,
            "rnnkit/__init__.py",
            "rnnkit/contract.py",
            "rnnkit/gradcheck.py",
            "rnnkit/steps.py",
        ]
    )
    tree = ast.parse((PACKAGE / "__init__.py").read_text())
    assert len(tree.body) == 1 and isinstance(tree.body[0].value, ast.Constant), "autograder/__init__.py: no code"


def test_the_shipped_modules_import_alone():
    # Only the shipped copy on the path: the worker and the gradient checker (rnnkit's) import, from it, and
    # nothing else of the course is importable (no hidden checks, no hints, no grader).
    with tempfile.TemporaryDirectory() as folder:
        public_package(folder)
        probe = (
            "import importlib.util, sys, autograder.student_process.worker, rnnkit.gradcheck\n"
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


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_is_longer_than_forty_lines(path):
    long = [(name, node.end_lineno - node.lineno + 1) for name, node in definitions(path)]
    assert not [(name, lines) for name, lines in long if lines > MAX_LINES]


# autograder/'s layers, lowest first: a module imports only from its own layer or lower ones (a package is one
# name; grading's steps are layered inside it), and nothing imports in a circle.
LAYERS = [
    ["student_process"],  # runs in the student's process: imports nothing else of the course
    ["contract", "gradcheck", "notebooks", "reference", "patterns", "nbgrader_config", "nbgrader_feedback"],
    ["judge", "diagnose"],
    ["hidden"],
    ["generate", "grading/intake", "grading/sandbox", "grading/causes", "grading/records", "grading/pages"],
    ["grading/similarity", "grading/lms", "grading/gradebook", "grading/demo", "grading/grade_one"],
    ["grading/report", "grading/pool", "grading/cluster"],
    ["grading/grade_class"],
    ["__main__"],
]


def layer_of(module):
    """The index in LAYERS of a module of autograder/ (a path without .py, such as "grading/intake")."""
    for index, names in enumerate(LAYERS):
        if any(module == name or module.startswith(f"{name}/") for name in names):
            return index
    raise AssertionError(f"autograder/{module}.py is in no layer of LAYERS")


def import_graph():
    """module -> the modules of autograder/ it imports, anywhere in it (a function's own imports included)."""
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        module = str(path.relative_to(PACKAGE).with_suffix("")).removesuffix("/__init__")
        imported = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("autograder"):
                base = node.module.removeprefix("autograder").lstrip(".").replace(".", "/")
                subs = [f"{base}/{a.name}" if base else a.name for a in node.names]
                imported |= {s for s in subs if (PACKAGE / f"{s}.py").is_file() or (PACKAGE / s).is_dir()} or {base}
            elif isinstance(node, ast.Import):
                imported |= {
                    a.name.removeprefix("autograder.").replace(".", "/")
                    for a in node.names
                    if a.name.startswith("autograder.")
                }
        graph[module] = {m for m in imported if m and m != module}
    return graph


def test_no_module_of_autograder_imports_a_higher_layer_or_in_a_circle():
    graph = import_graph()
    upward = [(m, i) for m, found in graph.items() for i in found if layer_of(i) > layer_of(m)]
    assert not upward, upward
    done, path = set(), []

    def visit(module):  # depth first: a module met again on the current path closes a circle
        assert module not in path, " -> ".join([*path[path.index(module) :], module])
        if module in done:
            return
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            visit(imported)
        path.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
