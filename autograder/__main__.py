"""Command line of the course's autograder package.

python -m autograder generate     write exercises/ from solutions/ (student notebooks)
python -m autograder check-generated
                                  exit 1 if exercises/ differs from what generate would write
"""

import argparse
import sys
import tempfile

from autograder.generate import EXERCISES, assignments, generate, stale


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("generate", help="write exercises/ from solutions/")
    commands.add_parser("check-generated", help="exit 1 if exercises/ is not what generate writes")
    args = parser.parse_args(argv)

    if args.command == "generate":
        for assignment in assignments():
            generate(assignment, EXERCISES)
            print(f"exercises/{assignment}/ written from solutions/{assignment}/")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        differences = stale(scratch)
    for assignment, name in differences:
        print(f"exercises/{assignment}/{name} differs from solutions/{assignment}: run python -m autograder generate")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
