"""Every derivation of the GRU chapter, checked by finite differences in float64.

Per example and in the lecture's notation (w_g, w'_g, b_g, b'_g for the parts g = r, z, n), on the chapter's
own gru_step, gru_step_in_form, gru_forward_pass and gru_backward_pass (taken from book/gru.md by
tests/chapters.py, not retyped); then the grader's reference and the solution's batched functions on the same
numbers. The hidden checks' messages for the typical mistakes of tests/submissions/gru/ are
asserted with every other exercise's, from each mutant's SAYS (tests/test_hidden_checks.py).
"""

import numpy as np
import pytest
from chapters import chapter_functions
from notebooks import solution_namespace

from autograder.gradcheck import numerical_gradient, rel_error
from autograder.reference import gru as ref
from lab.functions import cross_entropy

pytestmark = pytest.mark.fast

D, H, C, T = 3, 4, 2, 5
PARTS = "rzn"


GRU = chapter_functions("gru", ("gru_step", "gru_step_in_form", "gru_forward_pass", "gru_backward_pass"))


@pytest.fixture
def example():
    rng = np.random.default_rng(7)
    return {
        "w": {g: rng.standard_normal((H, D)) / np.sqrt(D) for g in PARTS},
        "w_prime": {g: rng.standard_normal((H, H)) / np.sqrt(H) for g in PARTS},
        "b": {g: 0.4 * rng.standard_normal(H) for g in PARTS},
        "b_prime": {g: 0.4 * rng.standard_normal(H) for g in PARTS},
        "w_2prime": rng.standard_normal((C, H)),
        "b_2prime": 0.3 * rng.standard_normal(C),
        "xs": rng.standard_normal((T, D)),
        "o0": 0.5 * rng.standard_normal(H),
        "y": 1,
    }


def weights(p):
    """The example's w, w', b, b' (dicts over the parts), in the order the chapter's functions take them."""
    return p["w"], p["w_prime"], p["b"], p["b_prime"]


def step(p, x_t, o_prev):
    """The chapter's gru_step (eq-gru-cell): o_t and (r, z, n, m)."""
    return GRU["gru_step"](x_t, o_prev, *weights(p))


def forward(p, form="torch"):
    """The chapter's forward pass: states o_0..o_T, the values of every step ([None, ...] for another form than
    torch's, which only gru_step_in_form computes), and the many-to-one cross-entropy loss."""
    xs = [None, *p["xs"]]
    if form == "torch":
        os, values = GRU["gru_forward_pass"](xs, p["o0"], *weights(p))
    else:
        os = [p["o0"]]
        for x_t in p["xs"]:
            os.append(GRU["gru_step_in_form"](x_t, os[-1], *weights(p), form))
        values = [None] * len(os)
    return os, values, cross_entropy(p["w_2prime"] @ os[-1] + p["b_2prime"], p["y"])


def backward(p, os, values):
    """The chapter's gru_backward_pass, (eq-gru-back-mix) to (eq-gru-back-recurrent), from delta_T = w''^T (y_hat - y)
    down to o_0."""
    s = p["w_2prime"] @ os[-1] + p["b_2prime"]
    ds = np.exp(s - s.max()) / np.sum(np.exp(s - s.max())) - np.eye(C)[p["y"]]
    delta_plus = [np.zeros(H)] * T + [p["w_2prime"].T @ ds]
    grads = GRU["gru_backward_pass"]([None, *p["xs"]], os, values, p["w"], p["w_prime"], delta_plus)
    return grads | {
        "xs": np.array(grads["xs"][1:]),
        "o0": grads["o_0"],
        "w_2prime": np.outer(ds, os[-1]),
        "b_2prime": ds,
    }


def loss_of(p):
    return lambda: forward(p)[2]


def test_the_backward_pass_gives_every_gradient(example):
    grads = backward(example, *forward(example)[:2])
    for name in ("w", "w_prime", "b", "b_prime"):
        for g in PARTS:
            numeric = numerical_gradient(loss_of(example), example[name][g])
            assert rel_error(grads[name][g], numeric) < 1e-8, (name, g)
    for name in ("w_2prime", "b_2prime", "xs", "o0"):
        assert rel_error(grads[name], numerical_gradient(loss_of(example), example[name])) < 1e-8, name


def test_the_two_biases_have_equal_gradients_for_the_gates_and_not_for_the_candidate(example):
    grads = backward(example, *forward(example)[:2])
    for g in "rz":
        assert rel_error(grads["b"][g], grads["b_prime"][g]) < 1e-14
    assert rel_error(grads["b"]["n"], grads["b_prime"]["n"]) > 1e-2


def test_the_step_jacobian(example):
    x_t, o_prev = example["xs"][0], example["o0"]
    _, (r, z, n, m) = step(example, x_t, o_prev)
    w_prime = example["w_prime"]
    jacobian = (
        np.diag(z)
        + ((o_prev - n) * z * (1 - z))[:, None] * w_prime["z"]
        + ((1 - z) * (1 - n**2))[:, None] * (r[:, None] * w_prime["n"] + (m * r * (1 - r))[:, None] * w_prime["r"])
    )
    o = o_prev.copy()
    numeric = np.array([numerical_gradient(lambda j=j: step(example, x_t, o)[0][j], o) for j in range(H)])
    assert rel_error(jacobian, numeric) < 1e-8


def test_swapping_z_is_negating_the_update_gate_and_resetting_before_is_another_function(example):
    _, _, torch_loss = forward(example)
    negated = dict(example)
    for name in ("w", "w_prime", "b", "b_prime"):
        negated[name] = {g: -v if g == "z" else v for g, v in example[name].items()}
    assert abs(forward(negated, "swapped")[2] - torch_loss) < 1e-12
    assert abs(forward(example, "swapped")[2] - torch_loss) > 1e-3
    assert abs(forward(example, "reset before")[2] - torch_loss) > 1e-3


def stacked(p):
    """The exercise's arrays (eq-gru-stacked): Wx (3H, D), Wh (3H, H), bx, bh (3H,), in the order r, z, n."""
    return tuple(np.concatenate([p[name][g] for g in PARTS]) for name in ("w", "w_prime", "b", "b_prime"))


def test_the_reference_computes_each_form_of_the_chapter(example):
    x, h0 = example["xs"][None], example["o0"][None]
    for form, ref_form in (("torch", "contract"), ("swapped", "swap_z"), ("reset before", "reset_before")):
        states = np.array(forward(example, form)[0][1:])
        assert rel_error(ref.gru(x, h0, *stacked(example), form=ref_form)[0], states) < 1e-12, form


def test_the_solution_matches_the_per_example_derivation(example):
    ns = solution_namespace("gru")
    os, values, _ = forward(example)
    grads = backward(example, os, values)
    x, h0 = example["xs"][None], example["o0"][None]
    h, cache = ns["gru_forward"](x, h0, *stacked(example))
    assert rel_error(h[0], np.array(os[1:])) < 1e-12
    dh = np.zeros_like(h)
    s = example["w_2prime"] @ os[-1] + example["b_2prime"]
    ds = np.exp(s - s.max()) / np.sum(np.exp(s - s.max()))
    ds[example["y"]] -= 1
    dh[0, -1] = example["w_2prime"].T @ ds
    dx, dh0, dWx, dWh, dbx, dbh = ns["gru_backward"](dh, cache)
    expected = [np.concatenate([grads[name][g] for g in PARTS]) for name in ("w", "w_prime", "b", "b_prime")]
    for got, want in zip((dWx, dWh, dbx, dbh), expected):
        assert rel_error(got, want) < 1e-10
    assert rel_error(dx[0], grads["xs"]) < 1e-10 and rel_error(dh0[0], grads["o0"]) < 1e-10


def test_the_parameter_counts_are_the_sizes_of_the_exercise_arrays(example):
    Wx, Wh, bx, bh = stacked(example)
    assert Wx.size + Wh.size + bx.size + bh.size == 3 * H * (D + H) + 6 * H
    assert (3 * H * (D + H) + 3 * H * 2) / (4 * H * (D + H) + 4 * H * 2) == pytest.approx(0.75)
