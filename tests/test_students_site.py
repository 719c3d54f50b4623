"""The students' site's sources (book/students/): the chapters' infrastructure cells are tagged, the passages for
instructors are marked in pairs, and each step of the pipeline does what it says on small inputs. The built site
itself is checked with the published course (tests/test_student_package.py)."""

import re

import jupytext
import pytest
from notebooks import ROOT

from book.students import cells, config, prose, streams

pytestmark = pytest.mark.fast

# Code that only the book's build needs: glue of the numbers the text quotes, claims checked at build time,
# timing, the book's library and figures, and the imports of them.
INFRASTRUCTURE_CODE = re.compile(
    r"glue\(|myst_nb|claims\.check\(|process_time|chapter_start|training_start|^\s*(?:from|import) (?:lab|book)\b",
    re.M,
)


def chapter_code_cells():
    """(page, index, tags, source) of every code cell of every page of book/ but the instructors' pages."""
    for path in sorted((ROOT / "book").glob("*.md")):
        if f"book/{path.stem}" in config.INSTRUCTOR_PAGES:
            continue
        for index, cell in enumerate(jupytext.read(path).cells):
            if cell.cell_type == "code":
                yield path.name, index, cell.metadata.get("tags", []), cell.source


def test_every_cell_with_the_books_infrastructure_is_tagged():
    untagged = [
        (page, index, INFRASTRUCTURE_CODE.search(source).group())
        for page, index, tags, source in chapter_code_cells()
        if INFRASTRUCTURE_CODE.search(source) and cells.INFRASTRUCTURE not in tags
    ]
    assert not untagged, f"code cells to tag {cells.INFRASTRUCTURE} (or to split): {untagged}"


def test_teaching_cells_are_left_as_they_are():
    teaching = [source for page, _, tags, source in chapter_code_cells() if cells.INFRASTRUCTURE not in tags]
    assert any(source.startswith("def backward_pass(xs, a, os, w, w_prime, g_direct):") for source in teaching)
    assert len(teaching) > 60


def test_the_passages_for_instructors_pair_up_in_every_page():
    for path in sorted((ROOT / "book").glob("*.md")):
        prose.for_students(path.read_text(), path.name)  # raises on an unpaired marker
    intro = prose.for_students((ROOT / "book" / "intro.md").read_text())
    assert "{doc}`instructors`" not in intro and "{doc}`setup`" in intro


def test_a_passage_for_instructors_goes_inline_and_across_lines():
    text = f"Checked{prose.INSTRUCTORS} (`lab/claims.py`){prose.END_INSTRUCTORS}.\n\n{prose.INSTRUCTORS}\nA\nB\n"
    assert prose.for_students(text + prose.END_INSTRUCTORS + "\nC\n") == "Checked.\n\n\nC\n"
    with pytest.raises(ValueError, match="pair up"):
        prose.for_students(text, "page.md")


def test_an_infrastructure_cell_shows_its_output_and_no_code():
    glued = {"output_type": "display_data", "metadata": {"scrapbook": {"name": "x"}}, "data": {}}
    figure = {"output_type": "display_data", "metadata": {}, "data": {"image/png": ""}}

    def cell(tags, outputs):
        return {"cell_type": "code", "metadata": {"tags": tags}, "outputs": outputs, "source": "glue('x', 1)"}

    notebook = {
        "cells": [
            cell(["hide-input", "infrastructure"], [figure]),
            cell(["infrastructure"], [glued]),
            cell(["hide-input"], [figure]),
            cell(["infrastructure", "remove-output"], [figure]),
        ]
    }
    tags = [c["metadata"]["tags"] for c in cells.for_students(notebook)["cells"]]
    assert tags == [
        ["infrastructure", "remove-input"],
        ["infrastructure", "remove-cell"],
        ["hide-input"],
        ["infrastructure", "remove-output", "remove-cell"],
    ]


def test_the_students_toc_and_configuration():
    toc = config.students_toc({"root": "book/intro", "chapters": [{"file": "book/rnn"}, {"file": "book/instructors"}]})
    assert toc == {"root": "book/intro", "chapters": [{"file": "book/rnn"}]}
    book = {"execute": {"execute_notebooks": "force"}, "sphinx": {"config": {"html_static_path": ["vendor"]}}}
    students = config.students_config(book)
    assert students["execute"]["execute_notebooks"] == "off"
    assert students["sphinx"]["config"]["html_static_path"] == [str(ROOT / "vendor")]
    assert book["execute"]["execute_notebooks"] == "force", "the book's configuration is left as it is"


def test_a_cells_printed_output_shows_once():
    def stream(name, text):
        return {"output_type": "stream", "name": name, "text": text}

    # As the instructors' build leaves it: the first stdout holds everything printed, the later ones repeat it.
    outputs = [stream("stdout", "a\nb\n"), stream("stderr", "w\n"), stream("stdout", "b\n"), {"output_type": "x"}]
    notebook = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": outputs}, {"cell_type": "markdown"}]}
    kept = streams.merged(notebook)["cells"][0]["outputs"]
    assert kept == [stream("stdout", "a\nb\n"), stream("stderr", "w\n"), {"output_type": "x"}]
