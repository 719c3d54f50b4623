"""Numerical gradient checking: the one checker used by students, the book and the grader.

(The instructors' package re-exports it as autograder.gradcheck for the hidden checks.)

A layer is a pair ``forward(*inputs) -> (*outputs, cache)`` and
``backward(*douts, cache) -> grads`` with one gradient per input, in the order of the inputs.
For a fixed upstream gradient ``dout`` the backward pass must return the gradient of the
scalar ``L(inputs) = sum(dout * forward(inputs))``. We estimate that gradient by central
differences in float64 and compare it with the analytic one by a norm-wise relative error.

Two estimates are offered:

- ``full``: every entry of the gradient, ``(L(x + h e_i) - L(x - h e_i)) / 2h``. It costs
  two forward passes per entry, so it is for small arrays.
- ``directional``: for a random direction ``u``, the number ``<grad L, u>`` (a vector-Jacobian
  product ``v^T J u`` with ``v = dout``) against ``(L(x + h u) - L(x - h u)) / 2h``. It costs two
  forward passes per direction whatever the size of ``x``, and a wrong gradient almost surely
  fails it (the error would have to be orthogonal to a random direction).
"""

import functools

import numpy as np

from rnnkit.contract import FUNCTIONS, array_problem, outputs_problem

FULL_CHECK_MAX_SIZE = 400  # arrays up to this many entries get a full check under "auto"


def rel_error(a, b):
    """Norm-wise relative error ||a - b|| / (||a|| + ||b||), 0 when both are zero.

    Inputs:
    - a, b: arrays of the same shape (or numbers)
    Returns:
    - a float in [0, 1]; about 1e-9 or less for a correct float64 gradient
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def numerical_gradient(f, x, h=1e-5):
    """Gradient of a scalar function by central differences, entry by entry.

    Inputs:
    - f: function of no arguments returning a float; it must read x (changed in place here)
    - x: float64 array that f depends on; restored before returning
    - h: step size
    Returns:
    - grad: array of the shape of x
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        f_plus = f()
        x[i] = old - h
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def directional_derivative(f, x, u, h=1e-5):
    """Derivative of a scalar function along direction u by central differences.

    Inputs:
    - f: function of no arguments returning a float; it must read x (changed in place here)
    - x: float64 array that f depends on; restored before returning
    - u: direction, an array of the shape of x
    - h: step size
    Returns:
    - a float, approximately <grad f(x), u>
    """
    old = x.copy()
    x[...] = old + h * u
    f_plus = f()
    x[...] = old - h * u
    f_minus = f()
    x[...] = old
    return (f_plus - f_minus) / (2 * h)


def gradient_error(f, x, grad, method="auto", rng=None, h=1e-5, directions=2):
    """Relative error between an analytic gradient and a numerical one.

    Inputs:
    - f: function of no arguments returning a float; it must read x
    - x: float64 array that f depends on (changed in place during the check, then restored)
    - grad: the analytic gradient of f with respect to x, the shape of x
    - method: "full", "directional" or "auto" (full for small arrays)
    - rng: numpy Generator for the directions (default: seed 0)
    - h: step size
    - directions: number of random directions for the directional check
    Returns:
    - the largest relative error found (float)
    """
    grad = np.asarray(grad, dtype=np.float64)
    if method == "auto":
        method = "full" if x.size <= FULL_CHECK_MAX_SIZE else "directional"
    if method == "full":
        return rel_error(grad, numerical_gradient(f, x, h))
    rng = np.random.default_rng(0) if rng is None else rng
    worst = 0.0
    for _ in range(directions):
        u = rng.standard_normal(x.shape)
        numeric = directional_derivative(f, x, u, h)
        worst = max(worst, rel_error(np.sum(grad * u), numeric))
    return worst


def check_layer(forward, backward, inputs, seed=0, method="auto", h=1e-5):
    """Check a forward/backward pair: one relative error per input.

    What both return is checked first against the contract (rnnkit.contract), as the graders check it: how many
    values, their order, shapes and dtype. Then the upstream gradients are random, and each analytic gradient from
    ``backward`` is compared with central differences of ``sum(dout * forward(...))``.

    Inputs:
    - forward: function(*inputs) -> (*outputs, cache)
    - backward: function(*douts, cache) -> tuple of gradients, one per input, in order
    - inputs: dict name -> float64 array, in the order forward takes them
    - seed: seed of the random upstream gradients and directions
    - method: "full", "directional" or "auto"
    - h: step size
    Returns:
    - errors: dict name -> relative error (small, about 1e-8 or less, when correct)
    """
    rng = np.random.default_rng(seed)
    args = [np.array(v, dtype=np.float64) for v in inputs.values()]
    *outputs, cache = checked(forward)(*args)
    douts = [rng.standard_normal(np.shape(out)) for out in outputs]
    grads = expect_gradients(backward(*douts, cache), inputs, getattr(backward, "__name__", "backward"))

    def loss():
        *outs, _ = forward(*args)
        return sum(np.sum(d * o) for d, o in zip(douts, outs))

    return {name: gradient_error(loss, x, grad, method, rng, h) for name, x, grad in zip(inputs, args, grads)}


def checked(function, forward_args=None):
    """The function, checking what it returns against the contract when it is one of the contract's (by name).

    A call returns what the function returned, or raises an AssertionError in the graders' words when a value is
    missing, extra, out of order, of the wrong type, shape or dtype ("h_next has shape (3, 1, 4), expected (3, 4).").

    Inputs:
    - function: a function of yours, such as rnn_step_forward
    - forward_args: for a backward function, the arguments its forward function was called with (the gradients
      have their shapes)
    Returns:
    - a function taking the same arguments
    """
    name = getattr(function, "__name__", "")
    if name not in FUNCTIONS:
        return function

    @functools.wraps(function)
    def call(*args):
        result = function(*args)
        expect_contract(name, result, args, forward_args)
        return result

    return call


def expect_contract(name, result, args, forward_args=None):
    """Raise an AssertionError in the graders' words when what function `name` of the contract returned for args
    is not what the contract allows (rnnkit.contract.outputs_problem)."""
    problem = outputs_problem(name, result, args, forward_args)
    if problem:
        raise AssertionError(problem[1] if problem[0] == "returns" else f"{name}: {problem[1]}")


def expect_gradients(grads, inputs, name):
    """The gradients a backward pass returned, checked as the graders check them before any value: one per input,
    in the inputs' order, each of its input's shape, in float64. An AssertionError in the graders' words when not
    ("db has shape (1, 5), expected (5,)"), instead of a numpy error later or a check that never looks at one.

    Inputs:
    - grads: what the backward function returned
    - inputs: dict name -> array, the forward function's inputs in order
    - name: the backward function's name (a backward function of the contract is named in its words)
    Returns:
    - the gradients, a tuple
    """
    if name in FUNCTIONS and FUNCTIONS[name].forward:
        expect_contract(name, grads, (), list(inputs.values()))
        return grads if isinstance(grads, tuple) else (grads,)
    names = [f"d{n}" for n in inputs]
    grads = grads if isinstance(grads, tuple) else (grads,)
    if len(grads) != len(names):
        raise AssertionError(
            f"{name} returned {len(grads)} values; expected a tuple of {len(names)}: {', '.join(names)}."
        )
    for grad_name, grad, x in zip(names, grads, inputs.values()):
        problem = array_problem(grad, grad_name, np.shape(x))
        if problem:
            raise AssertionError(f"{name}: {problem[1]}")
    return grads


def check_loss(loss_fn, params, seed=0, method="auto", h=1e-5):
    """Check a loss function that returns its own gradients: one relative error per parameter.

    Inputs:
    - loss_fn: function(params) -> (loss, grads) with grads a dict keyed like params
    - params: dict name -> float64 array
    - seed: seed of the random directions
    - method: "full", "directional" or "auto"
    - h: step size
    Returns:
    - errors: dict name -> relative error
    """
    rng = np.random.default_rng(seed)
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    loss_value, grads = loss_fn(params)
    name = getattr(loss_fn, "__name__", "the loss")
    problem = array_problem(loss_value, "loss", ())
    if problem:
        raise AssertionError(f"{name}: {problem[1]}")
    if not isinstance(grads, dict) or set(grads) != set(params):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise AssertionError(f"{name}: grads must be a dict with the keys of params, {sorted(params)}; got {got}.")
    grads = dict(zip(params, expect_gradients(tuple(grads[k] for k in params), params, name)))

    def loss():
        return loss_fn(params)[0]

    return {name: gradient_error(loss, params[name], grads[name], method, rng, h) for name in params}


def report(errors, tol=1e-7):
    """Print one line per gradient and fail if any relative error exceeds tol.

    Inputs:
    - errors: dict name -> relative error, from check_layer or check_loss
    - tol: largest relative error accepted
    """
    for name, err in errors.items():
        verdict = "ok" if err <= tol else "WRONG"
        print(f"d{name:<8} relative error {err:.2e}  {verdict}")
    wrong = [name for name, err in errors.items() if not err <= tol]
    assert not wrong, f"gradient check failed for {', '.join('d' + n for n in wrong)}"
