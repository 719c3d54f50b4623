"""The figures of the chapters on the RNN and on backpropagation through time (book/rnn.md, book/bptt.md).

In the lecture's notation: inputs x_t, states o_t, weights w, w', w''.

    import matplotlib.pyplot as plt
    from book.figures.rnn import unrolled_rnn

    fig, ax = plt.subplots(figsize=(9, 3.2))
    unrolled_rnn(ax, T=4, gradients=True)
    plt.show()

- ``unrolled_rnn(ax, T=4, gradients=False, step_labels=None)``: the many-to-one network
  unrolled over T steps, with w, w', w'' on the arrows; with ``gradients=True`` also the
  backward flow: delta_t = dL/do_t from right to left, and into the shared weights.
- ``many_to_one(ax, words=..., label=...)``: a sentence read word by word, one output at the end.
- ``block_product(ax, matrix=("w'", "w"), vector=("o", "x"), H=3, D=2)``: a stacked matrix
  times a stacked vector, one square per entry, to show whether the blocks line up.

A figure about 1.1 * (T + 3) by 2.4 inches suits ``unrolled_rnn`` (1.1 * (T + 4) by 3.4 with gradients).
"""

import matplotlib.patches as mpatches

from book.figures import primitives as draw

STEP = 2.0  # horizontal distance between two time steps
BOX_W = 1.0
BOX_H = 0.7
HALF_W = BOX_W / 2
HALF_H = BOX_H / 2
Y_INPUT = 0.0
Y_STATE = 1.9
Y_SHARED = 3.5  # the box of the shared weights, drawn only with the backward flow
SHARED_MIN_WIDTH = 6.0  # so that its text fits even for a short sequence
ARROW_OFFSET = 0.14  # forward and backward arrows between states run side by side
ELLIPSIS = ("...", "…", r"\dots", r"\cdots")  # a step label that stands for skipped steps


def _is_gap(step_label):
    """True when a step label stands for skipped steps ("...")."""
    return step_label.strip() in ELLIPSIS


def _steps(ax, step_labels, words, y_fwd, pos):
    """Each time step: its input box under its state box, w' from the previous state; a gap for "..."."""
    for t, sub in enumerate(step_labels, start=1):
        x = t * STEP
        draw.arrow(ax, [(x - STEP + HALF_W, y_fwd), (x - HALF_W, y_fwd)])
        draw.label(ax, (x - STEP / 2, y_fwd + 0.08), "$w'$", va="bottom")
        if _is_gap(sub):
            draw.label(ax, (x, Y_STATE), r"$\cdots$")
            draw.label(ax, (x, Y_INPUT), r"$\cdots$")
            continue
        pos[f"x{t}"] = draw.box(ax, (x, Y_INPUT), f"$x_{{{sub}}}$", draw.INPUT_COLOR)["center"]
        pos[f"o{t}"] = draw.box(ax, (x, Y_STATE), f"$o_{{{sub}}}$", draw.STATE_COLOR)["center"]
        draw.arrow(ax, [(x, Y_INPUT + HALF_H), (x, Y_STATE - HALF_H)])
        draw.label(ax, (x + 0.1, (Y_INPUT + Y_STATE) / 2), "$w$", ha="left")
        if words is not None:
            word = f"“{words[t - 1]}”"
            draw.label(ax, (x, Y_INPUT - HALF_H - 0.15), word, va="top", fontsize=12, style="italic")


def _chain(ax, step_labels, words, gradients, output_text):
    """The drawing shared by unrolled_rnn and many_to_one: inputs, states, output head."""
    T = len(step_labels)
    y_fwd = Y_STATE + (ARROW_OFFSET if gradients else 0.0)
    pos = {"o0": draw.box(ax, (0.0, Y_STATE), "$o_0$", draw.STATE_COLOR, dashed=True)["center"]}

    _steps(ax, step_labels, words, y_fwd, pos)
    x_out = (T + 1) * STEP
    pos["yhat"] = draw.box(ax, (x_out, Y_STATE), r"$\hat{y}$", draw.OUTPUT_COLOR)["center"]
    draw.arrow(ax, [(x_out - STEP + HALF_W, y_fwd), (x_out - HALF_W, y_fwd)])
    draw.label(ax, (x_out - STEP / 2, y_fwd + 0.08), "$w''$", va="bottom")
    if output_text is not None:
        draw.label(ax, (x_out, Y_STATE - HALF_H - 0.15), output_text, va="top", fontsize=12, style="italic")
    x_right = x_out + HALF_W

    if gradients:
        x_loss = x_out + STEP
        pos["L"] = draw.box(ax, (x_loss, Y_STATE), "$L$", draw.LOSS_COLOR)["center"]
        draw.arrow(ax, [(x_out + HALF_W, y_fwd), (x_loss - HALF_W, y_fwd)])
        x_right = x_loss + HALF_W
        _backward_flow(ax, step_labels, pos)

    ymin = Y_INPUT - HALF_H - (0.75 if words is not None else 0.2)
    ymax = (Y_SHARED + HALF_H + 0.2) if gradients else (Y_STATE + HALF_H + 0.55)
    draw.finish(ax, -HALF_W - 0.2, x_right + 0.2, ymin, ymax)
    return pos


def _backward_flow(ax, step_labels, pos):
    """Red arrows: from L back to yhat, delta_t = dL/do_t from right to left, into w and w'."""
    T = len(step_labels)
    y_bwd = Y_STATE - ARROW_OFFSET
    x_out = (T + 1) * STEP
    draw.arrow(ax, [(x_out + STEP - HALF_W, y_bwd), (x_out + HALF_W, y_bwd)], color=draw.GRADIENT_COLOR)

    # The arrow into a state carries the gradient of L with respect to that state.
    targets = ["0", *step_labels]  # targets[k] is the subscript of state k
    for t in range(T + 1, 0, -1):  # from the box at position t (yhat for T + 1) to state t - 1
        x = t * STEP
        draw.arrow(ax, [(x - HALF_W, y_bwd), (x - STEP + HALF_W, y_bwd)], color=draw.GRADIENT_COLOR)
        sub = targets[t - 1]
        if not _is_gap(sub):
            delta = rf"$\delta_{{{sub}}}$"
            draw.label(ax, (x - STEP / 2, y_bwd - 0.08), delta, draw.GRADIENT_COLOR, va="top")

    # The weights w and w' are the same at every step: each step adds its part of the gradient.
    left = -HALF_W
    width = max(T * STEP + HALF_W - left, SHARED_MIN_WIDTH)
    center = (left + width / 2, Y_SHARED)
    text = r"shared $w,\ w'$: gradients add up over $t$"
    pos["shared"] = draw.box(ax, center, text, "white", width, BOX_H, fontsize=12, edge=draw.GRADIENT_COLOR)["center"]
    for t, sub in enumerate(step_labels, start=1):
        if not _is_gap(sub):
            x = t * STEP + 0.25
            draw.arrow(ax, [(x, Y_STATE + HALF_H), (x, Y_SHARED - HALF_H)], color=draw.GRADIENT_COLOR, dashed=True)


def unrolled_rnn(ax, T=4, gradients=False, step_labels=None):
    """Draw the many-to-one network unrolled over T time steps.

    Inputs x_1..x_T enter from below through w; each state o_t receives the previous state
    o_{t-1} through w' (o_0, dashed, is the initial state); the last state o_T gives the
    output yhat through w''. With ``gradients=True`` the loss L is added and the backward flow
    is drawn in red: delta_t = dL/do_t flows from right to left, and every step sends its part
    of the gradient to the shared weights w, w'.

    Inputs:
    - ax: matplotlib Axes to draw on
    - T: number of time steps drawn (T >= 1)
    - gradients: also draw the loss and the backward flow
    - step_labels: T strings used as subscripts instead of 1..T, e.g. ["1", "2", "...", "T"];
      a label "..." draws a gap (dots) instead of a step
    Returns:
    - pos: dict name -> (x, y) of each box: "o0", "x1".."xT", "o1".."oT" (numbered by
      position, gaps left out), "yhat", and with gradients also "L" and "shared"
    """
    if T < 1:
        raise ValueError("T must be at least 1")
    if step_labels is None:
        step_labels = [str(t) for t in range(1, T + 1)]
    if len(step_labels) != T:
        raise ValueError(f"step_labels has {len(step_labels)} entries, expected T = {T}")
    return _chain(ax, list(step_labels), None, gradients, None)


def many_to_one(ax, words=("the", "film", "was", "not", "good"), label="negative"):
    """Draw a many-to-one network reading a sentence, one word per step, with one output.

    Inputs:
    - ax: matplotlib Axes to draw on
    - words: the input sequence, one word per time step (T = len(words))
    - label: the class written under the single output, or None
    Returns:
    - pos: dict name -> (x, y), as in unrolled_rnn
    """
    step_labels = [str(t) for t in range(1, len(words) + 1)]
    return _chain(ax, step_labels, list(words), False, label)


_VECTOR_BLOCKS = {"o": ("$o_{t-1}$", draw.STATE_COLOR), "x": ("$x_t$", draw.INPUT_COLOR)}
_MATRIX_BLOCKS = {"w'": ("$w'$", draw.STATE_COLOR), "w": ("$w$", draw.INPUT_COLOR)}


def _cells(ax, x0, y0, columns, rows, color):
    """A block of columns x rows unit squares, with a frame around it."""
    for j in range(columns):
        for i in range(rows):
            square = mpatches.Rectangle((x0 + j, y0 + i), 1, 1, facecolor=color, edgecolor="white", linewidth=1.5)
            ax.add_patch(square)
    frame = mpatches.Rectangle((x0, y0), columns, rows, fill=False, edgecolor=draw.EDGE_COLOR, linewidth=1.4)
    ax.add_patch(frame)


def block_product(ax, matrix=("w'", "w"), vector=("o", "x"), H=3, D=2):
    """Draw a stacked matrix times a stacked vector, one square per entry.

    The matrix has H rows and H + D columns, its blocks in the order given by ``matrix``
    ("w'" is H x H, "w" is H x D); the vector has H + D entries, its blocks in the order given
    by ``vector`` ("o" is o_{t-1}, H entries; "x" is x_t, D entries). Blocks are colored by
    what belongs together (w with x_t, w' with o_{t-1}). The vector lies on its side under
    the matrix, so column j of the matrix sits right above entry j of the vector. A dotted
    line marks where the matrix changes block: black when the vector changes block there too
    and the colors match, red when they do not.

    Inputs:
    - ax: matplotlib Axes to draw on
    - matrix: order of the matrix blocks, a permutation of ("w'", "w")
    - vector: order of the vector blocks, a permutation of ("o", "x")
    - H, D: sizes of the state and of the input
    Returns:
    - pos: dict with the centers of the blocks, keys "w'", "w", "o", "x"
    """
    sizes = {"w'": H, "w": D, "o": H, "x": D}
    y_vec = -2.2  # bottom of the vector row; the matrix spans y = 0..H
    pos = _matrix_row(ax, matrix, sizes, H) | _vector_row(ax, vector, sizes, y_vec)
    split = sizes[matrix[0]]
    aligned = split == sizes[vector[0]] and all(
        _MATRIX_BLOCKS[m][1] == _VECTOR_BLOCKS[v][1] for m, v in zip(matrix, vector)
    )
    color = draw.EDGE_COLOR if aligned else draw.GRADIENT_COLOR
    ax.plot([split, split], [y_vec, H + 0.3], linestyle=":", color=color, linewidth=1.5)
    draw.label(ax, (-0.4, H / 2), "matrix", draw.MUTED_COLOR, ha="right", fontsize=11)
    draw.label(ax, (-0.4, y_vec + 0.5), "vector\n(on its side)", draw.MUTED_COLOR, ha="right", fontsize=11)
    draw.finish(ax, -3.2, H + D + 0.3, y_vec - 1.1, H + 0.5)
    return pos


def _matrix_row(ax, matrix, sizes, H):
    """Draw the matrix's blocks side by side (y = 0..H), in the order of matrix; the centers of the blocks."""
    pos, col = {}, 0
    for name in matrix:
        symbol, color = _MATRIX_BLOCKS[name]
        _cells(ax, col, 0, sizes[name], H, color)
        pos[name] = (col + sizes[name] / 2, H / 2)
        draw.label(ax, pos[name], symbol, fontsize=15)
        col += sizes[name]
    return pos


def _vector_row(ax, vector, sizes, y_vec):
    """Draw the vector's blocks on their side in one row at y_vec, in the order of vector; their centers."""
    pos, col = {}, 0
    for name in vector:
        symbol, color = _VECTOR_BLOCKS[name]
        _cells(ax, col, y_vec, sizes[name], 1, color)
        pos[name] = (col + sizes[name] / 2, y_vec + 0.5)
        # Under the row, so that the block boundary drawn across the row never hides it.
        draw.label(ax, (pos[name][0], y_vec - 0.15), symbol, va="top", fontsize=14)
        col += sizes[name]
    return pos
