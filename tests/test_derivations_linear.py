"""Every derivation of the chapter on linear recurrences, checked numerically in float64.

On the chapter's own min_gru_step, linear_recurrence, linear_recurrence_backward, min_gru_sequence_backward,
combine, hillis_steele and blelloch (taken from book/linear_rnn.md by tests/chapters.py, not retyped): minGRU as
a linear recurrence, the backward pass (eq-lin-delta), (eq-lin-grads), (eq-lin-min-gru-grads) against central
differences, the product of transitions (eq-lin-product), the operator's associativity and identity, both scans
and their counts of rounds and combines, the reverse scan, and the closed form (eq-lin-closed-form); then the
library's scan and minGRU (lab.scan, lab.min_gru) on the same numbers.
"""

import numpy as np
import pytest
from chapters import chapter_functions

from autograder.gradcheck import numerical_gradient, rel_error
from lab import min_gru, scan
from lab.functions import cross_entropy, sigmoid

pytestmark = pytest.mark.fast

D, H, T, C = 3, 4, 7, 2

LIN = chapter_functions(
    "linear_rnn",
    (
        "min_gru_step",
        "linear_recurrence",
        "linear_recurrence_backward",
        "min_gru_sequence_backward",
        "combine",
        "hillis_steele",
        "blelloch",
    ),
)


@pytest.fixture
def example():
    rng = np.random.default_rng(23)
    return {
        "w_z": rng.standard_normal((H, D)),
        "b_z": 0.5 * rng.standard_normal(H),
        "w_h": rng.standard_normal((H, D)),
        "b_h": 0.5 * rng.standard_normal(H),
        "w_2prime": rng.standard_normal((C, H)),
        "b_2prime": 0.2 * rng.standard_normal(C),
        "xs": rng.standard_normal((T, D)),
        "h_0": 0.5 * rng.standard_normal(H),
        "y": 1,
    }


def pairs(rng, T_pairs, low=0.5):
    return rng.uniform(low, 1.0, (T_pairs, H)), rng.standard_normal((T_pairs, H))


def transitions(p):
    """a_t = 1 - z_t and b_t = z_t h~_t of (eq-lin-recurrence), every step, (T, H) each."""
    z = sigmoid(p["xs"] @ p["w_z"].T + p["b_z"])
    return 1 - z, z * (p["xs"] @ p["w_h"].T + p["b_h"])


def test_min_gru_step_is_the_linear_recurrence_and_the_librarys_scan(example):
    p = example
    h = p["h_0"]
    for x_t in p["xs"]:
        h, _ = LIN["min_gru_step"](x_t, h, p["w_z"], p["b_z"], p["w_h"], p["b_h"])
    a, b = transitions(p)
    assert np.allclose(LIN["linear_recurrence"](a, b, p["h_0"])[-1], h, rtol=1e-13, atol=1e-13)
    for method in ("scan", "loop"):
        h_lib, _ = min_gru.min_gru_forward(
            p["xs"][None], p["h_0"][None], p["w_z"], p["b_z"], p["w_h"], p["b_h"], method=method
        )
        assert np.allclose(h_lib[0, -1], h, rtol=1e-12, atol=1e-12), method


def test_backward_of_the_recurrence_matches_central_differences():
    rng = np.random.default_rng(1)
    a, b = pairs(rng, T)
    h_0, g = rng.standard_normal(H), rng.standard_normal((T, H))  # L = sum_t g_t . h_t: delta^+_t = g_t

    def loss():
        return float(np.sum(g * LIN["linear_recurrence"](a, b, h_0)))

    d_a, d_b, d_h_0 = LIN["linear_recurrence_backward"](g, a, LIN["linear_recurrence"](a, b, h_0), h_0)
    for name, analytic, array in (("a", d_a, a), ("b", d_b, b), ("h_0", d_h_0, h_0)):
        assert rel_error(analytic, numerical_gradient(loss, array)) < 1e-8, name


def test_min_gru_gradients_match_central_differences(example):
    p = example

    def loss():
        a, b = transitions(p)
        h = LIN["linear_recurrence"](a, b, p["h_0"])
        return cross_entropy(p["w_2prime"] @ h[-1] + p["b_2prime"], p["y"])

    a, b = transitions(p)
    h = LIN["linear_recurrence"](a, b, p["h_0"])
    s = p["w_2prime"] @ h[-1] + p["b_2prime"]
    d_s = np.exp(s - s.max()) / np.exp(s - s.max()).sum() - np.eye(C)[p["y"]]
    delta_plus = np.zeros((T, H))
    delta_plus[-1] = p["w_2prime"].T @ d_s
    grads = LIN["min_gru_sequence_backward"](delta_plus, p["xs"], h, p["h_0"], p["w_z"], p["b_z"], p["w_h"], p["b_h"])
    for name in ("w_z", "b_z", "w_h", "b_h", "h_0"):
        assert rel_error(grads[name], numerical_gradient(loss, p[name])) < 1e-8, name


def test_the_jacobian_across_time_is_the_product_of_the_transitions():
    """(eq-lin-product): d h_T / d h_t = diag(a_{t+1} ... a_T), exactly, for every t."""
    rng = np.random.default_rng(2)
    a, b = pairs(rng, T, low=0.1)
    for t in range(T):  # start the recurrence at step t from h_t, read h_T
        h_t = rng.standard_normal(H)
        assert np.allclose(jacobian_of_last_state(a[t:], b[t:], h_t), np.diag(np.prod(a[t:], axis=0)), atol=1e-9), t


def jacobian_of_last_state(a, b, h_start):
    """d h_T / d h_start by central differences, row j the gradient of entry j of h_T."""
    rows = [numerical_gradient(lambda j=j: LIN["linear_recurrence"](a, b, h_start)[-1][j], h_start) for j in range(H)]
    return np.array(rows)


def test_the_operator_is_associative_with_identity_one_zero():
    rng = np.random.default_rng(3)
    p, q, r = (pairs(rng, 1) for _ in range(3))
    left = LIN["combine"](LIN["combine"](p, q), r)
    right = LIN["combine"](p, LIN["combine"](q, r))
    assert all(np.allclose(x, y, rtol=1e-14) for x, y in zip(left, right))
    identity = (np.ones((1, H)), np.zeros((1, H)))
    for combined in (LIN["combine"](identity, p), LIN["combine"](p, identity)):
        assert all(np.array_equal(x, y) for x, y in zip(combined, p))
    h = rng.standard_normal(H)
    a_pq, b_pq = LIN["combine"](p, q)
    assert np.allclose(a_pq[0] * h + b_pq[0], q[0][0] * (p[0][0] * h + p[1][0]) + q[1][0])  # p, then q


@pytest.mark.parametrize("T_scan", [1, 2, 3, 5, 8, 13, 64, 100])
def test_both_scans_give_the_prefixes_and_count_their_rounds_and_combines(T_scan):
    rng = np.random.default_rng(T_scan)
    a, b = pairs(rng, T_scan)
    h_loop = LIN["linear_recurrence"](a, b, np.zeros(H))
    A_loop = np.cumprod(a, axis=0)
    m = (T_scan - 1).bit_length()  # ceil(log2 T)
    A, B, counts = LIN["hillis_steele"](a, b)
    assert np.allclose(A, A_loop, rtol=1e-13) and np.allclose(B, h_loop, rtol=1e-12, atol=1e-13)
    assert counts == {"rounds": m, "combines": sum(T_scan - 2**k for k in range(m))}
    A, B, counts = LIN["blelloch"](a, b)
    assert np.allclose(A, A_loop, rtol=1e-13) and np.allclose(B, h_loop, rtol=1e-12, atol=1e-13)
    assert counts == {"rounds": 2 * m + 1, "combines": 2 * (2**m - 1) + T_scan}


def test_the_reverse_scan_is_the_backward_pass():
    rng = np.random.default_rng(4)
    a, b = pairs(rng, 40)
    h_0, delta_plus = rng.standard_normal(H), rng.standard_normal((40, H))
    _, delta, _ = LIN["linear_recurrence_backward"](delta_plus, a, LIN["linear_recurrence"](a, b, h_0), h_0)
    a_next = np.vstack([a[1:], np.zeros((1, H))])
    _, reversed_delta, _ = LIN["hillis_steele"](a_next[::-1], delta_plus[::-1])
    assert np.allclose(reversed_delta[::-1], delta, rtol=1e-12, atol=1e-13)
    assert np.allclose(scan.reverse_scan(a_next[None], delta_plus[None])[0], delta, rtol=1e-12, atol=1e-13)


def test_the_closed_form_and_log_space_agree_until_the_product_underflows():
    rng = np.random.default_rng(5)
    a, b, h_0 = rng.uniform(0.5, 1, (1, 30, H)), np.abs(rng.standard_normal((1, 30, H))), np.ones((1, H))
    h = LIN["linear_recurrence"](a[0], b[0], h_0[0])
    assert np.allclose(scan.closed_form(a, b, h_0)[0], h, rtol=1e-10)
    assert np.allclose(scan.log_space_forward(a, b, h_0)[0], h, rtol=1e-10)
    a_half = np.full((1, 1100, 1), 0.5)  # 2^-1075 is 0 in float64
    b_long, h_0 = np.ones((1, 1100, 1)), np.ones((1, 1))
    assert not np.all(np.isfinite(scan.closed_form(a_half, b_long, h_0)))
    assert np.allclose(
        scan.log_space_forward(a_half, b_long, h_0)[0], LIN["linear_recurrence"](a_half[0], b_long[0], h_0[0])
    )
