"""The figure of the chapter on the GRU (book/gru.md): one step of the cell.

``gru_cell(ax)`` draws one step in the chapter's notation (its state is o, as in the lecture): the
previous state o_{t-1} and the input x_t enter at the bottom, the gates r_t and z_t and the candidate
n_t are boxes, the products and the sum are small circles, and the new state o_t leaves at the top right.

    import matplotlib.pyplot as plt
    from book.figures.gru import gru_cell

    fig, ax = plt.subplots(figsize=(8, 4.6))
    gru_cell(ax)
    plt.show()
"""

from book.figures import primitives as draw

Y_STATE, Y_KEEP, Y_GATE, Y_RESET, Y_PART, Y_BUS = 5.0, 3.7, 2.4, 1.25, 0.15, -1.0
X_LEFT = -1.2  # where the inputs' line turns down from o_{t-1}
R = 0.24  # radius of the round nodes
GATE = {"width": 1.1, "height": 0.72}
NOTE = {"color": draw.MUTED_COLOR, "fontsize": 11}


def _parts(ax):
    """Every box and node of the cell, by name: name -> anchors."""
    return {
        "o_prev": draw.box(ax, (-0.1, Y_STATE), "$o_{t-1}$", draw.STATE_COLOR, width=1.3, height=0.72),
        "o_next": draw.box(ax, (11.0, Y_STATE), "$o_t$", draw.STATE_COLOR, **GATE),
        "keep": draw.node(ax, (4.0, Y_STATE), r"$\times$", R, 11),
        "total": draw.node(ax, (8.6, Y_STATE), "$+$", R, 11),
        "one_minus": draw.node(ax, (6.2, Y_KEEP), "1\u2212", R, 9),
        "mix": draw.node(ax, (8.6, Y_KEEP), r"$\times$", R, 11),
        "reset": draw.node(ax, (6.6, Y_RESET), r"$\times$", R, 11),
        "r": draw.box(ax, (1.8, Y_RESET), r"$\sigma$", draw.GATE_COLOR, **GATE),
        "z": draw.box(ax, (4.0, Y_GATE), r"$\sigma$", draw.GATE_COLOR, **GATE),
        "n": draw.box(ax, (8.6, Y_GATE), r"$\tanh$", draw.CANDIDATE_COLOR, **GATE),
        "recurrent": draw.box(
            ax, (6.6, Y_PART), r"$w'_n o_{t-1} + b'_n$", draw.INPUT_COLOR, width=2.2, height=0.72, fontsize=11
        ),
        "from_input": draw.box(
            ax, (9.3, Y_PART), r"$w_n x_t + b_n$", draw.INPUT_COLOR, width=1.7, height=0.72, fontsize=11
        ),
    }


def _state_line(ax, p):
    """o_{t-1}, kept with weight z, plus the candidate with weight 1 - z, gives o_t."""
    draw.arrow(ax, [p["o_prev"]["right"], p["keep"]["left"]])
    draw.arrow(ax, [p["keep"]["right"], p["total"]["left"]])
    draw.arrow(ax, [p["total"]["right"], p["o_next"]["left"]])
    draw.arrow(ax, [p["z"]["top"], p["keep"]["bottom"]])
    draw.arrow(ax, [(p["z"]["top"][0], Y_KEEP), p["one_minus"]["left"]])
    draw.arrow(ax, [p["one_minus"]["right"], p["mix"]["left"]])
    draw.arrow(ax, [p["n"]["top"], p["mix"]["bottom"]])
    draw.arrow(ax, [p["mix"]["top"], p["total"]["bottom"]])


def _candidate(ax, p):
    """The reset gate scales the recurrent part of the candidate after its matrix product."""
    x_n, x_in = p["n"]["center"][0], p["from_input"]["center"][0]
    draw.arrow(ax, [p["r"]["right"], p["reset"]["left"]])
    draw.arrow(ax, [p["recurrent"]["top"], p["reset"]["bottom"]])
    draw.arrow(ax, [p["reset"]["right"], (x_n - 0.3, Y_RESET), (x_n - 0.3, Y_GATE - 0.36)])
    draw.arrow(ax, [(x_in, Y_PART + 0.36), (x_in, Y_GATE - 0.36)])


def _inputs(ax, p):
    """o_{t-1} and x_t reach both gates and both parts of the candidate, along the bottom."""
    x_in = p["from_input"]["center"][0]
    draw.line(ax, [p["o_prev"]["left"], (X_LEFT, Y_STATE), (X_LEFT, Y_BUS), (x_in + 0.3, Y_BUS)])
    draw.arrow(ax, [(3.0, Y_BUS - 0.9), (3.0, Y_BUS)])
    draw.label(ax, (3.0, Y_BUS - 1.15), "$x_t$")
    draw.label(ax, (0.3, Y_BUS - 0.3), "$o_{t-1}, x_t$", ha="left", **NOTE)
    draw.arrow(ax, [(p["r"]["center"][0], Y_BUS), p["r"]["bottom"]])
    draw.arrow(ax, [(p["z"]["center"][0], Y_BUS), p["z"]["bottom"]])
    draw.arrow(ax, [(p["recurrent"]["center"][0], Y_BUS), p["recurrent"]["bottom"]])
    draw.arrow(ax, [(x_in + 0.3, Y_BUS), (x_in + 0.3, Y_PART - 0.36)])


def gru_cell(ax):
    """Draw one step of the GRU, o_t = (1 - z_t) * n_t + z_t * o_{t-1}, in the form of torch.nn.GRU.

    The reset gate multiplies the recurrent part of the candidate after its matrix product.

    Inputs:
    - ax: matplotlib Axes to draw on
    Returns:
    - pos: dict name -> (x, y) of "o_prev", "o_next", "r", "z", "n", "reset", "mix"
    """
    p = _parts(ax)
    _state_line(ax, p)
    _candidate(ax, p)
    _inputs(ax, p)
    draw.label(ax, (1.8, Y_RESET - 0.62), "reset gate $r_t$", va="top", **NOTE)
    draw.label(ax, (3.35, Y_GATE), "update gate $z_t$", ha="right", **NOTE)
    draw.label(ax, (p["n"]["center"][0] + 0.7, Y_GATE), "candidate $n_t$", ha="left", **NOTE)
    draw.label(ax, (4.0, Y_STATE + 0.45), r"$z_t \odot o_{t-1}$", **NOTE)
    draw.label(ax, (8.6 + 0.35, Y_KEEP + 0.45), r"$(1 - z_t) \odot n_t$", ha="left", **NOTE)
    draw.finish(ax, -1.6, 12.0, Y_BUS - 1.5, Y_STATE + 0.8)
    return {name: p[name]["center"] for name in ("o_prev", "o_next", "r", "z", "n", "reset", "mix")}
