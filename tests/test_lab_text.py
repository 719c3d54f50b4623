"""The capstone's part of the library: the text, the n-gram baselines and the language models."""

import numpy as np
import pytest

from autograder.gradcheck import gradient_error, rel_error
from lab import lm, networks, text

pytestmark = pytest.mark.fast

CELLS = list(networks.PARTS)


def test_the_plays_are_installed_and_split():
    names = text.play_names()
    assert len(names) == 37 and set(text.HELD_OUT) <= set(names) and not set(text.POEMS) & set(names)
    corpus = text.corpus()
    assert len(corpus["train"]) > 4_000_000 and len(corpus["held-out"]) > 250_000
    assert "To be, or not to be" in corpus["held-out"] and "To be, or not to be" not in corpus["train"]
    ids = text.encode(corpus["held-out"][:5000], corpus["chars"])
    assert text.decode(ids, corpus["chars"]) == corpus["held-out"][:5000]
    with pytest.raises(ValueError):
        text.encode("\x01", corpus["chars"])


def kneser_ney_by_hand(ids, a, b, c, V, D=0.75):
    """P(c | a, b) of interpolated Kneser-Ney from counts in dicts: an independent implementation."""
    from collections import Counter

    tri = Counter(zip(ids, ids[1:], ids[2:]))
    follows_ab = Counter((x, y) for x, y, _ in tri.elements())
    kinds_ab = Counter((x, y) for x, y, _ in tri)
    cont_bc = Counter((y, z) for _, y, z in tri)  # in how many contexts a precedes (b, c)
    cont_b = Counter(y for y, _ in cont_bc.elements())
    kinds_b = Counter(y for y, _ in cont_bc)
    cont_c = Counter(z for _, z in cont_bc)
    p1 = (cont_c[c] + 1.0) / (sum(cont_c.values()) + V)
    p2 = p1 if cont_b[b] == 0 else (max(cont_bc[(b, c)] - D, 0) + D * kinds_b[b] * p1) / cont_b[b]
    if follows_ab[(a, b)] == 0:
        return p2
    return (max(tri[(a, b, c)] - D, 0) + D * kinds_ab[(a, b)] * p2) / follows_ab[(a, b)]


def test_ngram_models_are_kneser_ney_and_sum_to_one():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 4, size=300)
    ids[::7] = 0  # some structure
    V = 5  # one character never seen
    models = text.ngram_models(ids, V)
    assert np.allclose(models[1].sum(), 1) and np.allclose(models[2].sum(axis=1), 1)
    assert np.allclose(models[3].sum(axis=2), 1)
    for a, b, c in [(0, 1, 2), (3, 3, 0), (4, 0, 1), (1, 4, 4), (2, 2, 2)]:
        assert models[3][a, b, c] == pytest.approx(kneser_ney_by_hand(list(ids), a, b, c, V), rel=1e-12)


def test_ngram_bits_fall_with_the_order_on_the_held_out_plays():
    corpus = text.corpus()
    chars = corpus["chars"]
    models = text.ngram_models(text.encode(corpus["train"][:1_000_000], chars), len(chars))
    bits = text.ngram_bits(models, text.encode(corpus["held-out"][:100_000], chars))
    assert 4 < bits[1] < 5 and bits[3] < bits[2] < bits[1]


def models64(rng, cell, S=2, V=5, H=3):
    p = lm.new_models(rng, cell, S, V, H)
    p = {k: a.astype(np.float64) for k, a in p.items()}
    return {k: a + 0.1 * rng.standard_normal(a.shape) for k, a in p.items()}


def random_state(rng, cell, S, N, H):
    h = 0.5 * rng.standard_normal((S, N, H))
    return (h, 0.5 * rng.standard_normal((S, N, H))) if cell == "LSTM" else h


@pytest.mark.parametrize("cell", CELLS)
def test_language_model_gradients_with_a_carried_state_match_central_differences(cell):
    rng = np.random.default_rng(1)
    S, K, N, V, H = 2, 5, 3, 5, 3
    p = models64(rng, cell, S, V, H)
    inputs, targets = rng.integers(0, V, (S, K, N)), rng.integers(0, V, (S, K, N))
    state = random_state(rng, cell, S, N, H)
    _, grads, _ = lm.loss_and_grads(cell, p, inputs, targets, state)

    def total():
        return lm.loss_and_grads(cell, p, inputs, targets, state, backward=False)[0].sum()

    for name in p:
        assert gradient_error(total, p[name], grads[name], "full") < 1e-7, name


@pytest.mark.parametrize("cell", CELLS)
def test_carrying_the_state_over_two_chunks_is_one_pass_over_both(cell):
    rng = np.random.default_rng(2)
    S, N, V, H = 2, 3, 5, 3
    p = models64(rng, cell, S, V, H)
    ids = rng.integers(0, V, (S, 9, N))
    whole, _, _ = lm.loss_and_grads(cell, p, ids[:, :8], ids[:, 1:], backward=False)
    first, _, state = lm.loss_and_grads(cell, p, ids[:, :4], ids[:, 1:5], backward=False)
    second, _, _ = lm.loss_and_grads(cell, p, ids[:, 4:8], ids[:, 5:9], state, backward=False)
    assert rel_error((first + second) / 2, whole) < 1e-13


def test_evaluation_reads_the_streams_with_the_state_carried():
    rng = np.random.default_rng(3)
    p = models64(rng, "GRU", S=1)
    ids = rng.integers(0, 5, 2 * 40 + 1)
    by_chunks = lm.bits_per_char("GRU", p, ids, K=7, N=2)
    streams = lm.streams(ids, 2)  # (2, 40): 39 predictions per stream
    inputs, targets = streams[None, :, :-1].transpose(0, 2, 1), streams[None, :, 1:].transpose(0, 2, 1)
    at_once = lm.loss_and_grads("GRU", p, inputs, targets, backward=False)[0] / np.log(2)
    assert rel_error(by_chunks, at_once) < 1e-13


def test_evaluation_without_carrying_starts_every_chunk_from_zeros():
    rng = np.random.default_rng(5)
    p = models64(rng, "LSTM", S=1)
    ids = rng.integers(0, 5, 2 * 21 + 1)
    streams = lm.streams(ids, 2)  # (2, 21): chunks of 5 predictions at 0, 5, 10, 15 and 0 at 20
    losses = []
    for start in range(0, 20, 5):
        chunk = streams[None, :, start : start + 6]
        inputs, targets = chunk[:, :, :-1].transpose(0, 2, 1), chunk[:, :, 1:].transpose(0, 2, 1)
        losses.append(lm.loss_and_grads("LSTM", p, inputs, targets, backward=False)[0])
    reset = lm.bits_per_char("LSTM", p, ids, K=5, N=2, carry=False)
    assert rel_error(reset, np.mean(losses) / np.log(2)) < 1e-13
    assert abs(reset - lm.bits_per_char("LSTM", p, ids, K=5, N=2)) > 1e-6  # carrying the state changes it


def test_sampling_at_a_low_temperature_takes_the_likeliest_character():
    rng = np.random.default_rng(4)
    p = lm.new_models(rng, "LSTM", 2, 6, 4)
    drawn = lm.sample("LSTM", p, 1, [0, 3], 5, temperature=1e-3, rng=rng)
    q = networks.select(p, slice(1, 2))
    scores, state = lm.read("LSTM", q, [0, 3])
    for character in drawn:
        assert character == np.argmax(scores)
        scores, state = lm.read("LSTM", q, [character], state)
    hot = lm.sample("LSTM", p, 0, [1], 400, temperature=50.0, rng=rng)
    assert len(set(hot.tolist())) == 6  # near uniform: every character shows up
