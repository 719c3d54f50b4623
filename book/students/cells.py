"""The book's infrastructure out of the students' way: a code cell tagged `infrastructure` shows no code.

Such a cell is what the book needs to be built, not what a chapter teaches: imports of the book's library and
figures, glue() of the numbers the text quotes, timing, claims checked at build time. A reader could not run it
(the library is not in rnnkit), so the students' site does not show it as code: the cell keeps its output
(a figure, a table) under myst-nb's tag `remove-input`, or goes (`remove-cell`) when it shows nothing.
"""

INFRASTRUCTURE = "infrastructure"
HIDING_THE_CODE = ("hide-input", "hide-cell", "remove-input", "remove-cell")


def shows_something(cell):
    """Whether an executed code cell has an output a reader sees (glue(..., display=False) records are not)."""
    if "remove-output" in cell["metadata"].get("tags", []):
        return False
    return any("scrapbook" not in output.get("metadata", {}) for output in cell.get("outputs", []))


def for_students(notebook):
    """The notebook (nbformat dict) with each infrastructure cell's code removed from view; returned."""
    for cell in notebook["cells"]:
        tags = cell["metadata"].get("tags", [])
        if cell["cell_type"] != "code" or INFRASTRUCTURE not in tags or "remove-cell" in tags:
            continue  # a cell removed for instructors too stays removed (its outputs, a claims check's, unseen)
        kept = [tag for tag in tags if tag not in HIDING_THE_CODE]
        cell["metadata"]["tags"] = [*kept, "remove-input" if shows_something(cell) else "remove-cell"]
    return notebook
