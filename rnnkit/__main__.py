"""Command line of rnnkit.

python -m rnnkit check NOTEBOOK.ipynb [--timeout S]
        run the notebook's visible tests headless and say, per function, passed or the test's message
        (hidden tests run only when the notebook is graded)
python -m rnnkit --version
"""

import argparse
import sys

import rnnkit
from rnnkit.check import check


def main(argv=None):
    """Parse argv (default: the command line), run the command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m rnnkit", description="The course's student package.")
    parser.add_argument("--version", action="version", version=f"rnnkit {rnnkit.__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    checking = commands.add_parser("check", help="run a notebook's visible tests before you submit it")
    checking.add_argument("notebook", help="the exercise notebook (.ipynb)")
    checking.add_argument(
        "--timeout",
        type=float,
        default=rnnkit.TIME_LIMIT,
        help=f"seconds per cell (default {rnnkit.TIME_LIMIT}, the limit when the notebook is graded)",
    )
    args = parser.parse_args(argv)
    return check(args.notebook, args.timeout)


if __name__ == "__main__":
    sys.exit(main())
