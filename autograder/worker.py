"""The untrusted side of hardened grading: runs inside the sandbox, in the student's process.

It runs the notebook's code cells one by one (an error in one cell does not stop the next), then
answers the grader's calls: "call function f on these arrays (and its backward on these upstream
gradients)". Requests and replies travel on two pipes whose file descriptors are given on the
command line, one JSON line each (see autograder.codec). Nothing it says is trusted: the grader
judges the returned values itself.

    python -m autograder.worker program.json REQUESTS_FD REPLIES_FD
"""

import io
import json
import os
import sys
import traceback

from autograder.checking import GradingError, InKernel
from autograder.codec import dumps, loads

OUTPUT_LIMIT = 64_000  # characters of a student's printed output kept, the rest dropped


class Bounded(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_LIMIT characters written to it and drops the rest."""

    def __init__(self):
        self.parts, self.size = [], 0

    def writable(self):
        return True

    def write(self, text):
        if self.size < OUTPUT_LIMIT:
            self.parts.append(text[: OUTPUT_LIMIT - self.size])
        self.size += len(text)
        return len(text)

    def getvalue(self):
        return "".join(self.parts)


def python_source(source):
    """Cell source with IPython syntax (magics) turned into Python, where IPython is available."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return source
    return TransformerManager().transform_cell(source)


def main():
    program = json.loads(open(sys.argv[1]).read())
    requests = os.fdopen(int(sys.argv[2]), "r")
    replies = os.fdopen(int(sys.argv[3]), "w", buffering=1)
    sys.stdout = sys.stderr = output = Bounded()
    namespace = {"__name__": "__main__"}
    for cell in program["cells"]:
        replies.write(dumps({"event": "cell", "id": cell["id"]}))
        try:
            exec(compile(python_source(cell["source"]), f"<cell {cell['id']}>", "exec"), namespace)
            error = None
        except BaseException as caught:  # SystemExit and KeyboardInterrupt included: keep grading
            error = "".join(traceback.format_exception_only(type(caught), caught)).strip()
        replies.write(dumps({"event": "done", "id": cell["id"], "error": error}))
    replies.write(dumps({"event": "ready", "output": output.getvalue()}))

    student = InKernel(namespace, program["exercise"])
    for line in requests:
        request = loads(line)
        try:
            run = student.run(request["name"], request["args"], request.get("backward"), request.get("douts", ()))
            reply = {"outputs": run.outputs, "grads": run.grads, "modified": run.modified, "aliased": run.aliased}
        except GradingError as failure:
            reply = {"error": str(failure), "status": failure.status}
        except BaseException as caught:
            message = f"{request['name']} could not be run: {type(caught).__name__}: {caught}"
            reply = {"error": message, "status": "error"}
        replies.write(dumps(reply))


if __name__ == "__main__":
    main()
