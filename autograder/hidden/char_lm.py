"""Hidden checks of the exercise "A character-level language model".

The hidden inputs and the table CHECKS. Every case has N, T, V, D (and H) all different. The embedding gets
characters that repeat; temporal_softmax_loss gets masks that leave out positions at the ends and in the
middle, a row left out but for one entry, no position left out, and scores of size about 5000;
lm_chunk_loss gets the grader's RNN and GRU cells (hidden.cells: a mistake in the student's own RNN costs
nothing here), nonzero initial states, and two consecutive chunks of the same streams, the second read
from the state the first returned, whose gradients must be those of the second chunk alone with its h0
held fixed; temperature_softmax gets temperatures from 0.01 (near-ties) to 100, and scores large or spread by
thousands. Every output's shape,
dtype and value is checked against ``reference.char_lm``, every gradient against central differences of
it in float64, and no argument may change; ``diagnose.char_lm`` names the known mistakes. A hidden test
cell of the notebook runs

    from autograder.hidden import char_lm
    char_lm.check("lm_chunk_loss", globals())
"""

import numpy as np

from autograder.diagnose import char_lm as diagnose
from autograder.diagnose.rnn_bptt import softmax_hint
from autograder.hidden import cells, common
from autograder.hidden.common import called, cases, forward_check
from autograder.judge import expect_array, expect_close, expect_gradient, expect_keys
from autograder.patterns import first_match
from autograder.reference import char_lm as ref
from autograder.student_process.failure import GradingError

SEED = 51_413
CELL_WEIGHTS = {"rnn": ("Wx", "Wh", "b"), "gru": ("Wx", "Wh", "bx", "bh")}  # the arrays of params["cell"]


def make_embedding(shape, seed):
    """Inputs of the embedding: x int (N, T) in which a character appears at two positions at least, W (V, D),
    and the Generator rng for the upstream gradients. With N = 4 the last two characters of the vocabulary are
    absent from x (a batch rarely holds every character): dW still has V rows, zero in theirs."""
    N, T, V, D = shape
    rng = np.random.default_rng(seed)
    x = rng.integers(0, V - 2 if N == 4 else V, size=(N, T))
    x[-1, -1] = x[0, 0]
    return {"x": x, "W": rng.standard_normal((V, D)), "rng": rng}


# (N, T, V, D): all four different; the large shape has more characters than the others.
EMBEDDING_INPUTS = common.Inputs(
    make_embedding, ((3, 1, 7, 4), (2, 5, 6, 3), (4, 3, 9, 5)), (6, 8, 20, 12), SEED, "NTVD"
)


def vocabulary_hint(x, W):
    """hint(failure, Call) for embedding_backward: a dW with rows up to the largest character of x, V taken from the
    data instead of from W."""

    def hint(failure, run):
        short = np.shape(run.grads[0]) == (x.max() + 1, W.shape[1]) and x.max() + 1 < W.shape[0]
        return diagnose.VOCABULARY_HINT if short else ""

    return hint


def check_embedding_backward(student):
    """The check of embedding_backward: dW against central differences of the reference embedding."""
    for case in cases(EMBEDDING_INPUTS, large=True):
        x, W, rng = case.p["x"], case.p["W"], case.p["rng"]
        dout = rng.standard_normal((*x.shape, W.shape[1]))
        hint = vocabulary_hint(x, W)
        run, label = called(student, "embedding_forward", [x, W], case.where, "embedding_backward", [dout], hint)
        dW = expect_array(run.grads[0], "dW", W.shape, label)
        theta = W.copy()

        def loss():
            return float(np.sum(dout * ref.embedding(x, theta)))  # noqa: B023 (called within this iteration)

        try:
            expect_gradient(dW, loss, theta, "dW", label, rng, case.method, key=("embedding", x, dout, theta))
        except GradingError as error:
            raise error.with_hint(first_match(dW, diagnose.embedding_mistakes(x, dout, W.shape[0]))) from None


# (V, mask) of each case of temporal_softmax_loss: N and T are the mask's shape. A first case with N, N * T and
# mask.sum() all different, so that the hints tell a loss divided by N from one divided by N * T.
MASKS = (
    (6, [[0, 1, 1, 0], [0, 0, 1, 0]]),  # left out at both ends; the second row but for one entry
    (5, [[1], [0], [1]]),
    (7, [[1, 0, 1], [1, 1, 1], [0, 1, 1], [1, 1, 0]]),  # left out in the middle and at the ends
    (3, [[1] * 6] * 5),  # every position counts: N * T = mask.sum()
)


def softmax_cases():
    """(where, scores, y, mask, method, rng) of each case: the masks of MASKS, scores of size about 5000, and a
    large case for directional checks with a row left out but for one entry."""
    rng = np.random.default_rng(SEED + 1)
    large = rng.random((6, 10)) < 0.7
    large[0, 0] = large[1, -1] = False
    large[2] = np.arange(10) == 4
    cases = [(V, np.array(mask, dtype=bool), 2.0, 0.0, "auto") for V, mask in MASKS]
    cases.append((5, np.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 0, 1, 0]], dtype=bool), 1000.0, 5000.0, "auto"))
    cases.append((40, large, 2.0, 0.0, "directional"))
    for V, mask, scale, offset, method in cases:
        (N, T), size = mask.shape, f", scores of size about {offset:g}" if offset else ""
        where = f"N={N}, T={T}, V={V}, {mask.sum()} of the {N * T} positions counted{size}"
        yield where, scale * rng.standard_normal((N, T, V)) + offset, rng.integers(0, V, size=(N, T)), mask, method, rng


def check_softmax(student):
    """The check of temporal_softmax_loss: the loss against the reference, dscores against central differences."""
    for where, scores, y, mask, method, rng in softmax_cases():
        run, label = called(student, "temporal_softmax_loss", [scores, y, mask], where)
        try:
            loss = expect_array(run.outputs[0], "loss", (), label)
            dscores = expect_array(run.outputs[1], "dscores", scores.shape, label)
        except GradingError as error:
            raise error.with_hint(softmax_hint(error, scores, run.outputs)) from None
        expect_matching(
            loss, ref.temporal_softmax_loss(scores, y, mask), "loss", label, diagnose.loss_mistakes, scores, y, mask
        )
        x = scores.copy()

        def loss_of_scores():
            return ref.temporal_softmax_loss(x, y, mask)  # noqa: B023 (called within this iteration)

        try:
            expect_gradient(dscores, loss_of_scores, x, "dscores", label, rng, method, key=("softmax", x, y, mask))
        except GradingError as error:
            raise error.with_hint(first_match(dscores, diagnose.dscores_mistakes(scores, y, mask))) from None


def expect_matching(actual, expected, name, label, mistakes, *args):
    """expect_close, with the hint of the first known mistake, of mistakes(*args), that actual equals."""
    try:
        expect_close(actual, expected, name, label)
    except GradingError as error:
        raise error.with_hint(first_match(actual, mistakes(*args))) from None


def make_lm(shape, seed, cell):
    """Inputs of the language model: stream int (N, 2T + 1), two consecutive chunks stream[:, :T + 1] and
    stream[:, T:] with a repeated character in each, h0 (N, H), params with the weights of `cell` (rnn or
    gru), nonzero biases; and the Generator rng for directional checks."""
    N, T, V, D, H = shape
    rng = np.random.default_rng(seed)
    rows = 3 * H if cell == "gru" else H
    stream = rng.integers(0, V, size=(N, 2 * T + 1))
    stream[-1, 0], stream[-1, T] = stream[0, 0], stream[0, T]
    params = {"W_embed": 0.8 * rng.standard_normal((V, D)), "Wy": rng.standard_normal((V, H)) / np.sqrt(H)}
    params["by"] = 0.3 * rng.standard_normal(V)
    weights = [rng.standard_normal((rows, D)) / np.sqrt(D), 0.9 * rng.standard_normal((rows, H)) / np.sqrt(H)]
    params["cell"] = weights + [0.4 * rng.standard_normal(rows) for _ in CELL_WEIGHTS[cell][2:]]
    return {"stream": stream, "h0": 0.6 * rng.standard_normal((N, H)), "params": params, "cell": cell, "rng": rng}


# (kind, cell, (N, T, V, D, H)): one chunk (T = 1 first), two consecutive chunks, and one chunk too large for
# full differences (directional checks). All five sizes differ in each shape.
LM_CASES = (
    ("chunk", "rnn", (3, 1, 7, 4, 5)),
    ("chunk", "rnn", (2, 5, 6, 3, 4)),
    ("chunk", "gru", (4, 3, 9, 5, 6)),
    ("chunk", "gru", (3, 4, 8, 2, 5)),
    ("two chunks", "rnn", (3, 4, 7, 5, 6)),
    ("two chunks", "gru", (2, 5, 9, 3, 4)),
    ("large", "rnn", (6, 12, 20, 8, 16)),
    ("large", "gru", (5, 8, 15, 7, 10)),
)


def lm_cases():
    """(kind, where, p) of each case of LM_CASES, p from make_lm."""
    for k, (kind, cell, shape) in enumerate(LM_CASES):
        sizes = ", ".join(f"{letter}={size}" for letter, size in zip("NTVDH", shape))
        yield kind, f"{cell.upper()} cell, {sizes}", make_lm(shape, SEED + 10 + k, cell)


def expect_grads(grads, params, cell, label):
    """[(path, name, gradient)] of lm_chunk_loss's grads, path a key of params or ("cell", k), after checking
    the keys, the cell's list and every shape and dtype."""
    expect_keys(grads, ref.PARAM_NAMES, "grads", label, "the keys of params, W_embed, Wy, by and cell")
    names = CELL_WEIGHTS[cell]
    if not isinstance(grads["cell"], (list, tuple)) or len(grads["cell"]) != len(names):
        message = f"{label}: grads['cell'] must be a list of {len(names)} gradients, of {', '.join(names)} in order."
        raise GradingError(message, "returns", "grads['cell']")
    found = [(key, f"grads['{key}']", grads[key], params[key]) for key in ("W_embed", "Wy", "by")]
    found += [
        (("cell", k), f"grads['cell'][{k}] (d{w})", grads["cell"][k], params["cell"][k]) for k, w in enumerate(names)
    ]
    return [(path, name, expect_array(g, name, w.shape, label)) for path, name, g, w in found]


def copied(params):
    """A copy of params (the list of the cell's arrays copied too), and a function path -> its array."""
    theta = {k: [w.copy() for w in v] if k == "cell" else v.copy() for k, v in params.items()}
    return theta, lambda path: theta["cell"][path[1]] if isinstance(path, tuple) else theta[path]


def check_chunk(student, chars, h0, p, where, method, leaked=None):
    """lm_chunk_loss on one chunk from h0: the loss and h_last against the reference, every gradient against
    central differences of the reference loss with h0 held fixed. Returns the student's h_last.

    leaked: function path -> the gradient of a submission whose gradient flows into the previous chunk, or None.
    """
    cell, params = p["cell"], p["params"]
    run, label = called(student, "lm_chunk_loss", [chars, h0, params, *cells.LENT[cell]], where)
    loss, grads, h_last = run.outputs
    expected_loss, expected_h = ref.lm_chunk_loss(chars, h0, params, cell)
    loss = expect_array(loss, "loss", (), label)
    h_last = expect_array(h_last, "h_last", h0.shape, label)
    expect_matching(loss, expected_loss, "loss", label, diagnose.chunk_loss_mistakes, chars, h0, params, cell)
    expect_matching(h_last, expected_h, "h_last", label, diagnose.h_last_mistakes, chars, h0, params, cell)
    theta, at = copied(params)

    def loss_of_params():
        return ref.lm_chunk_loss(chars, h0, theta, cell)[0]

    for path, name, grad in expect_grads(grads, params, cell, label):
        key = (
            "lm_chunk_loss",
            cell,
            repr(path),
            chars,
            h0,
            params["W_embed"],
            params["Wy"],
            params["by"],
            *params["cell"],
        )
        try:
            expect_gradient(grad, loss_of_params, at(path), name, label, p["rng"], method, key=key)
        except GradingError as error:
            raise error.with_hint(gradient_hint(student, path, grad, leaked)) from None
    return h_last


def gradient_hint(student, path, grad, leaked):
    """The hint for a wrong gradient of lm_chunk_loss: the gradient leaked into the previous chunk, or the
    student's embedding_backward (for W_embed) or temporal_softmax_loss failing its own check; "" otherwise."""
    if leaked is not None and first_match(grad, [(diagnose.LEAK_HINT, leaked(path))]):
        return diagnose.LEAK_HINT
    for name in ("embedding_backward",) if path == "W_embed" else ("temporal_softmax_loss",):
        try:
            CHECKS[name](student)
        except GradingError:
            return diagnose.DEPENDS_HINT.format(name=name)
    return ""


def check_lm(student):
    """The check of lm_chunk_loss: single chunks, then two consecutive chunks with the state carried from the
    first to the second (whose gradients must stop at its start), then the large chunks."""
    for kind, where, p in lm_cases():
        T = (p["stream"].shape[1] - 1) // 2
        first, second = p["stream"][:, : T + 1], p["stream"][:, T:]
        if kind != "two chunks":
            check_chunk(student, first, p["h0"], p, where, "directional" if kind == "large" else "auto")
            continue
        carried = check_chunk(student, first, p["h0"], p, f"{where}, chunk 1 of 2", "auto")

        def leaked(path, first=first, second=second, p=p):
            return diagnose.leaked_gradient(first, p["h0"], second, p["params"], p["cell"], path)

        check_chunk(student, second, carried, p, f"{where}, chunk 2 of 2, from the h_last of chunk 1", "auto", leaked)


def temperature_cases():
    """(where, scores, temperature) of each case: temperatures below, at and above 1, and large scores."""
    rng = np.random.default_rng(SEED + 2)
    for (N, V), temperature in (((3, 5), 0.5), ((4, 7), 2.0), ((2, 9), 1.0), ((5, 6), 0.1), ((3, 4), 100.0)):
        yield f"N={N}, V={V}, temperature {temperature:g}", 2.0 * rng.standard_normal((N, V)), temperature
    yield "N=3, V=8, scores of size about 5000, temperature 0.5", 1000.0 * rng.standard_normal((3, 8)) + 5000.0, 0.5
    # Cold: near-ties 0.005 apart at temperature 0.01 are far from an argmax (each pair is e to 1 against 1).
    near_ties = 0.005 * np.arange(6)[None, :] + 0.2 * rng.integers(0, 3, size=(4, 1))
    yield "N=4, V=6, scores 0.005 apart, temperature 0.01", rng.permuted(near_ties, axis=1), 0.01
    # Hot, with scores spread by thousands: softmax(scores) underflows to 0 where softmax(scores / 500) is about 0.1.
    yield "N=3, V=7, scores spread by thousands, temperature 500", 1000.0 * rng.standard_normal((3, 7)), 500.0


def check_temperature(student):
    """The check of temperature_softmax: probs against the reference."""
    for where, scores, temperature in temperature_cases():
        run, label = called(student, "temperature_softmax", [scores, temperature], where)
        try:
            probs = expect_array(run.outputs[0], "probs", scores.shape, label)
        except GradingError as error:
            raise error.with_hint(softmax_hint(error, scores / temperature, run.outputs)) from None
        expected = ref.temperature_softmax(scores, temperature)
        expect_matching(probs, expected, "probs", label, diagnose.temperature_mistakes, scores, temperature)


CHECKS = {
    "embedding_forward": forward_check(
        EMBEDDING_INPUTS, "embedding_forward", ref.embedding, lambda p: [p["x"], p["W"]]
    ),
    "embedding_backward": check_embedding_backward,
    "temporal_softmax_loss": check_softmax,
    "lm_chunk_loss": check_lm,
    "temperature_softmax": check_temperature,
}

# function -> the functions of the contract a student's version usually calls (or its check runs first), in the
# order to blame them when it fails with no hint of its own (common.with_dependencies)
DEPENDS = {
    "embedding_backward": ("embedding_forward",),
    "lm_chunk_loss": ("embedding_forward", "embedding_backward", "temporal_softmax_loss"),
}
CHECKS = common.with_dependencies(CHECKS, DEPENDS)


def check(name, namespace):
    """Run the hidden check of one function on a notebook's namespace (its globals()); GradingError on failure."""
    common.check(CHECKS, "char_lm", name, namespace)
