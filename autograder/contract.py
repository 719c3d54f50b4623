"""The exercise contract (../shared/exercise-contract.md) as data, under the name the course's documents give it.

The data lives in student_process/contract.py, in the folder the sandbox ships, because the student's process
needs it to call a student's functions and name what they return; add a graded function there (and on the
notation page). The grader's modules import it from here or from there: it is one dict.
"""

from autograder.student_process.contract import EXERCISES, Function  # noqa: F401 (the contract's public name)
