"""The example to trace by hand of book/bptt.md: every number of its table and text, by finite differences.

The chapter's own cell computes the numbers (H = D = 1, T = 3, two classes); this test runs that cell and
checks each number against an independent computation in float64: the forward values by recomputing them,
every derivative by central differences of a loss that is written here again.
"""

import re

import numpy as np
import pytest
from notebooks import ROOT

from lab.functions import cross_entropy

pytestmark = pytest.mark.fast

H_FD = 1e-6
CELL = re.compile(r"```\{code-cell\} ipython3\n(.*?)```", re.S)


@pytest.fixture(scope="module")
def hand():
    chapter = (ROOT / "book" / "bptt.md").read_text()
    (source,) = [cell for cell in CELL.findall(chapter) if cell.startswith("# The example to trace by hand")]
    namespace = {"np": np, "cross_entropy": cross_entropy}
    exec(source, namespace)
    return namespace["hand"]


def loss(w, w_primes, o_0, xs, o_shift=None):
    """L of the example, with its own copy of w' per step and, optionally, o_t moved by o_shift[t]."""
    o = o_0 + (o_shift or {}).get(0, 0.0)
    for t in (1, 2, 3):
        o = np.tanh(w * xs[t] + w_primes[t] * o) + (o_shift or {}).get(t, 0.0)
    return -np.log(1.0 / (1.0 + np.exp(-2.0 * o)))  # class 0 of the scores (o, -o): softmax is sigmoid(2 o)


def central(fun):
    return (fun(H_FD) - fun(-H_FD)) / (2 * H_FD)


def test_the_setting_is_the_one_of_the_text(hand):
    assert (hand["w"], hand["w_prime"], hand["b"], hand["o"][0], hand["y"]) == (0.5, 1.0, 0.0, 0.5, 0)
    assert hand["xs"][1:] == [1.0, -1.0, 2.0]
    assert list(hand["w_2prime"]) == [1.0, -1.0]


def test_the_forward_numbers(hand):
    o = 0.5
    for t, x_t in zip((1, 2, 3), (1.0, -1.0, 2.0)):
        a = 0.5 * x_t + 1.0 * o
        assert hand["a"][t] == pytest.approx(a, abs=1e-15)
        o = np.tanh(a)
        assert hand["o"][t] == pytest.approx(o, abs=1e-15)
    assert list(hand["s"]) == pytest.approx([o, -o], abs=1e-15)
    y_hat_1 = np.exp(-o) / (np.exp(o) + np.exp(-o))
    assert hand["y_hat"][1] == pytest.approx(y_hat_1, abs=1e-15)
    assert hand["loss"] == pytest.approx(loss(0.5, {1: 1.0, 2: 1.0, 3: 1.0}, 0.5, hand["xs"]), abs=1e-15)


def test_each_f_prime_is_the_derivative_of_tanh_at_a_t(hand):
    for t in (1, 2, 3):
        numeric = central(lambda h, t=t: np.tanh(hand["a"][t] + h))
        assert hand["f_prime"][t] == pytest.approx(numeric, abs=1e-9)


def test_each_delta_is_the_total_gradient_on_its_state(hand):
    shared = {1: 1.0, 2: 1.0, 3: 1.0}
    for t in (1, 2, 3):
        numeric = central(lambda h, t=t: loss(0.5, shared, 0.5, hand["xs"], o_shift={t: h}))
        assert hand["delta"][t] == pytest.approx(numeric, abs=1e-9), t
    assert hand["delta"][3] == pytest.approx(-2 * hand["y_hat"][1], abs=1e-15)  # the text's -2 y_hat_1


def test_each_term_is_the_gradient_of_the_copy_of_w_prime_at_its_step(hand):
    for t in (1, 2, 3):
        numeric = central(lambda h, t=t: loss(0.5, {k: 1.0 + h * (k == t) for k in (1, 2, 3)}, 0.5, hand["xs"]))
        assert hand["term"][t] == pytest.approx(numeric, abs=1e-9), t
    numeric_total = central(lambda h: loss(0.5, {k: 1.0 + h for k in (1, 2, 3)}, 0.5, hand["xs"]))
    assert hand["grad_w_prime"] == pytest.approx(numeric_total, abs=1e-9)


def test_the_text_says_step_2_holds_the_largest_term(hand):
    assert max(hand["term"], key=lambda t: abs(hand["term"][t])) == 2
