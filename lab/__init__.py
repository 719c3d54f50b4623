"""The experiments' library of the book: what the chapters import instead of copying.

The chapters keep the code that teaches (an equation and its few lines of numpy); the machinery of the
experiments lives here, once, with tests of its own (`tests/test_lab.py`):

- `lab.functions`: the sigmoid and the cross-entropy of one example, as the chapters write them;
- `lab.tables`: MyST tables from rows, and smoothing of training curves;
"""
