"""The student package's wheel, rnnkit-<version>-py3-none-any.whl: python scripts/build_wheel.py [FOLDER].

Only rnnkit/ and pyproject.toml are copied into a scratch folder and built there (setuptools, from the
course's environment, offline), so nothing else of the repository can reach the wheel and the checkout
gets no build/ or egg-info folder. A fixed timestamp makes the same sources give the same file.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rnnkit import WHEEL  # noqa: E402 (after the checkout is on the path)

SOURCE_DATE_EPOCH = "315532800"  # 1980-01-01, the earliest time a zip file can hold


def build_wheel(folder):
    """Build the wheel into folder (created if needed); return its path."""
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tree:
        shutil.copy(ROOT / "pyproject.toml", tree)
        shutil.copytree(ROOT / "rnnkit", Path(tree) / "rnnkit", ignore=shutil.ignore_patterns("__pycache__"))
        pip = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index"]
        done = subprocess.run(
            [*pip, "--wheel-dir", str(folder), tree],
            env={**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH, "PIP_FIND_LINKS": ""},
            capture_output=True,
            text=True,
        )
    if done.returncode != 0:
        raise RuntimeError(f"building {WHEEL} failed:\n{done.stdout}\n{done.stderr}")
    return folder / WHEEL


if __name__ == "__main__":
    print(build_wheel(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist"))
