"""The chapters' code: one definition of each function, no experiment code copied between chapters, no
process tuning, and every gradient check asserts. Experiment machinery lives in lab/, imported."""

import ast
import re

import pytest
from notebooks import ROOT

pytestmark = pytest.mark.fast

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
RUN = 6  # a run of this many identical lines of code in two places counts as copied


def chapter_cells():
    """chapter name -> the sources of its code cells (cell options removed), for every chapter in book/."""
    code = {}
    for path in sorted((ROOT / "book").glob("*.md")):
        cells = []
        for cell in CELL.findall(path.read_text()):
            lines = cell.splitlines()
            if lines and lines[0] == "---":  # a YAML block of cell options
                lines = lines[lines.index("---", 1) + 1 :]
            cells.append("\n".join(line for line in lines if not line.startswith(":tags:")))
        if cells:
            code[path.stem] = cells
    return code


def chapter_code():
    """chapter name -> the source of all its code cells."""
    return {chapter: "\n\n".join(cells) for chapter, cells in chapter_cells().items()}


def defined_functions(source):
    """name -> ast.dump of the body, of every function and class a source defines at any depth."""
    nodes = ast.walk(ast.parse(source))
    return {n.name: ast.dump(ast.Module(n.body, [])) for n in nodes if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def lab_code():
    return {path.stem: path.read_text() for path in sorted((ROOT / "lab").glob("*.py"))}


def windows(source):
    """Every run of RUN consecutive code lines (stripped, blank lines and comments left out)."""
    lines = [line.split("  #")[0].strip() for line in source.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    return {tuple(lines[i : i + RUN]) for i in range(len(lines) - RUN + 1)}


def test_no_function_is_defined_in_two_chapters_or_in_a_chapter_and_the_library():
    """No chapter defines a name of the library; two chapters may reuse a name (a closure `loss` for finite
    differences) but not a body."""
    code = chapter_code()
    assert {"vanishing", "lstm", "gru"} <= set(code)
    library = set().union(*(defined_functions(source) for source in lab_code().values()))
    seen = {}
    for chapter, source in code.items():
        for name, body in defined_functions(source).items():
            assert name not in library, f"{name} is defined in {chapter} and in lab/"
            assert body not in seen, f"{name} of {chapter} has the body of {seen.get(body)}"
            seen[body] = f"{name} of {chapter}"


def test_no_run_of_code_is_copied_between_chapters_or_from_the_library():
    places = {f"book/{name}.md": windows(source) for name, source in chapter_code().items()}
    places |= {f"lab/{name}.py": windows(source) for name, source in lab_code().items()}
    names = sorted(places)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            shared = places[first] & places[second]
            assert not shared, f"{first} and {second} share {len(shared)} runs of {RUN} lines: {sorted(shared)[0]}"


def test_no_process_tuning_in_a_chapter():
    for chapter, source in chapter_code().items():
        for forbidden in ("ctypes", "mallopt", "os.environ", "threadpool_limits"):
            assert forbidden not in source, f"{chapter} uses {forbidden}"


def test_every_gradient_check_in_the_book_and_the_library_asserts():
    """A cell (or library function) that computes a relative error or a numerical gradient must assert on it."""
    for chapter, cells in chapter_cells().items():
        for cell in cells:
            if re.search(r"\b(numerical_gradient|gradient_error)\(", cell):
                tree = ast.parse(cell)
                assert any(isinstance(n, ast.Assert) for n in ast.walk(tree)), (
                    f"{chapter}: a check without assert:\n{cell[:300]}"
                )
    for name, source in lab_code().items():
        assert "numerical_gradient" not in source and "gradient_error" not in source, name  # checks live in tests
