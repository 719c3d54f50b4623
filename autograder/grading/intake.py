"""Intake: every file an instructor collected, accounted for, and one notebook to grade per student and assignment.

Sources, as a folder or a zip of it (a zip is unpacked afresh on every run):
- nbgrader's submitted/: <student>/<assignment>/<any name>.ipynb (nbgrader's timestamp.txt and other files beside
  it are listed as ignored); a notebook right in <student>/ is recognised by its content; a file at the top, in no
  student's folder, is invalid (whose it is cannot be known).
- Canvas's "Download submissions": flat files <name>[_late|_LATE]_<user id>_<submission id>_<uploaded name>, also
  <name>_LATE_<user id>_...; the name may hold underscores (van_der_berg), the uploaded name is what the student
  typed (Untitled.ipynb, rnn_bptt (1).ipynb), with Canvas's -1, -2 for a name uploaded again.
- Moodle's "Download all submissions": folders <Full Name>_<participant id>_assignsubmission_file_/ holding any
  files (names with accents and apostrophes kept), or flat files <Full Name>_<participant id>_assignsubmission_file_
  <file name> when the download is not in folders; other plugins' folders (onlinetext) hold no notebook.

Which assignment a notebook is: its content says, by the nbgrader cell ids it shares with one released notebook
(ids every notebook has, such as "setup", do not count); without them, its file name (Jupyter's copy names
"-Copy1", " (1)" and Canvas's "-1" stripped, any case). The assignment it was submitted for must agree: its
nbgrader folder, or for an LMS download (one download, one assignment) --assignment, or else the assignment of
more than half of the download's notebooks; a notebook of another assignment is invalid, with both named.

One result per student and assignment: of several notebooks, the one graded is the first by
1. a notebook that can be graded, before one that cannot;
2. the later Canvas submission (the higher submission id), then the higher Canvas -N suffix;
3. the newer file (its modification time; in a zip, the time stored for it);
4. the name as released (rnn_bptt.ipynb), then the first name in alphabetical order.
The others are superseded, each with the file that was graded and the rule that chose it.
"""

import csv
import datetime
import os
import re
import shutil
import zipfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

import nbformat

from autograder.notebooks import assignments, meta, student_notebook

CANVAS = re.compile(
    r"^(?P<name>.+?)(?:_(?:late|LATE))?_(?P<id>\d+)_(?P<submission>\d+)_(?P<file>.+)$|"
    r"^(?P<old_name>[^_]+)_LATE_(?P<old_id>\d+)_(?P<old_submission>\d+)_(?P<old_file>.+)$"
)
MOODLE_FOLDER = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assign(?:submission|feedback)_\w+?_?$")
MOODLE_FILE = re.compile(r"^(?P<name>.+?)_(?P<id>\d+)_assignsubmission_file_(?P<file>.+)$")
COPY_SUFFIX = re.compile(r"(?:-copy\d*| \(\d+\)|-\d+)$", re.I)
FIELDS = ["file", "lms", "student", "lms_id", "assignment", "outcome", "reason"]
UNKNOWN = "unknown"  # the assignment of a student's result when none of their files says which


class IntakeError(Exception):
    """A source that cannot be read at all (no such path, not a folder or zip, empty): its message says what to do."""


class Job(NamedTuple):
    """One result to grade: a student's notebook for an assignment (or why there is none to grade)."""

    student: str  # the key of the student in every file written (unique in the class)
    assignment: str
    notebook: str  # the file's name as submitted
    path: Path | None  # None when there is no notebook to grade
    lms: str = "nbgrader"  # "nbgrader", "canvas" or "moodle"
    lms_id: str = ""  # Canvas's user id or Moodle's participant id
    name: str = ""  # the student's name as the LMS wrote it
    file: str = ""  # the path under the source, as in intake.csv
    problem: str = ""  # why it cannot be graded ("" when it can): graded as invalid with this reason


class Found(NamedTuple):
    """One file under the source, as its place says: whose, from which LMS, submitted for which assignment."""

    file: str  # relative to the source, with /
    path: Path
    lms: str
    name: str  # the student's name as written ("" when no student's)
    lms_id: str
    submitted_for: str | None  # the assignment its folder names, or None
    order: tuple  # Canvas (submission id, -N suffix); () elsewhere
    uploaded: str  # the file's name as the student gave it (Canvas's and Moodle's prefixes removed)
    ignore: str = ""  # why it is not a submission at all ("" when it may be one)


class Line(NamedTuple):
    """One line of intake.csv."""

    file: str
    lms: str
    student: str
    lms_id: str
    assignment: str
    outcome: str  # graded, superseded, invalid or ignored
    reason: str


def unpack(source, unpack_to):
    """The folder to look in: source itself, or the zip file source unpacked afresh into unpack_to (each file with
    the time the zip stored for it). IntakeError when source is neither, or the zip is unsafe or broken."""
    source = Path(source)
    if not source.exists():
        raise IntakeError(f"{source}: no such file or folder; give nbgrader's submitted/ folder or your LMS's zip")
    if source.is_dir():
        return source
    if not zipfile.is_zipfile(source):
        raise IntakeError(
            f"{source} is neither a folder nor a zip file: give the folder that holds the students' folders "
            "(nbgrader's submitted/) or the zip your LMS exported (Canvas, Moodle)"
        )
    shutil.rmtree(unpack_to, ignore_errors=True)
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if info.filename.startswith("/") or ".." in Path(info.filename).parts:
                    raise IntakeError(f"{source}: unsafe path in the zip: {info.filename}; nothing was unpacked")
            for info in archive.infolist():
                target = archive.extract(info, unpack_to)
                stamp = datetime.datetime(*info.date_time).timestamp()
                os.utime(target, (stamp, stamp))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IntakeError(f"{source}: the zip cannot be read ({error}); download it again") from None
    return Path(unpack_to)


def is_junk(name):
    """True for what an archiver or Jupyter adds beside submissions (macOS's __MACOSX, .DS_Store, checkpoints)."""
    return name.startswith(".") or name == "__MACOSX"


def is_lms_name(name):
    """True when a file or folder name is one Canvas or Moodle writes in a download."""
    return bool(MOODLE_FOLDER.match(name) or MOODLE_FILE.match(name) or CANVAS.match(name))


def top_folder(root):
    """root, or the single folder inside it when that folder wraps the whole download (a zip of submitted/ itself)."""
    entries = [p for p in root.iterdir() if not is_junk(p.name)]
    if len(entries) != 1 or not entries[0].is_dir() or entries[0].name in assignments():
        return root
    inner = [p for p in entries[0].iterdir() if not is_junk(p.name)]
    students = [p for p in inner if p.is_dir() and any(q.is_dir() for q in p.iterdir())]
    if inner and (all(is_lms_name(p.name) for p in inner) or len(students) == len(inner)):
        return entries[0]
    return root


def check_root(root, source):
    """IntakeError when root holds no file, or looks like one student's folder rather than the class's."""
    if not any(p.is_file() for p in root.rglob("*")):
        raise IntakeError(f"{source} holds no files: nothing to grade")
    entries = [p for p in root.iterdir() if not is_junk(p.name) and not is_lms_name(p.name)]
    own = [p.name for p in entries if p.is_dir() and p.name in assignments()]
    if own and len(own) == len([p for p in entries if p.is_dir()]):
        raise IntakeError(
            f"{source} looks like one student's folder (it holds {', '.join(own)}/): give the folder that holds "
            "every student's folder, such as submitted/"
        )


def why_ignored(parts):
    """Why a file (its path's parts) is no submission, or "" when it may be one."""
    if any(part == "__MACOSX" for part in parts):
        return "macOS's metadata in the zip, not a submission"
    if any(part.startswith(".") for part in parts):
        return "a hidden file (a Jupyter checkpoint or the system's), not a submission"
    if parts[-1] == "timestamp.txt":
        return "nbgrader's time of the submission"
    if not parts[-1].lower().endswith(".ipynb"):
        return f"not a notebook ({Path(parts[-1]).suffix or 'no extension'}): only .ipynb files are graded"
    return ""


def locate(root, path):
    """The Found of a file: what its place under root says."""
    parts = path.relative_to(root).parts
    file, ignore = "/".join(parts), why_ignored(parts)
    if parts[0] == "__MACOSX" or parts[0].startswith("."):  # beside the submissions, no student's
        return Found(file, path, "", "", "", None, (), parts[-1], ignore)
    if len(parts) == 1:
        moodle, canvas = MOODLE_FILE.match(parts[0]), CANVAS.match(parts[0])
        if moodle:
            return Found(file, path, "moodle", moodle["name"], moodle["id"], None, (), moodle["file"], ignore)
        if canvas:
            fields = [canvas[k] or canvas[f"old_{k}"] for k in ("name", "id", "submission", "file")]
            suffix = re.search(r"-(\d+)\.ipynb$", fields[3], re.I)
            order = (int(fields[2]), int(suffix[1]) if suffix else 0)
            return Found(file, path, "canvas", fields[0], fields[1], None, order, fields[3], ignore)
        return Found(file, path, "nbgrader", "", "", None, (), parts[0], ignore)
    folder = MOODLE_FOLDER.match(parts[0])
    if folder:
        return Found(file, path, "moodle", folder["name"], folder["id"], None, (), parts[-1], ignore)
    submitted_for = parts[1] if len(parts) >= 3 and parts[1] in assignments() else None
    return Found(file, path, "nbgrader", parts[0], "", submitted_for, (), parts[-1], ignore)


@cache
def distinctive_ids():
    """assignment -> the nbgrader cell ids of its released notebook that no other released notebook has."""
    ids = {a: {meta(c).get("grade_id") for c in student_notebook(a).cells} - {None} for a in assignments()}
    return {a: ids[a].difference(*(ids[b] for b in ids if b != a)) for a in ids}


def by_content(nb):
    """The assignment whose released notebook shares the most distinctive cell ids with nb, or None (none shared,
    or a tie)."""
    mine = {meta(c).get("grade_id") for c in nb.cells} - {None}
    counts = {a: len(mine & ids) for a, ids in distinctive_ids().items()}
    best = max(counts.values())
    winners = [a for a, n in counts.items() if n == best]
    return winners[0] if best and len(winners) == 1 else None


def by_name(uploaded):
    """The assignment a file's name says (Untitled says none), copy suffixes and case ignored; or None."""
    stem = re.sub(r"\.ipynb$", "", uploaded, flags=re.I).strip()
    stem = re.sub(r"^copy of ", "", stem, flags=re.I)
    while COPY_SUFFIX.search(stem):
        stem = COPY_SUFFIX.sub("", stem)
    stem = re.sub(r"[-\s]+", "_", stem.lower())
    return stem if stem in assignments() else None


def read_notebook(path):
    """(the notebook at path, "") or (None, why it cannot be read)."""
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        return nb, ""
    except Exception as error:  # anything a broken file raises: the student's file, not the grader
        return None, f"not a readable notebook ({type(error).__name__}: {str(error)[:200]})"


def identify(found):
    """(the assignment its cells say or None, the assignment its name says or None, why it cannot be read or "")
    of a notebook file: what reading it tells, once."""
    nb, problem = read_notebook(found.path)
    return (None, None, problem) if problem else (by_content(nb), by_name(found.uploaded), "")


def resolve(identified, wanted, because):
    """(assignment or None, problem, how the assignment was known) of a notebook file.

    identified: what identify found; wanted: the assignment it was submitted for, or None; because: why, in words
    ("it was submitted for", "the download is for", "most notebooks of the download are").
    """
    content, named, problem = identified
    if problem:
        return wanted, problem, ""
    if content and wanted and content != wanted:
        return wanted, f"this is the {content} notebook (by its cells), but {because} {wanted}", ""
    if content:
        return content, "", "recognised by its cells as"
    if wanted:
        return wanted, "", f"none of the released cells kept; graded as {wanted}, as {because}"
    if named:
        return named, "", "none of the released cells kept; by its name,"
    return None, "", ""


class Candidate(NamedTuple):
    """A notebook file that may be a student's result."""

    found: Found
    student: str
    assignment: str | None
    problem: str  # why it cannot be graded, or ""
    how: str  # how its assignment was known
    mtime: float


def who(found):
    """A student's identity in the source: (the LMS, its id of the student, or the name when it gives none)."""
    return found.lms, found.lms_id or found.name


def student_keys(found):
    """(lms, id or name) -> the student's key in every file written: the name as the LMS wrote it (nbgrader's folder
    name as it is; an LMS's name made safe for a folder name), with the LMS id after it when two share a name."""
    people = {who(f): f for f in found if f.name}
    safe = {who: f.name if f.lms == "nbgrader" else re.sub(r"\W+", "-", f.name).strip("-") for who, f in people.items()}
    taken = list(safe.values())
    return {who: f"{key}-{who[1]}" if taken.count(key) > 1 else key for who, key in safe.items()}


def candidates(found, keys, assignment):
    """The Candidate of every notebook file of a student; assignment: --assignment, or None.

    An LMS download is one assignment: --assignment, or else the one most of its notebooks are (by their cells or
    names), when more than half are; a notebook of another assignment in it is invalid.
    """
    found = [f for f in found if f.name and not f.ignore]
    identified = {f: identify(f) for f in found}

    def candidate(f, download, because):
        wanted, because = (f.submitted_for, "it was submitted for") if f.submitted_for else (download, because)
        return Candidate(f, keys[who(f)], *resolve(identified[f], wanted, because), f.path.stat().st_mtime)

    chosen = [candidate(f, assignment, "the download is for") for f in found]
    lms = [c.assignment for c in chosen if c.found.lms != "nbgrader" and c.assignment and not c.problem]
    most = max(set(lms), key=lms.count, default=None)
    if assignment is None and most and lms.count(most) * 2 > len(lms):
        because = "most notebooks of this download are"
        chosen = [candidate(c.found, most, because) if c.found.lms != "nbgrader" else c for c in chosen]
    return unrecognised(chosen)


def unrecognised(chosen):
    """The candidates whose assignment is still open marked as none of the course's notebooks."""
    why = f"none of the course's notebooks ({', '.join(assignments())}) by its cells or its name"
    return [c._replace(problem=c.problem or why) if c.assignment is None else c for c in chosen]


def named_as_released(c):
    """True when a candidate's file name is its assignment's released one (rnn_bptt.ipynb)."""
    return c.found.uploaded == f"{c.assignment}.ipynb"


def rank(c):
    """The sort key that puts first the candidate to grade (the rule in this module's docstring)."""
    return (bool(c.problem), tuple(-n for n in c.found.order), -c.mtime, not named_as_released(c), c.found.file)


def when(mtime):
    """A file time in words, to the second (UTC)."""
    return datetime.datetime.fromtimestamp(mtime, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def why_first(first, other):
    """Why first is graded rather than other, in words."""
    if first.found.order != other.found.order:
        (a, n), (b, m) = first.found.order, other.found.order
        earlier = f"-{m}" if m else "the first upload"
        return (
            f"a later Canvas submission (id {a} after {b})"
            if a != b
            else f"uploaded again later (-{n} after {earlier})"
        )
    if first.mtime != other.mtime:
        return f"a newer file ({when(first.mtime)}, the other {when(other.mtime)})"
    if named_as_released(first) != named_as_released(other):
        return f"named as released ({first.assignment}.ipynb)"
    return "both equally recent, the first by name"


def outcome(c, first):
    """The (outcome, reason) of a candidate, first being the one of its group to grade."""
    if c.problem:
        scored = f"; {c.assignment} scores 0" if c is first and c.assignment != UNKNOWN else ""
        return "invalid", c.problem + scored
    if c is first:
        return "graded", f"{c.how} {c.assignment}"
    return "superseded", f"superseded by {first.found.file}: {why_first(first, c)}"


def job_of(c, assignment):
    """The Job that grades candidate c as the student's result for assignment."""
    f = c.found
    return Job(c.student, assignment, f.uploaded, f.path, f.lms, f.lms_id, f.name, f.file, c.problem)


def select(chosen):
    """(Jobs, Lines): one Job per student and assignment from the candidates, and each candidate's line."""
    groups = {}
    for c in chosen:
        groups.setdefault((c.student, c.assignment or UNKNOWN), []).append(
            c._replace(assignment=c.assignment or UNKNOWN)
        )
    with_result = {student for student, assignment in groups if assignment != UNKNOWN}
    jobs, lines = [], []
    for (student, assignment), group in sorted(groups.items()):
        group.sort(key=rank)
        if assignment != UNKNOWN or student not in with_result:
            jobs.append(job_of(group[0], assignment))
        for c in group:
            f = c.found
            lines.append(Line(f.file, f.lms, c.student, f.lms_id, assignment, *outcome(c, group[0])))
    return jobs, lines


def empty_folders(root, found):
    """(Jobs, Lines) of nbgrader's folders that hold no notebook: <student>/<assignment>/, or an empty <student>/."""
    jobs, lines = [], []
    for student in sorted(p for p in root.iterdir() if p.is_dir() and not is_junk(p.name) and not is_lms_name(p.name)):
        folders = [p for p in sorted(student.iterdir()) if p.is_dir() and not is_junk(p.name)]
        if not folders and not any(p.is_file() for p in student.iterdir()):
            folders = [student]
        for folder in folders:
            if any(f.path.is_relative_to(folder) and not f.ignore for f in found):
                continue
            assignment = folder.name if folder.name in assignments() else UNKNOWN
            name = "/".join(folder.relative_to(root).parts) + "/"
            others = [f.file.removeprefix(name) for f in found if f.path.is_relative_to(folder)]
            why = f"no notebook in {name}" + (f" (found {', '.join(others)})" if others else "")
            jobs.append(Job(student.name, assignment, f"{assignment}.ipynb", None, file=name, problem=why))
            lines.append(Line(name, "nbgrader", student.name, "", assignment, "invalid", why))
    return jobs, lines


def no_notebook_at_all(found, keys, jobs, assignment):
    """Jobs of the students whose files hold no notebook (a PDF on Canvas, say): invalid, with what was found."""
    have = {j.student for j in jobs}
    missing = {}
    for f in found:
        key = keys.get(who(f))
        if key and key not in have:
            missing.setdefault(key, []).append(f)
    return [
        Job(
            key,
            assignment or UNKNOWN,
            "",
            None,
            fs[0].lms,
            fs[0].lms_id,
            fs[0].name,
            fs[0].file,
            f"no notebook submitted (found {', '.join(f.uploaded for f in fs)})",
        )
        for key, fs in sorted(missing.items())
    ]


def file_line(f, keys):
    """The Line of a file that is no student's notebook: ignored, or a notebook in no student's folder."""
    student = keys.get(who(f), "")
    if f.ignore:
        return Line(f.file, f.lms, student, f.lms_id, "", "ignored", f.ignore)
    why = "a notebook in no student's folder: put it in <student>/<assignment>/ (nbgrader's submitted/ layout)"
    return Line(f.file, f.lms, "", "", "", "invalid", why)


def take_in(source, unpack_to, assignment=None):
    """Every file of source accounted for, and the Jobs to grade.

    Inputs:
    - source: a folder or a zip file (see this module's docstring for the layouts)
    - unpack_to: a folder to unpack a zip into (emptied first)
    - assignment: the assignment every notebook was submitted for (an LMS download is one assignment), or None
    Returns:
    - jobs: list of Job, one per student and assignment
    - lines: list of Line, one per file found (and per folder without a notebook), sorted by file
    Raises IntakeError when source cannot be read or holds nothing to grade.
    """
    if assignment is not None and assignment not in assignments():
        raise IntakeError(f"--assignment {assignment}: no such assignment; the course has {', '.join(assignments())}")
    root = unpack(source, unpack_to)
    root = top_folder(root)
    check_root(root, source)
    found = [locate(root, p) for p in sorted(root.rglob("*")) if p.is_file()]
    keys = student_keys(found)
    jobs, lines = select(candidates(found, keys, assignment))
    empty_jobs, empty_lines = empty_folders(root, found)
    jobs += empty_jobs
    jobs += no_notebook_at_all(found, keys, jobs, assignment or download_assignment(jobs))
    lines += empty_lines + [file_line(f, keys) for f in found if f.ignore or not f.name]
    return sorted(jobs, key=lambda j: (j.student, j.assignment)), sorted(lines)


def download_assignment(jobs):
    """The one assignment of every LMS download's Job, or None when they are not all one."""
    known = {j.assignment for j in jobs if j.lms != "nbgrader" and j.assignment != UNKNOWN}
    return known.pop() if len(known) == 1 else None


def write_manifest(out, lines):
    """intake.csv in out: one line per file found, with its outcome and the reason."""
    with open(Path(out) / "intake.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        writer.writerows(lines)


def summary(lines):
    """The intake in one line: how many files, and how many of each outcome."""
    counts = {o: sum(line.outcome == o for line in lines) for o in ("graded", "superseded", "invalid", "ignored")}
    return f"intake: {len(lines)} files: " + ", ".join(f"{n} {o}" for o, n in counts.items()) + " (intake.csv)"
