"""Every derivation of the RNN and BPTT chapters, checked by finite differences in float64.

Per example and in the lecturer's notation (w, w', w''), on the chapter's own forward_pass and backward_pass
(book/bptt.md, taken from the chapter by tests/chapters.py, not retyped), and then against the solution's
batched functions on the same numbers.
"""

import numpy as np
import pytest
from chapters import chapter_functions
from notebooks import solution_namespace

from autograder.gradcheck import numerical_gradient, rel_error
from lab.functions import cross_entropy

pytestmark = pytest.mark.fast

D, H, C, T = 3, 4, 2, 6


@pytest.fixture
def example():
    rng = np.random.default_rng(0)
    return {
        "w": rng.standard_normal((H, D)) / np.sqrt(D),
        "w_prime": rng.standard_normal((H, H)) / np.sqrt(H),
        "b": 0.3 * rng.standard_normal(H),
        "w_2prime": rng.standard_normal((C, H)),
        "b_2prime": 0.3 * rng.standard_normal(C),
        "xs": rng.standard_normal((T, D)),
        "o0": 0.5 * rng.standard_normal(H),
        "y": 1,
    }


BPTT = chapter_functions("bptt", ("forward_pass", "backward_pass"))


def forward(p):
    """The chapter's forward pass (eq-bptt-forward) on the example, then the loss at o_T: (states o_0..o_T, loss)."""
    _, os = BPTT["forward_pass"]([None, *p["xs"]], p["o0"], p["w"], p["w_prime"], p["b"])
    return os, cross_entropy(p["w_2prime"] @ os[-1] + p["b_2prime"], p["y"])


def backward(p, os):
    """The chapter's BPTT (backward_pass: the delta recursion) with the many-to-one loss's direct gradient at o_T."""
    xs = [None, *p["xs"]]
    a, _ = BPTT["forward_pass"](xs, p["o0"], p["w"], p["w_prime"], p["b"])
    s = p["w_2prime"] @ os[-1] + p["b_2prime"]
    ds = np.exp(s - s.max()) / np.sum(np.exp(s - s.max())) - np.eye(C)[p["y"]]
    g_direct = {t: np.zeros(H) for t in range(T)} | {T: p["w_2prime"].T @ ds}
    delta, grads = BPTT["backward_pass"](xs, a, os, p["w"], p["w_prime"], g_direct)
    return {
        "w": grads["w"],
        "w_prime": grads["w_prime"],
        "b": grads["b"],
        "xs": np.array(grads["xs"][1:]),
        "o0": delta[0],
        "w_2prime": np.outer(ds, os[-1]),
        "b_2prime": ds,
    }


def test_the_delta_recursion_gives_every_gradient(example):
    grads = backward(example, forward(example)[0])
    for name in ("w", "w_prime", "b", "w_2prime", "b_2prime", "xs", "o0"):
        numeric = numerical_gradient(lambda: forward(example)[1], example[name])
        assert rel_error(grads[name], numeric) < 1e-8, name


def test_the_sum_over_time_of_jacobian_products_equals_the_recursion(example):
    os, _ = forward(example)
    grads = backward(example, os)
    s = example["w_2prime"] @ os[-1] + example["b_2prime"]
    ds = np.exp(s - s.max()) / np.sum(np.exp(s - s.max()))
    ds[example["y"]] -= 1
    dL_do_T = example["w_2prime"].T @ ds
    product = np.eye(H)  # d o_T / d o_k, built from k = T down
    total, last_term_only = 0, None
    for k in range(T, 0, -1):
        term = np.outer((1 - os[k] ** 2) * (product.T @ dL_do_T), os[k - 1])
        last_term_only = term if k == T else last_term_only
        total = total + term
        product = product @ (np.diag(1 - os[k] ** 2) @ example["w_prime"])
    assert rel_error(total, grads["w_prime"]) < 1e-12
    # The notes' single product through o_T keeps only the term k = T: it is not the gradient.
    assert rel_error(last_term_only, grads["w_prime"]) > 0.05


def test_the_step_jacobian_is_diag_f_prime_times_w_prime(example):
    o_prev = example["o0"].copy()
    x_t = example["xs"][0]
    o_t = np.tanh(example["w"] @ x_t + example["w_prime"] @ o_prev + example["b"])
    jacobian = np.diag(1 - o_t**2) @ example["w_prime"]
    for i in range(H):
        row = numerical_gradient(
            lambda i=i: np.tanh(example["w"] @ x_t + example["w_prime"] @ o_prev + example["b"])[i], o_prev
        )
        assert rel_error(jacobian[i], row) < 1e-9


def test_the_stacked_form_equals_the_two_matrix_form(example):
    x_t, o_prev = example["xs"][0], example["o0"]
    stacked = np.concatenate([example["w_prime"], example["w"]], axis=1) @ np.concatenate([o_prev, x_t])
    assert rel_error(stacked, example["w"] @ x_t + example["w_prime"] @ o_prev) < 1e-15


def test_the_batched_solution_computes_the_per_example_gradients(example):
    ns = solution_namespace("rnn_bptt")
    params = {
        "Wx": example["w"],
        "Wh": example["w_prime"],
        "b": example["b"],
        "Wy": example["w_2prime"],
        "by": example["b_2prime"],
    }
    loss, grads = ns["many_to_one_loss"](example["xs"][None], np.array([example["y"]]), params)
    example = example | {"o0": np.zeros(H)}  # the many-to-one loss starts from o_0 = 0
    os, per_example_loss = forward(example)
    per_example = backward(example, os)
    assert loss == pytest.approx(per_example_loss, rel=1e-12)
    for code_name, name in [("Wx", "w"), ("Wh", "w_prime"), ("b", "b"), ("Wy", "w_2prime"), ("by", "b_2prime")]:
        assert rel_error(grads[code_name], per_example[name]) < 1e-12, code_name


def test_the_softmax_cross_entropy_gradient_is_probabilities_minus_onehot_over_n():
    rng = np.random.default_rng(1)
    scores, y = rng.standard_normal((5, 4)) * 3, rng.integers(0, 4, size=5)

    def loss():
        shifted = scores - scores.max(axis=1, keepdims=True)
        return float(np.mean(np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(5), y]))

    probs = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    assert rel_error((probs - np.eye(4)[y]) / 5, numerical_gradient(loss, scores)) < 1e-9
