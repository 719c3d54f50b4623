"""nbgrader reads this file from the course root; the course's settings live in autograder/."""

c = get_config()  # noqa: F821 (provided by traitlets)
load_subconfig("autograder/nbgrader_config.py")  # noqa: F821
