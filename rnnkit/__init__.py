"""rnnkit: what the notebooks of "Recurrent networks from scratch" import, and a check before you submit.

- gradcheck: the course's numerical gradient checker (check_layer, check_loss, report, rel_error, ...), and checked,
  which checks what a function of yours returns against the exercise contract (rnnkit.contract)
- contract: every graded function's arguments and returned values, with their shapes, as the graders read them
- steps: count_operations, which counts the element-wise operations a function makes along a sequence (a scan makes
  about log2 T, a loop T), and allowed_operations(T), the rule the linear recurrences' exercise checks
- text: the text of the language model of the last exercise, Shakespeare's sonnets (rnnkit.text.load_sonnets)
- python -m rnnkit check NOTEBOOK.ipynb: run a notebook's visible tests (rnnkit.check)

Its version is the course's: the notebooks of one edition of the course name the wheel of that edition.
"""

from rnnkit.gradcheck import (
    check_layer,
    check_loss,
    checked,
    directional_derivative,
    gradient_error,
    numerical_gradient,
    rel_error,
    report,
)
from rnnkit.steps import allowed_operations, count_operations

__version__ = "2026.12"
WHEEL = f"rnnkit-{__version__}-py3-none-any.whl"  # the file name of this version's wheel
# Seconds each cell may run, and each call of a graded function, when a notebook is checked here and when it is
# graded (nbgrader's Execute.timeout and the hardened grader's --timeout are this number): what passes the
# check in time is graded in time. The notebooks say it.
TIME_LIMIT = 30

__all__ = [
    "TIME_LIMIT",
    "WHEEL",
    "__version__",
    "allowed_operations",
    "check_layer",
    "check_loss",
    "checked",
    "count_operations",
    "directional_derivative",
    "gradient_error",
    "numerical_gradient",
    "rel_error",
    "report",
]
