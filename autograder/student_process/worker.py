"""The untrusted side of hardened grading: runs inside the sandbox, in the student's process.

It runs the notebook's code cells one by one (an error in one cell does not stop the next), then
answers the grader's calls: "call function f on these arrays (and its backward on these upstream
gradients)". Requests and replies travel on two pipes whose file descriptors are given on the
command line, one JSON line each (see autograder.student_process.codec). Nothing it says is trusted: the grader
judges the returned values itself. A function the grader lends as an argument (a codec.Lent, such as
the cell given to lm_chunk_loss) becomes a stand-in here: calling it sends the arguments to the grader,
which calls its own function and answers with the result, or the error it raised, on the same pipes.

    python -m autograder.student_process.worker program.json REQUESTS_FD REPLIES_FD
"""

import builtins
import contextlib
import json
import keyword
import linecache
import os
import sys
import traceback

from autograder.student_process.calls import InKernel
from autograder.student_process.codec import Lent, dumps, loads
from autograder.student_process.failure import GradingError


def python_source(source):
    """Cell source with IPython syntax (magics) turned into Python, where IPython is available."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    return TransformerManager().transform_cell(source)


def error_line(caught):
    """An exception a cell raised, in one line: its type and message, and the line of the cell where it was raised
    ("SyntaxError: expected ':' (line 3)")."""
    if isinstance(caught, SyntaxError):
        return f"{type(caught).__name__}: {caught.msg} (line {caught.lineno})"
    frames = [f for f in traceback.extract_tb(caught.__traceback__) if f.filename.startswith("<cell ")]
    where = f" (line {frames[-1].lineno})" if frames else ""
    kind = next(k for k in type(caught).__mro__ if not k.__name__.startswith("_"))  # numpy's _ArrayMemoryError
    message = " ".join(f"{kind.__name__}: {caught}".split())
    return message[:1000] + where


def run_announced(cells, namespace, replies):
    """Run the notebook's code cells in namespace, one by one; an error in one cell does not stop the next.

    Each cell is announced on replies before it runs and reported after, so that the grader knows which
    cell hung or crashed the process.
    """
    for cell in cells:
        replies.write(dumps({"event": "cell", "id": cell["id"]}))
        try:
            source, filename = python_source(cell["source"]), f"<cell {cell['id']}>"
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # lines in tracebacks
            exec(compile(source, filename, "exec"), namespace)
            error = None
        except BaseException as caught:  # SystemExit and KeyboardInterrupt included: keep grading
            error = error_line(caught)
        replies.write(dumps({"event": "done", "id": cell["id"], "error": error}))


def raised_by_the_grader(error):
    """The exception a lent function's error reply {"type", "message"} stands for: a builtin exception of that
    name (ValueError, as the function raised it in the grader), else a RuntimeError."""
    kind = getattr(builtins, str(error.get("type")), None)
    if not (isinstance(kind, type) and issubclass(kind, Exception)):
        kind = RuntimeError
    return kind(error.get("message", ""))


def stand_in(lent, requests, replies):
    """The function that stands for the grader's lent function here: each call is a request to the grader. It has
    the lent function's name and parameters, so that a call with the wrong arguments raises the TypeError the function
    itself would ("rnn_forward() missing 2 required positional arguments: 'Wh' and 'b'")."""

    def call(*args):
        replies.write(dumps({"event": "call", "lent": lent.key, "args": list(args)}))
        reply = loads(requests.readline())
        if "error" in reply:
            raise raised_by_the_grader(reply["error"])
        return reply["result"]

    names = (lent.name, *lent.params)
    if not all(n.isidentifier() and not keyword.iskeyword(n) for n in names) or "_call" in names:
        return call
    params = ", ".join(lent.params)
    namespace = {"_call": call}
    exec(f"def {lent.name}({params}):\n    return _call({params})\n", namespace)  # the grader's names only
    return namespace[lent.name]


def answer(student, request, requests=None, replies=None):
    """The reply to one request: the Call's values, or the fields of the GradingError the call ended with.

    requests, replies: the pipes, over which the stand-ins of lent functions call the grader.
    """
    try:
        args = [stand_in(a, requests, replies) if isinstance(a, Lent) else a for a in request["args"]]
        run = student.run(
            request["name"], args, request.get("backward"), request.get("douts", ()), request.get("count")
        )
        return {
            "outputs": run.outputs,
            "grads": run.grads,
            "modified": run.modified,
            "aliased": run.aliased,
            "operations": run.operations,
        }
    except GradingError as failure:
        return {"failure": failure.fields()}
    except BaseException as caught:
        message = f"{request['name']} could not be run: {type(caught).__name__}: {caught}"
        return {"failure": GradingError(message, "raised").fields()}


def main():
    """Run the program named on the command line, then answer requests until the grader closes the pipe.

    The student's prints are read by nobody: they go to os.devnull, so that printing 100 MB costs nothing.
    """
    with open(sys.argv[1]) as handle:
        program = json.load(handle)
    requests = os.fdopen(int(sys.argv[2]), "r")
    replies = os.fdopen(int(sys.argv[3]), "w", buffering=1)
    with open(os.devnull, "w") as dropped, contextlib.redirect_stdout(dropped), contextlib.redirect_stderr(dropped):
        namespace = {"__name__": "__main__"}
        run_announced(program["cells"], namespace, replies)
        replies.write(dumps({"event": "ready"}))
        student = InKernel(namespace, program["exercise"])
        for line in iter(requests.readline, ""):
            replies.write(dumps(answer(student, loads(line), requests, replies)))


if __name__ == "__main__":
    main()
