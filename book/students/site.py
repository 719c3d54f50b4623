"""The students' site built from the instructors' executed chapters: stage the sources, build them, nothing run.

The stage mirrors the checkout's layout (book/<page>, exercises/ for the download buttons), so every link and
download of a chapter resolves as in the instructors' build.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from book.students import cells, prose, streams
from book.students.config import ROOT, write_config


def with_glue(notebook, glue):
    """The executed notebook (dict) with the values its cells glued back in its first code cell's outputs: myst-nb
    took them out into <page>.glue.json (glue, a dict), and takes them from a notebook's outputs when it reads one."""
    records = []
    for record in glue.values():
        prefix = record["metadata"]["scrapbook"].get("mime_prefix", "")
        records.append({**record, "data": {prefix + mime: value for mime, value in record["data"].items()}})
    first = next(cell for cell in notebook["cells"] if cell["cell_type"] == "code")
    first["outputs"] = [*first["outputs"], *records]
    return notebook


def stage_page(docname, executed, stage):
    """Write the page docname for students into stage: its executed notebook if the instructors' build ran one
    (under the folder executed), else its markdown source."""
    notebook = Path(executed) / f"{docname}.ipynb"
    if notebook.is_file():
        content = json.loads(notebook.read_text())
        glue = notebook.with_suffix(".glue.json")
        if glue.is_file():
            content = with_glue(content, json.loads(glue.read_text()))
        for cell in content["cells"]:
            if cell["cell_type"] == "markdown":
                cell["source"] = prose.for_students("".join(cell["source"]), docname)
        content = cells.for_students(streams.merged(content))
        target, text = Path(stage) / f"{docname}.ipynb", json.dumps(content, indent=1)
    else:
        target, text = Path(stage) / f"{docname}.md", prose.for_students((ROOT / f"{docname}.md").read_text(), docname)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


def stage_sources(executed, stage):
    """Fill the new folder stage with the students' book: configuration, pages, bibliography, exercises."""
    Path(stage).mkdir(parents=True)
    for docname in write_config(stage):
        stage_page(docname, executed, stage)
    shutil.copy(ROOT / "book" / "references.bib", Path(stage) / "book" / "references.bib")
    (Path(stage) / "exercises").symlink_to(ROOT / "exercises", target_is_directory=True)


def build(executed, out):
    """Build the students' site from the notebooks under executed (the instructors' _build/jupyter_execute) in the
    folder out (its stage in out/source, its HTML in out/_build/html, returned); the build's log on failure."""
    out = Path(out)
    if out.exists():  # a clean build: Sphinx would keep the search terms of the pages a build before held
        shutil.rmtree(out)
    stage_sources(executed, out / "source")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book), "build", str(out / "source"), "--all", "-W", "-n", "--keep-going"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([*command, "--path-output", str(out)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"the students' site did not build:\n{done.stdout[-5000:]}\n{done.stderr[-5000:]}")
    return out / "_build" / "html"
