import os
import subprocess
import sys
from pathlib import Path

import pytest

# Tests import their helpers (notebooks.py, submissions/) from this folder.
sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent


def blas_kernel(env=None):
    """The OpenBLAS kernel numpy picks in a process with these environment variables, as threadpoolctl reports it."""
    code = "import numpy, threadpoolctl; print(threadpoolctl.threadpool_info()[0]['architecture'])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    return done.stdout.strip()


def other_kernel():
    """An OpenBLAS kernel other than this machine's default, and the environment variables that select it: one of
    the settings whose claim margins benchmarks/claim_margins.py measures (on an AVX-512 machine numpy's own loops
    are limited to AVX2 too, as on an AMD EPYC)."""
    default = blas_kernel()
    if default in ("SkylakeX", "Cooperlake", "SapphireRapids"):
        # an AVX2 processor such as an AMD EPYC: OpenBLAS's Haswell kernel, numpy's loops without AVX-512
        return "Haswell", {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}
    if default != "Sandybridge":  # Haswell, Zen and the like: the Sandybridge setting of benchmarks/claim_margins.py
        return "Sandybridge", {"OPENBLAS_CORETYPE": "Sandybridge"}
    return "Nehalem", {"OPENBLAS_CORETYPE": "Nehalem"}  # a processor older than AVX2: an SSE kernel


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The book built from scratch with warnings as errors, once per test run, under another OpenBLAS kernel than
    this machine's (other_kernel): every chapter's assertions, the claims of lab/claims.py among them, must hold
    there too, as on another processor. The path of its HTML; the kernel and its environment in BUILD."""
    out = tmp_path_factory.mktemp("book")
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    kernel, variables = other_kernel()
    env = {**os.environ, **variables}
    BUILD.update(kernel=kernel, env=env)
    done = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--all", "-W", "-n", "--keep-going", "--path-output", str(out)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-5000:]
    return out / "_build" / "html"


BUILD = {}  # the kernel the book was built under, and the environment that selected it (built_book)


TIERS = ("fast", "plumbing", "slow")


def pytest_collection_modifyitems(config, items):
    """Every test is in exactly one tier (a module's pytestmark, or the test's own mark): none is left out of them;
    only the slow tier builds the book."""
    wrong = [item.nodeid for item in items if sum(item.get_closest_marker(t) is not None for t in TIERS) != 1]
    if wrong:
        raise pytest.UsageError(f"tests in no tier or in two ({', '.join(TIERS)}): {', '.join(wrong[:5])}")
    building = [i.nodeid for i in items if "built_book" in i.fixturenames and not i.get_closest_marker("slow")]
    if building:
        raise pytest.UsageError(f"tests on the built book outside the slow tier (a second build): {building[:5]}")
