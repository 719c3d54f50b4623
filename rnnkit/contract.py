"""The exercise contract: every graded function's arguments and what it returns, with shapes and types.

This is the one copy of the contract. Your visible tests and the gradient checker read it (rnnkit.checked,
check_layer, check_loss), and so do the graders, so a value of the wrong count, order, shape or type gets the same
words everywhere, before any of its numbers is looked at: "db has shape (1, 5), expected (5,)".

Each value is written ``name (sizes)``: a float64 array whose shape is given in the course's letters (N batch,
T time steps, D input size, H hidden size, C classes, V vocabulary), such as ``Wx (4H,D)``; ``loss float`` is one
float64 number; ``y int (N)`` and ``mask bool (N,T)`` are arrays of integers or booleans; ``params dict`` is a dict
of arrays; ``grads like params`` has the keys of ``params`` and each gradient the shape of its entry; ``cache`` is
the function's own, never looked into. A backward function returns the gradients of its forward function's inputs,
in their order, each of that input's shape (``dWx`` for ``Wx``).
"""

import re
from typing import NamedTuple

import numpy as np

KINDS = ("int", "bool", "float", "dict", "list", "function", "cache")


class Value(NamedTuple):
    """One argument or returned value of a graded function."""

    name: str  # as in the contract, such as "h_prev"
    kind: str  # "array" (float64), or one of KINDS
    sizes: tuple = ()  # the shape as size expressions, such as ("N", "4H"); () for a number
    like: str = ""  # for a dict returned: the argument whose keys and shapes it has


class Function(NamedTuple):
    """One graded function: its arguments and returned values, in order."""

    args: tuple  # argument names, in order
    outputs: tuple  # names of the returned values, in order, without the cache
    cache: bool = False  # True when a cache is returned after the outputs
    values: dict = {}  # name -> Value, for the arguments and the returned values
    forward: str = ""  # for a backward function, its forward function: the gradients have its inputs' shapes


def split(text):
    """The comma-separated items of text, commas inside parentheses kept."""
    return [item.strip() for item in re.split(r",\s*(?![^()]*\))", text) if item.strip()]


def value(item):
    """The Value that an item such as "Wx (4H,D)", "y int (N)", "loss float" or "grads like params" states."""
    match = re.fullmatch(r"(\w+)(?: like (\w+)| (\w+))?(?: \(([^)]*)\))?", item)
    if not match:
        raise ValueError(f"not a value of the contract: {item!r}")
    name, like, kind, sizes = match.groups()
    if name == "cache":
        return Value(name, "cache")
    if like:
        return Value(name, "dict", like=like)
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} in {item!r}")
    return Value(name, kind or "array", tuple(split(sizes)) if sizes else ())


def function(args, returns, cache=False):
    """A forward (or other) function of the contract, from its arguments and returned values in words."""
    values = [value(item) for item in split(args) + split(returns)]
    n_args = len(split(args))
    names = tuple(v.name for v in values)
    return Function(names[:n_args], names[n_args:], cache, {v.name: v for v in values})


def backward(forward, dout, grads):
    """A backward function of the contract: (dout..., cache) -> the gradients of forward's inputs named in grads."""
    spec = function(f"{dout}, cache", grads)
    return spec._replace(forward=forward)


RNN_BPTT = {
    "rnn_step_forward": function("x (N,D), h_prev (N,H), Wx (H,D), Wh (H,H), b (H)", "h_next (N,H)", cache=True),
    "rnn_step_backward": backward("rnn_step_forward", "dh_next (N,H)", "dx, dh_prev, dWx, dWh, db"),
    "rnn_forward": function("x (N,T,D), h0 (N,H), Wx (H,D), Wh (H,H), b (H)", "h (N,T,H)", cache=True),
    "rnn_backward": backward("rnn_forward", "dh (N,T,H)", "dx, dh0, dWx, dWh, db"),
    "rnn_step_forward_stacked": function("x (N,D), h_prev (N,H), W (H,D+H), b (H)", "h_next (N,H)", cache=True),
    "linear_forward": function("h (N,H), Wy (C,H), by (C)", "scores (N,C)", cache=True),
    "linear_backward": backward("linear_forward", "dscores (N,C)", "dh, dWy, dby"),
    "softmax_cross_entropy": function("scores (N,C), y int (N)", "loss float, dscores (N,C)"),
    # params: Wx (H, D), Wh (H, H), b (H,), Wy (C, H), by (C,)
    "many_to_one_loss": function("x (N,T,D), y int (N), params dict", "loss float, grads like params"),
}

VANISHING = {
    # J[n] = diag(1 - h_next[n]**2) @ Wh = d h_next[n] / d h_prev[n].
    "rnn_step_jacobian": function("h_next (N,H), Wh (H,H)", "J (N,H,H)"),
    # norms[t] = mean over n of ||dL/dh[n, t]||_2 when the loss reaches the states only through the last one, with
    # dL/dh[:, T-1] = dh_last; h are the states of a tanh RNN.
    "gradient_norms_through_time": function("h (N,T,H), Wh (H,H), dh_last (N,H)", "norms (T)"),
    # Global L2 norm over all arrays of the dict; all rescaled by max_norm / total_norm only when
    # total_norm > max_norm; new arrays returned; total_norm is the norm before clipping.
    "clip_grad_norm": function("grads dict, max_norm float", "clipped like grads, total_norm float"),
}

LSTM = {
    # Gates stacked in the order i, f, g, o (as torch.nn.LSTM).
    "lstm_step_forward": function(
        "x (N,D), h_prev (N,H), c_prev (N,H), Wx (4H,D), Wh (4H,H), b (4H)", "h_next (N,H), c_next (N,H)", cache=True
    ),
    "lstm_step_backward": backward(
        "lstm_step_forward", "dh_next (N,H), dc_next (N,H)", "dx, dh_prev, dc_prev, dWx, dWh, db"
    ),
    # The initial cell state is zero.
    "lstm_forward": function("x (N,T,D), h0 (N,H), Wx (4H,D), Wh (4H,H), b (4H)", "h (N,T,H)", cache=True),
    "lstm_backward": backward("lstm_forward", "dh (N,T,H)", "dx, dh0, dWx, dWh, db"),
    # For a loss that reaches the states only through h[:, T-1], with dL/dh[:, T-1] = dh_last and dc = dL/dc
    # (N, T, H): on_path[t] = mean over n of ||f[:, t+1] * ... * f[:, T-1] * dc[:, T-1]||_2 (one forget gate per
    # step back; on_path[T-1] = mean ||dc[:, T-1]||), off_path[t] = mean over n of ||dc[:, t] - that on-path
    # vector||_2 (off_path[T-1] = 0).
    "lstm_gradient_paths": function(
        "x (N,T,D), h0 (N,H), Wx (4H,D), Wh (4H,H), b (4H), dh_last (N,H)", "on_path (T), off_path (T)"
    ),
}

GRU = {
    # Gates stacked in the order r, z, n with two biases (as torch.nn.GRU).
    # n = tanh(x Wxn^T + bxn + r ⊙ (h_prev Whn^T + bhn)), then h_next = (1 - z) ⊙ n + z ⊙ h_prev.
    "gru_step_forward": function(
        "x (N,D), h_prev (N,H), Wx (3H,D), Wh (3H,H), bx (3H), bh (3H)", "h_next (N,H)", cache=True
    ),
    "gru_step_backward": backward("gru_step_forward", "dh_next (N,H)", "dx, dh_prev, dWx, dWh, dbx, dbh"),
    "gru_forward": function("x (N,T,D), h0 (N,H), Wx (3H,D), Wh (3H,H), bx (3H), bh (3H)", "h (N,T,H)", cache=True),
    "gru_backward": backward("gru_forward", "dh (N,T,H)", "dx, dh0, dWx, dWh, dbx, dbh"),
}

CHAR_LM = {
    # out[n, t] = W[x[n, t]], entries of x in [0, V).
    "embedding_forward": function("x int (N,T), W (V,D)", "out (N,T,D)", cache=True),
    # dW: the sum of dout over every position holding each character (repeats accumulate).
    "embedding_backward": backward("embedding_forward", "dout (N,T,D)", "dW"),
    # loss = the sum over positions with mask True of -log softmax(scores[n, t])[y[n, t]], divided by mask.sum()
    # (not by N, as cs231n's), in nats; dscores its gradient, zero where mask is False. Stable for large scores.
    # mask.sum() == 0 is undefined.
    "temporal_softmax_loss": function("scores (N,T,V), y int (N,T), mask bool (N,T)", "loss float, dscores (N,T,V)"),
    # One chunk of truncated BPTT. Inputs chars[:, :-1], targets chars[:, 1:]. params: W_embed (V, D), Wy (V, H),
    # by (V,), and "cell", the list of the cell's weights in the order cell_forward(x, h0, *cell) -> (h, cache)
    # takes them; cell_backward(dh, cache) -> (dx, dh0, *dcell) (the contract's rnn_forward/rnn_backward, cell
    # [Wx, Wh, b], or gru_forward/gru_backward, cell [Wx, Wh, bx, bh]). Embedding, the cell from h0,
    # scores = h @ Wy.T + by at every step, temporal_softmax_loss with every position counted. grads: the
    # structure of params; h_last = h[:, -1], the state to carry. h0 is a constant: dh0 is dropped.
    "lm_chunk_loss": function(
        "chars int (N,T+1), h0 (N,H), params dict, cell_forward function, cell_backward function",
        "loss float, grads like params, h_last (N,H)",
    ),
    # probs = softmax(scores / temperature) over the last axis, stable; temperature > 0.
    "temperature_softmax": function("scores (N,V), temperature float", "probs (N,V)"),
}

LINEAR_RNN = {
    # h[:, t] = a[:, t] * h[:, t - 1] + b[:, t] elementwise, with h0 before the first step: a loop over time.
    "linear_recurrence_forward": function("a (N,T,H), b (N,T,H), h0 (N,H)", "h (N,T,H)", cache=True),
    # delta_t = dh_t + a_{t+1} * delta_{t+1}; da_t = delta_t * h_{t-1}, db_t = delta_t, dh0 = a_1 * delta_1.
    "linear_recurrence_backward": backward("linear_recurrence_forward", "dh (N,T,H)", "da, db, dh0"),
    # The same h by a Hillis-Steele scan: at most rnnkit.steps.allowed_operations(T) element-wise operations.
    "parallel_scan": function("a (N,T,H), b (N,T,H), h0 (N,H)", "h (N,T,H)", cache=True),
    # The same gradients by a reverse scan, within the same number of operations.
    "parallel_scan_backward": backward("parallel_scan", "dh (N,T,H)", "da, db, dh0"),
    # minGRU (Feng et al. 2024): z = sigmoid(x Wz^T + bz), h~ = x Wh^T + bh, h_t = (1 - z_t) h_{t-1} + z_t h~_t, on
    # the scan (within rnnkit.steps.allowed_operations(T)).
    "min_gru_forward": function("x (N,T,D), h0 (N,H), Wz (H,D), bz (H), Wh (H,D), bh (H)", "h (N,T,H)", cache=True),
    "min_gru_backward": backward("min_gru_forward", "dh (N,T,H)", "dx, dh0, dWz, dbz, dWh, dbh"),
}

EXERCISES = {
    "rnn_bptt": RNN_BPTT,
    "vanishing": VANISHING,
    "lstm": LSTM,
    "gru": GRU,
    "char_lm": CHAR_LM,
    "linear_rnn": LINEAR_RNN,
}
FUNCTIONS = {name: spec for exercise in EXERCISES.values() for name, spec in exercise.items()}


def evaluate(size, letters):
    """The number a size expression ("H", "4H", "D+H", "T+1") stands for, or None when a letter is unknown."""
    total = 0
    for sign, count, letter in re.findall(r"([+-]?)(\d*)([A-Z]?)", size.replace(" ", "")):
        if not count and not letter:
            continue
        if letter and letter not in letters:
            return None
        term = int(count or 1) * (letters[letter] if letter else 1)
        total += -term if sign == "-" else term
    return total


def letters_of(spec, args):
    """The sizes (letter -> number) that the arguments' arrays show, from the one-letter entries of their shapes."""
    letters = {}
    for name, arg in zip(spec.args, args):
        sizes = spec.values[name].sizes
        shape = np.shape(arg) if isinstance(arg, np.ndarray) else None
        if shape is not None and len(shape) == len(sizes):
            letters.update({s: n for s, n in zip(sizes, shape) if re.fullmatch("[A-Z]", s) and s not in letters})
    return letters


def shape_of(value, letters):
    """The shape a Value must have, or None when the arguments do not fix it."""
    shape = tuple(evaluate(size, letters) for size in value.sizes)
    return None if None in shape else shape


def array_problem(value, name, shape):
    """What is wrong with a returned array before its numbers are looked at: (kind, words), kind "returns", "shape"
    or "dtype"; or None when it is a float64 array of the expected shape.

    Inputs:
    - value: what a function returned; name: its name in the contract; shape: the expected shape
    """
    if isinstance(value, (list, tuple, dict)) or value is None:
        return "returns", f"{name} is a {type(value).__name__}; expected a numpy array of shape {shape}."
    array = np.asarray(value)
    if array.shape != shape:
        hint = " (transposed?)" if array.shape == shape[::-1] else ""
        if len(shape) > 1 and shape[0] == 1 and array.shape == shape[1:]:
            hint = " (the batch axis of a batch of one dropped: do not squeeze)"
        return "shape", f"{name} has shape {array.shape}, expected {shape}{hint}."
    if array.dtype != np.float64:
        return "dtype", f"{name} has dtype {array.dtype}, expected float64: keep every computation in float64."
    return None


def returned(name, result):
    """(the values function `name` returned, cache left out, "") or (None, the words for a wrong count)."""
    spec = FUNCTIONS[name]
    count = len(spec.outputs) + spec.cache
    if count == 1:
        return (result,), ""
    if not isinstance(result, tuple) or len(result) != count:
        got = f"{len(result)} values" if isinstance(result, tuple) else f"a {type(result).__name__}"
        names = ", ".join(spec.outputs + (("cache",) if spec.cache else ()))
        return None, f"{name} returned {got}; expected a tuple of {count}: {names}."
    return result[: len(spec.outputs)], ""


def like_problem(value, name, model, model_name):
    """What is wrong with a dict that must have the keys of the dict `model` and each entry the shape of its entry
    (a list entry: a list of arrays of its arrays' shapes): (kind, words) or None."""
    if not isinstance(value, dict) or set(value) != set(model):
        got = sorted(value) if isinstance(value, dict) else type(value).__name__
        return "returns", f"{name} must be a dict with the keys of {model_name}, {sorted(model)}; got {got}."
    for key, entry in model.items():
        if isinstance(entry, (list, tuple)):
            if not isinstance(value[key], (list, tuple)) or len(value[key]) != len(entry):
                return "returns", f"{name}['{key}'] must be a list of {len(entry)} arrays, one per array of {key}."
            parts = [(value[key][k], f"{name}['{key}'][{k}]", np.shape(e)) for k, e in enumerate(entry)]
        else:
            parts = [(value[key], f"{name}['{key}']", np.shape(entry))]
        problem = next((p for p in (array_problem(*part) for part in parts) if p), None)
        if problem:
            return problem
    return None


def outputs_problem(name, result, args, forward_args=None):
    """The first thing wrong with what the graded function `name` returned for args, before any of its numbers is
    looked at, in the graders' words: (kind, words), or None. The count of values first, then each value in order:
    its type, its shape (from the sizes of the arguments) and its dtype.

    Inputs:
    - name: a function of the contract; result: what it returned; args: its arguments, in order
    - forward_args: for a backward function, the arguments of its forward function (the gradients' shapes)
    """
    outputs, words = returned(name, result)
    if outputs is None:
        return "returns", words
    problem = values_problem(name, outputs, args, forward_args)
    return problem[:2] if problem else None


def values_problem(name, outputs, args, forward_args=None):
    """(kind, words, value name) for the first returned value (cache left out) that the contract does not allow, or
    None: outputs_problem once the count is right."""
    spec = FUNCTIONS[name]
    source = FUNCTIONS[spec.forward] if spec.forward else spec
    source_args = (forward_args or ()) if spec.forward else args
    given = dict(zip(source.args, source_args))
    letters = letters_of(source, source_args)
    for out_name, out in zip(spec.outputs, outputs):
        problem = value_problem(out, spec.values[out_name], given, letters, spec.forward)
        if problem:
            return (*problem, out_name)
    return None


def value_problem(out, value, given, letters, forward=""):
    """What is wrong with one returned value (see outputs_problem), or None; given: argument name -> argument."""
    if value.kind == "dict":
        return like_problem(out, value.name, given[value.like], value.like) if value.like in given else None
    if forward:  # a gradient: the shape of its input
        source = given.get(value.name[1:])
        return None if source is None else array_problem(out, value.name, np.shape(source))
    shape = shape_of(value, letters)
    return None if shape is None else array_problem(out, value.name, shape)
