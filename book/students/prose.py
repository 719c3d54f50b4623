"""Passages for instructors only: in a chapter's markdown, between two HTML comments, dropped for students.

    The claims hold with a margin<!-- instructors --> (`benchmarks/claim_margins.py`)<!-- /instructors -->.

The instructors' site renders the passage (the comments show nothing); the students' site has neither.
"""

import re

INSTRUCTORS, END_INSTRUCTORS = "<!-- instructors -->", "<!-- /instructors -->"
PASSAGE = re.compile(re.escape(INSTRUCTORS) + r".*?" + re.escape(END_INSTRUCTORS), re.S)


def for_students(text, where="the text"):
    """text without its passages for instructors; a marker left unpaired is an error (it names where)."""
    kept = PASSAGE.sub("", text)
    if INSTRUCTORS in kept or END_INSTRUCTORS in kept:
        raise ValueError(f"{where}: {INSTRUCTORS} and {END_INSTRUCTORS} do not pair up")
    return kept
