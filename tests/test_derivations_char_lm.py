"""Every derivation of the capstone chapter (book/char_lm.md), checked by finite differences in float64.

Per example and in the lecture's notation, independent of the chapter's code and of the exercise:
the direct gradient at every step and the output layer's sum over time, the embedding's backward
pass, the masked loss's invariance to padding, truncated BPTT's exact forward and inexact cell
gradient, and the temperature's limits and its form in terms of the probabilities.
"""

import numpy as np
import pytest

from autograder.gradcheck import numerical_gradient, rel_error
from lab import lm

pytestmark = pytest.mark.fast

V, H = 6, 4


@pytest.fixture
def rnn():
    rng = np.random.default_rng(11)
    return {
        "w": rng.standard_normal((H, V)),
        "w_prime": rng.standard_normal((H, H)) / np.sqrt(H),
        "b": 0.2 * rng.standard_normal(H),
        "w_2prime": rng.standard_normal((V, H)),
        "b_2prime": 0.2 * rng.standard_normal(V),
    }


def forward(p, u, o0=None):
    """States o_0..o_T and probabilities of a tanh RNN reading the one-hot characters u_1..u_T."""
    os, probabilities = [np.zeros(H) if o0 is None else o0], []
    for t in range(len(u) - 1):
        os.append(np.tanh(p["w"][:, u[t]] + p["w_prime"] @ os[-1] + p["b"]))  # (eq-lm-one-hot)
        e = np.exp(p["w_2prime"] @ os[-1] + p["b_2prime"])
        probabilities.append(e / e.sum())
    return os, probabilities


def losses(p, u, o0=None):
    """ell_t = -log y_hat_t[u_{t+1}] for t = 1..T (eq-lm-loss)."""
    _, probabilities = forward(p, u, o0)
    return np.array([-np.log(q[u[t + 1]]) for t, q in enumerate(probabilities)])


def bptt(p, u, o0=None):
    """Gradients of the mean of `losses` by (eq-lm-direct), (eq-lm-grad-output) and (eq-bptt-delta-rec)."""
    os, probabilities = forward(p, u, o0)
    T = len(u) - 1
    g = {name: np.zeros_like(a) for name, a in p.items()}
    delta = np.zeros(H)
    for t in reversed(range(T)):
        d_s = probabilities[t] - np.eye(V)[u[t + 1]]
        g["w_2prime"] += np.outer(d_s, os[t + 1]) / T
        g["b_2prime"] += d_s / T
        delta = p["w_2prime"].T @ d_s / T + delta  # the direct part plus what came back from step t + 2
        d_a = (1 - os[t + 1] ** 2) * delta
        g["w"][:, u[t]] += d_a
        g["w_prime"] += np.outer(d_a, os[t])
        g["b"] += d_a
        delta = p["w_prime"].T @ d_a
    return g


def test_a_loss_at_every_step_sends_a_direct_gradient_to_every_state(rnn):
    u = np.array([0, 3, 3, 1, 5, 2, 3, 0])
    analytic = bptt(rnn, u)
    for name, array in rnn.items():
        numeric = numerical_gradient(lambda: losses(rnn, u).mean(), array)
        assert rel_error(analytic[name], numeric) < 1e-8, name


def test_the_direct_gradient_is_the_gradient_with_the_later_states_held(rnn):
    """delta^+_t of (eq-lm-direct): the derivative of L in o_t through the step's own scores only."""
    u = np.array([1, 4, 0, 2, 2])
    os, probabilities = forward(rnn, u)
    T = len(u) - 1
    for t in range(1, T + 1):
        direct = rnn["w_2prime"].T @ (probabilities[t - 1] - np.eye(V)[u[t]]) / T
        o_t = os[t].copy()

        def own_loss(o_t=o_t, target=u[t]):
            s = rnn["w_2prime"] @ o_t + rnn["b_2prime"]
            return (np.log(np.exp(s).sum()) - s[target]) / T

        assert rel_error(direct, numerical_gradient(own_loss, o_t)) < 1e-8


def test_the_embedding_backward_adds_the_gradients_of_repeated_characters():
    rng = np.random.default_rng(2)
    E = rng.standard_normal((V, 3))
    u = np.array([2, 0, 2, 5, 2, 0])  # 2 three times, 0 twice, 1, 3, 4 never
    upstream = rng.standard_normal((len(u), 3))
    d_E = np.eye(V)[u].T @ upstream  # (eq-lm-embedding-back) in matrix form
    assert rel_error(d_E, numerical_gradient(lambda: np.sum(E[u] * upstream), E)) < 1e-9
    assert np.all(d_E[[1, 3, 4]] == 0)
    indexed = np.zeros_like(E)
    indexed[u] += upstream  # the mistake the chapter warns about: one repeat survives
    assert not np.allclose(indexed[2], d_E[2])
    assert np.allclose(indexed[5], d_E[5])  # a character read once is right either way


def test_the_masked_loss_and_its_gradient_ignore_the_padding(rnn):
    """(eq-lm-masked-loss): what the padded positions hold changes neither the loss nor any gradient."""
    lines = [np.array([1, 2, 3]), np.array([0, 4, 4, 2, 5, 1]), np.array([3, 3, 0, 1])]
    longest = max(len(line) for line in lines)

    def masked_loss(pad):
        padded = [np.concatenate([line, np.full(longest - len(line), pad)]) for line in lines]
        mask = np.array([[t < len(line) - 1 for t in range(longest - 1)] for line in lines])
        return (mask * np.array([losses(rnn, line) for line in padded])).sum() / mask.sum()

    everything = np.concatenate([losses(rnn, line) for line in lines]).mean()
    assert abs(masked_loss(0) - everything) < 1e-14 and abs(masked_loss(5) - everything) < 1e-14
    for array in rnn.values():
        assert (
            rel_error(
                numerical_gradient(lambda: masked_loss(0), array), numerical_gradient(lambda: masked_loss(4), array)
            )
            < 1e-9
        )


def test_truncation_keeps_the_forward_pass_and_the_output_gradient_and_changes_the_cell_gradient(rnn):
    """(eq-lm-truncated): two chunks from the carried state against one pass over both."""
    u = np.array([0, 3, 1, 4, 4, 2, 5, 0, 1, 3, 2])  # 10 targets: chunks of 5
    first, second = u[:6], u[5:]
    os, _ = forward(rnn, first)
    carried = os[-1]
    assert np.allclose(np.concatenate([losses(rnn, first), losses(rnn, second, carried)]), losses(rnn, u), atol=1e-15)
    g1, g2, full = bptt(rnn, first), bptt(rnn, second, carried), bptt(rnn, u)
    truncated = {name: (g1[name] + g2[name]) / 2 for name in full}
    for name in ("w_2prime", "b_2prime"):
        assert rel_error(truncated[name], full[name]) < 1e-13, name
    for name in ("w", "w_prime", "b"):
        assert rel_error(truncated[name], full[name]) > 1e-4, name  # the terms that cross step 5
    second_numeric = numerical_gradient(lambda: losses(rnn, second, carried).mean(), rnn["w_prime"])
    assert rel_error(g2["w_prime"], second_numeric) < 1e-8  # the carried state held constant


def test_the_library_trainer_carries_the_state_it_was_given():
    """lm.chunk_loss_and_grads from a carried state gives the second chunk of one pass, in float64."""
    rng = np.random.default_rng(4)
    p = {k: a.astype(np.float64) for k, a in lm.new_models(rng, "GRU", 1, V, 3).items()}
    ids = rng.integers(0, V, (1, 13, 2))
    loss_1, _, state = lm.chunk_loss_and_grads("GRU", p, ids[:, :6], ids[:, 1:7])
    loss_2, _, _ = lm.chunk_loss_and_grads("GRU", p, ids[:, 6:12], ids[:, 7:13], state)
    loss_full, _, _ = lm.chunk_loss_and_grads("GRU", p, ids[:, :12], ids[:, 1:13])
    assert abs((loss_1 + loss_2)[0] / 2 - loss_full[0]) < 1e-14


@pytest.mark.parametrize("tau", [0.05, 0.5, 1.0, 3.0, 50.0])
def test_the_temperature_divides_the_scores_and_powers_the_probabilities(tau):
    s = np.array([2.0, -1.0, 0.5, 1.9, -3.0])
    p_tau = np.exp(s / tau) / np.exp(s / tau).sum()  # (eq-lm-temperature)
    y_hat = np.exp(s) / np.exp(s).sum()
    powered = y_hat ** (1 / tau)
    assert rel_error(powered / powered.sum(), p_tau) < 1e-12
    divided = y_hat / tau
    assert abs(divided.sum() - 1 / tau) < 1e-12 and rel_error(divided / divided.sum(), y_hat) < 1e-14


def test_the_temperature_limits():
    s = np.array([2.0, -1.0, 0.5, 1.9, -3.0])
    for tau, expected in [(1e-3, np.eye(5)[0]), (1e6, np.full(5, 0.2))]:
        shifted = (s - s.max()) / tau
        assert np.allclose(np.exp(shifted) / np.exp(shifted).sum(), expected, atol=1e-6)
