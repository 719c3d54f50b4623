"""What the gated references share: the sigmoid, and the blocks of stacked gate weights read in another order.

The grader's reference is written apart from the chapters' library (lab/): an independent implementation to
check students against, so lab.functions.sigmoid and this one are two on purpose, one on each side.
"""

import numpy as np


def sigmoid(a):
    """The logistic function 1 / (1 + exp(-a)), written with tanh so that it never overflows."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))


def read_in_order(order, a, gates):
    """The array a, whose first axis holds one block of rows per gate, as code that takes its blocks in `order`
    uses it.

    Inputs:
    - order: a permutation of gates, the order in which some code takes the blocks of rows
    - a: stacked weights or biases (len(gates) * H, ...) in the contract's order, gates
    - gates: the contract's order of the gates ("ifgo" for the LSTM, "rzn" for the GRU)
    Returns:
    - the blocks rearranged into the contract's order: the contract's cell on the result computes what that
      code computes on a
    """
    blocks = np.split(a, len(gates), axis=0)
    return np.concatenate([blocks[order.index(gate)] for gate in gates], axis=0)
