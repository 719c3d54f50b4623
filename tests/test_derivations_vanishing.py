"""Every derivation of the chapter on vanishing and exploding gradients, checked numerically in float64.

Per example and in the lecturer's notation (o_t = f(w x_t + w' o_{t-1} + b)), independent of the
exercise's code: step Jacobians, their product, the bound (gamma sigma_max(w'))^(T-k), the forward
sensitivity d o_T / d x_1, the gradient norms through time, the one-unit cliff and norm clipping.
"""

import numpy as np
import pytest

from autograder.gradcheck import numerical_gradient, rel_error
from lab.functions import sigmoid

pytestmark = pytest.mark.fast

D, H, T = 3, 5, 12


# name -> (f, f' as a function of the state o = f(a), gamma = max |f'|)
ACTIVATIONS = {
    "tanh": (np.tanh, lambda o: 1.0 - o**2, 1.0),
    "sigmoid": (sigmoid, lambda o: o * (1.0 - o), 0.25),
}


def network(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return {
        "w": rng.standard_normal((H, D)) / np.sqrt(D),
        "w_prime": scale * rng.standard_normal((H, H)) / np.sqrt(H),
        "b": 0.3 * rng.standard_normal(H),
        "xs": rng.standard_normal((T + 1, D)),  # xs[t] is x_t; xs[0] is not used
        "o0": 0.5 * rng.standard_normal(H),
    }


def run(p, f, o_k=None, k=0, x1=None):
    """States o_0..o_T; from step k on with o_k given (o_k=None: from o_0), x_1 replaced by x1 if given."""
    os = [p["o0"] if o_k is None else o_k]
    for t in range(k + 1, T + 1):
        x_t = x1 if (t == 1 and x1 is not None) else p["xs"][t]
        os.append(f(p["w"] @ x_t + p["w_prime"] @ os[-1] + p["b"]))
    return ([None] * k) + os


def jacobians(p, f_prime_of_o, os):
    """J_t = diag(f'(a_t)) w' for t = 1..T (index t)."""
    return {t: np.diag(f_prime_of_o(os[t])) @ p["w_prime"] for t in range(1, T + 1)}


def d_o_T_d_o_k(J, k):
    product = np.eye(H)
    for t in range(T, k, -1):
        product = product @ J[t]
    return product


def numerical_jacobian(function, x, eps=1e-6):
    """d function(x) / d x, column by column, by central differences."""
    columns = []
    for j in range(x.size):
        step = np.zeros_like(x)
        step[j] = eps
        columns.append((function(x + step) - function(x - step)) / (2 * eps))
    return np.stack(columns, axis=1)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gamma_bounds_the_derivative_and_is_reached_at_zero(name):
    f, f_prime_of_o, gamma = ACTIVATIONS[name]
    a = np.linspace(-20, 20, 40001)
    h = 1e-5
    derivative = (f(a + h) - f(a - h)) / (2 * h)  # entry by entry: f acts on each entry alone
    assert rel_error(derivative, f_prime_of_o(f(a))) < 1e-8
    assert np.max(np.abs(derivative)) <= gamma + 1e-9
    assert f_prime_of_o(f(0.0)) == pytest.approx(gamma, abs=1e-15)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_the_step_jacobian_is_diag_f_prime_times_w_prime(name):
    f, f_prime_of_o, _ = ACTIVATIONS[name]
    p = network(0)
    os = run(p, f)
    J = jacobians(p, f_prime_of_o, os)
    for t in (1, 5, T):
        numeric = numerical_jacobian(
            lambda o_prev, t=t: f(p["w"] @ p["xs"][t] + p["w_prime"] @ o_prev + p["b"]), os[t - 1]
        )
        assert rel_error(J[t], numeric) < 1e-8, t


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_d_o_T_d_o_k_is_the_product_of_step_jacobians(name):
    f, f_prime_of_o, _ = ACTIVATIONS[name]
    p = network(1)
    os = run(p, f)
    J = jacobians(p, f_prime_of_o, os)
    for k in (T - 6, T - 3, T - 1, T):  # longer products are too small for differences
        numeric = np.eye(H) if k == T else numerical_jacobian(lambda o_k, k=k: run(p, f, o_k, k)[-1], os[k])
        assert rel_error(d_o_T_d_o_k(J, k), numeric) < 1e-6, k  # sigmoid products reach 1e-5


@pytest.mark.parametrize("name", ACTIVATIONS)
@pytest.mark.parametrize("scale", [0.5, 1.5, 4.0])
def test_the_product_and_the_gradient_obey_the_bound(name, scale):
    f, f_prime_of_o, gamma = ACTIVATIONS[name]
    rng = np.random.default_rng(2)
    for seed in range(5):
        p = network(10 + seed, scale)
        os = run(p, f)
        J = jacobians(p, f_prime_of_o, os)
        factor = gamma * np.linalg.norm(p["w_prime"], ord=2)
        delta_T = rng.standard_normal(H)
        for k in range(T + 1):
            product = d_o_T_d_o_k(J, k)
            assert np.linalg.norm(product, ord=2) <= factor ** (T - k) * (1 + 1e-12)
            delta_k = product.T @ delta_T
            assert np.linalg.norm(delta_k) <= factor ** (T - k) * np.linalg.norm(delta_T) * (1 + 1e-12)


def test_the_bound_is_reached_by_a_linear_network_with_orthogonal_weights():
    rng = np.random.default_rng(3)
    Q = np.linalg.qr(rng.standard_normal((H, H)))[0]
    for rho in (0.5, 1.0, 1.5):
        # f = identity: f' = 1 = gamma, and every singular value of rho Q is rho.
        delta = rng.standard_normal(H)
        norm_T = np.linalg.norm(delta)
        for steps_back in range(1, T + 1):
            delta = (rho * Q).T @ delta
            assert np.linalg.norm(delta) == pytest.approx(rho**steps_back * norm_T, rel=1e-12)


def test_the_delta_recursion_gives_the_gradient_on_every_state():
    """delta_{t-1} = w'^T (f'(a_t) * delta_t) from delta_T = g is dL/do_t of L = g . o_T (the norms plotted)."""
    f, f_prime_of_o, _ = ACTIVATIONS["tanh"]
    p = network(4)
    os = run(p, f)
    g = np.random.default_rng(5).standard_normal(H)
    delta = {T: g}
    for t in range(T, 0, -1):
        delta[t - 1] = p["w_prime"].T @ (f_prime_of_o(os[t]) * delta[t])
    for k in range(T + 1):
        o_k = os[k].copy()
        numeric = numerical_gradient(lambda o_k=o_k, k=k: float(g @ run(p, f, o_k, k)[-1]), o_k)
        assert rel_error(delta[k], numeric) < 1e-8, k


def test_the_forward_sensitivity_is_the_same_product():
    f, f_prime_of_o, gamma = ACTIVATIONS["tanh"]
    p = network(6)
    p["o0"] = np.zeros(H)
    os = run(p, f)
    J = jacobians(p, f_prime_of_o, os)
    formula = d_o_T_d_o_k(J, 1) @ np.diag(f_prime_of_o(os[1])) @ p["w"]  # (eq-vanishing-forward)
    numeric = numerical_jacobian(lambda x1: run(p, f, x1=x1)[-1], p["xs"][1])
    assert rel_error(formula, numeric) < 1e-5  # entries near 1e-5: differences are good to about 1e-11
    # The forward-mode recursion of the chapter: M_1 = diag(f'(a_1)) w, M_t = J_t M_{t-1}.
    M = np.diag(f_prime_of_o(os[1])) @ p["w"]
    for t in range(2, T + 1):
        M = J[t] @ M
    assert rel_error(M, formula) < 1e-12
    bound = np.linalg.norm(p["w_prime"], ord=2) ** (T - 1) * gamma * np.linalg.norm(p["w"], ord=2)
    assert np.linalg.norm(formula, ord=2) <= bound


CLIFF_T, CLIFF_O0, CLIFF_Y = 50, 0.5, 0.7


def cliff_states(w_prime, b):
    os = [CLIFF_O0]
    for _ in range(CLIFF_T):
        os.append(np.tanh(w_prime * os[-1] + b))
    return os


def test_the_bptt_gradient_of_the_one_unit_network():
    for w_prime, b in [(0.7, 0.3), (1.6, 0.2), (2.5, -0.4), (1.3, -0.12)]:
        os = cliff_states(w_prime, b)
        delta = 2.0 * (os[-1] - CLIFF_Y)
        grad = np.zeros(2)
        for t in range(CLIFF_T, 0, -1):
            d_a = (1.0 - os[t] ** 2) * delta
            grad += d_a * np.array([os[t - 1], 1.0])
            delta = w_prime * d_a
        theta = np.array([w_prime, b])
        numeric = numerical_gradient(lambda: (cliff_states(*theta)[-1] - CLIFF_Y) ** 2, theta, h=1e-7)  # noqa: B023
        assert rel_error(grad, numeric) < 1e-6, (w_prime, b)


def test_the_cliff_separates_the_two_fixed_points():
    # For w' > 1 the last state is near one of two fixed points, one near -1 and one near +1, and it
    # jumps from one to the other within a tiny change of b: the wall.
    b = np.linspace(-1.0, 0.5, 3001)
    o_T = cliff_states(2.0, b)[-1]
    (wall,) = np.flatnonzero(np.diff(np.sign(o_T)))  # exactly one change of sign
    assert o_T[wall + 1] - o_T[wall] > 1.0  # over one grid step of b, 5e-4
    assert np.all(o_T[: wall - 20] < -0.9) and np.all(o_T[wall + 20 :] > 0.7)
    loss = (o_T - CLIFF_Y) ** 2
    assert loss.max() == pytest.approx((1 + CLIFF_Y) ** 2, abs=0.1)
    assert np.all(loss[wall + 20 :] <= (1 - CLIFF_Y) ** 2)


def test_norm_clipping_keeps_the_direction_and_bounds_the_norm():
    rng = np.random.default_rng(7)
    for threshold in (0.1, 1.0, 100.0):
        g = rng.standard_normal(10) * 5
        clipped = g * (threshold / np.linalg.norm(g)) if np.linalg.norm(g) > threshold else g
        assert np.linalg.norm(clipped) == pytest.approx(min(np.linalg.norm(g), threshold), rel=1e-12)
        assert g @ clipped == pytest.approx(np.linalg.norm(g) * np.linalg.norm(clipped), rel=1e-12)
