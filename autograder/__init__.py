"""The course's checking and grading package.

What runs in the student's process (the sandbox ships exactly these, see grading.sandbox.PUBLIC_MODULES,
and of the student package rnnkit/ the gradient checker the notebooks import, STUDENT_MODULES):
- contract: names, arguments and outputs of the graded functions
- failure: GradingError, a failed check as fields (kind, value, hints) and a message
- student: calling a student's functions by name, reporting what they returned and changed (InKernel, Run)
- codec: plain values across the sandbox boundary (JSON lines, no pickle)
- worker: the sandboxed process's main loop: run the notebook's cells, answer the grader's calls

What runs in the grader only:
- gradcheck: the student package's gradient checker (rnnkit.gradcheck), re-exported for the judge and hints
- judge: verdicts on what a student's function returned (expect_*), numerical gradients cached
- reference: the contract's forward computations, the grader's trusted reference
- hidden: the hidden checks, common.py their shared skeleton and one short module per assignment; cells.py
  the RNN and GRU cells lent to a student's lm_chunk_loss (in the sandbox, stand-ins whose calls the grader answers)
- diagnose: the hints, which known mistake explains a wrong output, one module per assignment
- grading: the hardened grader (python -m autograder grade)
- generate: exercises/ from solutions/ (python -m autograder generate)
- nbgrader_config: nbgrader's settings for this course
"""
