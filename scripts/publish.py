"""make publish: the folder to upload as it is, the course as students get it: python scripts/publish.py SITE OUT.

    python scripts/publish.py --stamp SITE   after make book built SITE: record the digest of its sources
    python scripts/publish.py --fresh SITE   exit 0 when SITE was built from the sources as they are now (make
                                             publish then reuses it instead of building the book again)

OUT is the students' site (book/students/: the chapters as make book executed them, in SITE's
jupyter_execute/ beside it, built again without running a cell and without the instructors' page, the
book's infrastructure code or the passages for instructors; the student notebooks behind the download buttons
and rnnkit's wheel at the root, built there by book/wheel_links.py), plus notebooks/ with the student
notebooks under their own names, for a learning platform or a file server. Nothing else of the repository is
copied: no solutions/, no hidden tests, no autograder/.
"""

import hashlib
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from book.students import site as students_site  # noqa: E402 (after the checkout is on the path)
from rnnkit import WHEEL  # noqa: E402

MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS")  # nbgrader's, never in a released file
# What a build of the book reads: a change to any of them makes the built site stale.
SOURCES = ("book", "lab", "rnnkit", "exercises", "_config.yml", "_toc.yml", "pyproject.toml", "requirements.lock")
SOURCES += ("package-lock.json", "scripts/build_wheel.py", "data/shakespeare/.sha256")
STAMP = ".course-sources.sha256"


def sources_digest():
    """A hash of every file the book's build reads (SOURCES, caches left out)."""
    digest = hashlib.sha256()
    for name in SOURCES:
        path = ROOT / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" not in file.parts and ".ipynb_checkpoints" not in file.parts and file.exists():
                digest.update(str(file.relative_to(ROOT)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


def published_files(out):
    """Every file under out, but the wheel (checked separately, as a zip)."""
    return [p for p in sorted(Path(out).rglob("*")) if p.is_file() and p.suffix != ".whl"]


def publish(site, out):
    """Write the published course from the built book site (make book's _build/html) into out (replaced): the
    students' site, built from the chapters that build executed, and the student notebooks; return out."""
    site, out = Path(site), Path(out)
    executed = site.parent / "jupyter_execute"
    if not (site / WHEEL).is_file() or not executed.is_dir():
        raise SystemExit(f"{site} holds no {WHEEL} or has no {executed}: build the book first (make book)")
    started = time.perf_counter()
    students = students_site.build(executed, site.parent / "students")
    print(f"the students' site: built in {time.perf_counter() - started:.0f} s from {executed}, nothing run")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(students, out, ignore=shutil.ignore_patterns(".buildinfo", STAMP))
    (out / "notebooks").mkdir()
    for notebook in sorted((ROOT / "exercises").glob("*/*.ipynb")):
        shutil.copy(notebook, out / "notebooks" / notebook.name)
    marked = [str(p) for p in published_files(out) if any(m.encode() in p.read_bytes() for m in MARKERS)]
    if marked:
        shutil.rmtree(out)
        raise SystemExit(f"nbgrader's solution or hidden-test markers in {marked}: nothing published")
    return out


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--stamp":
        (Path(sys.argv[2]) / STAMP).write_text(sources_digest())
        sys.exit(0)
    if len(sys.argv) == 3 and sys.argv[1] == "--fresh":
        stamp = Path(sys.argv[2]) / STAMP
        fresh = stamp.is_file() and stamp.read_text() == sources_digest()
        print(f"{sys.argv[2]}: " + ("built from these sources: reused" if fresh else "stale or missing: building"))
        sys.exit(0 if fresh else 1)
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.split("\n\n")[0])
    out = publish(sys.argv[1], sys.argv[2])
    print(f"{out}/: the site (open index.html), {out}/{WHEEL}, {out}/notebooks/; upload the folder as it is")
