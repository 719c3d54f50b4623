"""Time of a forward and backward pass of the exercises' RNN, LSTM and GRU, and of the GRU's hidden tests.

The book's GRU chapter measures the time of a training step with its own batched float32 code; this
script measures the same with the solutions of the exercises (float64, one batch of sequences), so that
the ratios can be compared. Two sizes: the small cells of the chapter's experiments and a wide one. Each
time is the best of REPEATS rounds in which the three cells take turns, since other programs may share
the machine. Then, in process, the time of each hidden check of the gru exercise on its solution, on the
first run and on later ones (target: well under 1 s in total).

    .venv/bin/python benchmarks/cell_speed.py
"""

import contextlib
import io
import time

import numpy as np

from autograder.hidden import gru as gru_hidden
from autograder.notebooks import solution_namespace

REPEATS = 5
SIZES = {"small": (32, 100, 2, 8), "wide": (32, 25, 64, 256)}  # N, T, D, H
CELLS = {  # notebook, forward, backward, number of parts, number of bias vectors
    "RNN": ("rnn_bptt", "rnn_forward", "rnn_backward", 1, 1),
    "LSTM": ("lstm", "lstm_forward", "lstm_backward", 4, 1),
    "GRU": ("gru", "gru_forward", "gru_backward", 3, 2),
}


def pass_seconds(ns, forward, backward, args, dh):
    start = time.perf_counter()
    _, cache = ns[forward](*args)
    ns[backward](dh, cache)
    return time.perf_counter() - start


def main():
    rng = np.random.default_rng(0)
    spaces = {cell: solution_namespace(spec[0]) for cell, spec in CELLS.items()}
    print("forward + backward over the sequence, float64, best of", REPEATS, "rounds (ms)")
    print(f"{'size':8s} {'N, T, D, H':18s} {'RNN':>8s} {'LSTM':>8s} {'GRU':>8s} {'GRU/LSTM':>9s} {'GRU/RNN':>8s}")
    for size, (N, T, D, H) in SIZES.items():
        inputs = {}
        for cell, (_, _, _, parts, biases) in CELLS.items():
            x, h0 = rng.standard_normal((N, T, D)), 0.1 * rng.standard_normal((N, H))
            Wx = rng.standard_normal((parts * H, D)) / np.sqrt(D)
            Wh = rng.standard_normal((parts * H, H)) / np.sqrt(H)
            inputs[cell] = (
                [x, h0, Wx, Wh] + [np.zeros(parts * H) for _ in range(biases)],
                rng.standard_normal((N, T, H)),
            )
        best = dict.fromkeys(CELLS, np.inf)
        for _ in range(REPEATS):
            for cell, (_, forward, backward, _, _) in CELLS.items():
                seconds = pass_seconds(spaces[cell], forward, backward, *inputs[cell])
                best[cell] = min(best[cell], seconds)
        ms = {cell: 1e3 * t for cell, t in best.items()}
        print(
            f"{size:8s} {f'{N}, {T}, {D}, {H}':18s} {ms['RNN']:8.1f} {ms['LSTM']:8.1f} {ms['GRU']:8.1f}"
            f" {ms['GRU'] / ms['LSTM']:9.2f} {ms['GRU'] / ms['RNN']:8.1f}"
        )

    print("\nhidden checks of the gru exercise on its solution, in process (ms)")
    print("  the first run computes the numerical gradients of the hidden inputs; a grader keeps them for later runs")
    print(f"  {'check':20s} {'first':>8s} {'later':>8s}")
    total = {"first": 0.0, "later": 0.0}
    for name in gru_hidden.CHECKS:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()):
                gru_hidden.check(name, spaces["GRU"])
            times.append(time.perf_counter() - start)
        total["first"] += times[0]
        total["later"] += min(times[1:])
        print(f"  {name:20s} {1e3 * times[0]:8.1f} {1e3 * min(times[1:]):8.1f}")
    print(f"  {'total':20s} {1e3 * total['first']:8.1f} {1e3 * total['later']:8.1f}")


if __name__ == "__main__":
    main()
