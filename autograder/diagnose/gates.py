"""What gradients and outputs of stacked gate weights (LSTM, GRU) can show: blocks in another order, some
gate blocks wrong and others right, a state's gradient not carried back through time."""

import numpy as np

from autograder.gradcheck import (
    FULL_CHECK_MAX_SIZE,
    directional_derivative,
    gradient_error,
    numerical_gradient,
    rel_error,
)
from autograder.judge import GRADIENT_TOL
from autograder.patterns import MATCH_TOL
from autograder.reference.gates import read_in_order

HELD_H_HINT = (
    "it is the gradient you would get if the hidden state's gradient stopped at each step: add the dh_prev "
    "returned by step t + 1 to dh[:, t] for the dh_next of step t."
)


def previous_states(first, states):
    """The state before each step, (N, T, H): first (N, H) before step 0, then states[:, t - 1]."""
    return np.concatenate([first[:, None], states[:, :-1]], axis=1)


def read_order(actual, reference, args, weights_at, orders, gates):
    """The gate order in which some code reads the blocks of the weights, if reading them so explains actual.

    Inputs:
    - actual: the student's (wrong) output
    - reference: function(*args) -> the output to compare
    - args: the arguments given, in the contract's order
    - weights_at: indices of the stacked weights and biases in args
    - orders: the gate orders to try; gates: the contract's order (reference.gates.read_in_order)
    Returns:
    - the order (a string of gate letters), or None
    """
    for order in orders:
        permuted = [read_in_order(order, a, gates) if k in weights_at else a for k, a in enumerate(args)]
        if rel_error(actual, reference(*permuted)) < MATCH_TOL:
            return order
    return None


def wrong_blocks(actual, loss, x, rng, gates, orders):
    """Which gate blocks of a parameter gradient are wrong.

    Inputs:
    - actual: the student's gradient, rows in len(gates) blocks
    - loss, x: the reference loss and the parameter it reads
    - rng: Generator for directional checks
    - gates: the contract's gate letters in order; orders: as for read_order
    Returns:
    - order: the gate order in which actual holds the right blocks, or None
    - wrong: the gates whose blocks are wrong (empty when order is found)
    - numeric: the numerical gradient, or None when it was not computed (large arrays)
    """
    errors, numeric = block_errors(actual, loss, x, rng, len(gates))
    if numeric is not None:
        for order in orders:
            if rel_error(read_in_order(order, actual, gates), numeric) < GRADIENT_TOL:
                return order, [], numeric
    return None, [gate for gate, err in zip(gates, errors) if not err <= GRADIENT_TOL], numeric


def stacked_in_order_hint(name, order, gates):
    """The hint for a parameter gradient that holds the right blocks in another gate order."""
    return (
        f"{name} holds the right gradients with its gate blocks in the order {', '.join(order)}; "
        f"stack the blocks of dA in the order of the gates, {', '.join(gates)}."
    )


def matches_held(loss, target, grad, rng):
    """True when grad is the gradient of a loss in which a state's gradient is held (not carried back).

    Inputs:
    - loss: the reference loss with the state held at each step, a function of no arguments reading target
    - target: the argument grad is the gradient of
    - grad: the student's gradient
    - rng: Generator; a child Generator is drawn from it for directional checks
    """
    return gradient_error(loss, target, grad, "auto", np.random.default_rng(rng.integers(1 << 30))) < GRADIENT_TOL


def block_errors(actual, loss, x, rng, blocks):
    """Relative error of each row block of a gradient (the gate blocks of stacked weights), and the
    numerical gradient when it was computed.

    Full differences for small arrays; for large ones, directional checks along directions confined
    to one block, so that only that block of the gradient counts.

    Inputs:
    - actual: the student's gradient, rows in `blocks` equal blocks
    - loss, x: the reference loss (no arguments) and the array it reads
    - rng: Generator for the directions
    - blocks: number of row blocks (gates)
    Returns:
    - list of relative errors, one per block; the numerical gradient or None
    """
    H = x.shape[0] // blocks
    rows = [slice(k * H, (k + 1) * H) for k in range(blocks)]
    if x.size <= FULL_CHECK_MAX_SIZE:
        numeric = numerical_gradient(loss, x)
        return [rel_error(actual[r], numeric[r]) for r in rows], numeric
    errors = []
    for r in rows:
        direction = np.zeros_like(x)
        direction[r] = rng.standard_normal(direction[r].shape)
        errors.append(rel_error(np.sum(actual * direction), directional_derivative(loss, x, direction)))
    return errors, None
