"""Command line of the course's autograder package.

python -m autograder generate     write exercises/ from solutions/ (student notebooks)
python -m autograder check-generated
                                  exit 1 if exercises/ differs from what generate would write
python -m autograder grade [SUBMISSIONS --out RESULTS] [--workers N | --cluster tcp://HOST:PORT] [--timeout S]
                           [--force] [--gradebook DB] [--assignment NAME] [--canvas-assignment-id NAME=ID]
                                  hardened grading of a submitted/ folder or an LMS zip (no SUBMISSIONS:
                                  a demo class, into grading-demo/), in a local pool or on a Dask cluster
"""

import argparse
import sys
import tempfile
from pathlib import Path

from autograder.generate import generate, stale
from autograder.notebooks import EXERCISES_FOLDER, assignments
from rnnkit import TIME_LIMIT


def grade_command(args):
    """python -m autograder grade: grade the submissions (or the demo class); return the exit status."""
    from autograder.grading.grade_class import grade
    from autograder.grading.intake import IntakeError

    source, out = args.submissions, args.out
    if source is None:
        from autograder.grading.demo import write_demo_class

        source = write_demo_class(Path("grading-demo") / "submissions")
        out = out or "grading-demo/results"
        print(f"demo class written to {source}")
    if out is None:
        print("python -m autograder grade: --out RESULTS is required with SUBMISSIONS", file=sys.stderr)
        return 2
    canvas_ids = dict(pair.split("=", 1) for pair in args.canvas_assignment_id)
    try:
        grade(
            source,
            out,
            args.workers,
            args.timeout,
            args.force,
            args.gradebook,
            cluster=args.cluster,
            assignment=args.assignment,
            canvas_ids=canvas_ids,
            say=print,
        )
    except IntakeError as error:
        print(f"python -m autograder grade: {error}", file=sys.stderr)
        return 2
    print(f"written: {out}/grades.csv, totals.csv, intake.csv, changes.csv, feedback/, report.html")
    return 0


def canvas_pair(text):
    """argparse type of --canvas-assignment-id: NAME=ID."""
    name, _, number = text.partition("=")
    if name not in assignments() or not number.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r}: expected NAME=ID, NAME one of {', '.join(assignments())}")
    return text


def grade_parser(commands):
    """The arguments of python -m autograder grade, added to the subcommands."""
    grading = commands.add_parser("grade", help="grade submissions in sandboxes (no SUBMISSIONS: a demo class)")
    grading.add_argument("submissions", nargs="?", help="nbgrader submitted/ folder, or an LMS zip")
    grading.add_argument("--out", help="results folder (default: grading-demo/results for the demo)")
    grading.add_argument("--workers", type=int, default=2, help="notebooks graded at once (default 2)")
    grading.add_argument(
        "--timeout",
        type=float,
        default=TIME_LIMIT,
        help=f"seconds per cell and per call (default {TIME_LIMIT}, rnnkit.TIME_LIMIT: the students' check's)",
    )
    grading.add_argument("--force", action="store_true", help="grade again what is already graded")
    grading.add_argument("--gradebook", help="also write the scores into this nbgrader gradebook.db")
    grading.add_argument(
        "--cluster", metavar="tcp://HOST:PORT", help="grade on the workers of this Dask scheduler (not a local pool)"
    )
    grading.add_argument(
        "--assignment", choices=assignments(), help="the assignment of every notebook (an LMS download is one)"
    )
    grading.add_argument(
        "--canvas-assignment-id",
        metavar="NAME=ID",
        type=canvas_pair,
        action="append",
        default=[],
        help="the Canvas assignment id of NAME, for canvas_grades.csv's column (repeatable)",
    )


def main(argv=None):
    """Parse argv (default: the command line), run the command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate", help="write exercises/ from solutions/")
    commands.add_parser("check-generated", help="exit 1 if exercises/ is not what generate writes")
    grade_parser(commands)
    args = parser.parse_args(argv)

    if args.command == "grade":
        return grade_command(args)

    if args.command == "generate":
        for assignment in assignments():
            generate(assignment, EXERCISES_FOLDER)
            print(f"exercises/{assignment}/ written from solutions/{assignment}/")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        differences = stale(scratch)
    for assignment, name in differences:
        print(f"exercises/{assignment}/{name} differs from solutions/{assignment}: run python -m autograder generate")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
