"""GradingError: a failed check, as fields that code can read and a message that people read.

Both sides of hardened grading raise it: the student's process (a function missing, raising, returning
the wrong number of values) and the grader (a wrong value). Code decides on its fields only, `kind`,
`value` and `hints`, never on the words of its message, so rewording feedback changes no grade.
"""

KINDS = (
    "missing",  # the function is not defined
    "raised",  # the student's code raised an exception
    "returns",  # the function returned the wrong number or type of values
    "shape",  # a value has the wrong shape
    "dtype",  # a value is not float64
    "nonfinite",  # a value holds NaN or inf
    "modified",  # an argument was changed in place
    "aliased",  # an output is (a view of) an argument, not a new array
    "wrong",  # a value is wrong
    "sequential",  # a function that must work on all steps at once made more operations than a scan of them
    "unchecked",  # the check could not run on what the student's code returned
    "timeout",  # the student's process ran too long
    "crashed",  # the student's process died
)
STATUS_OF_KIND = {"raised": "error", "timeout": "timeout", "crashed": "crashed"}  # every other kind: "failed"


class GradingError(AssertionError):
    """A failed check. Notebooks show only its message: no traceback, no grader code.

    Inputs:
    - message: what is wrong, in words, without the hints
    - kind: one of KINDS
    - value: the name of the returned value found wrong (such as "dWh"); for "missing" the function not defined,
      for "raised" by a NameError the name the student's code did not find; or None
    - hints: guesses at the mistake behind it, each shown on a line "Hint: ..."
    - pattern: how a wrong array relates to the right one ("zeros", "transpose", "scaled"), or None
    """

    def __init__(self, message, kind="wrong", value=None, hints=(), pattern=None):
        if kind not in KINDS:
            raise ValueError(f"unknown kind of failure {kind!r}")
        self.message, self.kind, self.value = message, kind, value
        self.hints, self.pattern = tuple(h for h in hints if h), pattern
        super().__init__("\n".join([message, *(f"Hint: {h}" for h in self.hints)]))

    @property
    def status(self):
        """How the grade report files it: "failed", "error", "timeout" or "crashed"."""
        return STATUS_OF_KIND.get(self.kind, "failed")

    def with_hint(self, hint):
        """The same failure with one more hint (the same one when hint is empty)."""
        return GradingError(self.message, self.kind, self.value, (*self.hints, hint), self.pattern)

    def in_case(self, where):
        """The same failure, the first line of its message ending with the inputs it happened on: "lm_chunk_loss raised
        TypeError: ... (on the inputs RNN cell, N=3, T=1, V=7, D=4, H=5)"."""
        first, *rest = self.message.split("\n")
        message = "\n".join([f"{first} (on the inputs {where})", *rest])
        return GradingError(message, self.kind, self.value, self.hints, self.pattern)

    def with_first_hint(self, hint):
        """The same failure with hint before its other hints (a root cause, then what its own output shows)."""
        return GradingError(self.message, self.kind, self.value, (hint, *self.hints), self.pattern)

    def fields(self):
        """The fields as a dict of plain values, to send across the sandbox boundary."""
        return {"message": self.message, "kind": self.kind, "value": self.value, "hints": list(self.hints)}

    @classmethod
    def from_fields(cls, fields):
        """The GradingError that fields() described."""
        return cls(fields["message"], fields["kind"], fields.get("value"), tuple(fields.get("hints", ())))

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {line}" if i == 0 else line for i, line in enumerate(str(self).splitlines())]
