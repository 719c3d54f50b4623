"""Tables and curves as the chapters show them."""

import numpy as np
from IPython.display import Markdown


def markdown_table(header, rows):
    """A table in MyST markdown, for a cell tagged `markdown_format: myst`.

    Inputs:
    - header: list of C column titles (strings, MyST allowed)
    - rows: list of rows, each a list of C strings
    Returns:
    - an IPython Markdown object
    """
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return Markdown("\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows]))


def smooth(curve, width=25):
    """Moving average over `width` consecutive entries of each column ("valid" mode: no padding).

    Inputs:
    - curve: array of shape (U,) or (U, R), e.g. a score per update and run
    - width: the length of the window, at most U
    Returns:
    - array of shape (U - width + 1,) or (U - width + 1, R)
    """
    kernel = np.ones(width) / width
    return np.apply_along_axis(lambda c: np.convolve(c, kernel, mode="valid"), 0, np.asarray(curve, float))
