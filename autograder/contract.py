"""The exercise contract (../shared/exercise-contract.md) as data, under the name the course's documents give it.

Its one copy is the student package's, rnnkit/contract.py: the notebooks' visible tests and rnnkit's gradient
checker read it there, the sandbox ships it into the student's process, and the graders read it from there too, so
every tool names a wrong output in the same words. Add a graded function there (and on the notation page).
"""

from rnnkit.contract import EXERCISES, FUNCTIONS, Function, outputs_problem  # noqa: F401 (the contract's public name)
