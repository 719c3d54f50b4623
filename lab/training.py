"""Losses, gradients and training of stacks of many-to-one networks on the tasks of lab.tasks."""

import time

import numpy as np

from lab.optim import adam_moments, adam_step
from lab.passes import PASSES
from lab.tasks import TASKS
from lab.threads import one_blas_thread

RIGHT_WITHIN = 0.04  # the adding problem: a sequence is right if |error| < 0.04 (Hochreiter and Schmidhuber)


def loss_and_grads(cell, p, xs, targets, loss, backward=True, record=None):
    """Mean loss and fraction right of each network, and the gradients of the mean loss.

    Inputs:
    - cell: "RNN", "LSTM" or "GRU"; p: a stack of that cell (lab.networks)
    - xs: inputs (S, T, N, D), of p's dtype; targets: (S, N), classes or values
    - loss: "classes" (softmax cross-entropy; right: the argmax is the class) or "values" (one output,
      (s - target)^2 / 2; right: |s - target| < 0.04)
    - backward: False for the scores only
    - record: None or a dict, passed to the RNN's pass (lab.passes.rnn_pass)
    Returns a tuple of:
    - scores: dict with "loss" (S,) and "right" (S,)
    - grads: dict name -> array of p's shapes, or None if not backward
    """
    scores = {}

    def output(states):
        o_T = states[-1]
        s = o_T @ p["w_2prime"].transpose(0, 2, 1) + p["b_2prime"]  # (S, N, C)
        N = s.shape[1]
        if loss == "classes":
            e = np.exp(s - s.max(axis=2, keepdims=True))
            y_hat = e / e.sum(axis=2, keepdims=True)
            one_hot = np.arange(s.shape[2]) == targets[..., None]
            scores["loss"] = -np.log(np.where(one_hot, y_hat, 1.0)).sum(axis=(1, 2)) / N
            scores["right"] = np.mean(s.argmax(axis=2) == targets, axis=1)
            d_s = (y_hat - one_hot) / N
        else:
            error = s[..., 0] - targets
            scores["loss"] = 0.5 * np.mean(error**2, axis=1)
            scores["right"] = np.mean(np.abs(error) < RIGHT_WITHIN, axis=1)
            d_s = error[..., None] / N
        if not backward:
            return None, None
        grads = {"w_2prime": d_s.transpose(0, 2, 1) @ o_T, "b_2prime": d_s.sum(axis=1, keepdims=True)}
        return d_s @ p["w_2prime"], grads

    grads = PASSES[cell](p, xs, output, record)
    return scores, grads


@one_blas_thread
def train(stacks, task, T, updates, rng, N=32, lr=0.01):
    """Adam on fresh batches for several stacks at once; every stack sees the same sequences.

    Inputs:
    - stacks: dict label -> (cell, stack), the stacks changed in place
    - task: a name of lab.tasks.TASKS; T: steps; updates: number of updates; rng: a numpy Generator
    - N: sequences per batch and network; lr: Adam's learning rate
    Returns a tuple of:
    - curves: dict label -> array (updates, S), the fraction right of each batch before its update
    - seconds: dict label -> float, the wall time spent on each stack
    """
    spec = TASKS[task]
    moments = {label: adam_moments(p) for label, (_, p) in stacks.items()}
    curves = {label: np.empty((updates, p["w"].shape[0])) for label, (_, p) in stacks.items()}
    seconds = dict.fromkeys(stacks, 0.0)
    S = max(p["w"].shape[0] for _, p in stacks.values())
    for step in range(1, updates + 1):
        xs, targets = spec["make"](rng, S, N, T)
        for label, (cell, p) in stacks.items():
            start = time.perf_counter()
            n = p["w"].shape[0]
            scores, grads = loss_and_grads(cell, p, xs[:n].astype(p["w"].dtype), targets[:n], spec["loss"])
            adam_step(p, grads, moments[label], step, lr)
            seconds[label] += time.perf_counter() - start
            curves[label][step - 1] = scores["right"]
    return curves, seconds


@one_blas_thread
def test_right(stacks, task, T, rng, N=500):
    """The fraction of N fresh test sequences each network gets right: dict label -> array (S,)."""
    spec = TASKS[task]
    S = max(p["w"].shape[0] for _, p in stacks.values())
    xs, targets = spec["make"](rng, S, N, T)
    right = {}
    for label, (cell, p) in stacks.items():
        n = p["w"].shape[0]
        scores, _ = loss_and_grads(cell, p, xs[:n].astype(p["w"].dtype), targets[:n], spec["loss"], backward=False)
        right[label] = scores["right"]
    return right


def updates_to_learn(curve, window=25, level=0.9):
    """Per run, the first update after which the mean batch score of the last `window` updates is >= level.

    Inputs:
    - curve: array (updates, runs) of batch scores
    Returns:
    - array (runs,): an update count, or nan for a run that never gets there
    """
    kernel = np.ones(window) / window
    smoothed = np.array([np.convolve(c, kernel, mode="valid") for c in np.asarray(curve).T])
    reached = smoothed >= level
    return np.where(reached.any(axis=1), reached.argmax(axis=1) + window, np.nan)
