"""The training experiments of the chapters, one function each, returning plain arrays.

A chapter calls its experiment with the book's seed; benchmarks/claim_margins.py calls the same
function with other seeds and under other BLAS kernels, and evaluates the same claims (lab.claims).
Every network of an experiment is trained at once with its kind, as one stack (lab.training).
"""

import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from lab import cliff, lm, networks, shakespeare, tasks, training
from lab.optim import adam_moments, adam_step

T_LONG = 100  # the length of the long-term dependencies of the chapters
SUCCESS = 0.9  # a run succeeds if it gets at least 90% of 500 fresh test sequences right
TASK_ORDER = ("two-sequence", "adding")  # the long-term dependencies of the LSTM and GRU chapters


def rnn_over_lengths(lengths, seeds=32, updates=300, H=8, seed=0):
    """The RNN of the vanishing chapter on the two-sequence problem, for each length T.

    Inputs:
    - lengths: the values of T; seeds: runs per length; updates: Adam updates per run; H: width
    - seed: the base seed; length T uses seed + T
    Returns a dict:
    - "success": (len(lengths),), the fraction of runs that succeed at each T
    - "ratio_at_init": (len(lengths),), the median over runs of mean ||delta_1|| / mean ||delta_T|| at
      initialization, on the first batch
    - "test": (len(lengths), seeds), the test score of every run
    """
    success, ratio, test = [], [], []
    for T in lengths:
        rng = np.random.default_rng(seed + T)
        stack = networks.new_networks(rng, "RNN", seeds, 1, H, 2)
        record = {
            "measure": True
        }  # the gradient ratio in float64: at T = 100 it is far below float32's smallest number
        xs, classes = tasks.two_sequence(rng, seeds, 32, T)
        as_float64 = {name: a.astype(np.float64) for name, a in stack.items()}
        training.loss_and_grads("RNN", as_float64, xs, classes, "classes", record=record)
        ratio.append(np.median(record["delta_norms"][:, 1] / record["delta_norms"][:, T]))
        stacks = {"RNN": ("RNN", stack)}
        training.train(stacks, "two-sequence", T, updates, rng)
        right = training.test_right(stacks, "two-sequence", T, rng)["RNN"]
        test.append(right)
        success.append(np.mean(right >= SUCCESS))
    return {"success": np.array(success), "ratio_at_init": np.array(ratio), "test": np.array(test)}


def lstm_forget_biases(task, biases, seeds, updates, H=8, seed=6):
    """The RNN and LSTMs with several forget-gate biases on one task of length 100 (the LSTM chapter).

    Inputs:
    - task: "two-sequence" or "adding"; biases: numbers or "chrono" (T_max = 100)
    - seeds: runs per network; updates: Adam updates; H: width of every network; seed: the seed
    Returns a dict:
    - "curves": label -> (updates, seeds), batch scores; "test": label -> (seeds,), test scores
    - "chrono": the trained chrono LSTMs (a stack), if "chrono" is among the biases
    - "seconds": the training time
    The labels are "RNN", and "LSTM, chrono" or "LSTM, b_f = <bias>".
    """
    spec = tasks.TASKS[task]
    rng = np.random.default_rng(seed)
    output_bias = 0.5 if spec["loss"] == "values" else 0.0
    stacks = {
        "RNN": ("RNN", networks.new_networks(rng, "RNN", seeds, spec["D"], H, spec["C"], output_bias=output_bias))
    }
    for bias in biases:
        keep = networks.chrono_bias(rng, seeds, H, T_LONG) if bias == "chrono" else float(bias)
        entry = -keep if bias == "chrono" else 0.0  # chrono: b_i = -b_f
        label = "LSTM, chrono" if bias == "chrono" else f"LSTM, b_f = {bias}"
        p = networks.new_networks(rng, "LSTM", seeds, spec["D"], H, spec["C"], keep, entry, output_bias)
        stacks[label] = ("LSTM", p)
    start = time.perf_counter()
    curves, _ = training.train(stacks, task, T_LONG, updates, rng)
    seconds = time.perf_counter() - start
    test = training.test_right(stacks, task, T_LONG, np.random.default_rng(seed + 100))
    result = {"curves": curves, "test": test, "seconds": seconds}
    if "LSTM, chrono" in stacks:
        result["chrono"] = stacks["LSTM, chrono"][1]
        result["on_path_after_training"] = on_path_ratio(result["chrono"], task, np.random.default_rng(seed + 200))
    return result


def on_path_ratio(lstms, task, rng, N=64):
    """Per LSTM of a stack, mean ||part of dL/dc_1 on the cell-state path|| / mean ||dL/dc_T||, in float64.

    The loss is the task's, on N fresh sequences of length 100. Returns an array (S,).
    """
    spec = tasks.TASKS[task]
    as_float64 = {name: a.astype(np.float64) for name, a in lstms.items()}
    xs, targets = spec["make"](rng, len(lstms["w"]), N, T_LONG)
    record = {"measure": True}
    training.loss_and_grads("LSTM", as_float64, xs, targets, spec["loss"], record=record)
    return record["on_path_norms"][:, 1] / record["on_path_norms"][:, T_LONG]


def matched_cells(task, widths, seeds, updates, seed=5):
    """The RNN, the LSTM and the GRU with about the same number of parameters on one task (the GRU chapter).

    The gated cells get the chrono initialization (T_max = 100) of the gate that keeps the state.

    Inputs:
    - task: "two-sequence" or "adding"; widths: cell -> H; seeds: runs per cell; updates: Adam updates
    Returns a dict:
    - "curves": cell -> (updates, seeds); "test": cell -> (seeds,); "seconds": cell -> training time
    """
    spec = tasks.TASKS[task]
    rng = np.random.default_rng(seed)
    output_bias = 0.5 if spec["loss"] == "values" else 0.0
    stacks = {}
    for cell, H in widths.items():
        keep = 0.0 if cell == "RNN" else networks.chrono_bias(rng, seeds, H, T_LONG)
        entry = -keep if cell == "LSTM" else 0.0  # chrono: the LSTM's b_i = -b_f
        stacks[cell] = (
            cell,
            networks.new_networks(rng, cell, seeds, spec["D"], H, spec["C"], keep, entry, output_bias),
        )
    curves, seconds = training.train(stacks, task, T_LONG, updates, rng)
    test = training.test_right(stacks, task, T_LONG, np.random.default_rng(seed + 100))
    return {"curves": curves, "test": test, "seconds": seconds}


# The settings of each chapter's experiments, shown in the chapters' tables.
VANISHING = {"H": 8, "noise sigma": 0.5, "seeds": 32, "batch N": 32, "updates": 300, "learning rate": 0.01}
VANISHING |= {"test sequences": 500, "success accuracy": SUCCESS, "lengths T": [5, 10, 20, 30, 50, 75, 100]}
LSTM = {
    "two-sequence": {"biases": [0, 1, "chrono"], "updates": 400},
    "adding": {"biases": [1, "chrono"], "updates": 600},
    "H": 8,
    "seeds": 16,
}
GRU = {"two-sequence": {"updates": 400}, "adding": {"updates": 600}, "H of the LSTM": 8, "seeds": 16}


def vanishing_chapter(seed=0):
    """The experiments of the vanishing chapter: {"lengths": rnn_over_lengths(...) with VANISHING's
    settings, "cliff": lab.cliff.experiment(seed + 3)}."""
    v = VANISHING
    lengths = rnn_over_lengths(v["lengths T"], v["seeds"], v["updates"], v["H"], seed)
    return {"lengths": lengths, "cliff": cliff.experiment(seed + 3)}


def in_parallel(function, argument_lists):
    """[function(*arguments) for arguments in argument_lists], in up to two fresh processes at once.

    The experiments of a chapter are independent and each has its own seed, so the results are those of
    the loop; a book build runs one chapter at a time, and this puts the machine's second core to work.
    """
    workers = min(len(argument_lists), os.cpu_count() or 1, 2)
    if workers < 2:
        return [function(*arguments) for arguments in argument_lists]
    context = multiprocessing.get_context("spawn")  # no fork of a process that holds BLAS threads
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(function, *zip(*argument_lists)))


def lstm_chapter(seed=6):
    """The experiments of the LSTM chapter: dict task -> lstm_forget_biases(...) with LSTM's settings."""
    calls = [(task, LSTM[task]["biases"], LSTM["seeds"], LSTM[task]["updates"], LSTM["H"], seed) for task in TASK_ORDER]
    return dict(zip(TASK_ORDER, in_parallel(lstm_forget_biases, calls)))


def matched_widths(task, H_lstm=8):
    """cell -> the width whose network has about as many parameters as the LSTM of width H_lstm."""
    spec = tasks.TASKS[task]
    target = networks.network_params("LSTM", spec["D"], H_lstm, spec["C"])
    return {cell: networks.matched_width(cell, spec["D"], spec["C"], target) for cell in networks.PARTS}


def gru_chapter(seed=5):
    """The experiments of the GRU chapter: dict task -> matched_cells(...) with GRU's settings."""
    calls = [
        (task, matched_widths(task, GRU["H of the LSTM"]), GRU["seeds"], GRU[task]["updates"], seed)
        for task in TASK_ORDER
    ]
    return dict(zip(TASK_ORDER, in_parallel(matched_cells, calls)))


def step_seconds(cell, D, H, N, T, repeats, rng):
    """The best wall time of one training step (forward, backward, Adam) of one network, over `repeats`.

    Inputs:
    - cell, D, H: the network (one output); N: sequences per batch; T: steps; rng: a numpy Generator
    Returns:
    - seconds, a float
    """
    p = networks.new_networks(rng, cell, 1, D, H, 1)
    moments = adam_moments(p)
    xs = rng.standard_normal((1, T, N, D)).astype(np.float32)
    targets = rng.standard_normal((1, N)).astype(np.float32)
    best = np.inf
    for step in range(1, repeats + 1):
        start = time.perf_counter()
        _, grads = training.loss_and_grads(cell, p, xs, targets, "values")
        adam_step(p, grads, moments, step)
        best = min(best, time.perf_counter() - start)
    return best


# The capstone's language models: characters per update N K fixed, so that every truncation length K
# sees the same text in the same number of updates.
CHAR_LM = {"H of the LSTM": 64, "seeds": 2, "streams N": 64, "chunk K": 50, "updates": 800, "learning rate": 0.02}
CHAR_LM |= {"truncations K": [2, 10, 50], "truncation updates": 600, "gradient clip": 5.0}
CHAR_LM |= {"context lengths R": [1, 2, 4, 8, 16, 32, 64], "probe characters": 40_000, "probe every": 16}
CHAR_LM |= {"samples": 400, "sample length": 120}


def language_models(widths, seeds, updates, K, N, lr, seed):
    """Character language models of each cell trained on the training plays, read on the held-out ones.

    Inputs:
    - widths: cell -> H; seeds: models per cell; updates: Adam updates; K: chunk length (truncation)
    - N: parallel streams; lr: Adam's learning rate; seed: the seed
    Returns a dict:
    - "curves": cell -> (updates, seeds), the training loss of each chunk in bits per character
    - "held-out": cell -> (seeds,), bits per character on the held-out plays
    - "seconds": the training time; "models": cell -> (cell, stack), the trained models
    """
    corpus = shakespeare.corpus()
    train_ids = shakespeare.encode(corpus["train"], corpus["chars"])
    V = len(corpus["chars"])
    rng = np.random.default_rng(seed)
    stacks = {
        cell: (cell, lm.new_models(rng, cell, seeds, V, H, keep_bias=1.0 if cell == "LSTM" else 0.0))
        for cell, H in widths.items()
    }
    start = time.perf_counter()
    curves = lm.train_streams(stacks, train_ids, updates, K, N, lr, CHAR_LM["gradient clip"])
    seconds = time.perf_counter() - start
    held_ids = shakespeare.encode(corpus["held-out"], corpus["chars"])
    held = {cell: lm.bits_per_char(cell, p, held_ids) for cell, (_, p) in stacks.items()}
    return {"curves": curves, "held-out": held, "seconds": seconds, "models": stacks}


def lm_widths(V, H_lstm):
    """cell -> the width whose language model (V characters in and out) has about the LSTM's parameters."""
    target = networks.network_params("LSTM", V, H_lstm, V)
    return {cell: networks.matched_width(cell, V, V, target) for cell in networks.PARTS}


def char_lm_chapter(seed=13):
    """The experiments of the capstone, CHAR_LM's settings. Returns a dict:

    - "cells": language_models of the three cells at matched parameter counts; "widths": cell -> H
    - "truncation": K -> language_models of one LSTM trained with chunks of K steps
    - "ngram": the n-gram baselines' held-out bits per character (lab.shakespeare)
    - "context": K -> context_bits of the LSTMs trained with the shortest and the longest chunks
    - "unread": unread_bits of every model; "own text": own_text of the LSTMs; "units": unit_correlations

    The RNN and the LSTM train in one process, the GRU and the truncation runs in the other.
    """
    c = CHAR_LM
    corpus = shakespeare.corpus()
    V = len(corpus["chars"])
    widths = lm_widths(V, c["H of the LSTM"])
    cells, truncation = char_lm_training(widths, seed)
    train_ids, held_ids = (shakespeare.encode(corpus[part], corpus["chars"]) for part in ("train", "held-out"))
    models = shakespeare.ngram_models(train_ids, V)
    ngram = shakespeare.ngram_bits(models, held_ids)
    shortest, longest = min(c["truncations K"]), max(c["truncations K"])
    both = networks.concatenate([truncation[K]["models"]["LSTM"][1] for K in (shortest, longest)])
    context = dict(zip((shortest, longest), context_bits("LSTM", both, held_ids)))
    unread = unread_bits(cells["models"], train_ids)
    lstm = cells["models"]["LSTM"][1]
    own = own_text(lstm, held_ids, models[3], seed)
    units = unit_correlations(lstm, held_ids, corpus["chars"])
    return {"cells": cells, "truncation": truncation, "widths": widths, "ngram": ngram, "context": context} | {
        "unread": unread,
        "own text": own,
        "units": units,
    }


def char_lm_training(widths, seed):
    """The capstone's training runs, in two processes: (language_models of the three cells, K -> language_models of
    one LSTM trained with chunks of K steps), CHAR_LM's settings."""
    c = CHAR_LM
    characters = c["streams N"] * c["chunk K"]
    calls = [
        ({cell: widths[cell] for cell in ("RNN", "LSTM")}, c["seeds"], c["updates"], c["chunk K"], c["streams N"]),
        ({"GRU": widths["GRU"]}, c["seeds"], c["updates"], c["chunk K"], c["streams N"]),
    ]
    calls += [({"LSTM": widths["LSTM"]}, 1, c["truncation updates"], K, characters // K) for K in c["truncations K"]]
    results = in_parallel(language_models, [(*call, c["learning rate"], seed + i) for i, call in enumerate(calls)])
    cells, gru = results[:2]
    for key in ("curves", "held-out", "models"):
        cells[key] |= gru[key]
    return cells, dict(zip(c["truncations K"], results[2:]))


def probe_streams(ids):
    """The probe's text cut into 16 streams, and the positions it scores: every CHAR_LM["probe every"]-th
    character of each stream from the 128th on (global indices into ids), with their (stream, column)."""
    c = CHAR_LM
    text_streams = lm.streams(ids, 16)
    columns = np.arange(2 * max(c["context lengths R"]), text_streams.shape[1], c["probe every"])
    rows = np.arange(16)
    positions = (rows[:, None] * text_streams.shape[1] + columns).ravel()
    return positions, rows, columns


def context_bits(cell, p, held_ids):
    """How much context each model of a stack uses, on the start of the held-out text.

    Every R of CHAR_LM's context lengths scores the same predictions (probe_streams), each made after
    reading exactly the R characters before it from a zero state (lab.lm.context_bits); "carried"
    scores them with the state carried through the whole text. Returns a list, per model, of dicts
    R -> bits per character, and "carried" -> bits per character.
    """
    ids = held_ids[: CHAR_LM["probe characters"]]
    positions, rows, columns = probe_streams(ids)
    by_length = lm.context_bits(cell, p, ids, positions, CHAR_LM["context lengths R"])
    carried = lm.stream_bits(cell, p, ids)["bits"][:, rows[:, None], columns - 1].reshape(len(by_length), -1)
    return [
        dict(zip(CHAR_LM["context lengths R"], map(float, bits))) | {"carried": float(np.mean(c))}
        for bits, c in zip(by_length, carried)
    ]


def unread_bits(models, train_ids):
    """Bits per character of each model on training text that no stream of the training reached: the
    800 characters after the last chunk read, in each of the N streams. Returns cell -> (seeds,)."""
    c = CHAR_LM
    reached = c["updates"] * c["chunk K"] + 1
    piece = lm.streams(train_ids, c["streams N"])[:, reached : reached + 800].ravel()
    return {cell: lm.bits_per_char(kind, p, piece) for cell, (kind, p) in models.items()}


def own_text(lstm, held_ids, trigram, seed):
    """Teacher forcing against free running for a stack of LSTMs (lab.lm.own_text_bits, temperature 1),
    from CHAR_LM["samples"] places of the held-out text, each warmed on the 64 characters before it.

    Returns lab.lm.own_text_bits's dict without the draws, with "judge text" (length,) and "judge own"
    (S, length): the bits per character that the trigram (V, V, V) pays at each step of the true text
    and of each model's draws, a judge that has not seen the models.
    """
    c = CHAR_LM
    starts = np.linspace(1000, len(held_ids) - c["sample length"] - 1, c["samples"]).astype(int)
    run = lm.own_text_bits("LSTM", lstm, held_ids, starts, 64, c["sample length"], np.random.default_rng(seed))
    true = held_ids[starts[:, None] + np.arange(c["sample length"])]

    def judge(sequences):
        full = np.concatenate([run["context"], sequences], axis=1)
        return -np.log2(trigram[full[:, :-2], full[:, 1:-1], full[:, 2:]]).mean(axis=0)

    judged = {"judge text": judge(true), "judge own": np.array([judge(d) for d in run["drawn"]])}
    return {key: value for key, value in run.items() if key not in ("drawn", "context")} | judged


def unit_correlations(lstm, held_ids, chars):
    """The correlation of each unit's tanh(c_t) with what a reader sees (lab.shakespeare.reading_features), for
    each LSTM of a stack, on the probe's characters read as 16 streams with the state carried.

    Returns a dict feature -> (S, H), the correlations over every character read.
    """
    ids = held_ids[: CHAR_LM["probe characters"]]
    activity = np.tanh(lm.stream_bits("LSTM", lstm, ids)["cells"].astype(np.float64))  # (S, 16, L - 1, H)
    activity = activity.reshape(activity.shape[0], -1, activity.shape[-1])
    correlations = {}
    for name, values in shakespeare.reading_features(ids, chars).items():
        seen = lm.streams(values, 16)[:, :-1].ravel()  # the feature after reading text[n, j]
        centred = activity - activity.mean(axis=1, keepdims=True)
        x = seen - seen.mean()
        correlations[name] = (x @ centred) / (np.linalg.norm(x) * np.linalg.norm(centred, axis=1))
    return correlations


RNN = {"H": 8, "networks": 8, "words T": "5 to 8", "test words T": 8, "batch N": 32, "updates": 1000}
RNN |= {"learning rate": 0.01}


def readouts(p, xs):
    """The class probabilities softmax(w'' o_t + b'') read from every state of a stack of RNNs: (T, S, N, C)."""
    seen = {}

    def output(states):
        s = states @ p["w_2prime"].transpose(0, 2, 1) + p["b_2prime"]
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        seen["y_hat"] = e / e.sum(axis=-1, keepdims=True)
        return None, None

    training.PASSES["RNN"](p, xs.astype(p["w"].dtype), output)
    return seen["y_hat"]


def rnn_chapter(seed=21):
    """The RNN chapter's trained many-to-one networks (RNN's settings) on the negation task (tasks).

    Each update draws its reviews' length T from 5 to 8, so that the output layer learns to read the
    states o_5 to o_8; the loss is on the last step only. The test reviews have 8 words.
    Returns a dict:
    - "networks": the trained stack; "curves": (updates, S), batch scores
    - "right_at": dict with the fraction of 1,000 test reviews per network whose prediction read from
      o_t is right: "end" (t = T, all reviews), "before not" (t one step before "not") and "at not"
      (t the step of "not"), the last two over the reviews with a "not"
    """
    r = RNN
    rng = np.random.default_rng(seed)
    stack = networks.new_networks(rng, "RNN", r["networks"], len(tasks.WORDS), r["H"], 2)
    moments, curves = adam_moments(stack), np.empty((r["updates"], r["networks"]))
    for step in range(1, r["updates"] + 1):
        xs, classes = tasks.negation(rng, r["networks"], r["batch N"], int(rng.integers(5, 9)))
        scores, grads = training.loss_and_grads("RNN", stack, xs.astype(np.float32), classes, "classes")
        adam_step(stack, grads, moments, step, r["learning rate"])
        curves[step - 1] = scores["right"]
    test_rng = np.random.default_rng(seed + 100)
    words, classes, step = tasks.negation_sentences(test_rng, r["networks"], 1000, r["test words T"])
    y_hat = readouts(stack, np.eye(len(tasks.WORDS))[words].transpose(0, 2, 1, 3))  # (T, S, N, 2)
    said = y_hat.argmax(axis=-1).transpose(1, 2, 0)  # (S, N, T): the class read from o_1..o_T

    def right_when(at):
        """Per network, the fraction of the negated reviews right when read from o_at (at: (S, N))."""
        right = np.take_along_axis(said, np.maximum(at, 1)[..., None] - 1, axis=-1)[..., 0] == classes
        return np.array([np.mean(right[s][step[s] > 0]) for s in range(len(said))])

    right_at = {"end": np.mean(said[..., -1] == classes, axis=1)}
    right_at |= {"before not": right_when(step - 1), "at not": right_when(step)}
    return {"networks": stack, "curves": curves, "right_at": right_at}


CHAPTERS = {"rnn": rnn_chapter, "vanishing": vanishing_chapter, "lstm": lstm_chapter, "gru": gru_chapter}
CHAPTERS["char_lm"] = char_lm_chapter


def linear_chapter(seed=23):
    """The experiments of the chapter on linear recurrences: lab.linear_experiments.linear_chapter(seed), imported
    when called (that module imports this one)."""
    from lab import linear_experiments

    return linear_experiments.linear_chapter(seed)


CHAPTERS["linear"] = linear_chapter
