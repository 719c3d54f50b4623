"""The drawing primitives of every figure of the book: colors, boxes, round nodes, arrows, lines, labels.

A box or a node returns its anchors, a dict "center", "top", "bottom", "left", "right" -> (x, y), the
points where arrows start and end.
"""

import matplotlib.patches as mpatches

INPUT_COLOR = "#d6e6f5"
STATE_COLOR = "#fde3c4"
OUTPUT_COLOR = "#d8efd2"
LOSS_COLOR = "#ececec"
GATE_COLOR = "#e8e0f3"
CANDIDATE_COLOR = "#fbd7d7"
EDGE_COLOR = "#333333"
GRADIENT_COLOR = "#c0392b"
MUTED_COLOR = "#9a9a9a"
NOTE_COLOR = "#555555"
LINE_WIDTH = 1.4


def anchors(center, half_width, half_height):
    """The anchors of a shape centered at center: "center", "top", "bottom", "left", "right" -> (x, y)."""
    x, y = center
    return {
        "center": center,
        "top": (x, y + half_height),
        "bottom": (x, y - half_height),
        "left": (x - half_width, y),
        "right": (x + half_width, y),
    }


def box(ax, center, text, color, width=1.0, height=0.7, fontsize=13, dashed=False, rounding=0.12, edge=EDGE_COLOR):
    """A rounded box with centered (math) text.

    Inputs:
    - ax: matplotlib Axes; center: (x, y); text: its label; color: its fill
    - width, height, fontsize: sizes; dashed: a dashed edge; rounding: radius of the corners
    - edge: the color of the edge and of the text
    Returns:
    - its anchors
    """
    x, y = center
    ax.add_patch(
        mpatches.FancyBboxPatch(
            (x - width / 2, y - height / 2),
            width,
            height,
            boxstyle=f"round,pad=0.02,rounding_size={rounding}",
            facecolor=color,
            edgecolor=edge,
            linewidth=1.2,
            linestyle="--" if dashed else "-",
            zorder=3,
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=4, color=edge)
    return anchors(center, width / 2, height / 2)


def node(ax, center, symbol, radius=0.26, fontsize=13):
    """A small circle holding an entry-by-entry operation: a product, a sum, or 1 - (.); returns its anchors."""
    ax.add_patch(mpatches.Circle(center, radius, facecolor="white", edgecolor=EDGE_COLOR, linewidth=1.2, zorder=3))
    ax.text(*center, symbol, ha="center", va="center", fontsize=fontsize, zorder=4)
    return anchors(center, radius, radius)


def line(ax, points, color=EDGE_COLOR, width=LINE_WIDTH):
    """A polyline through points (x, y), without an arrow head."""
    xs, ys = zip(*points)
    ax.plot(xs, ys, color=color, linewidth=width, solid_capstyle="round", zorder=1)


def arrow(ax, points, color=EDGE_COLOR, width=LINE_WIDTH, dashed=False):
    """A polyline through points (x, y), at least two, with an arrow head at the last one."""
    if len(points) > 2:
        line(ax, points[:-1], color, width)
    ax.annotate(
        "",
        xy=points[-1],
        xytext=points[-2],
        arrowprops={
            "arrowstyle": "-|>",
            "color": color,
            "lw": width,
            "linestyle": "--" if dashed else "-",
            "shrinkA": 0,
            "shrinkB": 0,
            "mutation_scale": 14,
        },
    )


def label(ax, xy, text, color=EDGE_COLOR, fontsize=13, **options):
    """Text centered at xy (other alignments, styles and sizes through matplotlib's text options)."""
    ax.text(*xy, text, **{"ha": "center", "va": "center", "fontsize": fontsize, "color": color, **options})


def finish(ax, xmin, xmax, ymin, ymax):
    """Set the limits and an equal aspect, and hide the axes."""
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    ax.set_aspect("equal")
    ax.axis("off")
