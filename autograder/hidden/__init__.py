"""Hidden checks, one module per assignment, named like the assignment (solutions/<assignment>/).

Each module defines CHECKS (function name -> check) and check(name, namespace), which the hidden
test cells of the assignment's notebook call. Nothing here is shown to students.
"""
