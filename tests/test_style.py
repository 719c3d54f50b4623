"""ruff formats and lints the whole repository (settings in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

import pytest
from notebooks import ROOT

pytestmark = pytest.mark.fast

RUFF = str(Path(sys.executable).parent / "ruff")


def test_ruff_check():
    done = subprocess.run([RUFF, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_ruff_format():
    done = subprocess.run([RUFF, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
