"""Time of the course's numpy LSTM, forward and backward, against two baselines measured in the same run.

The LSTM is the exercise's solution, loaded from solutions/lstm/lstm.ipynb by running its answer cells
(as benchmarks/hidden_tests.py and tests/notebooks.py do): lstm_forward then lstm_backward on a batch of
N = 64 sequences of T = 100 steps, D = 32, H = 64, float64. It is vectorised over the batch and over the
four gates: one product with Wx and one with Wh per step, for all gates at once. Baselines:

1. the solution of exercise 1 (solutions/rnn_bptt): the tanh RNN of the same size, rnn_forward then
   rnn_backward. An LSTM step does 4 times the RNN's matrix products, plus its gates;
2. a naive LSTM written here, gate by gate: eight products per step forward instead of two, and as many
   more backward. It checks the solution's numbers too.

Each time is the best of REPEATS runs. BLAS runs on one thread (OPENBLAS_NUM_THREADS=1 unless set
otherwise), as in the sandboxed grader: at these sizes a second thread does not help, and on a busy
2-core machine it makes the timings erratic. Run:

    .venv/bin/python benchmarks/lstm_forward_backward.py
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy loads OpenBLAS

import time  # noqa: E402

import numpy as np  # noqa: E402

from autograder.notebooks import solution_namespace  # noqa: E402
from lab.functions import sigmoid  # noqa: E402

N, T, D, H = 64, 100, 32, 64
REPEATS = 5


def naive_forward(x, h0, Wx, Wh, b):
    """The LSTM with one pair of matrix products per gate and step: h (N, T, H) and the states for backward."""
    gates_x = np.split(Wx, 4)  # i, f, g, o
    gates_h = np.split(Wh, 4)
    gates_b = np.split(b, 4)
    h, c = h0, np.zeros_like(h0)
    states, hs = [], []
    for t in range(x.shape[1]):
        a = [x[:, t] @ wx.T + h @ wh.T + bias for wx, wh, bias in zip(gates_x, gates_h, gates_b)]
        i, f, g, o = sigmoid(a[0]), sigmoid(a[1]), np.tanh(a[2]), sigmoid(a[3])
        c_prev, h_prev = c, h
        c = f * c_prev + i * g
        h = o * np.tanh(c)
        states.append((h_prev, c_prev, c, i, f, g, o))
        hs.append(h)
    return np.stack(hs, axis=1), states


def naive_backward(dh, x, Wx, Wh, states):
    """Gradients dx, dh0, dWx, dWh, db of the naive LSTM, gate by gate."""
    gates_x, gates_h = np.split(Wx, 4), np.split(Wh, 4)
    dWx = [np.zeros_like(w) for w in gates_x]
    dWh = [np.zeros_like(w) for w in gates_h]
    db = [np.zeros(H) for _ in range(4)]
    dx = np.zeros_like(x)
    carry_h, carry_c = np.zeros((x.shape[0], H)), np.zeros((x.shape[0], H))
    for t in range(x.shape[1] - 1, -1, -1):
        h_prev, c_prev, c, i, f, g, o = states[t]
        dh_t = dh[:, t] + carry_h
        tanh_c = np.tanh(c)
        dc = carry_c + dh_t * o * (1 - tanh_c**2)
        d_pre = [dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh_t * tanh_c * o * (1 - o)]
        carry_h = np.zeros_like(carry_h)
        for k in range(4):
            dx[:, t] += d_pre[k] @ gates_x[k]
            carry_h += d_pre[k] @ gates_h[k]
            dWx[k] += d_pre[k].T @ x[:, t]
            dWh[k] += d_pre[k].T @ h_prev
            db[k] += d_pre[k].sum(axis=0)
        carry_c = dc * f
    return dx, carry_h, np.concatenate(dWx), np.concatenate(dWh), np.concatenate(db)


def best_time(run):
    best = np.inf
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main():
    lstm = solution_namespace("lstm")
    rnn = solution_namespace("rnn_bptt")
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    dh = rng.standard_normal((N, T, H))
    Wx = rng.standard_normal((4 * H, D)) / np.sqrt(D)
    Wh = rng.standard_normal((4 * H, H)) / np.sqrt(H)
    b = rng.standard_normal(4 * H)

    def solution_lstm():
        h, cache = lstm["lstm_forward"](x, h0, Wx, Wh, b)
        return h, lstm["lstm_backward"](dh, cache)

    def naive_lstm():
        h, states = naive_forward(x, h0, Wx, Wh, b)
        return h, naive_backward(dh, x, Wx, Wh, states)

    def solution_rnn():
        h, cache = rnn["rnn_forward"](x, h0, Wx[:H], Wh[:H], b[:H])
        return rnn["rnn_backward"](dh, cache)

    (h_solution, grads_solution), (h_naive, grads_naive) = solution_lstm(), naive_lstm()
    largest = max(
        float(np.max(np.abs(a - c)) / np.max(np.abs(c)))
        for a, c in zip((h_solution, *grads_solution), (h_naive, *grads_naive))
    )
    assert largest < 1e-10, f"the naive LSTM and the solution differ by {largest:.1e}"

    seconds = {
        "LSTM, solution (stacked gates)": best_time(solution_lstm),
        "LSTM, naive (gate by gate)": best_time(naive_lstm),
        "RNN, solution of exercise 1": best_time(solution_rnn),
    }
    lstm_seconds = seconds["LSTM, solution (stacked gates)"]
    threads = os.environ["OPENBLAS_NUM_THREADS"]
    print(f"forward + backward, N={N}, T={T}, D={D}, H={H}, float64, best of {REPEATS}, OPENBLAS_NUM_THREADS={threads}")
    print(f"solution and naive LSTM agree to {largest:.1e} (largest difference relative to the largest entry)\n")
    print(f"{'':32s} {'time (ms)':>10s} {'us per step':>12s} {'LSTM solution / this':>21s}")
    for name, sec in seconds.items():
        print(f"{name:32s} {1e3 * sec:10.1f} {1e6 * sec / T:12.0f} {lstm_seconds / sec:21.2f}")
    flops_lstm = 2 * 3 * N * T * 4 * H * (D + H)  # products with Wx and Wh: forward, and two backward
    flops_rnn = flops_lstm / 4
    print(f"\nmatrix-product work: the LSTM does 4x the RNN's ({flops_lstm / 1e9:.2f} vs {flops_rnn / 1e9:.2f} GFLOP)")
    print(
        f"LSTM solution: {flops_lstm / lstm_seconds / 1e9:.1f} GFLOP/s in its matrix products (upper bound on the rate)"
    )
    speedup = seconds["LSTM, naive (gate by gate)"] / lstm_seconds
    print(f"time of the naive gate-by-gate LSTM / time of the stacked solution: {speedup:.2f}")


if __name__ == "__main__":
    main()
