"""Time of the linear recurrence h_t = a_t * h_{t-1} + b_t by the parallel scan against the Python loop, in numpy.

lab.scan computes the recurrence three ways: recurrence_forward, a Python loop over the T steps, each step
vectorised over the N H entries of the state (the baseline, measured in the same run); scan_forward,
Hillis and Steele's scan, ceil(log2 T) steps each vectorised over time as well (about T log2 T products
instead of T); and log_space_forward, Heinsen's form (a cumulative sum and two cumulative log-sum-exps in
numpy's C loops). For T = 16, 32, ..., 4096 and three sizes of the state N H, it prints each time and
loop / scan: above 1 the scan is faster. The loop pays a fixed cost per step (a few numpy calls), the
scan a cost per entry times log2 T, so the scan wins where N H is small and loses where it is large.

Each time is the best of REPEATS runs, forward pass only, float64, one BLAS thread (none of them calls
BLAS). Run:

    .venv/bin/python benchmarks/scan_speed.py
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads OpenBLAS

import time  # noqa: E402

import numpy as np  # noqa: E402

from lab import scan  # noqa: E402

LENGTHS = [16 * 2**k for k in range(9)]  # 16 .. 4096
SIZES = [(1, 1), (4, 16), (32, 64)]  # (N, H): one number per step, a small batch, the capstone's batch
REPEATS = 5


def best_time(run):
    """The best wall time of REPEATS calls of run(), in seconds."""
    best = np.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def timings(N, H, T, rng):
    """Seconds of the loop, the scan and the log-space form on one draw of a in (0, 1), b, h0; checks they agree."""
    a, b, h0 = rng.uniform(0.5, 1, (N, T, H)), rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
    h_loop, _ = scan.recurrence_forward(a, b, h0)
    for method in (scan.scan_forward, scan.log_space_forward):
        h = method(a, b, h0)
        h = h[0] if isinstance(h, tuple) else h
        assert np.max(np.abs(h - h_loop)) <= 1e-9 * np.max(np.abs(h_loop)), method.__name__
    return {
        "loop": best_time(lambda: scan.recurrence_forward(a, b, h0)),
        "scan": best_time(lambda: scan.scan_forward(a, b, h0)),
        "log space": best_time(lambda: scan.log_space_forward(a, b, h0)),
    }


def main():
    rng = np.random.default_rng(0)
    print(f"h_t = a_t h_(t-1) + b_t, forward, float64, best of {REPEATS}; loop / scan > 1: the scan is faster\n")
    for N, H in SIZES:
        print(f"N = {N}, H = {H} ({N * H} entries per step)")
        print(f"{'T':>6s} {'steps':>6s} {'loop (ms)':>10s} {'scan (ms)':>10s} {'log (ms)':>10s} {'loop / scan':>12s}")
        for T in LENGTHS:
            seconds = timings(N, H, T, rng)
            ms = {name: 1e3 * s for name, s in seconds.items()}
            ratio = seconds["loop"] / seconds["scan"]
            steps = (T - 1).bit_length()
            print(f"{T:6d} {steps:6d} {ms['loop']:10.3f} {ms['scan']:10.3f} {ms['log space']:10.3f} {ratio:12.2f}")
        print()


if __name__ == "__main__":
    main()
