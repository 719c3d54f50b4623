"""The gradient checker itself: exact on known gradients, and it catches wrong ones."""

import numpy as np
import pytest

from autograder.gradcheck import (
    check_layer,
    check_loss,
    directional_derivative,
    gradient_error,
    numerical_gradient,
    rel_error,
    report,
)

pytestmark = pytest.mark.fast


def test_rel_error_is_norm_wise_and_zero_for_zeros():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0
    assert rel_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])) == pytest.approx(np.sqrt(2) / 2)
    assert rel_error(np.ones(4), -np.ones(4)) == 1.0


def test_numerical_gradient_of_a_known_function_and_x_restored():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 4))
    kept = x.copy()
    grad = numerical_gradient(lambda: float(np.sum(np.sin(x) * x)), x)
    assert rel_error(grad, np.cos(kept) * kept + np.sin(kept)) < 1e-9
    assert np.array_equal(x, kept)


def test_directional_derivative_is_the_gradient_along_u():
    rng = np.random.default_rng(1)
    x, u = rng.standard_normal(5), rng.standard_normal(5)
    assert directional_derivative(lambda: float(np.sum(x**3)), x, u) == pytest.approx(np.sum(3 * x**2 * u), rel=1e-8)


@pytest.mark.parametrize("method", ["full", "directional"])
def test_gradient_error_separates_right_from_wrong(method):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, 7))

    def f():
        return float(np.sum(np.tanh(x)))

    right = 1 - np.tanh(x) ** 2
    wrong = right.copy()
    wrong[2, 3] += 0.5  # one entry off: a directional check still sees it
    assert gradient_error(f, x, right, method) < 1e-8
    assert gradient_error(f, x, wrong, method) > 1e-3


def tanh_forward(x, w):
    out = np.tanh(x @ w)
    return out, (x, w, out)


def tanh_backward(dout, cache):
    x, w, out = cache
    da = dout * (1 - out**2)
    return da @ w.T, x.T @ da


def test_check_layer_passes_a_right_layer_and_flags_a_wrong_one():
    rng = np.random.default_rng(3)
    inputs = {"x": rng.standard_normal((4, 3)), "w": rng.standard_normal((3, 5))}
    errors = check_layer(tanh_forward, tanh_backward, inputs)
    assert set(errors) == {"x", "w"} and max(errors.values()) < 1e-8
    report(errors)

    def no_tanh_backward(dout, cache):
        x, w, _ = cache
        return dout @ w.T, x.T @ dout

    errors = check_layer(tanh_forward, no_tanh_backward, inputs)
    assert min(errors.values()) > 1e-3
    with pytest.raises(AssertionError, match="gradient check failed for dx, dw"):
        report(errors)


def test_check_layer_large_inputs_use_directional_checks():
    rng = np.random.default_rng(4)
    inputs = {"x": rng.standard_normal((40, 30)), "w": rng.standard_normal((30, 20))}
    assert max(check_layer(tanh_forward, tanh_backward, inputs).values()) < 1e-7


def test_check_loss_on_a_quadratic():
    target = np.arange(3.0)

    def loss(params):
        diff = params["v"] - target
        return float(diff @ diff), {"v": 2 * diff}

    assert check_loss(loss, {"v": np.ones(3)})["v"] < 1e-9
    assert check_loss(lambda p: (loss(p)[0], {"v": p["v"]}), {"v": np.ones(3)})["v"] > 0.1
