"""Showing the library's code in a chapter, so that the reader sees the code that runs, defined once."""

import inspect

from IPython.display import Markdown


def show(*functions):
    """The source of functions as one Python code block, for a cell tagged `markdown_format: myst`.

    Inputs:
    - functions: functions (or classes) of the library
    Returns:
    - an IPython Markdown object with a fenced code block
    """
    code = "\n\n".join(inspect.getsource(f).rstrip() for f in functions)
    return Markdown(f"```python\n{code}\n```")
