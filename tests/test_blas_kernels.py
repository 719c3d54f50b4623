"""The chapters whose text depends on training hold under another BLAS kernel than this machine's.

numpy's OpenBLAS picks a matrix-product kernel for the processor it runs on, and each rounds in its
own way; training turns the difference into other runs. Here the chapters with training
experiments are executed in a kernel (a Jupyter kernel, a process of its own) that runs another
OpenBLAS kernel, with numpy's own loops limited to what that processor has, as another machine would.
Every assertion of those chapters (the claims of lab/claims.py among them) must still pass.
"""

import os
import subprocess
import sys

import jupytext
import nbclient
import pytest
from notebooks import ROOT

CHAPTERS = ["rnn", "vanishing", "lstm", "gru", "char_lm"]


def default_kernel():
    """The OpenBLAS kernel numpy picks on this machine, as threadpoolctl reports it."""
    code = "import numpy, threadpoolctl; print(threadpoolctl.threadpool_info()[0]['architecture'])"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def other_kernel():
    """An OpenBLAS kernel other than this machine's default, and the environment that selects it."""
    if default_kernel() in ("SkylakeX", "Cooperlake", "SapphireRapids"):
        # an AVX2 processor such as an AMD EPYC: OpenBLAS's Haswell kernel, numpy's loops without AVX-512
        return "Haswell", {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}
    return "Sandybridge", {"OPENBLAS_CORETYPE": "Sandybridge"}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_assertions_hold_under_another_blas_kernel(chapter, monkeypatch):
    kernel, env = other_kernel()
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    notebook = jupytext.read(ROOT / "book" / f"{chapter}.md")
    probe = "import numpy, threadpoolctl\nprint(sorted({i['architecture'] for i in threadpoolctl.threadpool_info()}))"
    notebook.cells.insert(0, jupytext.reads(probe, fmt="py:percent").cells[0])
    client = nbclient.NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(ROOT / "book")}})
    client.execute()  # raises CellExecutionError if an assertion of the chapter fails
    assert notebook.cells[0].outputs[0]["text"].strip() == f"['{kernel}']", notebook.cells[0].outputs
    assert os.environ["OPENBLAS_CORETYPE"] == kernel
