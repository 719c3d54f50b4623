"""The diagram of the GRU cell, drawn with matplotlib for the chapter book/gru.md.

``gru_cell(ax)`` draws one step of the cell in the lecture's notation: the previous state
o_{t-1} and the input x_t enter at the bottom, the gates r_t and z_t and the candidate n_t are
boxes, the products and the sum are small circles, and the new state o_t leaves at the top right.
It returns a dict of the positions of what it drew (name -> (x, y) in data coordinates).

    import matplotlib.pyplot as plt
    from book.gru_diagrams import gru_cell

    fig, ax = plt.subplots(figsize=(8, 4.6))
    gru_cell(ax)
    plt.show()
"""

import matplotlib.patches as mpatches

from book.diagrams import EDGE_COLOR, INPUT_COLOR, MUTED_COLOR, STATE_COLOR

GATE_COLOR = "#e8dcf3"
CANDIDATE_COLOR = "#fbd7d7"
NODE_RADIUS = 0.24


def _box(ax, center, text, color, width=1.1, height=0.72, fontsize=13):
    x, y = center
    ax.add_patch(
        mpatches.FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=color,
            edgecolor=EDGE_COLOR,
            linewidth=1.2,
            zorder=3,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4)
    return {"center": center, "top": (x, y + height / 2), "bottom": (x, y - height / 2), "left": (x - width / 2, y)}


def _node(ax, center, text, fontsize=11):
    """A small circle holding an operation: a product, a sum, or 1 - (.)."""
    ax.add_patch(mpatches.Circle(center, NODE_RADIUS, facecolor="white", edgecolor=EDGE_COLOR, linewidth=1.2, zorder=3))
    ax.text(*center, text, ha="center", va="center", fontsize=fontsize, zorder=4)
    x, y = center
    r = NODE_RADIUS
    return {"center": center, "top": (x, y + r), "bottom": (x, y - r), "left": (x - r, y), "right": (x + r, y)}


def _arrow(ax, points, color=EDGE_COLOR):
    """A polyline through the given points, with an arrow head at the last one."""
    for start, end in zip(points[:-2], points[1:-1]):
        ax.plot([start[0], end[0]], [start[1], end[1]], color=color, lw=1.4, solid_capstyle="round")
    ax.annotate(
        "",
        xy=points[-1],
        xytext=points[-2],
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.4, "shrinkA": 0, "shrinkB": 0, "mutation_scale": 13},
    )


def _label(ax, xy, text, **kwargs):
    options = {"ha": "center", "va": "center", "fontsize": 11, "color": MUTED_COLOR}
    ax.text(*xy, text, **{**options, **kwargs})


def gru_cell(ax):
    """Draw one step of the GRU, o_t = (1 - z_t) * n_t + z_t * o_{t-1}, in the form of torch.nn.GRU.

    The reset gate multiplies the recurrent part of the candidate after its matrix product. Returns
    the positions of the boxes and nodes by name.
    """
    y_state, y_keep, y_gate, y_reset, y_part, y_bus = 5.0, 3.7, 2.4, 1.25, 0.15, -1.0
    o_prev = _box(ax, (-0.1, y_state), "$o_{t-1}$", STATE_COLOR, width=1.3)
    o_next = _box(ax, (11.0, y_state), "$o_t$", STATE_COLOR)
    keep = _node(ax, (4.0, y_state), r"$\times$")
    total = _node(ax, (8.6, y_state), "$+$")
    one_minus = _node(ax, (6.2, y_keep), "1\u2212", fontsize=9)
    mix = _node(ax, (8.6, y_keep), r"$\times$")
    reset = _node(ax, (6.6, y_reset), r"$\times$")
    r_box = _box(ax, (1.8, y_reset), r"$\sigma$", GATE_COLOR)
    z_box = _box(ax, (4.0, y_gate), r"$\sigma$", GATE_COLOR)
    n_box = _box(ax, (8.6, y_gate), r"$\tanh$", CANDIDATE_COLOR)
    recurrent = _box(ax, (6.6, y_part), r"$w'_n o_{t-1} + b'_n$", INPUT_COLOR, width=2.2, fontsize=11)
    from_input = _box(ax, (9.3, y_part), r"$w_n x_t + b_n$", INPUT_COLOR, width=1.7, fontsize=11)

    # The state line: o_{t-1}, kept with weight z, plus the candidate with weight 1 - z, gives o_t.
    _arrow(ax, [(o_prev["center"][0] + 0.65, y_state), keep["left"]])
    _arrow(ax, [keep["right"], total["left"]])
    _arrow(ax, [total["right"], o_next["left"]])
    _arrow(ax, [z_box["top"], keep["bottom"]])
    _arrow(ax, [(z_box["top"][0], y_keep), one_minus["left"]])
    _arrow(ax, [one_minus["right"], mix["left"]])
    _arrow(ax, [n_box["top"], mix["bottom"]])
    _arrow(ax, [mix["top"], total["bottom"]])

    # The candidate: the reset gate scales the recurrent part after its matrix product.
    _arrow(ax, [(r_box["center"][0] + 0.55, y_reset), reset["left"]])
    _arrow(ax, [recurrent["top"], reset["bottom"]])
    _arrow(ax, [reset["right"], (n_box["center"][0] - 0.3, y_reset), (n_box["center"][0] - 0.3, y_gate - 0.36)])
    _arrow(ax, [(from_input["center"][0], y_part + 0.36), (from_input["center"][0], y_gate - 0.36)])

    # The inputs: o_{t-1} and x_t reach both gates and both parts of the candidate.
    x_left = -1.2
    ax.plot([o_prev["center"][0] - 0.65, x_left, x_left], [y_state, y_state, y_bus], color=EDGE_COLOR, lw=1.4)
    ax.plot([x_left, from_input["center"][0] + 0.3], [y_bus, y_bus], color=EDGE_COLOR, lw=1.4)
    _arrow(ax, [(3.0, y_bus - 0.9), (3.0, y_bus)])
    _label(ax, (3.0, y_bus - 1.15), "$x_t$", color=EDGE_COLOR, fontsize=13)
    _label(ax, (0.3, y_bus - 0.3), "$o_{t-1}, x_t$", ha="left")
    for x in (r_box["center"][0], z_box["center"][0]):
        _arrow(ax, [(x, y_bus), (x, (y_reset if x == r_box["center"][0] else y_gate) - 0.36)])
    _arrow(ax, [(recurrent["center"][0], y_bus), recurrent["bottom"]])
    _arrow(ax, [(from_input["center"][0] + 0.3, y_bus), (from_input["center"][0] + 0.3, y_part - 0.36)])

    _label(ax, (1.8, y_reset - 0.62), "reset gate $r_t$", va="top")
    _label(ax, (3.35, y_gate), "update gate $z_t$", ha="right")
    _label(ax, (n_box["center"][0] + 0.7, y_gate), "candidate $n_t$", ha="left")
    _label(ax, (4.0, y_state + 0.45), r"$z_t \odot o_{t-1}$")
    _label(ax, (8.6 + 0.35, y_keep + 0.45), r"$(1 - z_t) \odot n_t$", ha="left")
    ax.set_xlim(-1.6, 12.0)
    ax.set_ylim(y_bus - 1.5, y_state + 0.8)
    ax.set_aspect("equal")
    ax.axis("off")
    names = {"o_prev": o_prev, "o_next": o_next, "r": r_box, "z": z_box, "n": n_box, "reset": reset, "mix": mix}
    return {name: part["center"] for name, part in names.items()}
