"""Hardened grading (python -m autograder grade), one step per module, in the order a run takes them:

- intake: every file of nbgrader's submitted/ or an LMS download (Canvas, Moodle, zip) accounted for in
  intake.csv; which assignment each notebook is (by its cells), whose, and the one graded per student and
  assignment
- notebooks: the one reader of the course's notebooks and their nbgrader metadata (also used by
  generate, the tests, the benchmarks and the book)
- sandbox: the student's process, started under bubblewrap with limits, called across pipes
- run: grading each notebook (its hidden checks, in this process) and the whole class
- causes: the failed cell behind a function that is not defined, named in the test's message and status
- cluster: the same grading as Dask tasks on a cluster's workers
- records: rows, one record per student and assignment for resuming, what a rerun changed, grades.csv,
  totals.csv and changes.csv
- report: feedback pages and the class report
- similarity: pairs of students whose answers are unusually alike, for the class report
- lms: the grade files Canvas and Moodle import
- gradebook: the scores written into nbgrader's gradebook
- demo: a small class to grade when no submissions are given
"""
