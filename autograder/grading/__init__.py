"""Hardened grading (python -m autograder grade), one step per module, in the order a run takes them:

- intake: every file of nbgrader's submitted/ or an LMS download (Canvas, Moodle, zip) accounted for in
  intake.csv; which assignment each notebook is (by its cells), whose, and the one graded per student and
  assignment
- sandbox: the student's process, started under bubblewrap with limits, called across pipes
- grade_one: one notebook graded: its cells in the sandbox, its hidden checks (hidden.CHECKS) in this process
- causes: the failed cell behind a function that is not defined, named in the test's message and status
- pool, cluster: grade_one over the class, in local processes or as Dask tasks on a cluster's workers (peers)
- records: rows, one record per student and assignment for resuming, what a rerun changed, grades.csv,
  totals.csv and changes.csv
- pages, report: feedback pages and the class report
- similarity: pairs of students whose answers are unusually alike, for the class report
- lms: the grade files Canvas and Moodle import
- gradebook: the scores written into nbgrader's gradebook
- grade_class: the whole run, from intake to the results (python -m autograder grade calls it)
- demo: a small class to grade when no submissions are given
"""
