"""The course's checking and grading package.

- gradcheck: the numerical gradient checker students, hidden tests and the book use
- contract: names, arguments and outputs of the graded functions
- reference: the contract's forward computations, the grader's trusted reference
- checking: calling a student's functions and judging what they return
- hidden: the hidden checks of each assignment
- generate: exercises/ from solutions/ (python -m autograder generate)
"""
