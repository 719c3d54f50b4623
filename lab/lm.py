"""Character-level language models: stacks of RNN, LSTM or GRU networks with a softmax at every step.

The input at step t is the character x_t as a one-hot vector of V entries, so that w x_t is a column of
w: the embedding of the character, learned with the rest. The target at step t is the next character.
A long text is cut into N parallel streams, and each stream into chunks of K steps; the state is
carried from one chunk to the next, and the gradient is cut at each chunk's start (truncated BPTT).
"""

import numpy as np

from lab import networks
from lab.optim import adam_moments, adam_step, clip_by_global_norm
from lab.passes import PASSES
from lab.threads import one_blas_thread


def one_hot_inputs(ids, V, dtype=np.float32):
    """Integer characters (S, T, N) as one-hot inputs (S, T, N, V)."""
    return (ids[..., None] == np.arange(V)).astype(dtype)


def new_models(rng, cell, S, V, H, keep_bias=0.0, input_bias=0.0):
    """S language models of one cell with V characters in and out (lab.networks.new_networks, float32)."""
    return networks.new_networks(rng, cell, S, V, H, V, keep_bias, input_bias)


def chunk_loss_and_grads(cell, p, inputs, targets, state=None, backward=True):
    """Mean cross-entropy per character (nats) of each model on one chunk, its gradients and the last state.

    Inputs:
    - cell, p: the models; inputs, targets: integer characters (S, K, N), targets[:, t] = inputs[:, t + 1]
      within a stream; state: the carried state or None for zeros
    Returns a tuple of:
    - loss: (S,); grads: dict (None if not backward); state: the state to carry (no gradient flows into it)
    """
    V = p["w_2prime"].shape[1]
    S, K, N = inputs.shape
    scores_holder = {}
    one_hot_targets = np.moveaxis(targets, 1, 0)[..., None] == np.arange(V)  # (K, S, N, V)

    def output(states):
        s = states @ p["w_2prime"].transpose(0, 2, 1) + p["b_2prime"]  # (K, S, N, V)
        s -= s.max(axis=-1, keepdims=True)
        log_p = s - np.log(np.exp(s).sum(axis=-1, keepdims=True))
        scores_holder["loss"] = -np.where(one_hot_targets, log_p, 0.0).sum(axis=(0, 2, 3)) / (K * N)
        if not backward:
            return None, None
        d_s = (np.exp(log_p) - one_hot_targets) / (K * N)  # (K, S, N, V)
        flat_states = states.transpose(1, 0, 2, 3).reshape(S, K * N, -1)
        flat_d_s = d_s.transpose(1, 0, 2, 3).reshape(S, K * N, V)
        grads = {"w_2prime": flat_d_s.transpose(0, 2, 1) @ flat_states, "b_2prime": flat_d_s.sum(axis=1)[:, None]}
        return (d_s @ p["w_2prime"]).astype(states.dtype), grads

    record = {}
    grads = PASSES[cell](p, one_hot_inputs(inputs, V, p["w"].dtype), output, record, state)
    return scores_holder["loss"], grads, record["state"]


def streams(ids, N):
    """The text `ids` cut into N parallel streams of equal length: an array (N, L // N)."""
    length = len(ids) // N
    return ids[: N * length].reshape(N, length)


@one_blas_thread
def train_streams(stacks, ids, updates, K, N, lr, clip=5.0, start=0):
    """Train several stacks of language models on the same chunks of one text, with truncated BPTT.

    Inputs:
    - stacks: dict label -> (cell, models), changed in place; ids: the training text (L,)
    - updates: Adam updates; K: the chunk length (truncation); N: streams; lr: Adam's learning rate
    - clip: the threshold of gradient-norm clipping, per model; start: where in the streams to begin
    Returns:
    - curves: dict label -> (updates, S), the training loss of each chunk in bits per character
    """
    text = streams(ids, N)
    moments = {label: adam_moments(p) for label, (_, p) in stacks.items()}
    states = dict.fromkeys(stacks)
    curves = {label: np.empty((updates, p["w"].shape[0])) for label, (_, p) in stacks.items()}
    position = start
    for step in range(1, updates + 1):
        if position + K + 1 > text.shape[1]:
            position, states = 0, dict.fromkeys(stacks)  # wrap around: start the streams again from zero states
        chunk = text[:, position : position + K + 1]
        for label, (cell, p) in stacks.items():
            S = p["w"].shape[0]
            inputs = np.broadcast_to(chunk[None, :, :-1].transpose(0, 2, 1), (S, K, N))
            targets = np.broadcast_to(chunk[None, :, 1:].transpose(0, 2, 1), (S, K, N))
            loss, grads, states[label] = chunk_loss_and_grads(cell, p, inputs, targets, states[label])
            clip_by_global_norm(grads, clip, axis=0)
            adam_step(p, grads, moments[label], step, lr)
            curves[label][step - 1] = loss / np.log(2)
        position += K
    return curves


@one_blas_thread
def bits_per_char(cell, p, ids, K=200, N=16, carry=True):
    """Bits per character of each model on the text `ids`, read as N streams in chunks of K characters.

    carry: True carries the state from one chunk to the next; False starts every chunk from zeros, so
    that a prediction sees at most the K characters before it.
    Returns an array (S,).
    """
    text = streams(ids, N)
    S = p["w"].shape[0]
    state, total, count = None, np.zeros(S), 0
    for position in range(0, text.shape[1] - 1, K):
        chunk = text[:, position : position + K + 1]
        steps = chunk.shape[1] - 1
        inputs = np.broadcast_to(chunk[None, :, :-1].transpose(0, 2, 1), (S, steps, N))
        targets = np.broadcast_to(chunk[None, :, 1:].transpose(0, 2, 1), (S, steps, N))
        loss, _, state = chunk_loss_and_grads(cell, p, inputs, targets, state if carry else None, backward=False)
        total += loss * steps * N
        count += steps * N
    return total / count / np.log(2)


def read(cell, q, ids, state=None):
    """Feed the characters `ids` to a stack of one model; the scores after the last one (V,) and the state."""
    seen = {}

    def output(states):
        seen["s"] = states[-1] @ q["w_2prime"].transpose(0, 2, 1) + q["b_2prime"]
        return None, None

    record = {}
    V = q["w_2prime"].shape[1]
    PASSES[cell](q, one_hot_inputs(np.asarray(ids)[None, :, None], V, q["w"].dtype), output, record, state)
    return seen["s"][0, 0].astype(np.float64), record["state"]


@one_blas_thread
def sample(cell, p, model, prompt_ids, length, temperature, rng):
    """Characters drawn from one model of a stack: after the prompt, each from softmax(s / temperature).

    Inputs:
    - cell, p: the stack; model: the index of the model; prompt_ids: integers (at least one)
    - length: characters to draw; temperature: > 0 (small: likely characters; 1: the model's own)
    Returns:
    - the drawn characters, an int array (length,)
    """
    q = networks.select(p, slice(model, model + 1))
    scores, state = read(cell, q, prompt_ids)
    drawn = []
    for _ in range(length):
        s = scores / temperature
        probabilities = np.exp(s - s.max())
        drawn.append(rng.choice(len(s), p=probabilities / probabilities.sum()))
        scores, state = read(cell, q, drawn[-1:], state)
    return np.array(drawn)


def forward(cell, p, inputs, state=None, last=False):
    """The forward pass of a stack on integer characters (S, T, N), no gradient.

    Returns a dict with:
    - "log_p": log-probabilities of the next character, (T, S, N, V), or (S, N, V) after the last step
      only if `last`
    - "outputs": the states o_t (the LSTM's h_t), (T, S, N, H), unless `last`
    - "state": the state to carry; for the LSTM, unless `last`, also "cells": c_1..c_T, (T, S, N, H)
    """
    V = p["w_2prime"].shape[1]
    seen = {}

    def output(states):
        chosen = states[-1] if last else states
        s = chosen @ p["w_2prime"].transpose(0, 2, 1) + p["b_2prime"]
        s = s - s.max(axis=-1, keepdims=True)
        seen["log_p"] = s - np.log(np.exp(s).sum(axis=-1, keepdims=True))
        if not last:
            seen["outputs"] = states
        return None, None

    record = {"keep cells": not last}
    PASSES[cell](p, one_hot_inputs(inputs, V, p["w"].dtype), output, record, state)
    return seen | {name: record[name] for name in ("state", "cells") if name in record}


@one_blas_thread
def stream_bits(cell, p, ids, K=200, N=16):
    """The bits each model pays for every character of the text read as N streams with the state carried.

    Returns a dict:
    - "bits": (S, N, L - 1), bits[:, n, j] for the character text[n, j + 1] of lm.streams(ids, N) = text
    - "outputs": (S, N, L - 1, H), the state o (the LSTM's h) after reading text[n, j]; for the LSTM also
      "cells", its c, of the same shape
    """
    text = streams(ids, N)
    state, bits, outputs, cells = None, [], [], []
    for position in range(0, text.shape[1] - 1, K):
        chunk = text[:, position : position + K + 1]
        S = p["w"].shape[0]
        inputs = np.broadcast_to(chunk[None, :, :-1].transpose(0, 2, 1), (S, chunk.shape[1] - 1, N))
        run = forward(cell, p, inputs, state)
        state = run["state"]
        targets = chunk[:, 1:].T  # (steps, N)
        log_p = np.take_along_axis(run["log_p"], targets[:, None, :, None], axis=-1)[..., 0]  # (steps, S, N)
        bits.append(-log_p.transpose(1, 2, 0) / np.log(2))
        outputs.append(run["outputs"].transpose(1, 2, 0, 3))
        cells += [run["cells"].transpose(1, 2, 0, 3)] if "cells" in run else []
    result = {"bits": np.concatenate(bits, axis=2), "outputs": np.concatenate(outputs, axis=2)}
    return result | ({"cells": np.concatenate(cells, axis=2)} if cells else {})


@one_blas_thread
def context_bits(cell, p, ids, positions, lengths, block=1000):
    """Bits per character of each model on the characters ids[positions], each predicted after reading
    exactly the R characters before it from a zero state, for each R of `lengths`.

    Every R scores the same predictions, and each scored prediction has exactly R characters of context
    (the zero state is R steps behind it, not at the scored step). positions: ints, all >= max(lengths).
    Returns an array (S, len(lengths)).
    """
    positions = np.asarray(positions)
    S = p["w"].shape[0]
    total = np.zeros((S, len(lengths)))
    for j, R in enumerate(lengths):
        for start in range(0, len(positions), block):
            where = positions[start : start + block]
            windows = ids[where[:, None] - R + np.arange(R)]  # (P, R): the R characters before each
            inputs = np.broadcast_to(windows.T[None], (S, R, len(where)))
            log_p = forward(cell, p, inputs, last=True)["log_p"]  # (S, P, V)
            total[:, j] -= log_p[:, np.arange(len(where)), ids[where]].sum(axis=1)
    return total / len(positions) / np.log(2)


@one_blas_thread
def own_text_bits(cell, p, ids, starts, warm, length, rng, temperature=1.0):
    """Teacher forcing against free running, from the same states.

    For each start, the state is warmed on the `warm` true characters before it. From that state each
    model (a) reads the true next `length` characters and pays bits for each (teacher forcing), and (b)
    draws `length` characters from softmax(s / temperature), reading its own draws, and pays the bits
    its own probabilities give them.
    Returns a dict:
    - "text": (S, length), the mean over the starts of the bits of step j on the true text
    - "entropy": (S, length), the mean over the starts of the entropy (bits) of the model's prediction of
      step j on the true text: what it expects to pay there
    - "own": (S, length), the same on the model's own draws
    - "drawn": (S, P, length) ints, the draws; "context": (P, 2), the two true characters before each start
    """
    starts = np.asarray(starts)
    S, P = p["w"].shape[0], len(starts)
    before = ids[starts[:, None] - warm + np.arange(warm)]  # (P, warm)
    warmed = forward(cell, p, np.broadcast_to(before.T[None], (S, warm, P)), last=True)
    true = ids[starts[:, None] + np.arange(length)]  # (P, length)
    read_true = forward(cell, p, np.broadcast_to(true.T[None], (S, length, P)), warmed["state"])
    first = warmed["log_p"][:, np.arange(P), true[:, 0]]
    later = np.take_along_axis(read_true["log_p"][:-1], true.T[1:, None, :, None], axis=-1)[..., 0]
    text_bits = -np.concatenate([first[None], later]).mean(axis=2).T / np.log(2)  # (S, length)
    log_p_text = np.concatenate([warmed["log_p"][None], read_true["log_p"][:-1]])  # (length, S, P, V)
    entropy = -(np.exp(log_p_text) * log_p_text).sum(axis=-1).mean(axis=2).T / np.log(2)
    log_p, state = warmed["log_p"], warmed["state"]
    drawn, own = np.empty((S, P, length), dtype=int), np.empty((S, P, length))
    for j in range(length):
        tempered = np.exp((log_p - log_p.max(axis=-1, keepdims=True)) / temperature)
        cumulative = np.cumsum(tempered / tempered.sum(axis=-1, keepdims=True), axis=-1)
        draw = (cumulative < rng.random((S, P, 1))).sum(axis=-1).clip(max=log_p.shape[-1] - 1)
        drawn[..., j] = draw
        own[..., j] = -np.take_along_axis(log_p, draw[..., None], axis=-1)[..., 0] / np.log(2)
        run = forward(cell, p, draw[:, None, :], state, last=True)
        log_p, state = run["log_p"], run["state"]
    own_bits = own.mean(axis=1)
    return {"text": text_bits, "entropy": entropy, "own": own_bits, "drawn": drawn, "context": before[:, -2:]}
