"""What runs in the student's process, and nothing else: the sandbox (grading.sandbox) ships exactly this folder,
under the package's autograder/__init__.py, with rnnkit's gradient checker and the contract (tests/test_layout.py
checks both ways).

- worker: the sandboxed process's main loop: run the notebook's cells, answer the grader's calls
- calls: calling a student's functions by name, reporting what they returned and changed (InKernel, Call); also
  what nbgrader's hidden test cells use, in the student's kernel
- failure: GradingError, a failed check as fields (kind, value, hints) and a message
- codec: plain values across the sandbox boundary (JSON lines, no pickle)

The contract (names, arguments, outputs, shapes of the graded functions) is the student package's, rnnkit.contract.
The grader imports these too (GradingError, the codec); nothing here imports the grader.
"""
