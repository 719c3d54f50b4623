"""Counting the element-wise operations a function makes along a sequence: how a scan is told from a loop.

A Python loop over the T steps of a sequence makes a few numpy operations per step, T times over; a parallel scan
(Hillis and Steele) makes a few per step of the scan, ceil(log2 T) times over. ``count_operations`` calls a function
on arrays that count, and returns what it returned and the number of operations made:

- every call of a numpy element-wise function (a ufunc: the operators ``+ - * / **``, ``np.multiply``, ``np.exp``,
  ``np.maximum``, the matrix product ``@``, a comparison, ...) that reads or writes an array computed from the
  arguments counts **1**, whatever the size of the arrays;
- a cumulative one (``np.cumsum``, ``np.cumprod``, ``ufunc.accumulate``) counts **one per entry of the axis it runs
  along**, since it walks that axis one entry after another (T along the time axis);
- reading a single number (``a[0, 3, 1]``) counts **1**, as the arithmetic on it is not seen;
- slicing, copies, ``np.concatenate``, ``np.flip``, ``np.empty_like``, reshapes count nothing, and what they return
  is counted on.

The arrays counted are those computed from the arguments, and from those, and so on; ``np.asarray`` and ``np.array``
make plain arrays that count nothing, so a function that converts its arguments with them makes no operation
counted at all (which the course's checks refuse): compute with the arrays as they are given (``a.copy()`` keeps them
counted). The exercise's rule is ``allowed_operations(T)``: at most PER_STEP operations per step of a scan of T
entries, and EXTRA more, for the work done once.
"""

import numpy as np

PER_STEP = 8  # operations allowed per step of the scan (a Hillis-Steele step makes 3)
EXTRA = 32  # operations allowed once, besides the steps (h0, the gates of minGRU, the gradients)


def scan_steps(T):
    """ceil(log2 T): the number of steps of a Hillis-Steele scan of T entries (0 for T = 1)."""
    return (int(T) - 1).bit_length()


def allowed_operations(T):
    """The most element-wise operations a function on a sequence of T steps may make: PER_STEP per step of a scan,
    and EXTRA."""
    return PER_STEP * scan_steps(T) + EXTRA


class Ledger:
    """The count of operations made on the arrays of one call."""

    def __init__(self):
        self.count = 0


class Counted(np.ndarray):
    """A float array that adds every element-wise operation made on it to its ledger (see the module's docstring)."""

    ledger = None

    def __array_finalize__(self, obj):
        self.ledger = getattr(obj, "ledger", None)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        ledger = self.ledger
        if method == "accumulate":
            axis = kwargs.get("axis", 0)
            ledger.count += int(np.shape(inputs[0])[axis]) if np.ndim(inputs[0]) else 1
        else:
            ledger.count += 1
        if out is not None:
            kwargs["out"] = tuple(plain(o) for o in out)
        result = getattr(ufunc, method)(*(plain(i) for i in inputs), **kwargs)
        if out is not None:
            return out[0] if len(out) == 1 else out
        return counted(result, ledger)

    def __getitem__(self, key):
        item = super().__getitem__(key)
        if not isinstance(item, np.ndarray) and self.ledger is not None:  # a single number
            self.ledger.count += 1
        return item

    def __array_function__(self, func, types, args, kwargs):
        return counted(super().__array_function__(func, types, args, kwargs), self.ledger)


def plain(value):
    """A Counted array as a plain numpy array (the same memory), or tuples and lists of them; anything else as is."""
    if isinstance(value, Counted):
        return value.view(np.ndarray)
    if isinstance(value, (tuple, list)):
        return type(value)(plain(v) for v in value)
    return value


def counted(value, ledger):
    """A float array (or the float arrays of a tuple or list) as Counted on ledger; anything else as is."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        array = value.view(Counted)
        array.ledger = ledger
        return array
    if isinstance(value, (tuple, list)):
        return type(value)(counted(v, ledger) for v in value)
    return value


def count_operations(function, *args):
    """Call function(*args) on arrays that count, and return (what it returned, the number of operations made).

    Inputs:
    - function: such as your parallel_scan
    - args: its arguments; the float arrays among them are counted (others are passed as they are)
    Returns a tuple of:
    - what function returned, its arrays plain numpy arrays again
    - the number of element-wise operations it made on arrays computed from its arguments (see the module)
    """
    ledger = Ledger()
    result = function(*counted(list(args), ledger))
    return plain(result), ledger.count
