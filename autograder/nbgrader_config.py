"""nbgrader configuration of the course, loaded by the root nbgrader_config.py.

The repository root is the nbgrader course directory:
- solutions/<assignment>/  instructor notebooks (solutions and hidden tests): nbgrader's source
- exercises/<assignment>/  student notebooks generated from them: nbgrader's release
- submitted/, autograded/, feedback/, gradebook.db  made by nbgrader while grading (not committed)
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "rnn-from-scratch"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# A cell may run for this long before it is stopped and scored zero: the course's one time limit, the same as
# python -m rnnkit check's and the hardened grader's (rnnkit.TIME_LIMIT).
from rnnkit import TIME_LIMIT  # noqa: E402

c.Execute.timeout = TIME_LIMIT

# Students may delete a test cell: it is put back from the gradebook and run anyway.
c.OverwriteCells.add_missing_cells = True

# Feedback shows the messages of failed hidden tests, never their code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# A student opens their feedback page alone, from disk, maybe offline: nbgrader's page with the vendored MathJax
# inlined (no CDN) and each test cell named by its function (autograder/nbgrader_feedback.py, its template).
from autograder import nbgrader_feedback  # noqa: E402

c.HTMLExporter.template_name = nbgrader_feedback.TEMPLATE_NAME
c.HTMLExporter.template_file = nbgrader_feedback.TEMPLATE_FILE
c.HTMLExporter.extra_template_basedirs = nbgrader_feedback.template_dirs()
c.HTMLExporter.filters = {"vendored": "autograder.nbgrader_feedback.vendored"}

# Two kinds of warnings that nbgrader 0.9.6 prints for every submission and that say nothing about it:
# - "Attribute 'checksum' for cell test_... has changed!": the gradebook stores each test cell's checksum with its
#   hidden tests, the released cell has them cut out, so every test cell "changed" (nbgrader issue #1961);
#   autograde then puts the hidden tests back, which is how they run. Dropped for test cells (test_*) only: a
#   changed instruction or setup cell is still reported, and the hardened grader reports edits as "tampered".
# - SQLAlchemy's SAWarning "Object of type <SubmittedAssignment> not in session": nbgrader's gradebook code under
#   SQLAlchemy 2; the scores are written all the same (tests/test_nbgrader.py reads them back).
import logging  # noqa: E402
import warnings  # noqa: E402

from sqlalchemy.exc import SAWarning  # noqa: E402

warnings.filterwarnings("ignore", category=SAWarning)


def _not_a_hidden_test_checksum(record):
    """False for nbgrader's checksum warning about a test cell (its hidden tests were cut from the release)."""
    args = record.args if isinstance(record.args, tuple) else ()
    return not (len(args) == 4 and args[0] == "checksum" and str(args[1]).startswith("test_"))


_log = logging.getLogger("AutogradeApp")
if not any(getattr(f, "__name__", "") == _not_a_hidden_test_checksum.__name__ for f in _log.filters):
    _log.addFilter(_not_a_hidden_test_checksum)  # once, though nbgrader reads this file for each of its apps
