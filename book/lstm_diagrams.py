"""The diagram of the LSTM cell for the chapter book/lstm.md, drawn with matplotlib.

    import matplotlib.pyplot as plt
    from book.lstm_diagrams import lstm_cell

    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    lstm_cell(ax)
    plt.show()

``lstm_cell(ax, highlight_cell_path=True)`` draws one step: the cell state c_{t-1} -> c_t along the top,
the hidden state h_{t-1} and the input x_t along the bottom, the four gates i, f, g, o in the order of
the exercise contract, and h_t leaving to the right and upwards. With ``highlight_cell_path`` the cell
state's line is drawn thick and colored: the path on which the backward pass multiplies by f_t only.
It returns a dict of the positions of what it drew, in data coordinates.
"""

import matplotlib.patches as mpatches

from book.diagrams import EDGE_COLOR, GRADIENT_COLOR, INPUT_COLOR, OUTPUT_COLOR, STATE_COLOR

GATE_COLOR = "#e8e0f3"
CELL_COLOR = "#f7f7f7"
Y_CELL = 4.0  # the cell state's line
Y_GATES = 1.9  # the row of the four gates
Y_BUS = 0.8  # where [h_{t-1}, x_t] runs under the gates
Y_HIDDEN = 0.8  # h_{t-1} enters and h_t leaves at this height
X_LEFT, X_RIGHT = 0.0, 10.0


def _arrow(ax, start, end, color=EDGE_COLOR, width=1.4, head=True):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops={
            "arrowstyle": "-|>" if head else "-",
            "color": color,
            "linewidth": width,
            "shrinkA": 0,
            "shrinkB": 0,
            "mutation_scale": 14,
        },
    )


def _line(ax, points, color=EDGE_COLOR, width=1.4):
    xs, ys = zip(*points)
    ax.plot(xs, ys, color=color, linewidth=width, solid_capstyle="round", zorder=1)


def _node(ax, center, symbol, radius=0.28):
    """A round node for an entry-by-entry operation: a product or a sum."""
    ax.add_patch(mpatches.Circle(center, radius, facecolor="white", edgecolor=EDGE_COLOR, linewidth=1.3, zorder=3))
    ax.text(*center, symbol, ha="center", va="center", fontsize=15, zorder=4)
    return center


def _box(ax, center, text, color, width=1.0, height=0.62, fontsize=13):
    x, y = center
    ax.add_patch(
        mpatches.FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.1",
            facecolor=color,
            edgecolor=EDGE_COLOR,
            linewidth=1.2,
            zorder=3,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)
    return center


def lstm_cell(ax, highlight_cell_path=True):
    """Draw one LSTM step on ax; return a dict name -> (x, y) of the parts drawn."""
    pos = {}
    ax.add_patch(
        mpatches.FancyBboxPatch(
            (1.2, 0.25),
            7.6,
            4.35,
            boxstyle="round,pad=0.05,rounding_size=0.3",
            facecolor=CELL_COLOR,
            edgecolor="#bbbbbb",
            linewidth=1.0,
            zorder=0,
        )
    )

    # The four gates, in the contract's order i, f, g, o, fed by [h_{t-1}, x_t].
    gates = {
        "i": (2.6, "$i_t$\n$\\sigma$"),
        "f": (3.9, "$f_t$\n$\\sigma$"),
        "g": (5.2, "$g_t$\n$\\tanh$"),
        "o": (6.5, "$o_t$\n$\\sigma$"),
    }
    for name, (x, label) in gates.items():
        pos[name] = _box(ax, (x, Y_GATES), label, GATE_COLOR, width=0.9, height=0.8, fontsize=11)
        _arrow(ax, (x, Y_BUS), (x, Y_GATES - 0.4))
    pos["h_prev"] = (X_LEFT + 0.45, Y_BUS)
    ax.text(*pos["h_prev"], "$h_{t-1}$", ha="center", va="center", fontsize=14, color=EDGE_COLOR)
    _line(ax, [(X_LEFT + 0.95, Y_BUS), (gates["o"][0], Y_BUS)])
    pos["x"] = (1.9, -0.55)
    _box(ax, pos["x"], "$x_t$", INPUT_COLOR, width=0.8, height=0.55)
    _arrow(ax, (1.9, -0.27), (1.9, Y_BUS))
    ax.text(
        4.55,
        Y_BUS - 0.3,
        "$a_t = w\\,x_t + w'\\,h_{t-1} + b$",
        ha="center",
        va="center",
        fontsize=10.5,
        color="#555555",
    )

    # The cell state's line: x f_t, then + i_t g_t.
    path_color = GRADIENT_COLOR if highlight_cell_path else EDGE_COLOR
    path_width = 3.2 if highlight_cell_path else 1.4
    pos["c_prev"] = (X_LEFT + 0.45, Y_CELL)
    ax.text(*pos["c_prev"], "$c_{t-1}$", ha="center", va="center", fontsize=14)
    pos["times_f"] = _node(ax, (gates["f"][0], Y_CELL), "$\\times$")
    pos["plus"] = _node(ax, (gates["g"][0], Y_CELL), "$+$")
    _line(ax, [(X_LEFT + 0.95, Y_CELL), (gates["f"][0] - 0.28, Y_CELL)], path_color, path_width)
    _line(ax, [(gates["f"][0] + 0.28, Y_CELL), (gates["g"][0] - 0.28, Y_CELL)], path_color, path_width)
    _arrow(ax, (gates["g"][0] + 0.28, Y_CELL), (X_RIGHT - 0.8, Y_CELL), path_color, path_width)
    pos["c"] = (X_RIGHT - 0.4, Y_CELL)
    ax.text(*pos["c"], "$c_t$", ha="center", va="center", fontsize=14)
    _arrow(ax, (gates["f"][0], Y_GATES + 0.4), (gates["f"][0], Y_CELL - 0.28))

    # i_t * g_t into the sum.
    pos["times_ig"] = _node(ax, (4.55, 3.0), "$\\times$")
    _line(ax, [(gates["i"][0], Y_GATES + 0.4), (gates["i"][0], 3.0), (4.55 - 0.28, 3.0)])
    _line(ax, [(gates["g"][0], Y_GATES + 0.4), (gates["g"][0], 2.6), (4.55, 2.6), (4.55, 3.0 - 0.28)])
    _line(ax, [(4.55, 3.0 + 0.28), (4.55, 3.45), (gates["g"][0], 3.45)])
    _arrow(ax, (gates["g"][0], 3.45), (gates["g"][0], Y_CELL - 0.28))

    # h_t = o_t * tanh(c_t).
    pos["tanh_c"] = _box(ax, (7.6, 3.15), "$\\tanh$", "white", width=0.8, height=0.5, fontsize=11)
    _line(ax, [(7.6, Y_CELL), (7.6, 3.15 + 0.25)])
    pos["times_o"] = _node(ax, (7.6, 1.9), "$\\times$")
    _arrow(ax, (7.6, 3.15 - 0.25), (7.6, 1.9 + 0.28))
    _arrow(ax, (gates["o"][0] + 0.45, Y_GATES), (7.6 - 0.28, 1.9))
    _line(ax, [(7.6, 1.9 - 0.28), (7.6, Y_HIDDEN), (X_RIGHT - 0.95, Y_HIDDEN)])
    pos["h"] = (X_RIGHT - 0.45, Y_HIDDEN)
    _box(ax, pos["h"], "$h_t$", STATE_COLOR, width=0.8, height=0.55)
    _arrow(ax, (X_RIGHT - 0.45, Y_HIDDEN + 0.28), (X_RIGHT - 0.45, 5.15))
    ax.text(X_RIGHT - 0.2, 4.85, "to the output", ha="right", va="center", fontsize=9.5, color="#555555")
    _box(ax, (X_RIGHT - 0.45, 5.45), "$\\hat y$", OUTPUT_COLOR, width=0.7, height=0.5, fontsize=11)

    if highlight_cell_path:
        ax.text(
            2.55,
            Y_CELL + 0.3,
            "backward: $\\partial c_t / \\partial c_{t-1} = \\mathrm{diag}(f_t)$",
            ha="left",
            va="bottom",
            fontsize=10,
            color=GRADIENT_COLOR,
        )
    ax.set_xlim(X_LEFT - 0.1, X_RIGHT + 0.1)
    ax.set_ylim(-1.0, 5.8)
    ax.set_aspect("equal")
    ax.axis("off")
    return pos
