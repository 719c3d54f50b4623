"""The experiments' library of the book: what the chapters import instead of copying.

The chapters keep the code that teaches (an equation and its few lines of numpy); the machinery of the
experiments lives here, once, with tests of its own (`tests/test_lab*.py`, every backward pass against central
differences in float64). Its modules, from the bottom up:

- `lab.functions`: the sigmoid and the cross-entropy of one example, as the chapters write them;
- `lab.optim`: Adam and gradient-norm clipping;
- `lab.tasks`: the tasks of the experiments (two-sequence, adding, latch, the negation reviews, parity);
- `lab.scan`: linear recurrences h_t = a_t h_{t-1} + b_t by a loop, by a parallel scan and in log space;
- `lab.min_gru`: minGRU, the GRU whose gates do not read h_{t-1}, on that scan (and its signed variant);
- `lab.networks`: stacks of S RNN, LSTM or GRU networks trained at once;
- `lab.passes`: their batched forward passes and BPTT, one per cell;
- `lab.training`: losses, gradients and training of many-to-one stacks on the tasks;
- `lab.cliff`: the vanishing chapter's one-unit cliff;
- `lab.shakespeare`: the capstone's text, Shakespeare's plays (rnnkit.text is the students' sonnets), and its
  n-gram baselines;
- `lab.lm`: character-level language models on that text (truncated BPTT, sampling, the probes);
- `lab.experiments`: each chapter's experiments, one function each, returning plain arrays (the linear-recurrence
  chapter's in `lab.linear_experiments`);
- `lab.claims`: the sentences of the chapters about those results, as checks with margins;
- `lab.tables`, `lab.plots`, `lab.source`: tables, figures and the library's code shown in a chapter;
- `lab.threads`: one BLAS thread for the experiments.
"""
