"""Finding the notebooks to grade in what an instructor collected: nbgrader's submitted/ folder, or the zip
an LMS exports (Canvas, Moodle)."""

import re
import zipfile
from pathlib import Path
from typing import NamedTuple

from autograder.grading.notebooks import assignments

CANVAS = re.compile(r"^(?P<student>[^_]+)_(?:LATE_)?\d+_\d+_(?P<name>.+?)(?:-\d+)?\.ipynb$")
MOODLE = re.compile(r"^(?P<student>.+?)_\d+_assignsubmission_file_?$")


class Job(NamedTuple):
    """One notebook to grade."""

    student: str
    assignment: str
    notebook: str  # the file name found (or expected, when missing)
    path: Path | None  # None when the notebook is missing


def unpack(source, unpack_to):
    """The folder to look in: source itself, or the zip file source unpacked into unpack_to (unsafe paths refused)."""
    source = Path(source)
    if not (source.is_file() and zipfile.is_zipfile(source)):
        return source
    with zipfile.ZipFile(source) as archive:
        for member in archive.namelist():
            if member.startswith("/") or ".." in Path(member).parts:
                raise ValueError(f"{source}: unsafe path in zip: {member}")
        archive.extractall(unpack_to)
    return Path(unpack_to)


def top_folder(source):
    """source, or the single folder inside it when that folder is a whole submitted/ (a zip of the folder itself)."""
    entries = [p for p in source.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir() and not any(p.is_dir() and p.name in assignments() for p in entries):
        inner = [p for p in entries[0].iterdir() if p.is_dir()]
        if inner and all(any(q.is_dir() for q in p.iterdir()) for p in inner):
            return entries[0]
    return source


def jobs_in(path):
    """The Jobs of one entry of the submissions folder: a Canvas file, a Moodle folder or a student's folder."""
    canvas = CANVAS.match(path.name) if path.is_file() else None
    moodle = MOODLE.match(path.name) if path.is_dir() else None
    if canvas:
        return [Job(canvas["student"], canvas["name"], f"{canvas['name']}.ipynb", path)]
    if moodle:
        student = re.sub(r"\W+", "-", moodle["student"]).strip("-")
        notebooks = sorted(path.glob("*.ipynb"))
        return [Job(student, nb.stem, nb.name, nb) for nb in notebooks] or [Job(student, "?", "?", None)]
    if not path.is_dir():
        return []
    jobs = []
    for folder in sorted(p for p in path.iterdir() if p.is_dir()):
        notebooks = sorted(folder.glob("*.ipynb"))
        jobs += [Job(path.name, folder.name, nb.name, nb) for nb in notebooks]
        jobs += [] if notebooks else [Job(path.name, folder.name, f"{folder.name}.ipynb", None)]
    return jobs


def find_submissions(source, unpack_to):
    """Every (student, assignment, notebook) to grade.

    Layouts accepted, in a folder or in a zip file (a zip is unpacked into unpack_to):
    - nbgrader's submitted/: <student>/<assignment>/<assignment>.ipynb (a single top folder around it
      is fine);
    - Canvas's "Download submissions": flat files <student>_<id>_<id>_<assignment>.ipynb, optionally
      with LATE_ after the student and a -1, -2 resubmission suffix;
    - Moodle's "Download all submissions": folders <Full Name>_<id>_assignsubmission_file_/ holding
      <assignment>.ipynb.
    A notebook whose name is not <assignment>.ipynb for a known assignment is graded as invalid.

    Inputs:
    - source: a folder or a zip file
    - unpack_to: a folder to unpack a zip into
    Returns:
    - list of Job
    """
    return [job for path in sorted(top_folder(unpack(source, unpack_to)).iterdir()) for job in jobs_in(path)]
