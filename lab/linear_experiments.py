"""The experiments of the chapter on linear recurrences (minGRU), one function each, returning plain arrays.

As in lab.experiments: the chapter calls linear_chapter with the book's seed, benchmarks/claim_margins.py
the same function with other seeds under other BLAS kernels, and lab.claims checks the same sentences.
minGRU and its signed variant train in the training code of the other cells (lab.training, lab.lm).
"""

import time

import numpy as np

from lab import lm, min_gru, networks, scan, shakespeare, tasks, training
from lab.experiments import CHAR_LM, T_LONG, in_parallel
from lab.optim import adam_moments, adam_step
from lab.threads import one_blas_thread

LINEAR_CELLS = ("minGRU", "signed minGRU")

# The chapter's settings, shown in its tables.
LINEAR = {"scan lengths T": [16 * 2**k for k in range(9)], "scan sizes (N, H)": [(1, 1), (16, 32)], "repeats": 3}
LINEAR |= {"tasks": {"two-sequence": 300, "adding": 400}, "task seeds": 8, "H of the LSTM": 8}
LINEAR |= {"task cells": ["minGRU", "GRU", "LSTM"]}
LINEAR |= {"parity cells": ["minGRU", "signed minGRU", "GRU"], "parity seeds": 8, "parity updates": 1500}
LINEAR |= {"parity H of the GRU": 8, "parity train lengths": (1, 10), "parity test lengths": [10, 40, 160]}
LINEAR |= {"lm cells": ["minGRU", "GRU", "LSTM"], "lm seeds": 2, "lm updates": 300, "H of the LM's LSTM": 64}


def scan_timings(lengths, sizes, repeats, rng):
    """The best wall time of the loop and of the scan of the recurrence (lab.scan), forward, float64.

    Inputs:
    - lengths: the values of T; sizes: (N, H) pairs; repeats: runs per time; rng: a numpy Generator
    Returns a dict method -> (len(sizes), len(lengths)) seconds, methods "loop" and "scan"
    """
    methods = {"loop": scan.recurrence_forward, "scan": scan.scan_forward}
    seconds = {name: np.full((len(sizes), len(lengths)), np.inf) for name in methods}
    for i, (N, H) in enumerate(sizes):
        for j, T in enumerate(lengths):
            a, b, h0 = rng.uniform(0.5, 1, (N, T, H)), rng.standard_normal((N, T, H)), rng.standard_normal((N, H))
            for _ in range(repeats):
                for name, method in methods.items():
                    start = time.perf_counter()
                    method(a, b, h0)
                    seconds[name][i, j] = min(seconds[name][i, j], time.perf_counter() - start)
    return seconds


def chrono_write_bias(rng, S, H, T_max, signed):
    """b_z of minGRUs whose transition a starts as the chrono LSTM's forget gate, u / (1 + u), u uniform in
    [1, T_max - 1]: b_z = -ln u for a = 1 - z, -ln(2 u + 1) for a = 1 - 2 z. An array (S, H)."""
    u = np.exp(networks.chrono_bias(rng, S, H, T_max))
    return -np.log(2 * u + 1) if signed else -np.log(u)


def new_stack(rng, cell, S, D, H, C, output_bias=0.0):
    """S networks of any cell (RNN, LSTM, GRU, minGRU, signed minGRU) with the chrono initialization (T_max = 100)
    of the gate that keeps the state; the LSTM's b_i = -b_f. A stack (lab.networks, lab.min_gru)."""
    if cell in LINEAR_CELLS:
        bias = chrono_write_bias(rng, S, H, T_LONG, cell == "signed minGRU")
        return min_gru.new_min_grus(rng, S, D, H, C, bias, output_bias)
    keep = 0.0 if cell == "RNN" else networks.chrono_bias(rng, S, H, T_LONG)
    entry = -keep if cell == "LSTM" else 0.0
    return networks.new_networks(rng, cell, S, D, H, C, keep, entry, output_bias)


def widths_for(cells, D, C, target):
    """cell -> the width whose network (D inputs, C outputs) has the parameter count closest to `target`."""
    return {
        cell: min_gru.matched_width(D, C, target)
        if cell in LINEAR_CELLS
        else networks.matched_width(cell, D, C, target)
        for cell in cells
    }


def cells_on_task(task, widths, seeds, updates, seed):
    """The cells of `widths` with about the same parameters on one task of length 100 (lab.experiments'
    matched_cells with minGRUs). Returns a dict: "curves": cell -> (updates, seeds); "test": cell -> (seeds,);
    "seconds": cell -> training time."""
    spec = tasks.TASKS[task]
    rng = np.random.default_rng(seed)
    output_bias = 0.5 if spec["loss"] == "values" else 0.0
    stacks = {
        cell: (cell, new_stack(rng, cell, seeds, spec["D"], H, spec["C"], output_bias)) for cell, H in widths.items()
    }
    curves, seconds = training.train(stacks, task, T_LONG, updates, rng)
    test = training.test_right(stacks, task, T_LONG, np.random.default_rng(seed + 100))
    return {"curves": curves, "test": test, "seconds": seconds}


@one_blas_thread
def parity_runs(widths, seeds, updates, train_lengths, test_lengths, seed, lr=0.01):
    """Cells trained on parity, each update on strings of one length T drawn from train_lengths = (low, high),
    then tested on 500 fresh strings of each test length; Adam with learning rate lr.

    Returns a dict: "curves": cell -> (updates, seeds), batch scores; "test": cell -> (len(test_lengths), seeds),
    the fraction right; "seconds": cell -> training time.
    """
    rng = np.random.default_rng(seed)
    stacks = {cell: (cell, new_stack(rng, cell, seeds, 1, H, 2)) for cell, H in widths.items()}
    moments = {cell: adam_moments(p) for cell, (_, p) in stacks.items()}
    curves = {cell: np.empty((updates, seeds)) for cell in stacks}
    seconds = dict.fromkeys(stacks, 0.0)
    for step in range(1, updates + 1):
        xs, classes = tasks.parity(rng, seeds, 32, int(rng.integers(train_lengths[0], train_lengths[1] + 1)))
        for cell, (_, p) in stacks.items():
            start = time.perf_counter()
            scores, grads = training.loss_and_grads(cell, p, xs.astype(np.float32), classes, "classes")
            adam_step(p, grads, moments[cell], step, lr)
            seconds[cell] += time.perf_counter() - start
            curves[cell][step - 1] = scores["right"]
    test = {cell: np.empty((len(test_lengths), seeds)) for cell in stacks}
    for i, T in enumerate(test_lengths):
        right = training.test_right(stacks, "parity", T, np.random.default_rng(seed + 100 + T))
        for cell in stacks:
            test[cell][i] = right[cell]
    return {"curves": curves, "test": test, "seconds": seconds}


def lm_stack(rng, cell, S, V, H):
    """S language models of any cell with V characters in and out, as the capstone starts them (b_f = 1 for the
    LSTM, zero biases otherwise; b_z = 0 for the minGRUs), float32."""
    if cell in LINEAR_CELLS:
        return min_gru.new_min_grus(rng, S, V, H, V)
    return lm.new_models(rng, cell, S, V, H, keep_bias=1.0 if cell == "LSTM" else 0.0)


def linear_language_models(widths, seeds, updates, seed):
    """Character language models of the cells of `widths` trained as the capstone's (lab.experiments.CHAR_LM's
    streams, chunks, learning rate and clipping), read on the held-out plays.

    Returns a dict: "curves": cell -> (updates, seeds), bits per character of each chunk; "held-out": cell ->
    (seeds,), bits per character on the held-out plays; "seconds", "cpu seconds": cell -> training time, wall
    and CPU (the CPU time does not count what other processes take from this one on a busy machine).
    """
    corpus = shakespeare.corpus()
    train_ids, held_ids = (shakespeare.encode(corpus[part], corpus["chars"]) for part in ("train", "held-out"))
    V = len(corpus["chars"])
    rng = np.random.default_rng(seed)
    curves, held, seconds, cpu = {}, {}, {}, {}
    for cell, H in widths.items():
        stacks = {cell: (cell, lm_stack(rng, cell, seeds, V, H))}
        start, cpu[cell] = time.perf_counter(), time.process_time()
        c = CHAR_LM
        curves |= lm.train_streams(
            stacks, train_ids, updates, c["chunk K"], c["streams N"], c["learning rate"], c["gradient clip"]
        )
        seconds[cell], cpu[cell] = time.perf_counter() - start, time.process_time() - cpu[cell]
        held[cell] = lm.bits_per_char(cell, stacks[cell][1], held_ids)
    return {"curves": curves, "held-out": held, "seconds": seconds, "cpu seconds": cpu}


PARTS = {"task": cells_on_task, "parity": parity_runs, "lm": linear_language_models}


def run_part(name, *arguments):
    """PARTS[name](*arguments): one picklable function for lab.experiments.in_parallel."""
    return PARTS[name](*arguments)


def part_calls(seed, c=LINEAR):
    """The chapter's training runs as (name, *arguments) for run_part, with the settings c (LINEAR's keys), in an
    order that keeps both processes of in_parallel busy to the end: the adding problem, the language models, the
    rest."""
    V = len(shakespeare.corpus()["chars"])
    lm_width = widths_for(c["lm cells"], V, V, networks.network_params("LSTM", V, c["H of the LM's LSTM"], V))
    lms = [("lm", {cell: lm_width[cell]}, c["lm seeds"], c["lm updates"], seed + i) for i, cell in enumerate(lm_width)]
    on_tasks = {}
    for i, (task, updates) in enumerate(c["tasks"].items()):
        spec = tasks.TASKS[task]
        target = networks.network_params("LSTM", spec["D"], c["H of the LSTM"], spec["C"])
        widths = widths_for(c["task cells"], spec["D"], spec["C"], target)
        on_tasks[task] = ("task", task, widths, c["task seeds"], updates, seed + 10 + i)
    widths = widths_for(c["parity cells"], 1, 2, networks.network_params("GRU", 1, c["parity H of the GRU"], 2))
    lengths = c["parity train lengths"], c["parity test lengths"]
    parity = ("parity", widths, c["parity seeds"], c["parity updates"], *lengths, seed + 20)
    return [on_tasks["adding"], *lms, on_tasks["two-sequence"], parity]


def linear_chapter(seed=23, c=LINEAR):
    """The experiments of the linear-recurrence chapter, with the settings c (LINEAR), in two processes. Returns a
    dict:

    - "timings": scan_timings of the loop and the scan (run first, alone)
    - "lm": linear_language_models's results, every cell; "two-sequence", "adding": cells_on_task's results
    - "parity": parity_runs's results; "widths": part -> cell -> H; "seconds", "cpu seconds": part -> its wall
      time and its CPU time (summed over the three language models)
    """
    timings = scan_timings(c["scan lengths T"], c["scan sizes (N, H)"], c["repeats"], np.random.default_rng(seed))
    calls = part_calls(seed, c)
    results = in_parallel(timed_part, [(call,) for call in calls])
    out = {"timings": timings, "lm": {"curves": {}, "held-out": {}, "seconds": {}, "cpu seconds": {}}}
    out["widths"] = {"lm": {}}
    out["seconds"], out["cpu seconds"] = {}, {}
    for call, (result, seconds, cpu) in zip(calls, results):
        part = call[1] if call[0] == "task" else call[0]
        out["seconds"][part] = out["seconds"].get(part, 0.0) + seconds
        out["cpu seconds"][part] = out["cpu seconds"].get(part, 0.0) + cpu
        if part == "lm":
            for key in out["lm"]:
                out["lm"][key] |= result[key]
            out["widths"]["lm"] |= call[1]
        else:
            out[part] = result
            out["widths"][part] = call[2] if call[0] == "task" else call[1]
    return out


def timed_part(call):
    """(run_part(*call), its wall time and its process's CPU time in seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = run_part(*call)
    return result, time.perf_counter() - start, time.process_time() - cpu
