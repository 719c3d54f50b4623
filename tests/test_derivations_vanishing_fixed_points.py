"""The fixed points of the one-unit map o -> tanh(w' o + b) of the vanishing chapter, checked in float64.

(eq-vanishing-fixed-points) and (eq-vanishing-bistable): for w' > 1 there are three fixed points, the
outer two stable, when |b| < b_c(w') = sqrt(w'(w' - 1)) - artanh(sqrt(1 - 1/w')), and one otherwise; for
w' <= 1 there is one. Independent of the chapter: the fixed points are found by bisection.
"""

import numpy as np
import pytest

pytestmark = pytest.mark.fast


def threshold(w_prime):
    return np.sqrt(w_prime * (w_prime - 1.0)) - np.arctanh(np.sqrt(1.0 - 1.0 / w_prime))


def fixed_points(w_prime, b, n=400000):
    """The roots of tanh(w' o + b) - o in (-1, 1), each refined by bisection between a sign change."""
    grid = np.linspace(-1 + 1e-13, 1 - 1e-13, n)
    gap = lambda o: np.tanh(w_prime * o + b) - o  # noqa: E731
    values = gap(grid)
    roots = []
    for i in np.flatnonzero((values[1:] > 0) != (values[:-1] > 0)):
        lo, hi = grid[i], grid[i + 1]
        for _ in range(80):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if (gap(mid) > 0) == (gap(lo) > 0) else (lo, mid)
        roots.append(0.5 * (lo + hi))
    return np.array(roots)


@pytest.mark.parametrize("w_prime", [1.2, 1.5, 1.6, 2.0, 3.0, 5.0])
def test_two_stable_fixed_points_exactly_below_the_threshold(w_prime):
    b_c = threshold(w_prime)
    for b in (0.0, 0.5 * b_c, -0.97 * b_c, 0.97 * b_c):
        roots = fixed_points(w_prime, b)
        assert len(roots) == 3, (w_prime, b, roots)
        slopes = w_prime * (1.0 - roots**2)  # the derivative of the map at each fixed point
        assert slopes[0] < 1 and slopes[2] < 1 and slopes[1] > 1, slopes
        assert np.all(np.abs(np.tanh(w_prime * roots + b) - roots) < 1e-12)
    for b in (1.03 * b_c, -1.03 * b_c, b_c + 1.0):
        roots = fixed_points(w_prime, b)
        assert len(roots) == 1 and w_prime * (1.0 - roots[0] ** 2) < 1, (w_prime, b, roots)


def test_the_threshold_is_minus_phi_at_its_minimum():
    """b_c = -phi(o_c), where phi(o) = artanh(o) - w' o has its local minimum o_c = sqrt(1 - 1/w')."""
    for w_prime in (1.3, 2.0, 4.0):
        o = np.linspace(0.0, 1 - 1e-9, 2_000_001)
        phi = np.arctanh(o) - w_prime * o
        assert abs(-phi.min() - threshold(w_prime)) < 1e-9
        assert abs(o[np.argmin(phi)] - np.sqrt(1 - 1 / w_prime)) < 1e-5


def test_the_example_of_the_issue_has_one_fixed_point():
    assert len(fixed_points(1.5, -0.5)) == 1 and len(fixed_points(1.0, 0.0)) == 1 and len(fixed_points(0.8, 0.3)) == 1
