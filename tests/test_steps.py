"""rnnkit.steps, the operation counter that tells a scan from a loop over time: what it counts, and that the rule
allowed_operations(T) passes a Hillis-Steele scan and fails a loop, at any length."""

import numpy as np
import pytest

from rnnkit.steps import allowed_operations, count_operations, scan_steps

pytestmark = pytest.mark.fast


def loop(a, b, h0):
    h, previous = np.empty_like(a), h0
    for t in range(a.shape[1]):
        previous = a[:, t] * previous + b[:, t]
        h[:, t] = previous
    return h


def scan(a, b, h0):
    A, B, offset = a.copy(), b.copy(), 1
    while offset < a.shape[1]:
        B[:, offset:] += A[:, offset:] * B[:, :-offset]
        A[:, offset:] *= A[:, :-offset]
        offset *= 2
    return A * h0[:, None] + B


def padded_scan(a, b, h0):
    # h0 folded in as a pair of its own, each shifted copy padded by concatenation (which returns a counted array)
    N, T, H = a.shape
    A = np.concatenate([np.ones((N, 1, H)), a], axis=1)
    B = np.concatenate([h0[:, None], b], axis=1)
    k = 1
    while k <= T:
        shifted = [np.concatenate([fill((N, k, H)), X[:, :-k]], axis=1) for fill, X in ((np.ones, A), (np.zeros, B))]
        A, B = A * shifted[0], A * shifted[1] + B
        k *= 2
    return B[:, 1:]


def arrays(T, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 1, (2, T, 3)), rng.standard_normal((2, T, 3)), rng.standard_normal((2, 3))


@pytest.mark.parametrize("T", [1, 2, 3, 5, 8, 1000, 3000])
def test_a_scan_keeps_to_the_rule_and_gives_the_loops_states(T):
    for function in (scan, padded_scan):
        h, count = count_operations(function, *arrays(T))
        assert 0 < count <= allowed_operations(T)
        assert np.allclose(h, loop(*arrays(T)), rtol=1e-10, atol=1e-12)
        assert type(h) is np.ndarray  # what it returned, made plain again


@pytest.mark.parametrize("T", [100, 1000, 3000])
def test_a_loop_over_time_breaks_the_rule(T):
    _, count = count_operations(loop, *arrays(T))
    assert count == 2 * T > allowed_operations(T)


def test_what_counts():
    a, b, h0 = arrays(50)
    assert count_operations(lambda a, b, h0: np.cumprod(a, axis=1), a, b, h0)[1] == 50  # one per entry of its axis
    assert count_operations(lambda a, b, h0: (a * b + 1) @ np.ones((3, 3)), a, b, h0)[1] == 3
    assert count_operations(lambda a, b, h0: float(a[0, 3, 1]) + float(b[1, 2, 0]), a, b, h0)[1] == 2
    copies = lambda a, b, h0: np.concatenate([np.flip(a.copy(), axis=1), np.empty_like(b)])[:, ::2].reshape(-1)  # noqa: E731
    assert count_operations(copies, a, b, h0)[1] == 0
    assert count_operations(lambda a, b, h0: scan(np.asarray(a), np.asarray(b), np.array(h0)), a, b, h0)[1] == 0


def test_scan_steps_is_the_ceiling_of_log2():
    assert [scan_steps(T) for T in (1, 2, 3, 4, 5, 8, 9, 3000)] == [0, 1, 2, 2, 3, 3, 4, 12]
