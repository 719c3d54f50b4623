"""Characters per second of the capstone's training: the library's batched trainer against a plain loop.

Issue 13 asks that the capstone train at least as fast per character as a plain numpy loop over the
solution's cells. Both sides train the same language model on the same chunks of the training plays
with truncated BPTT (N streams, chunks of K steps, the state carried, Adam, clipping at norm 5):

- the library: lab.lm.train_streams, one model in a stack (float32, one-hot inputs as gathered columns of the
  products of lab.passes, one BLAS thread);
- the loop: the exercise's solution, lm_chunk_loss of solutions/char_lm with rnn_forward/rnn_backward
  of solutions/rnn_bptt (or gru_forward/gru_backward of solutions/gru) as the cell, float64 as the
  contract says, the embedding D = V wide so that the cell's products have the library's sizes, and
  the library's Adam and clipping (lab.optim) on the solution's gradients, also on one BLAS thread.

Each side is timed over the same updates, after one warm-up update; the best of REPEATS rounds is kept,
since other programs may share the machine. The script prints characters per second and the ratio
(target: library / loop >= 1 for each cell).

    .venv/bin/python benchmarks/char_lm_speed.py
"""

import time

import numpy as np
from threadpoolctl import threadpool_limits

from autograder.notebooks import solution_namespace
from lab import experiments, lm, networks, shakespeare
from lab.experiments import CHAR_LM
from lab.optim import adam_moments, adam_step, clip_by_global_norm

UPDATES, REPEATS = 20, 3
CELLS = {"RNN": ("rnn_bptt", "rnn_forward", "rnn_backward"), "GRU": ("gru", "gru_forward", "gru_backward")}


def contract_params(rng, cell, V, H):
    """The exercise's params of one language model: W_embed (V, V), Wy (V, H), by (V,), and the cell's weights."""
    parts = networks.PARTS[cell]
    cell_weights = [rng.standard_normal((parts * H, V)) / np.sqrt(V), rng.standard_normal((parts * H, H)) / np.sqrt(H)]
    cell_weights += [np.zeros(parts * H)] * (2 if cell == "GRU" else 1)
    return {
        "W_embed": np.eye(V),
        "Wy": rng.standard_normal((V, H)) / np.sqrt(H),
        "by": np.zeros(V),
        "cell": cell_weights,
    }


def named(tree):
    """The arrays of a params or grads dict by name, the cell's list expanded (the same arrays, not copies)."""
    return {"W_embed": tree["W_embed"], "Wy": tree["Wy"], "by": tree["by"]} | {
        f"cell {i}": a for i, a in enumerate(tree["cell"])
    }


def loop_seconds(ns, cell, streams, V, H):
    """Seconds for UPDATES updates of the plain loop over the solution's functions."""
    _, forward, backward = CELLS[cell]
    K, N, lr = CHAR_LM["chunk K"], CHAR_LM["streams N"], CHAR_LM["learning rate"]
    params = contract_params(np.random.default_rng(0), cell, V, H)
    arrays = named(params)
    moments = adam_moments(arrays)
    h = np.zeros((N, H))
    start = None
    for step in range(UPDATES + 1):
        if step == 1:
            start = time.perf_counter()  # after one warm-up update
        chars = streams[:, step * K : step * K + K + 1]
        _, grads, h = ns["lm_chunk_loss"](chars, h, params, ns[forward], ns[backward])
        g = named(grads)
        clip_by_global_norm(g, CHAR_LM["gradient clip"])
        adam_step(arrays, g, moments, step + 1, lr)
    return time.perf_counter() - start


def library_seconds(cell, ids, V, H):
    """Seconds for UPDATES updates of lab.lm.train_streams on one model (after one warm-up update)."""
    K, N, lr = CHAR_LM["chunk K"], CHAR_LM["streams N"], CHAR_LM["learning rate"]
    stacks = {cell: (cell, lm.new_models(np.random.default_rng(0), cell, 1, V, H))}
    lm.train_streams(stacks, ids, 1, K, N, lr)
    start = time.perf_counter()
    lm.train_streams(stacks, ids, UPDATES, K, N, lr, start=K)
    return time.perf_counter() - start


def main():
    corpus = shakespeare.corpus()
    V = len(corpus["chars"])
    ids = shakespeare.encode(corpus["train"], corpus["chars"])
    streams = lm.streams(ids, CHAR_LM["streams N"])
    widths = experiments.lm_widths(V, CHAR_LM["H of the LSTM"])
    characters = UPDATES * CHAR_LM["streams N"] * CHAR_LM["chunk K"]
    print(f"{UPDATES} updates of N = {CHAR_LM['streams N']} streams x K = {CHAR_LM['chunk K']} steps, V = {V}")
    print(f"{'cell':5s} {'H':>4s} {'library (char/s)':>17s} {'loop (char/s)':>14s} {'library / loop':>15s}")
    for cell, (assignment, _, _) in CELLS.items():
        ns = solution_namespace(assignment, "char_lm")
        H = widths[cell]
        with threadpool_limits(1):
            loop = min(loop_seconds(ns, cell, streams, V, H) for _ in range(REPEATS))
        library = min(library_seconds(cell, ids, V, H) for _ in range(REPEATS))
        ratio = loop / library
        verdict = "meets" if ratio >= 1 else "MISSES"
        print(
            f"{cell:5s} {H:4d} {characters / library:17,.0f} {characters / loop:14,.0f} {ratio:15.2f}  {verdict} >= 1"
        )


if __name__ == "__main__":
    main()
