"""The capstone's part of the library: the text, the n-gram baselines and the language models."""

import numpy as np
import pytest

from autograder.gradcheck import gradient_error, rel_error
from lab import lm, networks, shakespeare

pytestmark = pytest.mark.fast

CELLS = list(networks.PARTS)


def test_the_plays_are_installed_and_split():
    names = shakespeare.play_names()
    assert len(names) == 37 and set(shakespeare.HELD_OUT) <= set(names) and not set(shakespeare.POEMS) & set(names)
    corpus = shakespeare.corpus()
    assert len(corpus["train"]) > 4_000_000 and len(corpus["held-out"]) > 250_000
    assert "To be, or not to be" in corpus["held-out"] and "To be, or not to be" not in corpus["train"]
    ids = shakespeare.encode(corpus["held-out"][:5000], corpus["chars"])
    assert shakespeare.decode(ids, corpus["chars"]) == corpus["held-out"][:5000]
    with pytest.raises(ValueError):
        shakespeare.encode("\x01", corpus["chars"])


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
    models = shakespeare.ngram_models(ids, V)
    assert np.allclose(models[1].sum(), 1) and np.allclose(models[2].sum(axis=1), 1)
    assert np.allclose(models[3].sum(axis=2), 1)
    for a, b, c in [(0, 1, 2), (3, 3, 0), (4, 0, 1), (1, 4, 4), (2, 2, 2)]:
        assert models[3][a, b, c] == pytest.approx(kneser_ney_by_hand(list(ids), a, b, c, V), rel=1e-12)


def test_ngram_bits_fall_with_the_order_on_the_held_out_plays():
    corpus = shakespeare.corpus()
    chars = corpus["chars"]
    models = shakespeare.ngram_models(shakespeare.encode(corpus["train"][:1_000_000], chars), len(chars))
    bits = shakespeare.ngram_bits(models, shakespeare.encode(corpus["held-out"][:100_000], chars))
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
    _, grads, _ = lm.chunk_loss_and_grads(cell, p, inputs, targets, state)

    def total():
        return lm.chunk_loss_and_grads(cell, p, inputs, targets, state, backward=False)[0].sum()

    for name in p:
        assert gradient_error(total, p[name], grads[name], "full") < 1e-7, name


@pytest.mark.parametrize("cell", CELLS)
def test_carrying_the_state_over_two_chunks_is_one_pass_over_both(cell):
    rng = np.random.default_rng(2)
    S, N, V, H = 2, 3, 5, 3
    p = models64(rng, cell, S, V, H)
    ids = rng.integers(0, V, (S, 9, N))
    whole, _, _ = lm.chunk_loss_and_grads(cell, p, ids[:, :8], ids[:, 1:], backward=False)
    first, _, state = lm.chunk_loss_and_grads(cell, p, ids[:, :4], ids[:, 1:5], backward=False)
    second, _, _ = lm.chunk_loss_and_grads(cell, p, ids[:, 4:8], ids[:, 5:9], state, backward=False)
    assert rel_error((first + second) / 2, whole) < 1e-13


def test_evaluation_reads_the_streams_with_the_state_carried():
    rng = np.random.default_rng(3)
    p = models64(rng, "GRU", S=1)
    ids = rng.integers(0, 5, 2 * 40 + 1)
    by_chunks = lm.bits_per_char("GRU", p, ids, K=7, N=2)
    streams = lm.streams(ids, 2)  # (2, 40): 39 predictions per stream
    inputs, targets = streams[None, :, :-1].transpose(0, 2, 1), streams[None, :, 1:].transpose(0, 2, 1)
    at_once = lm.chunk_loss_and_grads("GRU", p, inputs, targets, backward=False)[0] / np.log(2)
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
        losses.append(lm.chunk_loss_and_grads("LSTM", p, inputs, targets, backward=False)[0])
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


def test_the_bigram_model_is_kneser_ney_down_to_the_continuation_unigram():
    from collections import Counter

    rng = np.random.default_rng(1)
    ids = rng.integers(0, 4, size=300)
    ids[::5] = 2
    V, D = 5, 0.75
    models = shakespeare.ngram_models(ids, V)
    assert np.allclose(models[2].sum(axis=1), 1)
    tri = Counter(zip(ids, ids[1:], ids[2:]))
    cont_c = Counter(z for _, z in Counter((y, z) for _, y, z in tri))  # N1+(. c) over the seen pairs
    p1 = {c: (cont_c[c] + 1.0) / (sum(cont_c.values()) + V) for c in range(V)}
    pairs = Counter((y, z) for _, y, z in zip(ids, ids[1:], ids[2:]))  # the bigram counts the model uses
    for b, c in [(0, 1), (2, 2), (3, 4), (4, 0), (1, 3)]:
        total = sum(n for (y, _), n in pairs.items() if y == b)
        kinds = sum(1 for (y, _) in pairs if y == b)
        expected = p1[c] if total == 0 else (max(pairs[(b, c)] - D, 0) + D * kinds * p1[c]) / total
        assert models[2][b, c] == pytest.approx(expected, rel=1e-12)


def test_forward_and_stream_bits_agree_with_the_evaluation():
    rng = np.random.default_rng(6)
    for cell in CELLS:
        p = models64(rng, cell, S=2)
        ids = rng.integers(0, 5, 2 * 30 + 1)
        run = lm.stream_bits(cell, p, ids, K=7, N=2)
        assert run["bits"].shape == (2, 2, 29) and run["outputs"].shape[:3] == (2, 2, 29)
        assert rel_error(run["bits"].mean(axis=(1, 2)), lm.bits_per_char(cell, p, ids, K=7, N=2)) < 1e-13
        assert ("cells" in run) == (cell == "LSTM")
    p = models64(rng, "LSTM", S=1)
    ids = rng.integers(0, 5, (1, 6, 3))
    run = lm.forward("LSTM", p, ids)
    assert np.allclose(run["cells"][-1], run["state"][1]) and np.allclose(run["outputs"][-1], run["state"][0])
    last = lm.forward("LSTM", p, ids, last=True)
    assert np.allclose(last["log_p"], run["log_p"][-1]) and np.allclose(np.exp(last["log_p"]).sum(-1), 1)


def test_the_context_probe_gives_every_prediction_exactly_r_characters():
    rng = np.random.default_rng(7)
    p = models64(rng, "GRU", S=2)
    ids = rng.integers(0, 5, 200)
    positions = np.array([40, 41, 77, 150, 199])
    bits = lm.context_bits("GRU", p, ids, positions, [1, 3, 8], block=2)
    for j, R in enumerate([1, 3, 8]):
        by_hand = []
        for i in positions:  # read ids[i - R : i] from zeros, score ids[i]
            window = ids[i - R : i + 1][None, :, None]
            steps = lm.forward("GRU", p, np.repeat(window[:, :-1], 2, 0))["log_p"][-1, :, 0, ids[i]]
            by_hand.append(-steps / np.log(2))
        assert rel_error(bits[:, j], np.mean(by_hand, axis=0)) < 1e-12


def test_teacher_forcing_and_free_running_start_from_the_same_state():
    rng = np.random.default_rng(8)
    p = models64(rng, "LSTM", S=2)
    ids = rng.integers(0, 5, 300)
    starts = np.array([50, 120, 200])
    run = lm.own_text_bits("LSTM", p, ids, starts, 10, 6, np.random.default_rng(0))
    assert run["text"].shape == run["own"].shape == run["entropy"].shape == (2, 6)
    for s in range(2):  # the true text, read by hand from the warmed state
        q = networks.select(p, slice(s, s + 1))
        paid = []
        for start in starts:
            scores, _ = lm.read("LSTM", q, ids[start - 10 : start])
            log_p = scores - np.log(np.exp(scores).sum())
            paid.append(-log_p[ids[start]] / np.log(2))
        assert rel_error(run["text"][s, 0], np.mean(paid)) < 1e-10
    q = networks.select(p, slice(0, 1))  # model 0's first draws, scored by itself from the warmed state
    first = []
    for n, start in enumerate(starts):
        scores, _ = lm.read("LSTM", q, ids[start - 10 : start])
        log_p = scores - np.log(np.exp(scores).sum())
        first.append(-log_p[run["drawn"][0, n, 0]] / np.log(2))
        if n == 0:
            entropy = -(np.exp(log_p) * log_p).sum() / np.log(2)
    assert rel_error(run["own"][0, 0], np.mean(first)) < 1e-10
    cold = lm.own_text_bits("LSTM", p, ids, starts[:1], 10, 4, np.random.default_rng(0), temperature=1e-4)
    scores, _ = lm.read("LSTM", q, ids[40:50])
    assert cold["drawn"][0, 0, 0] == np.argmax(scores)  # a low temperature draws the likeliest character
    assert abs(cold["entropy"][0, 0] - entropy) < 1e-10  # the entropy of the first prediction, from the same state


def test_reading_features():
    chars = sorted(set("ab\n[] "))
    ids = shakespeare.encode("ab\n[a b]\nab", chars)
    features = shakespeare.reading_features(ids, chars)
    assert features["position in the line"].tolist() == [1, 2, 0, 1, 2, 3, 4, 5, 0, 1, 2]
    assert features["inside brackets"].tolist() == [0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0]
