"""The experiments' library (lab/): every backward pass against central differences in float64, the
forward passes against the chapters' own per-example passes, the tasks, the optimizer and the helpers."""

import numpy as np
import pytest
from chapters import chapter_functions

from autograder.gradcheck import gradient_error, rel_error
from lab import networks, optim, tables, tasks, training
from lab.functions import cross_entropy, sigmoid

pytestmark = pytest.mark.fast

CELLS = list(networks.PARTS)


def perturbed_stack(rng, cell, S=2, D=2, H=3, C=2):
    """A float64 stack with every array moved off its initial values (no zero biases)."""
    p = networks.new_networks(rng, cell, S, D, H, C, keep_bias=0.5, dtype=np.float64)
    return {name: a + 0.1 * rng.standard_normal(a.shape) for name, a in p.items()}


def expect_every_gradient(cell, p, loss, rng):
    """Every gradient of training.loss_and_grads for the stack p of the cell (S = 2, D = 2, float64) against full
    central differences, on random inputs (T = 6, N = 3) drawn from rng and a loss on classes or values."""
    xs = rng.standard_normal((2, 6, 3, 2))
    targets = rng.integers(0, 2, size=(2, 3)) if loss == "classes" else rng.standard_normal((2, 3))
    _, grads = training.loss_and_grads(cell, p, xs, targets, loss)
    assert set(grads) == set(p)

    def total_loss():
        return training.loss_and_grads(cell, p, xs, targets, loss, backward=False)[0]["loss"].sum()

    for name in p:
        assert grads[name].shape == p[name].shape, name
        error = gradient_error(total_loss, p[name], grads[name], "full")
        assert error < 1e-7, (cell, loss, name, error)


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("loss", ["classes", "values"])
def test_every_gradient_of_every_pass_matches_central_differences(cell, loss):
    rng = np.random.default_rng(0)
    expect_every_gradient(cell, perturbed_stack(rng, cell, C=2 if loss == "classes" else 1), loss, rng)


CHAPTERS = {
    "RNN": chapter_functions("bptt", ("forward_pass",))["forward_pass"],
    "LSTM": chapter_functions("lstm", ("lstm_forward_pass",))["lstm_forward_pass"],
    "GRU": chapter_functions("gru", ("gru_forward_pass",))["gru_forward_pass"],
}


def one_example_states(cell, q, x):
    """o_T of one network for one sequence x (T, D), by the chapter's own per-example forward pass (the bptt,
    lstm and gru chapters' code, tests/chapters.py), its weights q read in the chapter's layout."""
    H = q["w_prime"].shape[-1]
    xs = [None, *x]
    if cell == "RNN":
        return CHAPTERS["RNN"](xs, np.zeros(H), q["w"][0], q["w_prime"][0], q["b"][0, 0])[1][-1]
    if cell == "LSTM":  # column vectors, the blocks i, f, g, o stacked
        columns = [None, *(x_t[:, None] for x_t in x)]
        w, w_prime, b = np.concatenate(list(q["w"])), np.concatenate(list(q["w_prime"])), q["b"][:, 0].reshape(-1, 1)
        return CHAPTERS["LSTM"](columns, np.zeros((H, 1)), w, w_prime, b)[0][-1].ravel()
    parts = dict(enumerate("rzn"))  # dicts over the parts r, z, n
    w, w_prime = ({parts[g]: a[g] for g in parts} for a in (q["w"], q["w_prime"]))
    b, b_prime = ({parts[g]: a[g, 0] for g in parts} for a in (q["b"], q["b_prime"]))
    return CHAPTERS["GRU"](xs, np.zeros(H), w, w_prime, b, b_prime)[0][-1]


@pytest.mark.parametrize("cell", CELLS)
def test_the_forward_passes_match_a_plain_loop_over_one_example(cell):
    rng = np.random.default_rng(1)
    p = perturbed_stack(rng, cell, S=3, D=2, H=4, C=1)
    xs = rng.standard_normal((3, 7, 5, 2))
    seen = {}

    def output(states):
        seen["o_T"] = states[-1]
        return None, None

    from lab.passes import PASSES

    PASSES[cell](p, xs, output)
    for s in range(3):
        q = {name: a[s] for name, a in p.items()}
        for n in range(5):
            assert rel_error(seen["o_T"][s, n], one_example_states(cell, q, xs[s, :, n])) < 1e-12


def test_the_rnn_pass_records_the_norms_of_delta_through_time():
    rng = np.random.default_rng(2)
    p = perturbed_stack(rng, "RNN", S=2, D=1, H=3)
    T, N = 5, 4
    xs, classes = tasks.two_sequence(rng, 2, N, T)
    record = {"measure": True}
    training.loss_and_grads("RNN", p, xs, classes, "classes", record=record)
    assert record["delta_norms"].shape == (2, T + 1)
    for s in range(2):  # delta_t = dL/do_t by a plain loop: delta_T = w''^T (y_hat - y) / N, then the recursion
        q = {name: a[s] for name, a in p.items()}
        norms = np.zeros(T + 1)
        for n in range(N):
            os = [np.zeros(3)] + [one_example_states("RNN", q, xs[s, :t, n]) for t in range(1, T + 1)]
            scores = q["w_2prime"] @ os[T] + q["b_2prime"][0]
            y_hat = np.exp(scores - scores.max()) / np.exp(scores - scores.max()).sum()
            delta = q["w_2prime"].T @ (y_hat - np.eye(2)[classes[s, n]]) / N
            for t in range(T, -1, -1):
                norms[t] += np.linalg.norm(delta) / N
                if t > 0:
                    delta = q["w_prime"][0].T @ ((1 - os[t] ** 2) * delta)
        assert rel_error(record["delta_norms"][s], norms) < 1e-12


def test_two_sequence_problem():
    rng = np.random.default_rng(3)
    xs, classes = tasks.two_sequence(rng, 3, 1000, 20)
    assert xs.shape == (3, 20, 1000, 1) and classes.shape == (3, 1000)
    assert np.array_equal(xs[:, 0, :, 0], 2.0 * classes - 1.0)
    assert abs(xs[:, 1:].std() - 0.5) < 0.01 and abs(classes.mean() - 0.5) < 0.02


def test_adding_problem():
    rng = np.random.default_rng(4)
    T = 100
    xs, targets = tasks.adding_problem(rng, 2, 5000, T)
    assert xs.shape == (2, T, 5000, 2) and targets.shape == (2, 5000)
    values, markers = xs[..., 0], xs[..., 1]
    marked = markers == 1.0
    assert np.all(marked.sum(axis=1) == 2)
    first = marked.argmax(axis=1)
    second = T - 1 - marked[:, ::-1].argmax(axis=1)
    assert first.max() < 10 and second.max() <= T // 2 - 2 and np.all(second > first)  # 0-based steps
    ends = markers[:, [0, -1]]
    assert np.all((ends == -1.0) | (ends == 1.0))
    marked_sum = np.where(marked, values, 0.0).sum(axis=1)
    assert np.allclose(targets, 0.5 + marked_sum / 4)
    # the constant prediction 0.5: the exact rate against the sampled one
    rate = np.mean(np.abs(targets - 0.5) < 0.04)
    assert abs(rate - tasks.constant_guess_right()) < 0.01
    assert abs(tasks.constant_guess_right() - 0.15424) < 1e-12


def test_parameter_counts_match_the_arrays():
    rng = np.random.default_rng(5)
    for cell in CELLS:
        p = networks.new_networks(rng, cell, 1, 3, 5, 2)
        assert sum(a.size for a in p.values()) == networks.network_params(cell, 3, 5, 2)
    assert networks.matched_width("GRU", 1, 2, networks.network_params("LSTM", 1, 8, 2)) == 9


def test_initial_biases_and_column_layout():
    rng = np.random.default_rng(6)
    keep = networks.chrono_bias(rng, 2, 4, 100)
    assert keep.min() >= 0 and keep.max() <= np.log(99)
    p = networks.new_networks(rng, "LSTM", 2, 1, 4, 2, keep_bias=keep, input_bias=-keep, dtype=np.float64)
    assert np.array_equal(p["b"][:, 1, 0], keep) and np.array_equal(p["b"][:, 0, 0], -keep)
    columns = networks.as_columns(p)
    assert columns["b"].shape == (2, 16, 1) and np.array_equal(columns["b"][:, 4:8, 0], keep)
    assert np.array_equal(columns["w"][:, 8:12], p["w"][:, 2])
    both = networks.concatenate([networks.select(p, slice(0, 1)), networks.select(p, slice(1, 2))])
    assert all(np.array_equal(both[k], p[k]) for k in p)


def test_adam_step_on_a_quadratic():
    p = {"x": np.array([1.0, -2.0])}
    moments = optim.adam_moments(p)
    optim.adam_step(p, {"x": np.array([2.0, -4.0])}, moments, step=1, lr=0.1)
    # the first step of Adam moves each entry by lr against the sign of its gradient
    assert np.allclose(p["x"], [0.9, -1.9])
    for step in range(2, 400):
        optim.adam_step(p, {"x": 2 * p["x"]}, moments, step, lr=0.1)
    assert np.abs(p["x"]).max() < 0.05


def test_clipping_keeps_the_direction_and_bounds_the_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0, 4.0]])}
    assert optim.clip_by_global_norm(grads, 1.0) == pytest.approx(5.0)
    assert np.allclose(grads["a"], [0.6, 0.0]) and np.allclose(grads["b"], [[0.0, 0.8]])
    small = {"a": np.array([0.3])}
    optim.clip_by_global_norm(small, 1.0)
    assert small["a"][0] == 0.3
    stacked = {"a": np.array([[3.0, 4.0], [0.3, 0.4]])}
    norms = optim.clip_by_global_norm(stacked, 1.0, axis=0)
    assert np.allclose(norms, [5.0, 0.5]) and np.allclose(stacked["a"], [[0.6, 0.8], [0.3, 0.4]])


def test_training_learns_a_short_two_sequence_problem_and_scores_are_fractions():
    rng = np.random.default_rng(7)
    stacks = {"GRU": ("GRU", networks.new_networks(rng, "GRU", 4, 1, 4, 2))}
    curves, seconds = training.train(stacks, "two-sequence", T=5, updates=150, rng=rng)
    right = training.test_right(stacks, "two-sequence", 5, rng)
    assert curves["GRU"].shape == (150, 4) and seconds["GRU"] > 0
    assert np.all((curves["GRU"] >= 0) & (curves["GRU"] <= 1))
    assert np.all(right["GRU"] > 0.95)


def test_updates_to_learn():
    curve = np.zeros((100, 2))
    curve[40:, 0] = 1.0
    learned = training.updates_to_learn(curve, window=10, level=0.85)
    assert learned[0] == 49 and np.isnan(learned[1])


def test_tables_and_smoothing():
    table = tables.markdown_table(["a", "b"], [["1", "2"]]).data
    assert table.splitlines() == ["| a | b |", "| --- | --- |", "| 1 | 2 |"]
    assert np.allclose(tables.smooth(np.arange(5.0), 2), [0.5, 1.5, 2.5, 3.5])
    assert tables.smooth(np.ones((30, 3))).shape == (6, 3)


def test_small_functions():
    assert sigmoid(np.array([-1000.0, 0.0, 1000.0])).tolist() == [0.0, 0.5, 1.0]
    s = np.array([1000.0, 0.0])
    assert cross_entropy(s, 0) == pytest.approx(0.0) and cross_entropy(s, 1) == pytest.approx(1000.0)
    assert cross_entropy(np.array([[1.0], [2.0]]), 1) == pytest.approx(np.log(1 + np.exp(-1.0)))


def test_the_lstm_pass_records_the_gradient_on_the_cell_state_path():
    rng = np.random.default_rng(8)
    p = perturbed_stack(rng, "LSTM", S=2, D=1, H=3)
    T, N = 6, 4
    xs, classes = tasks.two_sequence(rng, 2, N, T)
    record = {"measure": True}
    training.loss_and_grads("LSTM", p, xs, classes, "classes", record=record)
    on_path = record["on_path_norms"]
    assert on_path.shape == (2, T + 1) and np.isnan(on_path[:, 0]).all()
    # the part on the path is gamma_T times the forget gates f_T ... f_{t+1}: with forget gates pinned
    # at sigma(b) by zero weights, each step back multiplies every entry by the same number
    pinned = dict(p, w=p["w"].copy(), w_prime=p["w_prime"].copy())
    pinned["w"][:, 1] = 0.0
    pinned["w_prime"][:, 1] = 0.0
    training.loss_and_grads("LSTM", pinned, xs, classes, "classes", record=record)
    forget = sigmoid(pinned["b"][:, 1, 0])  # (S, H)
    ratios = record["on_path_norms"][:, 1:-1] / record["on_path_norms"][:, 2:]
    assert np.all(ratios > forget.min(axis=1, keepdims=True) - 1e-12)
    assert np.all(ratios < forget.max(axis=1, keepdims=True) + 1e-12)


def test_experiments_in_two_processes_give_the_results_of_the_loop():
    from lab import experiments

    calls = [("two-sequence", {"GRU": 3}, 2, 3, 0), ("adding", {"LSTM": 2}, 2, 3, 1)]
    apart = experiments.in_parallel(experiments.matched_cells, calls)
    for call, result in zip(calls, apart):
        alone = experiments.matched_cells(*call)
        for cell in call[1]:
            assert np.array_equal(alone["curves"][cell], result["curves"][cell])
            assert np.array_equal(alone["test"][cell], result["test"][cell])


def test_the_negation_task_flips_the_class_with_a_late_not():
    from lab import experiments

    words, classes, step = tasks.negation_sentences(np.random.default_rng(0), 2, 500, 8)
    good, bad, negation = (tasks.WORDS.index(w) for w in ("good", "bad", "not"))
    for s in range(2):
        for n in range(500):
            sentence = list(words[s, n])
            assert (sentence.count(good) + sentence.count(bad)) == 1 and sentence.count(negation) <= 1
            sentiment_at = sentence.index(good) if good in sentence else sentence.index(bad)
            assert sentiment_at < 4
            negated = negation in sentence
            assert step[s, n] == (sentence.index(negation) + 1 if negated else 0) and step[s, n] in (0, 6, 7, 8)
            assert classes[s, n] == ((good in sentence) != negated)
    assert 0.4 < np.mean(step > 0) < 0.6 and 0.4 < np.mean(classes) < 0.6
    xs, classes = tasks.negation(np.random.default_rng(1), 1, 3, 8)
    assert xs.shape == (1, 8, 3, len(tasks.WORDS)) and np.all(xs.sum(axis=-1) == 1)
    p = networks.new_networks(np.random.default_rng(2), "RNN", 2, len(tasks.WORDS), 4, 2, dtype=np.float64)
    y_hat = experiments.readouts(p, xs.repeat(2, axis=0))  # (T, S, N, 2), read from every state
    scores, _ = training.loss_and_grads("RNN", p, xs.repeat(2, axis=0), classes.repeat(2, axis=0), "classes", False)
    assert np.allclose(y_hat.sum(axis=-1), 1)
    assert np.allclose(scores["right"], np.mean(y_hat[-1].argmax(axis=-1) == classes.repeat(2, axis=0), axis=1))
