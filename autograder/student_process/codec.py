"""Plain values across the sandbox boundary: JSON lines, numeric arrays as raw bytes. No pickle.

Numbers, strings, None, lists, tuples, dicts with string keys and numeric numpy arrays (and numpy
scalars) are encoded; anything else becomes {"__object__": type name}, so the grader can say what a
student returned without ever running code from the student's process. Two markers stand for what
stays in the grader's process: a Lent, a function of the grader that the student's code may call
(grading.sandbox answers the calls), and a Handle, a value it keeps (the cache such a function returned).
"""

import base64
import json
from typing import NamedTuple

import numpy as np

ARRAY_KINDS = "fiub"  # float, int, unsigned, bool: nothing that could carry code


class Lent(NamedTuple):
    """Stands, in a request, for the grader's function number `key`, lent to the student's code."""

    key: int
    name: str = ""  # the function's name, such as "rnn_forward"
    params: tuple = ()  # its parameters' names: its stand-in takes the same arguments, so a wrong call fails alike


class Handle(NamedTuple):
    """Stands, in the student's process, for the value number `key` that the grader keeps."""

    key: int


def encode(value):
    """A JSON-ready form of value."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, Lent):
        return {"__lent__": value.key, "name": value.name, "params": list(value.params)}
    if isinstance(value, Handle):
        return {"__handle__": value.key}
    if isinstance(value, np.generic) and value.dtype.kind in ARRAY_KINDS:
        value = np.asarray(value)
    if isinstance(value, np.ndarray) and value.dtype.kind in ARRAY_KINDS:
        data = np.ascontiguousarray(value)
        return {"__array__": base64.b64encode(data.tobytes()).decode(), "dtype": data.dtype.str, "shape": data.shape}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {"__dict__": {k: encode(v) for k, v in value.items()}}
    return {"__object__": type(value).__name__}


class Opaque:
    """Stands for a value of a type the codec does not carry (a student's object)."""

    def __init__(self, type_name):
        self.type_name = type_name

    def __repr__(self):
        return f"<{self.type_name}>"


def decode(value):
    """The value encode() was given (arrays come back as new, writable arrays)."""
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__array__" in value:
        dtype = np.dtype(value["dtype"])
        if dtype.kind not in ARRAY_KINDS:
            return Opaque(f"array of {dtype}")
        raw = base64.b64decode(value["__array__"])
        return np.frombuffer(raw, dtype=dtype).reshape(value["shape"]).copy()
    if "__lent__" in value:
        return Lent(value["__lent__"], str(value.get("name", "")), tuple(map(str, value.get("params", ()))))
    if "__handle__" in value:
        return Handle(value["__handle__"])
    if "__tuple__" in value:
        return tuple(decode(v) for v in value["__tuple__"])
    if "__dict__" in value:
        return {k: decode(v) for k, v in value["__dict__"].items()}
    return Opaque(value.get("__object__", "object"))


def dumps(message):
    """One JSON line (newline included) holding message, encoded."""
    return json.dumps(encode(message), separators=(",", ":")) + "\n"


def loads(line):
    """The message of a JSON line written by dumps."""
    return decode(json.loads(line))
