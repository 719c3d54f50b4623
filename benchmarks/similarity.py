"""Time of the similarity check (autograder/grading/similarity.py) on a synthetic class, against tokenising alone.

STUDENTS students answer 10 functions (rnn_bptt's nine and gru_step_backward): each answer is, at random,
the cell as released (one in twelve), or one of the course's versions of the function (the solution, the
correct answer in another style, the mutants of tests/submissions/) with a few statements of its own put in
at random places, so that no two students are alike by chance; one student copies another. The baseline,
timed in the same run, is tokenising every answer once (similarity.normalised), the least any such check
does. Prints both times, their ratio, the whole report's time and where the planted copy ranks.

    .venv/bin/python benchmarks/similarity.py [STUDENTS]
"""

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from notebooks import alternative, answer_cells, mutants, solution_code, student_notebook  # noqa: E402

from autograder.grading import similarity  # noqa: E402

FUNCTIONS = {"rnn_bptt": None, "gru": ["gru_step_backward"]}  # assignment -> its functions used (None: all)
FILLERS = [
    "check = {a} * {b}",
    "assert {a} > 0, 'shape'",
    "scale = float({a}) / {b}",
    "steps = list(range({a}))",
    "if {a} > {b}:\n        pass",
    "eps = 1e-{a}",
    "for k in range({a}):\n        eps = eps * {b}",
    "total = sum(range({a})) + {b}",
    "debug = [{a}, {b}, None]",
    "while False:\n        break",
    "assert isinstance({a}, int)",
    "name = 'step {a}'",
]


def course_versions():
    """function -> (the released cell, [the course's versions of the function])."""
    released, versions = {}, {}
    for assignment, names in FUNCTIONS.items():
        cells = {n: c.source for n, c in answer_cells(student_notebook(assignment)).items()}
        for name in names or cells:
            released[name] = cells[name]
            versions[name] = [solution_code(assignment)[name]]
            versions[name] += [code[name] for code in [alternative(assignment)] if name in code]
            versions[name] += [m.code[name] for m in mutants(assignment).values() if name in m.code]
    return released, versions


def with_fillers(source, rng):
    """source with one to four statements put in after random top-level lines of its body."""
    lines = source.split("\n")
    body = [i for i, line in enumerate(lines) if line.startswith("    ") and not line.startswith("     ")][1:-1]
    for _ in range(rng.randint(1, 4)):
        if body:
            filler = rng.choice(FILLERS).format(a=rng.randint(2, 99), b=rng.randint(2, 99))
            lines.insert(rng.choice(body) + 1, "    " + filler)
    return "\n".join(lines)


def synthetic_class(count, seed=0):
    """(student -> {function -> answer cell}, released): count students, the last a copy of the first."""
    rng = random.Random(seed)
    released, versions = course_versions()
    codes = {}
    for s in range(count - 1):
        codes[f"student{s:03d}"] = {
            f: released[f] if rng.random() < 1 / 12 else with_fillers(rng.choice(versions[f]), rng) for f in released
        }
    codes[f"student{count - 1:03d}"] = dict(codes["student000"])
    return codes, released


def seconds(call):
    """The wall time of call() and its result."""
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def main(count=300):
    codes, released = synthetic_class(count)
    cells = [source for answers in codes.values() for source in answers.values()]
    tokenising, _ = seconds(lambda: [similarity.normalised(source) for source in cells])
    analysing, result = seconds(lambda: similarity.analyse(codes, released))
    with tempfile.TemporaryDirectory() as out:
        reporting, _ = seconds(lambda: similarity.similarity_report(Path(out), "synthetic", codes, released))
    ranked = similarity.ranked_pairs(result)
    names = result["students"]
    copy = next(r for r, (_, i, j) in enumerate(ranked, 1) if {names[i], names[j]} == {names[0], names[-1]})
    flagged = len(similarity.flagged_pairs(result))
    print(f"{count} students x {len(released)} functions = {len(cells)} answers, {result['pairs']} pairs")
    print(f"baseline, tokenising every answer once: {tokenising:.2f} s")
    print(f"analyse (fingerprints, scores, ranks):  {analysing:.2f} s = {analysing / tokenising:.1f} x the baseline")
    print(f"similarity_report (with both pages):    {reporting:.2f} s")
    print(f"the planted copy ranks {copy} of {len(ranked)}; {flagged} pair(s) flagged")


if __name__ == "__main__":
    main(*map(int, sys.argv[1:]))
