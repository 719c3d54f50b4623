"""The course's gradient checker, for the grader's side: the student package's, rnnkit.gradcheck.

One checker for students, the book and the hidden checks: this module only re-exports it, so that
the judge, the hints and the tests keep importing it under the instructors' package.
"""

from rnnkit.gradcheck import (
    FULL_CHECK_MAX_SIZE,
    array_problem,
    check_layer,
    check_loss,
    checked,
    directional_derivative,
    gradient_error,
    numerical_gradient,
    rel_error,
    report,
)

__all__ = [
    "FULL_CHECK_MAX_SIZE",
    "array_problem",
    "checked",
    "check_layer",
    "check_loss",
    "directional_derivative",
    "gradient_error",
    "numerical_gradient",
    "rel_error",
    "report",
]
