"""The book's figures draw, from one set of primitives, each in the notation of its own chapter."""

import re

import matplotlib
import pytest
from notebooks import ROOT

pytestmark = pytest.mark.fast

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from book.figures.gru import gru_cell  # noqa: E402
from book.figures.lstm import lstm_cell  # noqa: E402
from book.figures.rnn import block_product, many_to_one, unrolled_rnn  # noqa: E402

FIGURES = {  # figure -> (the chapter that shows it, its state's letter, the letter it must not use for states)
    "unrolled_rnn": (lambda ax: unrolled_rnn(ax, T=4, gradients=True), "bptt", "o", "h"),
    "many_to_one": (many_to_one, "rnn", "o", "h"),
    "block_product": (block_product, "rnn", "o", "h"),
    "lstm_cell": (lstm_cell, "lstm", "h", "o"),  # the LSTM chapter writes h for its state; o_t is its output gate
    "gru_cell": (gru_cell, "gru", "o", "h"),
}
SYMBOL = re.compile(r"(?<![A-Za-z\\])([a-z])_\{?(t-1|t)\}?")  # x_t, o_{t-1}: a letter at time t or t - 1
STATE = re.compile(r"(?<![A-Za-z\\])([a-z])_\{?(t-1|t|\d)\}?")  # the same, or at a numbered step: o_3


def texts(draw):
    """Every text a figure function draws, and what it returns."""
    fig, ax = plt.subplots()
    pos = draw(ax)
    found = [t.get_text() for t in ax.texts]
    plt.close(fig)
    return found, pos


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_each_figure_uses_the_notation_of_its_chapter(name):
    draw, chapter, state, other = FIGURES[name]
    found, pos = texts(draw)
    assert pos and all(len(xy) == 2 for xy in pos.values())
    symbols = {f"{letter}_{sub}" for text in found for letter, sub in SYMBOL.findall(text)}
    assert f"{other}_t-1" not in symbols, f"{name} writes the previous state as {other}_{{t-1}}"
    assert state in {letter for text in found for letter, _ in STATE.findall(text)}, found
    prose = (ROOT / "book" / f"{chapter}.md").read_text()
    in_prose = {f"{letter}_{sub}" for letter, sub in SYMBOL.findall(prose)}
    assert symbols <= in_prose, f"{name} writes {sorted(symbols - in_prose)}, which book/{chapter}.md does not"


def test_the_state_before_the_step_is_h_in_the_lstm_figure_and_o_in_the_gru_figure():
    lstm, _ = texts(lstm_cell)
    gru, _ = texts(gru_cell)
    assert any("h_{t-1}" in t for t in lstm) and not any("o_{t-1}" in t for t in lstm)
    assert any("o_{t-1}" in t for t in gru) and not any("h_{t-1}" in t for t in gru)


def test_the_chapters_import_the_figures_from_book_figures():
    for chapter in ("rnn", "bptt", "lstm", "gru"):
        text = (ROOT / "book" / f"{chapter}.md").read_text()
        assert "diagrams import" not in text and "from book.figures." in text, chapter
