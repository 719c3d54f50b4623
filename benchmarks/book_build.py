"""Wall time of a clean, strict build of the whole book, and of each chapter's code. Target: 5 minutes (issue 23).

Three measurements, in one run:

- the build that `make book` does (strict, every chapter executed), from an empty output folder;
- the same book with notebook execution turned off (not strict, since the glued numbers are then
  missing): the baseline, what Sphinx costs without the chapters' code;
- each chapter executed alone in a fresh kernel (jupytext and nbclient, as myst-nb runs it).

    .venv/bin/python benchmarks/book_build.py
"""

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jupytext
import nbclient

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
TARGET_SECONDS = 300  # issue 23: with its chapter the whole book in at most 5 minutes (issue 13 had 4 for one less)


def build_seconds(*extra):
    """Seconds of one jupyter-book build of the repository into a temporary folder."""
    with tempfile.TemporaryDirectory() as out:
        command = [JUPYTER_BOOK, "build", str(ROOT), "--all", "--path-output", out]
        start = time.perf_counter()
        subprocess.run([*command, *extra], check=True, capture_output=True)
        return time.perf_counter() - start


def chapter_seconds(path):
    """Seconds to execute one chapter's code cells in a fresh kernel, kernel start included."""
    notebook = jupytext.read(path)
    start = time.perf_counter()
    nbclient.NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - start


def chapters():
    """The chapters of the table of contents that have code cells, in its order."""
    entries = re.findall(r"(?:root|file): (\S+)", (ROOT / "_toc.yml").read_text())
    paths = [ROOT / f"{entry}.md" for entry in entries]
    return [path for path in paths if "```{code-cell}" in path.read_text()]


def write_config_without_execution():
    """A copy of _config.yml with execution off, in a temporary folder; its path."""
    config = (ROOT / "_config.yml").read_text().replace("execute_notebooks: force", "execute_notebooks: 'off'")
    path = Path(tempfile.mkdtemp()) / "_config.yml"
    path.write_text(config)
    return path


def main():
    executed = build_seconds("-W", "-n", "--keep-going")  # strict, as make book builds it
    skeleton = build_seconds("--config", str(write_config_without_execution()))  # glue fails: not strict
    print(f"book, chapters executed       {executed:7.1f} s")
    print(f"book, no execution (baseline) {skeleton:7.1f} s")
    print(f"chapters' code                {executed - skeleton:7.1f} s  ({executed / skeleton:.1f} x the baseline)")
    total = 0.0
    for path in chapters():
        seconds = chapter_seconds(path)
        total += seconds
        print(f"  {path.stem:14s} alone        {seconds:7.1f} s")
    print(f"  sum of the chapters alone   {total:7.1f} s")
    print(f"{'meets' if executed < TARGET_SECONDS else 'MISSES'} the target: {executed:.0f} s < {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()
