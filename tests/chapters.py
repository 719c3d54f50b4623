"""The chapters' own teaching code, for the tests that check their derivations: not a copy of it.

chapter_functions reads book/<chapter>.md (a MyST notebook, with jupytext) and runs, of its code cells, only the
imports and the function definitions, in one namespace: the functions the chapter shows, as it shows them,
without running its experiments.
"""

import ast
from pathlib import Path

import jupytext

BOOK = Path(__file__).resolve().parent.parent / "book"


def chapter_functions(chapter, names):
    """name -> the function of that name as book/<chapter>.md defines it (the last definition, as a reader's
    kernel would keep it), with the chapter's imports and its other functions around it."""
    namespace = {"__name__": f"chapter_{chapter}"}
    for cell in jupytext.read(BOOK / f"{chapter}.md").cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        kept = [n for n in ast.parse(source).body if isinstance(n, (ast.FunctionDef, ast.Import, ast.ImportFrom))]
        exec(compile(ast.Module(kept, type_ignores=[]), f"book/{chapter}.md", "exec"), namespace)
    missing = [name for name in names if name not in namespace]
    assert not missing, f"book/{chapter}.md defines no {missing}"
    return {name: namespace[name] for name in names}
