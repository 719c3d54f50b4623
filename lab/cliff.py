"""The cliff of the vanishing chapter: a one-unit RNN o_t = tanh(w' o_{t-1} + b), L = (o_T - y)^2.

Every function works on arrays of parameters (w', b), one network per entry, so that hundreds of runs
of gradient descent go at once. The chapter shows the code of `loss_and_grad` and `descent`.
"""

import numpy as np

T, O_0, Y = 50, 0.5, 0.7  # steps, initial state, target


def state_path(w_prime, b):
    """o_0, ..., o_T of the one-unit network for arrays of parameters (broadcast together): a list of T + 1."""
    o = [np.full(np.broadcast(w_prime, b).shape, O_0)]
    for _ in range(T):
        o.append(np.tanh(w_prime * o[-1] + b))
    return o


def loss_and_grad(w_prime, b):
    """L = (o_T - y)^2, dL/dw' and dL/db, by BPTT with one unit; each an array of the parameters' shape."""
    o = state_path(w_prime, b)
    delta = 2.0 * (o[-1] - Y)  # delta_T = dL/do_T
    grad_w_prime, grad_b = np.zeros_like(delta), np.zeros_like(delta)
    for t in range(T, 0, -1):
        d_a = (1.0 - o[t] ** 2) * delta  # f'(a_t) delta_t
        grad_w_prime += d_a * o[t - 1]
        grad_b += d_a
        delta = w_prime * d_a  # delta_{t-1} = w' f'(a_t) delta_t
    return (o[-1] - Y) ** 2, grad_w_prime, grad_b


def descent(w_prime, b, lr, steps, threshold=None):
    """Gradient descent from arrays of starting points; with a threshold, the gradient is clipped.

    Clipping: g <- (threshold / ||g||) g when ||g|| > threshold (eq-vanishing-clip), ||g|| the norm of
    (dL/dw', dL/db) of each run.
    Returns a tuple of:
    - path: (steps + 1, 2, runs), the parameters (w', b) before each step and at the end
    - losses: (steps, runs), the loss before each step
    - norms: (steps, runs), the gradient norm before clipping
    """
    path, losses, norms = [np.stack([w_prime, b])], [], []
    for _ in range(steps):
        loss, g_w_prime, g_b = loss_and_grad(w_prime, b)
        norm = np.hypot(g_w_prime, g_b)
        factor = 1.0 if threshold is None else threshold / np.maximum(norm, threshold)  # (eq-vanishing-clip)
        w_prime, b = w_prime - lr * factor * g_w_prime, b - lr * factor * g_b
        path.append(np.stack([w_prime, b]))
        losses.append(loss)
        norms.append(norm)
    return np.array(path), np.array(losses), np.array(norms)


SETTINGS = {"runs": 400, "learning rate": 1.0, "steps": 200, "threshold": 1.0, "thrown": 5.0, "solved": 1e-4}


def experiment(seed=3):
    """Gradient descent from SETTINGS["runs"] random starts in 1 <= w' <= 3, -1 <= b <= 0.5, without and
    with clipping.

    Returns a dict:
    - "starts": (2, runs); "without clipping", "with clipping": the (path, losses, norms) of descent
    - "thrown", "solved": dict name -> number of runs that moved more than SETTINGS["thrown"] from their
      start / end with a loss below SETTINGS["solved"], for the names "without" and "with"
    """
    s = SETTINGS
    rng = np.random.default_rng(seed)
    starts = np.stack([rng.uniform(1.0, 3.0, s["runs"]), rng.uniform(-1.0, 0.5, s["runs"])])
    result = {"starts": starts, "thrown": {}, "solved": {}}
    for name, threshold in (("without", None), ("with", s["threshold"])):
        path, losses, norms = result[f"{name} clipping"] = descent(*starts, s["learning rate"], s["steps"], threshold)
        result["thrown"][name] = int(np.any(np.abs(path - starts) > s["thrown"], axis=(0, 1)).sum())
        result["solved"][name] = int(np.sum(losses[-1] < s["solved"]))
    return result
