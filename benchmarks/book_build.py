"""Wall time of a clean, strict build of the whole book (every chapter executed). Target: under 5 minutes.

The baseline printed beside it is the build of the same book with notebook execution turned off (not
strict, since the glued numbers are then missing), in the same run: the difference is the time the
chapters' code takes.

    .venv/bin/python benchmarks/book_build.py
"""

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JUPYTER_BOOK = str(Path(sys.executable).parent / "jupyter-book")
TARGET_SECONDS = 300


def build_seconds(*extra):
    with tempfile.TemporaryDirectory() as out:
        command = [JUPYTER_BOOK, "build", str(ROOT), "--all", "--path-output", out]
        start = time.perf_counter()
        subprocess.run([*command, *extra], check=True, capture_output=True)
        return time.perf_counter() - start


def main():
    executed = build_seconds("-W", "-n", "--keep-going")  # strict, as make book builds it
    skeleton = build_seconds("--config", str(write_config_without_execution()))  # glue fails: not strict
    print(f"book, chapters executed      {executed:7.1f} s")
    print(f"book, no execution (baseline){skeleton:7.1f} s")
    print(f"chapters' code               {executed - skeleton:7.1f} s  ({executed / skeleton:.1f} x the baseline)")
    print(f"{'meets' if executed < TARGET_SECONDS else 'MISSES'} the target: {executed:.0f} s < {TARGET_SECONDS} s")


def write_config_without_execution():
    config = (ROOT / "_config.yml").read_text().replace("execute_notebooks: force", "execute_notebooks: 'off'")
    path = Path(tempfile.mkdtemp()) / "_config.yml"
    path.write_text(config)
    return path


if __name__ == "__main__":
    main()
