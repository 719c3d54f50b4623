"""Hidden checks, one module per assignment, named like the assignment (solutions/<assignment>/).

``common`` holds what every check is made of. Each assignment's module gives its hidden inputs and
CHECKS (function name -> check), and check(name, namespace), which the hidden test cells of the
assignment's notebook call. Nothing here is shown to students or shipped into the sandbox.
"""
