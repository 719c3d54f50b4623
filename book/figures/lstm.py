"""The figure of the chapter on the LSTM (book/lstm.md): one step of the cell.

    import matplotlib.pyplot as plt
    from book.figures.lstm import lstm_cell

    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    lstm_cell(ax)
    plt.show()

``lstm_cell(ax, highlight_cell_path=True)`` draws one step: the cell state c_{t-1} -> c_t along the top,
the hidden state h_{t-1} and the input x_t along the bottom, the four gates i, f, g, o in the order of
the exercise contract, and h_t leaving to the right and upwards. The chapter writes the LSTM's state h
(o_t is its output gate), and so does the figure. With ``highlight_cell_path`` the cell state's line is
drawn thick and colored: the path on which the backward pass multiplies by f_t only.
"""

import matplotlib.patches as mpatches

from book.figures import primitives as draw

CELL_COLOR = "#f7f7f7"
Y_CELL = 4.0  # the cell state's line
Y_GATES = 1.9  # the row of the four gates
Y_BUS = 0.8  # where [h_{t-1}, x_t] runs under the gates, and where h_t leaves
X_LEFT, X_RIGHT = 0.0, 10.0
R = 0.28  # radius of the round nodes
GATES = {  # the contract's order i, f, g, o: x position and label of each gate
    "i": (2.6, "$i_t$\n$\\sigma$"),
    "f": (3.9, "$f_t$\n$\\sigma$"),
    "g": (5.2, "$g_t$\n$\\tanh$"),
    "o": (6.5, "$o_t$\n$\\sigma$"),
}


def _gates(ax, pos):
    """The four gates, fed from below by [h_{t-1}, x_t] and the pre-activations a_t."""
    for name, (x, text) in GATES.items():
        pos[name] = draw.box(ax, (x, Y_GATES), text, draw.GATE_COLOR, width=0.9, height=0.8, fontsize=11, rounding=0.1)[
            "center"
        ]
        draw.arrow(ax, [(x, Y_BUS), (x, Y_GATES - 0.4)])
    pos["h_prev"] = (X_LEFT + 0.45, Y_BUS)
    draw.label(ax, pos["h_prev"], "$h_{t-1}$", fontsize=14)
    draw.line(ax, [(X_LEFT + 0.95, Y_BUS), (GATES["o"][0], Y_BUS)])
    pos["x"] = draw.box(ax, (1.9, -0.55), "$x_t$", draw.INPUT_COLOR, width=0.8, height=0.55, rounding=0.1)["center"]
    draw.arrow(ax, [(1.9, -0.27), (1.9, Y_BUS)])
    draw.label(ax, (4.55, Y_BUS - 0.3), "$a_t = w\\,x_t + w'\\,h_{t-1} + b$", draw.NOTE_COLOR, fontsize=10.5)


def _cell_state(ax, pos, highlight):
    """The cell state's line, c_{t-1} times f_t plus i_t g_t, gives c_t; thick and red when highlighted."""
    color, width = (draw.GRADIENT_COLOR, 3.2) if highlight else (draw.EDGE_COLOR, draw.LINE_WIDTH)
    x_f, x_g = GATES["f"][0], GATES["g"][0]
    pos["c_prev"] = (X_LEFT + 0.45, Y_CELL)
    draw.label(ax, pos["c_prev"], "$c_{t-1}$", fontsize=14)
    pos["times_f"] = draw.node(ax, (x_f, Y_CELL), "$\\times$", R, 15)["center"]
    pos["plus"] = draw.node(ax, (x_g, Y_CELL), "$+$", R, 15)["center"]
    draw.line(ax, [(X_LEFT + 0.95, Y_CELL), (x_f - R, Y_CELL)], color, width)
    draw.line(ax, [(x_f + R, Y_CELL), (x_g - R, Y_CELL)], color, width)
    draw.arrow(ax, [(x_g + R, Y_CELL), (X_RIGHT - 0.8, Y_CELL)], color, width)
    pos["c"] = (X_RIGHT - 0.4, Y_CELL)
    draw.label(ax, pos["c"], "$c_t$", fontsize=14)
    draw.arrow(ax, [(x_f, Y_GATES + 0.4), (x_f, Y_CELL - R)])
    # i_t * g_t into the sum.
    pos["times_ig"] = draw.node(ax, (4.55, 3.0), "$\\times$", R, 15)["center"]
    draw.line(ax, [(GATES["i"][0], Y_GATES + 0.4), (GATES["i"][0], 3.0), (4.55 - R, 3.0)])
    draw.line(ax, [(x_g, Y_GATES + 0.4), (x_g, 2.6), (4.55, 2.6), (4.55, 3.0 - R)])
    draw.arrow(ax, [(4.55, 3.0 + R), (4.55, 3.45), (x_g, 3.45), (x_g, Y_CELL - R)])
    if highlight:
        text = "backward: $\\partial c_t / \\partial c_{t-1} = \\mathrm{diag}(f_t)$"
        draw.label(ax, (2.55, Y_CELL + 0.3), text, draw.GRADIENT_COLOR, fontsize=10, ha="left", va="bottom")


def _hidden_state(ax, pos):
    """h_t = o_t * tanh(c_t), leaving to the right and up to the output."""
    pos["tanh_c"] = draw.box(ax, (7.6, 3.15), "$\\tanh$", "white", width=0.8, height=0.5, fontsize=11, rounding=0.1)[
        "center"
    ]
    draw.line(ax, [(7.6, Y_CELL), (7.6, 3.15 + 0.25)])
    pos["times_o"] = draw.node(ax, (7.6, 1.9), "$\\times$", R, 15)["center"]
    draw.arrow(ax, [(7.6, 3.15 - 0.25), (7.6, 1.9 + R)])
    draw.arrow(ax, [(GATES["o"][0] + 0.45, Y_GATES), (7.6 - R, 1.9)])
    draw.line(ax, [(7.6, 1.9 - R), (7.6, Y_BUS), (X_RIGHT - 0.95, Y_BUS)])
    pos["h"] = draw.box(ax, (X_RIGHT - 0.45, Y_BUS), "$h_t$", draw.STATE_COLOR, width=0.8, height=0.55, rounding=0.1)[
        "center"
    ]
    draw.arrow(ax, [(X_RIGHT - 0.45, Y_BUS + 0.28), (X_RIGHT - 0.45, 5.15)])
    draw.label(ax, (X_RIGHT - 0.2, 4.85), "to the output", draw.NOTE_COLOR, fontsize=9.5, ha="right")
    draw.box(
        ax, (X_RIGHT - 0.45, 5.45), "$\\hat y$", draw.OUTPUT_COLOR, width=0.7, height=0.5, fontsize=11, rounding=0.1
    )


def lstm_cell(ax, highlight_cell_path=True):
    """Draw one LSTM step on ax.

    Inputs:
    - ax: matplotlib Axes to draw on
    - highlight_cell_path: draw the cell state's line thick and red, with its backward derivative
    Returns:
    - pos: dict name -> (x, y) of the parts drawn: the gates "i", "f", "g", "o", the states "h_prev", "c_prev",
      "c", "h", the input "x", and the operations "times_f", "plus", "times_ig", "tanh_c", "times_o"
    """
    pos = {}
    style = "round,pad=0.05,rounding_size=0.3"
    ax.add_patch(
        mpatches.FancyBboxPatch((1.2, 0.25), 7.6, 4.35, boxstyle=style, facecolor=CELL_COLOR, edgecolor="#bbbbbb")
    )
    _gates(ax, pos)
    _cell_state(ax, pos, highlight_cell_path)
    _hidden_state(ax, pos)
    draw.finish(ax, X_LEFT - 0.1, X_RIGHT + 0.1, -1.0, 5.8)
    return pos
