"""The course's checking and grading package, in layers (tests/test_layout.py: no import upward, none in a circle).

- student_process/: what runs in the student's process, and nothing else (the sandbox ships exactly this folder):
  the worker, calling a student's functions (calls), GradingError (failure), the codec
- contract: the exercise contract, re-exported from the student package (rnnkit.contract), where its one copy is
- gradcheck: the student package's gradient checker (rnnkit.gradcheck), re-exported for the judge and hints
- notebooks: the one reader of the course's notebooks and their nbgrader metadata (generate, grading, the tests,
  the benchmarks and the instructors' page use it)
- reference: the contract's forward computations, the grader's trusted reference
- patterns: how a wrong array relates to the right one (zeros, a transpose, a scale), for the judge and the hints
- judge: verdicts on what a student's function returned (expect_*), numerical gradients cached
- diagnose: the hints, which known mistake explains a wrong output, one module per assignment
- hidden: the hidden checks, one module per assignment, found through hidden.CHECKS; common.py their skeleton,
  cells.py the RNN and GRU cells lent to a student's lm_chunk_loss
- generate: exercises/ from solutions/ (python -m autograder generate)
- grading: the hardened grader (python -m autograder grade), one step per module
- nbgrader_config: nbgrader's settings for this course
- nbgrader_feedback: nbgrader's feedback page for this course (its template in feedback_template/): MathJax
  inlined, each test cell named by its function

This file holds no code: the sandbox ships it as the package of student_process/.
"""
