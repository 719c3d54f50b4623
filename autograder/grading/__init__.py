"""Hardened grading (python -m autograder grade), one step per module, in the order a run takes them:

- submissions: the notebooks to grade, in nbgrader's submitted/ or an LMS export (Canvas, Moodle, zip)
- notebooks: the one reader of the course's notebooks and their nbgrader metadata (also used by
  generate, the tests, the benchmarks and the book)
- sandbox: the student's process, started under bubblewrap with limits, called across pipes
- run: grading each notebook (its hidden checks, in this process) and the whole class
- records: rows, one record per notebook for resuming, grades.csv and totals.csv
- report: feedback pages and the class report
- gradebook: the scores written into nbgrader's gradebook
- demo: a small class to grade when no submissions are given
"""
