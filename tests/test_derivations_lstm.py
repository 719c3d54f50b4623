"""Every derivation of the LSTM chapter (book/lstm.md), checked by finite differences in float64.

Per example and in the lecture's notation (w, w', column vectors, gates stacked i, f, g, o), on the chapter's
own lstm_step, lstm_forward_pass and lstm_backward_pass (taken from book/lstm.md by tests/chapters.py, not
retyped); then the solution's batched functions and the grader's reference against the same numbers; and, where
torch is installed, the solution against torch.nn.LSTM.
"""

import numpy as np
import pytest
from chapters import chapter_functions
from notebooks import solution_namespace

from autograder.gradcheck import numerical_gradient, rel_error
from autograder.reference import lstm as reference
from lab.functions import cross_entropy

pytestmark = pytest.mark.fast

D, H, C, T = 3, 4, 2, 6


LSTM = chapter_functions("lstm", ("lstm_step", "lstm_forward_pass", "lstm_backward_pass"))


def sigma(a):
    """The textbook sigmoid 1 / (1 + exp(-a)), against which the chapter's overflow-free form is checked."""
    return 1.0 / (1.0 + np.exp(-a))


def col(v):
    """A vector (n,) as the chapter's column (n, 1)."""
    return np.reshape(v, (-1, 1))


@pytest.fixture
def example():
    rng = np.random.default_rng(0)
    return {
        "w": rng.standard_normal((4 * H, D)) / np.sqrt(D),
        "w_prime": rng.standard_normal((4 * H, H)) / np.sqrt(H),
        "b": 0.5 * rng.standard_normal(4 * H),
        "w_2prime": rng.standard_normal((C, H)),
        "b_2prime": 0.3 * rng.standard_normal(C),
        "xs": rng.standard_normal((T, D)),
        "h0": 0.5 * rng.standard_normal(H),
        "y": 1,
    }


def step(p, x_t, h_prev, c_prev):
    """The chapter's lstm_step, (eq-lstm-preactivation) to (eq-lstm-hidden): h_t, c_t and the gates, as vectors."""
    h, c, gates = LSTM["lstm_step"](col(x_t), col(h_prev), col(c_prev), p["w"], p["w_prime"], col(p["b"]))
    return h.ravel(), c.ravel(), tuple(g.ravel() for g in gates)


def forward(p):
    """The chapter's lstm_forward_pass: states h_0..h_T, c_0..c_T, gates of steps 1..T (index t - 1), and the
    cross-entropy loss at the end."""
    xs = [None, *map(col, p["xs"])]
    hs, cs, gates = LSTM["lstm_forward_pass"](xs, col(p["h0"]), p["w"], p["w_prime"], col(p["b"]))
    hs, cs = [h.ravel() for h in hs], [c.ravel() for c in cs]
    gates = [tuple(g.ravel() for g in step_gates) for step_gates in gates[1:]]
    return hs, cs, gates, cross_entropy(p["w_2prime"] @ hs[-1] + p["b_2prime"], p["y"])


def backward(p, hs, cs, gates):
    """The chapter's lstm_backward_pass: gamma_t (eq-lstm-gamma), the gate gradients (eq-lstm-da), delta
    (eq-lstm-delta), for the many-to-one loss at h_T."""
    s = p["w_2prime"] @ hs[-1] + p["b_2prime"]
    y_hat = np.exp(s - s.max()) / np.sum(np.exp(s - s.max()))
    delta_plus = [np.zeros((H, 1))] * T + [col(p["w_2prime"].T @ (y_hat - np.eye(C)[p["y"]]))]
    columns = [None] + [tuple(map(col, step_gates)) for step_gates in gates]
    xs, hs, cs = [None, *map(col, p["xs"])], list(map(col, hs)), list(map(col, cs))
    delta, delta_c, grads = LSTM["lstm_backward_pass"](xs, hs, cs, columns, p["w"], p["w_prime"], delta_plus)
    return {
        "w": grads["w"],
        "w_prime": grads["w_prime"],
        "b": grads["b"].ravel(),
        "xs": np.array([g.ravel() for g in grads["xs"][1:]]),
        "gamma": {t: gamma.ravel() for t, gamma in delta_c.items()},
        "h0": delta[0].ravel(),
    }


def test_the_sigmoid_derivative_and_the_overflow_free_form():
    a = np.linspace(-8, 8, 33)
    numeric = np.array([numerical_gradient(lambda k=k: sigma(a[k]), a)[k] for k in range(a.size)])
    assert rel_error(sigma(a) * (1 - sigma(a)), numeric) < 1e-9  # (eq-lstm-sigmoid-derivative)
    assert rel_error(0.5 * (1 + np.tanh(0.5 * a)), sigma(a)) < 1e-15


def test_the_gate_by_gate_backward_pass_gives_every_gradient(example):
    hs, cs, gates, _ = forward(example)
    grads = backward(example, hs, cs, gates)
    for name in ("w", "w_prime", "b", "xs", "h0"):
        numeric = numerical_gradient(lambda: forward(example)[3], example[name])
        assert rel_error(grads[name], numeric) < 1e-8, name


def test_gamma_is_the_total_gradient_of_the_cell_state_through_both_paths(example):
    hs, cs, gates, _ = forward(example)
    grads = backward(example, hs, cs, gates)
    for t in range(1, T + 1):
        c_t = cs[t].copy()

        def loss_from_cell(t=t, c_t=c_t):
            # h_t = o_t * tanh(c_t) moves with c_t; o_t does not depend on c_t
            h, c = gates[t - 1][3] * np.tanh(c_t), c_t
            for x_k in example["xs"][t:]:
                h, c, _ = step(example, x_k, h, c)
            s = example["w_2prime"] @ h + example["b_2prime"]
            return np.log(np.sum(np.exp(s - s.max()))) + s.max() - s[example["y"]]

        assert rel_error(grads["gamma"][t], numerical_gradient(loss_from_cell, c_t)) < 1e-8, t


def test_the_blocks_of_the_step_jacobian(example):
    hs, cs, gates, _ = forward(example)
    t = 3
    x_t, h_prev, c_prev = example["xs"][t - 1], hs[t - 1].copy(), cs[t - 1].copy()
    i, f, g, o = gates[t - 1]
    tanh_c = np.tanh(cs[t])
    w_i, w_f, w_g, w_o = np.split(example["w_prime"], 4)
    dc_dh = np.diag(c_prev * f * (1 - f)) @ w_f + np.diag(g * i * (1 - i)) @ w_i + np.diag(i * (1 - g**2)) @ w_g
    expected = {  # (eq-lstm-cell-jacobian) and (eq-lstm-state-jacobian)
        ("c", "c"): np.diag(f),
        ("c", "h"): dc_dh,
        ("h", "c"): np.diag(o * (1 - tanh_c**2) * f),
        ("h", "h"): np.diag(tanh_c * o * (1 - o)) @ w_o + np.diag(o * (1 - tanh_c**2)) @ dc_dh,
    }
    moved = {"h": h_prev, "c": c_prev}
    for (out, wrt), jacobian in expected.items():
        index = 0 if out == "h" else 1
        for row in range(H):
            numeric = numerical_gradient(lambda: step(example, x_t, h_prev, c_prev)[index][row], moved[wrt])  # noqa: B023
            assert rel_error(jacobian[row], numeric) < 1e-8, (out, wrt, row)


def test_the_gradient_on_the_cell_state_path_is_the_product_of_the_forget_gates(example):
    # Hold every h_{t-1} that the gates read at its value: then c_T depends on c_k only along the cells.
    hs, cs, gates, _ = forward(example)
    k = 1
    c_k = cs[k].copy()

    def c_T_along_cells(c_k=c_k):
        c = c_k
        for t in range(k + 1, T + 1):
            _, c, _ = step(example, example["xs"][t - 1], hs[t - 1], c)
        return c

    product = np.prod([gates[t - 1][1] for t in range(k + 1, T + 1)], axis=0)  # (eq-lstm-on-path)
    for row in range(H):
        numeric = numerical_gradient(lambda: c_T_along_cells()[row], c_k)  # noqa: B023 (called within the loop)
        assert rel_error(numeric, product[row] * np.eye(H)[row]) < 1e-8


def test_the_time_scale_of_a_forget_bias_and_the_chrono_initialization():
    b_f = np.log(np.array([1.0, 9.0, 99.0]))  # (eq-lstm-chrono): u = 1, 9, 99
    f = sigma(b_f)
    assert np.allclose(1 / (1 - f), 1 + np.exp(b_f))  # (eq-lstm-timescale)
    assert np.allclose(-1 / np.log(f[1:]), 1 + np.exp(b_f[1:]), rtol=0.06)  # near 1, the two agree


def test_the_batched_solution_and_the_reference_compute_the_per_example_lstm(example):
    ns = solution_namespace("lstm")
    x = example["xs"][None]
    h0 = example["h0"][None]
    hs, cs, gates, _ = forward(example)
    h, cache = ns["lstm_forward"](x, h0, example["w"], example["w_prime"], example["b"])
    assert rel_error(h[0], np.array(hs[1:])) < 1e-14
    assert rel_error(reference.lstm(x, h0, example["w"], example["w_prime"], example["b"])[0], np.array(hs[1:])) < 1e-14
    # The upstream gradient of the chapter's loss reaches only h_T.
    s = example["w_2prime"] @ hs[-1] + example["b_2prime"]
    y_hat = np.exp(s - s.max()) / np.sum(np.exp(s - s.max()))
    dh = np.zeros((1, T, H))
    dh[0, -1] = example["w_2prime"].T @ (y_hat - np.eye(C)[example["y"]])
    dx, dh0, dWx, dWh, db = ns["lstm_backward"](dh, cache)
    per_example = backward(example, hs, cs, gates)
    for batched, name in [(dx[0], "xs"), (dh0[0], "h0"), (dWx, "w"), (dWh, "w_prime"), (db, "b")]:
        assert rel_error(batched, per_example[name]) < 1e-12, name


def test_the_solution_matches_torch_nn_lstm():
    """torch.nn.LSTM with weight_ih_l0 = Wx, weight_hh_l0 = Wh, bias_ih_l0 + bias_hh_l0 = b, batch_first=True.

    Skipped where torch is not installed (it is not a requirement of the course).
    """
    torch = pytest.importorskip("torch")
    ns = solution_namespace("lstm")
    rng = np.random.default_rng(1)
    N, T_, D_, H_ = 3, 5, 4, 6
    x = rng.standard_normal((N, T_, D_))
    h0 = rng.standard_normal((N, H_))
    Wx = rng.standard_normal((4 * H_, D_)) / 2
    Wh = rng.standard_normal((4 * H_, H_)) / 2
    b = rng.standard_normal(4 * H_)
    b_hh = rng.standard_normal(4 * H_)  # any split of b into two biases gives the same LSTM
    dh = rng.standard_normal((N, T_, H_))

    lstm = torch.nn.LSTM(D_, H_, batch_first=True).double()
    with torch.no_grad():
        lstm.weight_ih_l0.copy_(torch.from_numpy(Wx))
        lstm.weight_hh_l0.copy_(torch.from_numpy(Wh))
        lstm.bias_ih_l0.copy_(torch.from_numpy(b - b_hh))
        lstm.bias_hh_l0.copy_(torch.from_numpy(b_hh))
    x_torch = torch.from_numpy(x).requires_grad_()
    h0_torch = torch.from_numpy(h0[None].copy()).requires_grad_()
    out, _ = lstm(x_torch, (h0_torch, torch.zeros(1, N, H_, dtype=torch.float64)))
    out.backward(torch.from_numpy(dh))

    h, cache = ns["lstm_forward"](x, h0, Wx, Wh, b)
    dx, dh0, dWx, dWh, db = ns["lstm_backward"](dh, cache)
    assert rel_error(h, out.detach().numpy()) < 1e-12
    assert rel_error(dx, x_torch.grad.numpy()) < 1e-12
    assert rel_error(dh0, h0_torch.grad.numpy()[0]) < 1e-12
    assert rel_error(dWx, lstm.weight_ih_l0.grad.numpy()) < 1e-12
    assert rel_error(dWh, lstm.weight_hh_l0.grad.numpy()) < 1e-12
    assert rel_error(db, lstm.bias_ih_l0.grad.numpy()) < 1e-12
    assert rel_error(db, lstm.bias_hh_l0.grad.numpy()) < 1e-12
