"""The feedback pages of `nbgrader generate_feedback` for this course (autograder/nbgrader_config.py sets them up).

A student gets their page alone and opens it from disk, perhaps offline: the template, feedback_template/
course_feedback/, is nbgrader's feedback page with the vendored MathJax (vendor/mathjax, from package-lock.json)
inlined in place of nbgrader's link to a CDN, and each test cell named by its function (grade_id test_<function>).
"""

import functools
from pathlib import Path

import markupsafe
import nbgrader

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "vendor"
TEMPLATE_NAME = "course_feedback"
TEMPLATE_FILE = "feedback.html.j2"  # in that template's folder; it extends nbgrader's index.html.j2
TEMPLATES = Path(__file__).resolve().parent / "feedback_template"
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"


def template_dirs():
    """The folders nbconvert looks for templates in: the course's, then nbgrader's (whose feedback page it extends)."""
    return [str(TEMPLATES), str(NBGRADER_TEMPLATES)]


@functools.cache
def vendored(name):
    """The text of a vendored script, name a path under vendor/, as markup to put inside a <script> element (the
    template's filter `vendored`)."""
    path = VENDOR / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: run scripts/setup.sh (it installs MathJax from package-lock.json)")
    source = path.read_text(encoding="utf-8")
    if "</script" in source.lower():
        raise ValueError(f"{path} holds '</script', which would end the <script> element it is inlined in")
    return markupsafe.Markup(source)
