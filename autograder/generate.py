"""Generate the student notebooks of exercises/ from the instructor notebooks of solutions/.

This is `nbgrader generate_assignment` run in a scratch course directory with the course's
configuration, so the repository's gradebook is not touched; its output is copied to exercises/.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.notebooks import EXERCISES_FOLDER, ROOT, SOLUTIONS_FOLDER, assignments


def nbgrader_env():
    """The environment for nbgrader: the venv's bin first on PATH (nbgrader runs alembic from PATH)."""
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def generate(assignment, dest):
    """Write the student version of one assignment into dest/<assignment>/.

    Inputs:
    - assignment: a folder name of solutions/
    - dest: Path of the release folder (exercises/ or a scratch folder)
    """
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch)
        shutil.copytree(SOLUTIONS_FOLDER / assignment, course / "solutions" / assignment)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "nbgrader",
                "generate_assignment",
                assignment,
                "--force",
                "--no-db",
                f"--CourseDirectory.root={course}",
                "--log-level=WARN",
            ],
            cwd=ROOT,
            env=nbgrader_env(),
            check=True,
        )
        target = Path(dest) / assignment
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(course / "exercises" / assignment, target)


def stale(dest_scratch):
    """Assignments whose notebooks in exercises/ differ from what generate() makes now.

    Inputs:
    - dest_scratch: an empty folder to generate into
    Returns:
    - list of (assignment, relative file path) that differ, are missing or are extra
    """
    differences = []
    for assignment in assignments():
        generate(assignment, dest_scratch)
        fresh, committed = Path(dest_scratch) / assignment, EXERCISES_FOLDER / assignment
        names = {p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file()}
        names |= {p.relative_to(committed) for p in committed.rglob("*") if p.is_file()}
        for name in sorted(names):
            a, b = fresh / name, committed / name
            if not (a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()):
                differences.append((assignment, str(name)))
    return differences
