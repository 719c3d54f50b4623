"""make publish: the folder to upload as it is, the course as students get it: python scripts/publish.py SITE OUT.

OUT is the built site SITE (make book's _build/html: the chapters, the setup page, the student notebooks
behind the download buttons and rnnkit's wheel at the root, built there by book/wheel_links.py), plus
notebooks/ with the student notebooks under their own names, for a learning platform or a file server.
Nothing else of the repository is copied: no solutions/, no hidden tests, no autograder/.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rnnkit import WHEEL  # noqa: E402 (after the checkout is on the path)

MARKERS = ("### BEGIN SOLUTION", "### BEGIN HIDDEN TESTS")  # nbgrader's, never in a released file


def published_files(out):
    """Every file under out, but the wheel (checked separately, as a zip)."""
    return [p for p in sorted(Path(out).rglob("*")) if p.is_file() and p.suffix != ".whl"]


def publish(site, out):
    """Write the published course from the built site into out (replaced); return out."""
    site, out = Path(site), Path(out)
    if not (site / WHEEL).is_file():
        raise SystemExit(f"{site} holds no {WHEEL}: build the book first (make book)")
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(site, out, ignore=shutil.ignore_patterns(".buildinfo"))
    (out / "notebooks").mkdir()
    for notebook in sorted((ROOT / "exercises").glob("*/*.ipynb")):
        shutil.copy(notebook, out / "notebooks" / notebook.name)
    marked = [str(p) for p in published_files(out) if any(m.encode() in p.read_bytes() for m in MARKERS)]
    if marked:
        shutil.rmtree(out)
        raise SystemExit(f"nbgrader's solution or hidden-test markers in {marked}: nothing published")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.split("\n\n")[0])
    out = publish(sys.argv[1], sys.argv[2])
    print(f"{out}/: the site (open index.html), {out}/{WHEEL}, {out}/notebooks/; upload the folder as it is")
