"""The book's figures, drawn with matplotlib: one set of drawing primitives, one module per chapter's figures.

- primitives: colors, boxes, round nodes, arrows, lines, labels, and finishing an Axes
- rnn: the unrolled RNN, a sentence read word by word, the stacked matrix product (chapters rnn, bptt)
- lstm: the LSTM cell (chapter lstm; its state is h, as in that chapter)
- gru: the GRU cell (chapter gru; its state is o, as in that chapter)

Every figure function draws on a matplotlib ``ax`` that the caller owns, in the notation of its chapter,
and returns a dict of the positions of what it drew (name -> (x, y) in data coordinates), so that a
chapter can add its own annotations.
"""
