"""Linear recurrences in the library (lab/scan.py, lab/min_gru.py): the scan against the loop, every backward pass
against central differences in float64, the log-space scan where the direct forms underflow, and minGRU in the
training code of the other cells."""

import functools
import math

import numpy as np
import pytest
from test_lab import expect_every_gradient

from autograder.gradcheck import check_layer, gradient_error, rel_error
from lab import lm, min_gru, scan, tasks
from lab.functions import sigmoid

pytestmark = pytest.mark.fast

LENGTHS = (1, 2, 3, 5, 16, 17, 100)


def recurrence_inputs(rng, T, N=3, H=4, low=-1.0):
    """a uniform in (low, 1), b and h0 standard normal: (N, T, H), (N, T, H), (N, H)."""
    return rng.uniform(low, 1, (N, T, H)), rng.standard_normal((N, T, H)), rng.standard_normal((N, H))


@pytest.mark.parametrize("T", LENGTHS)
def test_the_scan_gives_the_states_and_gradients_of_the_loop_in_ceil_log2_T_steps(T):
    rng = np.random.default_rng(T)
    a, b, h0 = recurrence_inputs(rng, T)
    h_loop, loop_cache = scan.recurrence_forward(a, b, h0)
    forward, backward = {}, {}
    h_scan, scan_cache = scan.scan_forward(a, b, h0, forward)
    assert rel_error(h_scan, h_loop) < 1e-14
    dh = rng.standard_normal(h_loop.shape)
    for by_scan, by_loop in zip(scan.scan_backward(dh, scan_cache, backward), scan.recurrence_backward(dh, loop_cache)):
        assert by_scan.shape == by_loop.shape and rel_error(by_scan, by_loop) < 1e-14
    assert forward["steps"] == backward["steps"] == math.ceil(math.log2(T))


def test_the_scan_steps_are_ceil_log2_T_for_every_length_up_to_1025():
    for T in range(1, 1026):
        record = {}
        scan.scan(np.ones((1, T, 1)), np.ones((1, T, 1)), record)
        assert record["steps"] == (T - 1).bit_length()  # ceil(log2 T), exactly, without floating point


def test_the_scan_prefixes_are_the_products_and_the_states_from_zero():
    rng = np.random.default_rng(0)
    a, b, _ = recurrence_inputs(rng, 9)
    A, B = scan.scan(a, b)
    assert rel_error(A, np.cumprod(a, axis=1)) < 1e-14
    assert rel_error(B, scan.recurrence_forward(a, b, np.zeros((3, 4)))[0]) < 1e-14
    delta = scan.reverse_scan(a, b)  # delta_t = b_t + a_t delta_{t+1}
    expected = np.zeros_like(b)
    for t in reversed(range(9)):
        expected[:, t] = b[:, t] + (a[:, t] * expected[:, t + 1] if t < 8 else 0)
    assert rel_error(delta, expected) < 1e-14


@pytest.mark.parametrize("method", ["loop", "scan"])
def test_the_backward_passes_of_the_recurrence_match_central_differences(method):
    forward, backward = {
        "loop": (scan.recurrence_forward, scan.recurrence_backward),
        "scan": (scan.scan_forward, scan.scan_backward),
    }[method]
    rng = np.random.default_rng(1)
    for T in (1, 2, 7):
        a, b, h0 = recurrence_inputs(rng, T, N=2, H=3)
        errors = check_layer(forward, backward, {"a": a, "b": b, "h0": h0}, method="full")
        assert max(errors.values()) < 1e-8, (T, errors)


def test_the_scan_carries_a_leading_stack_axis():
    rng = np.random.default_rng(2)
    a, b, h0 = rng.uniform(-1, 1, (2, 3, 6, 4)), rng.standard_normal((2, 3, 6, 4)), rng.standard_normal((2, 3, 4))
    h, _ = scan.scan_forward(a, b, h0)
    for s in range(2):
        assert rel_error(h[s], scan.recurrence_forward(a[s], b[s], h0[s])[0]) < 1e-14


def test_the_log_space_scan_is_the_recurrence_where_the_direct_forms_are_finite():
    rng = np.random.default_rng(3)
    a, b, h0 = recurrence_inputs(rng, 40, low=0.05)
    h, _ = scan.recurrence_forward(a, b, h0)
    assert rel_error(scan.log_space_forward(a, b, h0), h) < 1e-12
    assert rel_error(scan.closed_form(a, b, h0), h) < 1e-10
    positive = np.abs(b), np.abs(h0)
    log_h = scan.log_scan(np.log(a), np.log(positive[0]), np.log(positive[1]))
    assert rel_error(np.exp(log_h), scan.recurrence_forward(a, *positive)[0]) < 1e-12


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_log_space_scan_stays_finite_where_the_products_underflow(dtype):
    rng = np.random.default_rng(4)
    T = 3000 if dtype == np.float64 else 400  # 0.5^T: far below the smallest number of the dtype
    a = np.full((2, T, 3), 0.5, dtype)
    b = rng.standard_normal((2, T, 3)).astype(dtype)
    h0 = rng.standard_normal((2, 3)).astype(dtype)
    assert np.cumprod(a, axis=1)[0, -1, 0] == 0  # the direct products underflow ...
    direct = scan.closed_form(a, b, h0)
    assert not np.all(np.isfinite(direct))  # ... and the closed form breaks
    in_logs = scan.log_space_forward(a, b, h0)
    assert np.all(np.isfinite(in_logs))
    tolerance = 1e-10 if dtype == np.float64 else 1e-4
    assert rel_error(in_logs, scan.recurrence_forward(a, b, h0)[0]) < tolerance


def min_gru_inputs(rng, N=2, T=5, D=3, H=4):
    """x, h0, Wz, bz, Wh, bh of a small minGRU, float64."""
    return {
        "x": rng.standard_normal((N, T, D)),
        "h0": rng.standard_normal((N, H)),
        "Wz": rng.standard_normal((H, D)),
        "bz": rng.standard_normal(H),
        "Wh": rng.standard_normal((H, D)),
        "bh": rng.standard_normal(H),
    }


@pytest.mark.parametrize("signed", [False, True])
def test_the_min_gru_forward_pass_is_a_plain_loop_over_its_equations(signed):
    rng = np.random.default_rng(5)
    v = min_gru_inputs(rng)
    h, _ = min_gru.min_gru_forward(*v.values(), signed=signed)
    state = v["h0"]
    for t in range(v["x"].shape[1]):
        x_t = v["x"][:, t]
        z = sigmoid(x_t @ v["Wz"].T + v["bz"])
        keep = 1 - 2 * z if signed else 1 - z
        state = keep * state + z * (x_t @ v["Wh"].T + v["bh"])
        assert rel_error(h[:, t], state) < 1e-14


@pytest.mark.parametrize("signed", [False, True])
def test_the_min_gru_backward_pass_matches_central_differences(signed):
    rng = np.random.default_rng(6)
    forward = functools.partial(min_gru.min_gru_forward, signed=signed)
    for T in (1, 6):
        errors = check_layer(forward, min_gru.min_gru_backward, min_gru_inputs(rng, T=T), method="full")
        assert max(errors.values()) < 1e-8, (T, errors)


def test_a_stack_of_min_grus_is_its_networks_side_by_side():
    rng = np.random.default_rng(7)
    stacked = {k: np.stack([v, v + 0.1 * rng.standard_normal(v.shape)]) for k, v in min_gru_inputs(rng).items()}
    h, cache = min_gru.min_gru_forward(*stacked.values())
    dh = rng.standard_normal(h.shape)
    grads = min_gru.min_gru_backward(dh, cache)
    for s in range(2):
        alone = [value[s] for value in stacked.values()]
        h_s, cache_s = min_gru.min_gru_forward(*alone)
        assert rel_error(h[s], h_s) < 1e-14
        for together, apart in zip(grads, min_gru.min_gru_backward(dh[s], cache_s)):
            assert rel_error(together[s], apart) < 1e-14


def perturbed_min_grus(rng, S=2, D=2, H=3, C=2):
    """A float64 stack of minGRUs with every array moved off its initial values."""
    p = min_gru.new_min_grus(rng, S, D, H, C, write_bias=-0.5, dtype=np.float64)
    return {name: a + 0.1 * rng.standard_normal(a.shape) for name, a in p.items()}


@pytest.mark.parametrize("cell", ["minGRU", "signed minGRU"])
@pytest.mark.parametrize("loss", ["classes", "values"])
def test_every_gradient_of_the_min_gru_passes_matches_central_differences(cell, loss):
    rng = np.random.default_rng(8)
    expect_every_gradient(cell, perturbed_min_grus(rng, C=2 if loss == "classes" else 1), loss, rng)


def test_the_min_gru_language_model_gradients_with_a_carried_state():
    rng = np.random.default_rng(9)
    V = 5
    p = perturbed_min_grus(rng, S=2, D=V, H=3, C=V)
    inputs, targets = rng.integers(0, V, (2, 4, 3)), rng.integers(0, V, (2, 4, 3))
    state = rng.standard_normal((2, 3, 3))
    _, grads, last = lm.chunk_loss_and_grads("minGRU", p, inputs, targets, state)
    assert last.shape == (2, 3, 3)
    for name in p:
        error = gradient_error(
            lambda: lm.chunk_loss_and_grads("minGRU", p, inputs, targets, state)[0].sum(), p[name], grads[name], "full"
        )
        assert error < 1e-7, name


def test_parity_and_the_parameter_counts():
    xs, classes = tasks.parity(np.random.default_rng(10), 2, 400, 7)
    assert xs.shape == (2, 7, 400, 1) and set(np.unique(xs)) == {0.0, 1.0}
    assert np.array_equal(classes, xs[..., 0].sum(axis=1) % 2) and 0.4 < classes.mean() < 0.6
    p = min_gru.new_min_grus(np.random.default_rng(11), 1, 3, 5, 2)
    assert sum(a.size for a in p.values()) == min_gru.min_gru_params(3, 5, 2)
    assert min_gru.min_gru_params(3, min_gru.matched_width(3, 2, 1000), 2) == pytest.approx(1000, abs=5)


def test_the_signed_min_gru_holds_parity_at_every_length_where_the_same_weights_unsigned_say_or():
    # z = 1, h~ = 1 on a one and z = 0 on a zero: h_t is the parity itself, 0 or 1, at any length
    bits = np.random.default_rng(12).integers(0, 2, (1, 200, 1)).astype(float)
    big = 40.0
    weights = {"Wz": np.array([[2 * big]]), "bz": np.array([-big]), "Wh": np.array([[0.0]]), "bh": np.array([1.0])}
    h, _ = min_gru.min_gru_forward(bits, np.zeros((1, 1)), signed=True, **weights)
    assert np.allclose(h[0, :, 0], np.cumsum(bits[0, :, 0]) % 2, atol=1e-12)
    h, _ = min_gru.min_gru_forward(bits, np.zeros((1, 1)), signed=False, **weights)
    assert np.allclose(h[0, :, 0], np.maximum.accumulate(bits[0, :, 0]), atol=1e-12)  # "a one was seen"


def test_the_min_gru_gives_the_same_numbers_on_the_loop_and_on_the_scan():
    rng = np.random.default_rng(13)
    v = min_gru_inputs(rng, T=17)
    runs = {}
    for method in min_gru.RECURRENCES:
        record = {}
        h, cache = min_gru.min_gru_forward(*v.values(), signed=True, method=method, record=record)
        runs[method] = (h, min_gru.min_gru_backward(np.ones_like(h), cache), record["steps"])
    assert runs["loop"][2] == 17 and runs["scan"][2] == 5
    assert rel_error(runs["loop"][0], runs["scan"][0]) < 1e-14
    assert all(rel_error(g, f) < 1e-13 for g, f in zip(runs["loop"][1], runs["scan"][1]))


@pytest.mark.parametrize("signed", [False, True])
def test_the_chrono_write_bias_starts_the_transition_where_the_chrono_lstm_starts_its_forget_gate(signed):
    from lab import linear_experiments, networks

    bias = linear_experiments.chrono_write_bias(np.random.default_rng(14), 2, 5, 100, signed)
    u = np.exp(networks.chrono_bias(np.random.default_rng(14), 2, 5, 100))
    z = sigmoid(bias)
    assert np.allclose(1 - 2 * z if signed else 1 - z, u / (1 + u))


def test_the_chapter_experiments_run_small_and_return_their_shapes():
    from lab import linear_experiments

    timings = linear_experiments.scan_timings([1, 16], [(1, 1), (2, 3)], 1, np.random.default_rng(15))
    assert set(timings) == {"loop", "scan"} and timings["scan"].shape == (2, 2) and np.all(timings["scan"] > 0)
    widths = {"minGRU": 3, "signed minGRU": 3, "GRU": 2, "LSTM": 2}
    task = linear_experiments.cells_on_task("adding", widths, 2, 3, 0)
    assert all(task["curves"][cell].shape == (3, 2) and task["test"][cell].shape == (2,) for cell in widths)
    parity = linear_experiments.parity_runs(widths, 2, 3, (1, 4), [4, 8], 0)
    assert all(parity["test"][cell].shape == (2, 2) for cell in widths)
    assert np.all((parity["test"]["minGRU"] >= 0) & (parity["test"]["minGRU"] <= 1))
    calls = linear_experiments.part_calls(23)
    assert [call[0] for call in calls] == ["task", "lm", "lm", "lm", "task", "parity"]


def test_the_chapter_function_runs_every_part_in_two_processes_with_tiny_settings():
    from lab import linear_experiments

    tiny = dict(linear_experiments.LINEAR, **{"scan lengths T": [4], "scan sizes (N, H)": [(1, 1)], "repeats": 1})
    tiny |= {"tasks": {"two-sequence": 2, "adding": 2}, "task seeds": 1, "H of the LSTM": 1, "parity seeds": 1}
    tiny |= {"parity updates": 2, "parity H of the GRU": 1, "lm seeds": 1, "lm updates": 1, "H of the LM's LSTM": 1}
    results = linear_experiments.linear_chapter(0, tiny)
    assert set(results["lm"]["held-out"]) == set(tiny["lm cells"]) == set(results["widths"]["lm"])
    assert set(results["adding"]["test"]) == set(tiny["task cells"]) == set(results["widths"]["two-sequence"])
    assert results["parity"]["test"]["GRU"].shape == (len(tiny["parity test lengths"]), 1)
    assert set(results["seconds"]) == {"lm", "two-sequence", "adding", "parity"}
