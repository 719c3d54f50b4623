"""Margins of the chapters' asserted claims about training, under other seeds and other BLAS kernels.

Each chapter asserts its claims (lab/claims.py) on the run of the book's seed. Training amplifies the
last-bit differences between BLAS kernels, so a claim must hold with a margin. This script re-runs
every chapter's experiment (lab/experiments.py) with several seed sets, under several OpenBLAS kernels
and thread counts (each run in a fresh process, with OPENBLAS_CORETYPE / OPENBLAS_NUM_THREADS set as
another machine would pick them), evaluates the same claims, and prints each claim's value in every
run and its smallest margin. It exits with status 1 if a claim fails in any run.

    .venv/bin/python benchmarks/claim_margins.py                 # every chapter but char_lm, every setting (~25 min)
    .venv/bin/python benchmarks/claim_margins.py --chapters char_lm    # the capstone alone (~25 min)
    .venv/bin/python benchmarks/claim_margins.py --chapters linear     # the linear recurrences' chapter
    .venv/bin/python benchmarks/claim_margins.py --chapters gru --seeds 0 1
"""

import argparse
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (label, environment): the default kernels of this processor; those of a processor without AVX-512 (an
# AMD EPYC gets OpenBLAS's Haswell kernel, and numpy's own loops then run without AVX-512); an older
# kernel; one thread instead of two.
SETTINGS = [
    ("default", {}),
    ("AVX2 only", {"OPENBLAS_CORETYPE": "Haswell", "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR"}),
    ("Sandybridge", {"OPENBLAS_CORETYPE": "Sandybridge"}),
    ("1 thread", {"OPENBLAS_NUM_THREADS": "1"}),
]
SEED_OFFSETS = [0, 1000, 2000]  # added to each chapter's own seed; 0 is the book's run


def run_one(chapter, offset):
    """In this process: run one chapter's experiment and print its claims' values as JSON."""
    import threadpoolctl

    from lab import claims, experiments

    function = experiments.CHAPTERS[chapter]
    seed = function.__defaults__[0] + offset
    rows = claims.CLAIMS[chapter]
    results = function(seed=seed)
    kernels = sorted({f"{i['architecture']}x{i['num_threads']}" for i in threadpoolctl.threadpool_info()})
    values = [float(c.value(results)) for c in rows]
    margins = [c.margin(results) for c in rows]
    print(json.dumps({"chapter": chapter, "seed": seed, "kernels": kernels, "values": values, "margins": margins}))


def spawn(chapter, offset, label, env):
    """Run one chapter and seed in a fresh interpreter with the given environment; its JSON record."""
    command = [sys.executable, __file__, "--run", chapter, str(offset)]
    done = subprocess.run(command, env=os.environ | env, capture_output=True, text=True, cwd=ROOT, check=True)
    record = json.loads(done.stdout.strip().splitlines()[-1])
    record["setting"] = label
    print(f"run done: {json.dumps(record)}", flush=True)  # kept in the output if a later run fails
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapters", nargs="*", default=["rnn", "vanishing", "lstm", "gru", "linear"])
    parser.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2], help="indices into SEED_OFFSETS")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return run_one(args.run[0], int(args.run[1]))

    from lab import claims

    jobs = [(ch, SEED_OFFSETS[i], label, env) for ch in args.chapters for i in args.seeds for label, env in SETTINGS]
    with ThreadPoolExecutor(args.jobs) as pool:
        records = list(pool.map(lambda job: spawn(*job), jobs))
    failed = False
    for chapter in args.chapters:
        mine = [r for r in records if r["chapter"] == chapter]
        print(
            f"\n{chapter}: {len(mine)} runs (seeds {sorted({r['seed'] for r in mine})}; settings and kernels:"
            f" {sorted({(r['setting'], ', '.join(r['kernels'])) for r in mine})})"
        )
        for k, claim in enumerate(claims.CLAIMS[chapter]):
            values = [r["values"][k] for r in mine]
            worst = min(mine, key=lambda r: r["margins"][k])
            sign = ">=" if claim.at_least else "<="
            print(f"  {claim.text}")
            print(
                f"    value {sign} {claim.bound}: first run {mine[0]['values'][k]:.3g}, range {min(values):.3g} to "
                f"{max(values):.3g}; smallest margin {worst['margins'][k]:.3g}"
                f" (seed {worst['seed']}, {worst['setting']})"
            )
            failed |= worst["margins"][k] < 0
    print("\nevery claim holds in every run" if not failed else "\nSOME CLAIM FAILS IN SOME RUN")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
