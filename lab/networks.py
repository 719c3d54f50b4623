"""Stacks of networks: S many-to-one networks of one cell, trained at once.

A stack is a dict of arrays with the networks on axis 0 and the parts of the cell (one per gate or
candidate) on axis 1:

- w: (S, G, H, D), the lecture's w, one block per part
- w_prime: (S, G, H, H), w'
- b: (S, G, 1, H), the bias of each part; the GRU also has b_prime (S, 3, 1, H), inside the reset gate
- w_2prime: (S, C, H) and b_2prime: (S, 1, C), the output layer w'', b''

The parts are in the order of the exercises: the LSTM's i, f, g, o and the GRU's r, z, n.
"""

import numpy as np

PARTS = {"RNN": 1, "LSTM": 4, "GRU": 3}


def cell_params(cell, D, H):
    """The number of weights and biases of one cell, with this course's biases (two for the GRU).

    Inputs:
    - cell: "RNN", "LSTM" or "GRU"
    - D, H: input size and width
    Returns:
    - an int: G H (D + H) + G H, plus G H for the GRU's second bias
    """
    G = PARTS[cell]
    return G * H * (D + H) + (2 * G * H if cell == "GRU" else G * H)


def network_params(cell, D, H, C):
    """The parameters of a many-to-one network: the cell and the output layer w'' (C, H), b'' (C,)."""
    return cell_params(cell, D, H) + C * (H + 1)


def matched_width(cell, D, C, target):
    """The width H in 1..511 whose network has the parameter count closest to `target` (an int)."""
    return min(range(1, 512), key=lambda H: abs(network_params(cell, D, H, C) - target))


def chrono_bias(rng, S, H, T_max):
    """Chrono initialization of Tallec and Ollivier (2018): b = ln u with u uniform in [1, T_max - 1].

    Returns an array (S, H): one bias per network and unit, for the gate that keeps the state.
    """
    return np.log(rng.uniform(1, T_max - 1, size=(S, H)))


def new_networks(rng, cell, S, D, H, C, keep_bias=0.0, input_bias=0.0, output_bias=0.0, dtype=np.float32):
    """S networks of one cell, initialized as in the chapters.

    w has entries N(0, 1); w' and w'' have entries N(0, 1/H); the biases are zero except the bias of
    the gate that keeps the state, keep_bias (the LSTM's forget gate, the GRU's update gate), the
    LSTM's input-gate bias input_bias (the chrono initialization sets it to -keep_bias) and b''.

    Inputs:
    - rng: a numpy Generator
    - cell: "RNN", "LSTM" or "GRU"; S, D, H, C: networks, input size, width, outputs
    - keep_bias, input_bias: numbers or arrays (S, H)
    - output_bias: the initial b''
    - dtype: float32 to train, float64 to check gradients
    Returns:
    - a stack (see the module's docstring)
    """
    G = PARTS[cell]
    p = {
        "w": rng.standard_normal((S, G, H, D)),
        "w_prime": rng.standard_normal((S, G, H, H)) / np.sqrt(H),
        "b": np.zeros((S, G, 1, H)),
        "w_2prime": rng.standard_normal((S, C, H)) / np.sqrt(H),
        "b_2prime": np.full((S, 1, C), output_bias),
    }
    if cell == "LSTM":  # parts i, f, g, o
        p["b"][:, 1, 0] = keep_bias
        p["b"][:, 0, 0] = input_bias
    if cell == "GRU":  # parts r, z, n
        p["b"][:, 1, 0] = keep_bias
        p["b_prime"] = np.zeros((S, 3, 1, H))
    return {name: a.astype(dtype) for name, a in p.items()}


def select(p, networks):
    """The stack of the networks at the indices or slice `networks` of p (copies)."""
    return {name: a[networks].copy() for name, a in p.items()}


def concatenate(stacks):
    """One stack of the networks of several stacks of the same cell and sizes, in order."""
    return {name: np.concatenate([p[name] for p in stacks]) for name in stacks[0]}


def as_columns(p):
    """The LSTM or RNN stack in the column layout of the LSTM chapter, float64.

    Returns a dict with w (S, G H, D), w_prime (S, G H, H), b (S, G H, 1), w_2prime (S, C, H) and
    b_2prime (S, C, 1): the parts stacked on rows, in their order.
    """
    S, G, H, D = p["w"].shape
    return {
        "w": p["w"].reshape(S, G * H, D).astype(np.float64),
        "w_prime": p["w_prime"].reshape(S, G * H, H).astype(np.float64),
        "b": p["b"].reshape(S, G * H, 1).astype(np.float64),
        "w_2prime": p["w_2prime"].astype(np.float64),
        "b_2prime": p["b_2prime"].transpose(0, 2, 1).astype(np.float64),
    }
