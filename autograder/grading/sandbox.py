"""The student's process, seen from the trusted grader: started in a sandbox, called, killed.

With bubblewrap (Debian's `bubblewrap`, /usr/bin/bwrap) the student's code runs with no network,
its own process tree, a small fresh /tmp and working folder (in memory, 64 MiB each), read-only
system folders, and of the course only what the student's process runs: the folder autograder/student_process/
(the worker and what it imports, under the package's empty autograder/__init__.py) and of the student package
what the notebooks import (STUDENT_MODULES: the gradient checker, the contract, the operation counter). solutions/,
hidden tests, hints, the reference, other students' folders and the gradebook are simply absent. Without bubblewrap
it runs as a plain child process in a scratch folder: the limits below still hold, and verdicts still come from the
grader's own process, but the student's code could read any file this user can read.

Limits on every student process: CPU time, address space (memory), size of any file written, number
of open files; wall time per cell and per call. What the student's code prints is dropped.

A function that a check passes as an argument (the cell a language model runs) is lent, never sent: the
student's process gets a stand-in (codec.Lent, worker.stand_in) whose calls come back here, where the
function runs on the decoded arrays, within the call's wall time and limits on size and number; what it
returns that is not an array (a cache) stays here too, and the student's process holds a codec.Handle.
"""

import inspect
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from autograder.student_process.calls import Call
from autograder.student_process.codec import Handle, Lent, dumps, loads
from autograder.student_process.failure import GradingError
from rnnkit.contract import EXERCISES

PACKAGE = Path(__file__).resolve().parent.parent
STUDENT_PROCESS = PACKAGE / "student_process"  # what runs in the student's process, shipped whole, nothing else
STUDENT_PACKAGE = PACKAGE.parent / "rnnkit"
STUDENT_MODULES = ("__init__.py", "contract.py", "gradcheck.py", "steps.py")  # of the student package: what the
# notebooks and the student's process import
MEMORY_BYTES = 2 * 1024**3
FILE_BYTES = 16 * 1024**2
TMP_BYTES = 64 * 1024**2
CPU_SECONDS = 300
REPLY_BYTES = 64 * 1024**2
LENT_CALLS = 1000  # calls of lent functions per call of the student's function
LENT_ENTRIES = 100_000  # array entries in the arguments of one call of a lent function
KEPT = 1000  # values kept for the student's process (caches of lent functions), the oldest dropped first
BWRAP = shutil.which("bwrap")
ETC_FILES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives", "nsswitch.conf")


def lent_of(key, function):
    """The Lent that stands for function number key in a request: its name and, when they are all plain positional
    parameters, their names (its stand-in in the student's process then takes exactly those)."""
    params = inspect.signature(function).parameters.values()
    plain = all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is p.empty for p in params)
    return Lent(key, function.__name__, tuple(p.name for p in params) if plain else ())


def shipped():
    """(source file, its path in the student's process's folder) of every file the sandbox ships: the package's
    __init__.py, every module of autograder/student_process/, and rnnkit's STUDENT_MODULES."""
    files = [(PACKAGE / "__init__.py", Path(PACKAGE.name, "__init__.py"))]
    files += [(p, Path(PACKAGE.name, STUDENT_PROCESS.name, p.name)) for p in sorted(STUDENT_PROCESS.glob("*.py"))]
    return files + [(STUDENT_PACKAGE / n, Path(STUDENT_PACKAGE.name, n)) for n in STUDENT_MODULES]


def public_package(folder):
    """Copy what a student's process may see (shipped) into folder; return folder."""
    for source, target in shipped():
        (Path(folder) / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, Path(folder) / target)
    return Path(folder)


def _limit():
    """In the child, before exec: resource limits, and a write past the file limit fails instead of killing."""
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_BYTES, FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def system_binds():
    """bwrap's arguments for the system's part of the sandbox: in-memory /tmp and /submission, read-only /usr,
    the few files of /etc the dynamic linker and Python need, and Python's installation."""
    prefixes = {sys.base_prefix, sys.prefix}
    # The in-memory folders first: a Python installed under /tmp is bound on top of them, not hidden.
    binds = ["--size", str(TMP_BYTES), "--tmpfs", "/tmp", "--size", str(TMP_BYTES), "--tmpfs", "/submission"]
    binds += ["--ro-bind", "/usr", "/usr"]
    for name in ETC_FILES:  # of /etc only what the dynamic linker and Python need: no passwords, no keys
        binds += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for link in ("/bin", "/lib", "/lib64", "/sbin"):
        if os.path.islink(link):
            binds += ["--symlink", os.readlink(link), link]
        elif os.path.isdir(link):
            binds += ["--ro-bind", link, link]
    for prefix in sorted(prefixes):
        binds += ["--ro-bind", prefix, prefix]
    return binds


def command(workdir, public, fds):
    """The command line that runs the worker on workdir/program.json, sandboxed where bwrap exists.

    Returns the argument list and the working directory to start it in (None inside bwrap).
    """
    worker = [sys.executable, "-m", "autograder.student_process.worker", "program.json", *map(str, fds)]
    if not BWRAP:
        return worker, str(workdir)
    sandbox = [
        BWRAP,
        "--unshare-all",
        "--die-with-parent",
        "--new-session",
        *system_binds(),
        "--ro-bind",
        str(public),
        "/opt/course",
        "--ro-bind",
        str(Path(workdir) / "program.json"),
        "/submission/program.json",
        "--chdir",
        "/submission",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
    ]
    return sandbox + worker, None


def environment(public):
    """The environment variables of the student's process: no user's settings, one BLAS thread, a headless
    matplotlib, and the course's public modules on PYTHONPATH."""
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": "/opt/course" if BWRAP else str(public),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MPLBACKEND": "Agg",
        "MPLCONFIGDIR": "/tmp",
        "HOME": "/tmp",
        "NBGRADER_EXECUTION": "autograde",  # as under nbgrader: notebooks skip optional long cells
    }


def signal_name(number):
    """The name of a signal ("SIGSEGV"), or its number in words when it has none."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


class Sandboxed:
    """A student's functions in their own sandboxed process, called by name (like student.InKernel).

    Cells that crash the process or run past the timeout are left out and the process restarted, so
    the rest of the notebook is still graded. A call that crashes or times out raises GradingError
    with status "crashed" or "timeout", and the next call starts a fresh process.
    """

    def __init__(self, cells, exercise, workdir, public, timeout):
        self.cells = cells  # list of {"id", "source"}
        self.exercise = exercise
        self.contract = EXERCISES[exercise]
        self.workdir = Path(workdir)
        self.public = public
        self.timeout = timeout
        self.skipped = {}  # cell id -> why it was left out
        self.errors = {}  # cell id -> the exception it raised
        self.left_out = {}  # cell id -> ("timeout" or "crashed", what happened in words), for grading.causes
        self.output = ""  # why the process could not start, when it could not
        self.process = None
        self.buffer = b""
        self.kept = {}  # key -> a value a lent function returned, that the student's process holds a Handle of
        self.kept_count = 0

    def _spawn(self):
        program = {"exercise": self.exercise, "cells": [c for c in self.cells if c["id"] not in self.skipped]}
        (self.workdir / "program.json").write_text(json.dumps(program))
        requests_read, requests_write = os.pipe()
        replies_read, replies_write = os.pipe()
        argv, cwd = command(self.workdir, self.public, (requests_read, replies_write))
        with open(self.workdir / ".output", "ab") as out:
            self.process = subprocess.Popen(
                argv,
                cwd=cwd,
                env=environment(self.public),
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                pass_fds=(requests_read, replies_write),
                preexec_fn=_limit,
                start_new_session=True,
            )
        os.close(requests_read)
        os.close(replies_write)
        self.requests = os.fdopen(requests_write, "w", buffering=1)
        self.replies = replies_read
        self.buffer = b""

    def _read(self, deadline):
        """The next reply line, or "timeout" / "crashed"."""
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([self.replies], [], [], left)
            if not ready:
                return "timeout"
            chunk = os.read(self.replies, 1 << 20)
            if not chunk:
                return "crashed"
            self.buffer += chunk
            if len(self.buffer) > REPLY_BYTES:
                return "crashed"
        line, self.buffer = self.buffer.split(b"\n", 1)
        return loads(line.decode())

    def kill(self):
        """End the student's process and its children, if it runs."""
        if self.process and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if self.process:
            self.process.wait()
            try:
                self.requests.close()
            except OSError:  # unsent data to a dead process
                pass
            os.close(self.replies)
        self.process = None

    def _why(self):
        """What ended the process: its exit status, in words."""
        code = self.process.wait()
        if code < 0 or (BWRAP and code > 128):  # bwrap reports a signal as 128 + its number
            return f"was killed by signal {signal_name(-code if code < 0 else code - 128)}"
        return f"exited with status {code}"

    def start(self):
        """Run the cells in a fresh process; leave out a cell that crashes or hangs and start again.

        Returns:
        - True when the process is ready for calls, False when it could not start (self.output says why)
        """
        while True:
            self.kill()
            self._spawn()
            current = None
            while True:
                event = self._read(time.monotonic() + self.timeout)
                if isinstance(event, str):
                    if current is None:  # the process died before running any cell: nothing to leave out
                        log = (self.workdir / ".output").read_text(errors="replace")[-2000:]
                        self.output = f"the student's process could not start ({event}): {log}".strip()
                        self.kill()
                        return False
                    why = f"ran longer than {self.timeout:g} s" if event == "timeout" else self._why()
                    self.skipped[current] = f"the process {why} while running this cell; it was left out"
                    ended = why if event == "timeout" else f"ended the student's process (it {why})"
                    self.left_out[current] = ("timeout" if event == "timeout" else "crashed", ended)
                    break
                if event["event"] == "cell":
                    current = event["id"]
                elif event["event"] == "done":
                    current = None
                    if event["error"]:
                        self.errors[event["id"]] = event["error"]
                else:  # "ready"
                    return True

    def run(self, name, args, backward=None, douts=(), count=False):
        """Like student.InKernel.run, across the sandbox boundary; a GradingError when the call fails.

        Inputs:
        - name, args, backward, douts, count: as for InKernel.run (the operations are counted in the student's
          process, by rnnkit.steps)
        Returns:
        - a Call, of plain values decoded in this process
        """
        if self.process is None and not self.start():
            raise GradingError(f"{name}: {self.output}", "crashed")
        lent = [a for a in args if callable(a)]
        sent = [lent_of(lent.index(a), a) if callable(a) else a for a in args]
        try:
            request = {"name": name, "args": sent, "backward": backward, "douts": list(douts), "count": count}
            self.requests.write(dumps(request))
            reply = self._reply(lent, time.monotonic() + self.timeout)
        except OSError:  # the process closed its end: it died
            reply = "crashed"
        if isinstance(reply, str):
            limits = {
                "timeout": f"ran longer than {self.timeout:g} s",
                "calls": f"called the functions lent to it {LENT_CALLS} times",
            }
            why = limits[reply] if reply in limits else self._why()
            self.kill()
            called = f"{name} then {backward}" if backward else name
            raise GradingError(
                f"{called}: the student's process {why}.", "crashed" if reply == "crashed" else "timeout"
            )
        if "failure" in reply:
            raise GradingError.from_fields(reply["failure"])
        operations = tuple(n for n in reply.get("operations", ()) if isinstance(n, int))
        return Call(
            tuple(reply["outputs"]),
            tuple(reply["grads"]),
            tuple(reply["modified"]),
            tuple(reply["aliased"]),
            operations,
        )

    def _reply(self, lent, deadline):
        """The reply to a request, answering the calls of lent functions that come before it; or "timeout",
        "crashed", or "calls" (more than LENT_CALLS calls of lent functions)."""
        for _ in range(LENT_CALLS):
            reply = self._read(deadline)
            if not (isinstance(reply, dict) and reply.get("event") == "call"):
                return reply
            self.requests.write(dumps(self._lent_call(lent, reply.get("lent"), reply.get("args"))))
        return "calls"

    def _lent_call(self, lent, key, args):
        """The answer to a call of the lent function number key: {"result": ...} or {"error": {type, message}}."""

        def error(kind, message):
            return {"error": {"type": kind, "message": message}}

        if not (isinstance(key, int) and 0 <= key < len(lent) and isinstance(args, list)):
            return error("TypeError", "not a call of a function given to you")
        if not all(isinstance(a, (np.ndarray, Handle, bool, int, float)) for a in args):
            return error(
                "TypeError", "the arguments must be numpy arrays (and the cache the forward function returned)"
            )
        if sum(np.size(a) for a in args if isinstance(a, np.ndarray)) > LENT_ENTRIES:
            return error("ValueError", f"arrays of more than {LENT_ENTRIES} entries in all")
        unknown = [a for a in args if isinstance(a, Handle) and not (isinstance(a.key, int) and a.key in self.kept)]
        if unknown:
            return error("ValueError", "unknown cache: pass the cache that the forward function returned")
        try:
            result = lent[key](*[self.kept[a.key] if isinstance(a, Handle) else a for a in args])
        except Exception as caught:
            return error(type(caught).__name__, str(caught))
        return {"result": tuple(self._keep(v) for v in result) if isinstance(result, tuple) else self._keep(result)}

    def _keep(self, value):
        """value itself when it can cross to the student's process (an array, a number), else a Handle of it."""
        if isinstance(value, (np.ndarray, np.generic, bool, int, float, str)) or value is None:
            return value
        self.kept_count += 1
        self.kept[self.kept_count] = value
        while len(self.kept) > KEPT:
            del self.kept[next(iter(self.kept))]
        return Handle(self.kept_count)
