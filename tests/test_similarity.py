"""The similarity check across a class (autograder/grading/similarity.py), on a class of rnn_bptt.

Twelve students: independent answers (the solution with other names and layout, the correct answer in
another style of tests/submissions/, two styles written here, a third on five functions), honest
mistakes (the mutants of tests/submissions/, one student a few, the other cells left as released),
an untouched notebook, an emptied one, and one pair where "dan" copied "cleo" and renamed every local
name, rewrote the comments and reordered the lines that can be.
"""

import math
import re

import numpy as np
import pytest
from notebooks import ROOT, answer_cells, functions_of, solution_code, student_notebook

from autograder.grading import similarity
from autograder.grading.similarity import analyse, fingerprints, pair_score, ranked_pairs, similarity_report

pytestmark = pytest.mark.fast

A = "rnn_bptt"
RELEASED = {name: cell.source for name, cell in answer_cells(student_notebook(A)).items()}
SUBMISSIONS = ROOT / "tests" / "submissions" / A
COPIED = ("cleo", "dan")
UNTOUCHED = ("jo", "kim")


def answer(function, body):
    """The released cell of function with its `# YOUR CODE HERE ... return` replaced by body (indented code)."""
    released = RELEASED[function]
    return released[: released.index("    # YOUR CODE HERE")] + body.strip("\n") + "\n"


def mutant(name):
    """function -> code of the mutant tests/submissions/rnn_bptt/mutants/<name>.py."""
    return functions_of(SUBMISSIONS / "mutants" / f"{name}.py")


def restyled_solution():
    """The solution with other local names, no comments, and a blank line between lines of code."""
    names = {"da": "grad_pre", "dh_prev": "back", "h_prev": "h_before", "step_cache": "memo", "xh": "both"}
    names |= {"shifted": "centred", "log_probs": "logp", "rnn_cache": "rc", "linear_cache": "lc", "dh_last": "top"}
    code = {}
    for function, source in solution_code(A).items():
        head, doc, body = source.split('"""', 2)
        body = re.sub(r"\b(" + "|".join(names) + r")\b", lambda m: names[m.group()], body)
        body = re.sub(r"  # .*", "", body).replace("\n    ", "\n\n    ")
        code[function] = f'{head}"""{doc}"""{body}'
    return code


CLEO = {
    "rnn_step_forward": """
    a = np.dot(x, Wx.T) + np.dot(h_prev, Wh.T) + b  # pre-activation
    h_next = np.tanh(a)
    cache = {"input": x, "prev": h_prev, "Wx": Wx, "Wh": Wh, "out": h_next}
    return h_next, cache
""",
    "rnn_step_backward": """
    x, h_prev, Wx, Wh, h_next = cache["input"], cache["prev"], cache["Wx"], cache["Wh"], cache["out"]
    grad_a = (1.0 - h_next * h_next) * dh_next  # tanh'
    dx = np.dot(grad_a, Wx)
    dh_prev = np.dot(grad_a, Wh)
    dWx = np.dot(grad_a.T, x)
    dWh = np.dot(grad_a.T, h_prev)
    db = np.sum(grad_a, axis=0)
    return dx, dh_prev, dWx, dWh, db
""",
    "rnn_forward": """
    N, T, D = x.shape
    states = []
    caches = []
    h_t = h0
    for t in range(T):
        h_t, c = rnn_step_forward(x[:, t, :], h_t, Wx, Wh, b)
        states.append(h_t)
        caches.append(c)
    h = np.stack(states, axis=1)
    cache = caches
    return h, cache
""",
    "rnn_backward": """
    N, T, H = dh.shape
    D = cache[0]["input"].shape[1]
    dx = np.empty((N, T, D))
    dWx = np.zeros((H, D))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    running = np.zeros((N, H))  # gradient flowing back in time
    t = T - 1
    while t >= 0:
        step = rnn_step_backward(dh[:, t, :] + running, cache[t])
        dx[:, t, :] = step[0]
        running = step[1]
        dWx = dWx + step[2]
        dWh = dWh + step[3]
        db = db + step[4]
        t -= 1
    dh0 = running
    return dx, dh0, dWx, dWh, db
""",
    "rnn_step_forward_stacked": """
    D = x.shape[1]
    Wx, Wh = W[:, :D], W[:, D:]
    h_next = np.tanh(np.dot(x, Wx.T) + np.dot(h_prev, Wh.T) + b)
    cache = {"input": x, "prev": h_prev, "W": W, "out": h_next}
    return h_next, cache
""",
    "linear_forward": """
    scores = np.dot(h, Wy.T) + by
    cache = {"h": h, "Wy": Wy}
    return scores, cache
""",
    "linear_backward": """
    h, Wy = cache["h"], cache["Wy"]
    dh = np.dot(dscores, Wy)
    dWy = np.dot(dscores.T, h)
    dby = np.sum(dscores, axis=0)
    return dh, dWy, dby
""",
    "softmax_cross_entropy": """
    N, C = scores.shape
    z = scores - np.max(scores, axis=1, keepdims=True)  # stable
    e = np.exp(z)
    p = e / np.sum(e, axis=1, keepdims=True)
    loss = -np.sum(np.log(p[range(N), y])) / N
    dscores = p.copy()
    dscores[range(N), y] -= 1.0
    dscores = dscores / N
    return loss, dscores
""",
    "many_to_one_loss": """
    Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
    Wy, by = params["Wy"], params["by"]
    N, T, D = x.shape
    H = Wh.shape[0]
    h, caches = rnn_forward(x, np.zeros((N, H)), Wx, Wh, b)
    scores, lin_cache = linear_forward(h[:, T - 1, :], Wy, by)
    loss, dscores = softmax_cross_entropy(scores, y)
    dlast, dWy, dby = linear_backward(dscores, lin_cache)
    dh = np.zeros((N, T, H))
    dh[:, T - 1, :] = dlast
    dx, dh0, dWx, dWh, db = rnn_backward(dh, caches)
    grads = {}
    grads["Wx"], grads["Wh"], grads["b"] = dWx, dWh, db
    grads["Wy"], grads["by"] = dWy, dby
    return loss, grads
""",
}

# cleo's code with every local name changed, other comments, and independent lines swapped
DAN = {
    "rnn_step_forward": """
    pre = np.dot(x, Wx.T) + np.dot(h_prev, Wh.T) + b
    new_h = np.tanh(pre)  # squash <script>alert('copied')</script>
    store = {"input": x, "prev": h_prev, "Wx": Wx, "Wh": Wh, "out": new_h}
    return new_h, store
""",
    "rnn_step_backward": """
    inp, hp, Wx, Wh, hn = cache["input"], cache["prev"], cache["Wx"], cache["Wh"], cache["out"]
    g = (1.0 - hn * hn) * dh_next
    gWh = np.dot(g.T, hp)
    gWx = np.dot(g.T, inp)
    ghp = np.dot(g, Wh)
    gx = np.dot(g, Wx)
    gb = np.sum(g, axis=0)  # bias
    return gx, ghp, gWx, gWh, gb
""",
    "rnn_forward": """
    batch, steps, dim = x.shape
    memo = []
    outs = []
    cur = h0
    for i in range(steps):
        cur, m = rnn_step_forward(x[:, i, :], cur, Wx, Wh, b)
        memo.append(m)
        outs.append(cur)
    result = np.stack(outs, axis=1)
    cache = memo
    return result, cache
""",
    "rnn_backward": """
    batch, steps, hid = dh.shape
    dim = cache[0]["input"].shape[1]
    grad_x = np.empty((batch, steps, dim))
    gb = np.zeros(hid)
    gWh = np.zeros((hid, hid))
    gWx = np.zeros((hid, dim))
    carry = np.zeros((batch, hid))
    i = steps - 1
    while i >= 0:
        out = rnn_step_backward(dh[:, i, :] + carry, cache[i])
        grad_x[:, i, :] = out[0]
        carry = out[1]
        gWx = gWx + out[2]
        gWh = gWh + out[3]
        gb = gb + out[4]
        i -= 1
    g0 = carry
    return grad_x, g0, gWx, gWh, gb
""",
    "rnn_step_forward_stacked": """
    d = x.shape[1]
    A, B = W[:, :d], W[:, d:]
    hn = np.tanh(np.dot(x, A.T) + np.dot(h_prev, B.T) + b)
    store = {"input": x, "prev": h_prev, "W": W, "out": hn}
    return hn, store
""",
    "linear_forward": """
    out = np.dot(h, Wy.T) + by
    keep = {"h": h, "Wy": Wy}
    return out, keep
""",
    "linear_backward": """
    hh, W = cache["h"], cache["Wy"]
    gW = np.dot(dscores.T, hh)
    gh = np.dot(dscores, W)
    gb = np.sum(dscores, axis=0)
    return gh, gW, gb
""",
    "softmax_cross_entropy": """
    n, c = scores.shape
    s = scores - np.max(scores, axis=1, keepdims=True)  # subtract the max <script>x</script>
    ex = np.exp(s)
    pr = ex / np.sum(ex, axis=1, keepdims=True)
    L = -np.sum(np.log(pr[range(n), y])) / n
    g = pr.copy()
    g[range(n), y] -= 1.0
    g = g / n
    return L, g
""",
    "many_to_one_loss": """
    Wy, by = params["Wy"], params["by"]
    Wx, Wh, b = params["Wx"], params["Wh"], params["b"]
    n, steps, d = x.shape
    hid = Wh.shape[0]
    hs, cs = rnn_forward(x, np.zeros((n, hid)), Wx, Wh, b)
    out, lc = linear_forward(hs[:, steps - 1, :], Wy, by)
    L, g = softmax_cross_entropy(out, y)
    gl, gWy, gby = linear_backward(g, lc)
    ghs = np.zeros((n, steps, hid))
    ghs[:, steps - 1, :] = gl
    gx, gh0, gWx, gWh, gb = rnn_backward(ghs, cs)
    result = {}
    result["Wy"], result["by"] = gWy, gby
    result["Wx"], result["Wh"], result["b"] = gWx, gWh, gb
    return L, result
""",
}

EVE = {
    "rnn_step_forward": """
    pre = x @ Wx.T + h_prev @ Wh.T
    pre += b
    h_next = np.tanh(pre)
    return h_next, (x, h_prev, Wx, Wh, h_next)
""",
    "rnn_step_backward": """
    inp, prev, Wx, Wh, out = cache
    dpre = dh_next - dh_next * out**2
    return dpre @ Wx, dpre @ Wh, dpre.T @ inp, dpre.T @ prev, dpre.sum(0)
""",
    "rnn_forward": """
    hs = np.zeros(x.shape[:2] + (Wh.shape[0],))
    caches = []
    state = h0
    for step in range(x.shape[1]):
        state, c = rnn_step_forward(x[:, step], state, Wx, Wh, b)
        hs[:, step] = state
        caches += [c]
    return hs, caches
""",
    "rnn_backward": """
    grads_x = []
    dWx = dWh = db = 0
    upstream = 0
    for t in range(dh.shape[1] - 1, -1, -1):
        gx, upstream, gWx, gWh, gb = rnn_step_backward(dh[:, t] + upstream, cache[t])
        grads_x.insert(0, gx)
        dWx, dWh, db = dWx + gWx, dWh + gWh, db + gb
    return np.stack(grads_x, axis=1), upstream, dWx, dWh, db
""",
    "rnn_step_forward_stacked": """
    stacked = np.hstack((x, h_prev))
    h_next = np.tanh(stacked @ W.T + b)
    return h_next, (stacked, W, h_next)
""",
    "linear_forward": """
    return h @ Wy.T + by, (h, Wy)
""",
    "linear_backward": """
    h, Wy = cache
    return dscores @ Wy, dscores.T @ h, dscores.sum(0)
""",
    "softmax_cross_entropy": """
    m = scores.max(axis=1)[:, None]
    logsum = m[:, 0] + np.log(np.sum(np.exp(scores - m), axis=1))
    n = scores.shape[0]
    loss = np.mean(logsum - scores[np.arange(n), y])
    probs = np.exp(scores - logsum[:, None])
    probs[np.arange(n), y] -= 1
    return loss, probs / n
""",
    "many_to_one_loss": """
    n = x.shape[0]
    hidden, rc = rnn_forward(x, np.zeros((n, params["Wh"].shape[0])), params["Wx"], params["Wh"], params["b"])
    s, lc = linear_forward(hidden[:, -1], params["Wy"], params["by"])
    loss, ds = softmax_cross_entropy(s, y)
    dlast, gWy, gby = linear_backward(ds, lc)
    dhidden = np.zeros_like(hidden)
    dhidden[:, -1] = dlast
    grads = dict(zip(["Wx", "Wh", "b"], rnn_backward(dhidden, rc)[2:]))
    grads.update(Wy=gWy, by=gby)
    return loss, grads
""",
}

FINN = {  # five functions done, the others left as released
    "rnn_step_forward": """
    h_next = np.tanh(np.matmul(x, Wx.transpose()) + np.matmul(h_prev, Wh.transpose()) + b.reshape(1, -1))
    cache = [x, h_prev, Wx, Wh, h_next]
    return h_next, cache
""",
    "rnn_step_backward": """
    x, h_prev, Wx, Wh, h_next = cache
    dtanh = 1 - np.power(h_next, 2)
    da = np.multiply(dh_next, dtanh)
    dx = np.matmul(da, Wx)
    dh_prev = np.matmul(da, Wh)
    dWx = np.matmul(da.transpose(), x)
    dWh = np.matmul(da.transpose(), h_prev)
    db = np.sum(da, axis=0)
    return dx, dh_prev, dWx, dWh, db
""",
    "rnn_forward": """
    N, T, D = x.shape
    H = Wh.shape[0]
    h = np.zeros((N, T, H))
    cache = []
    prev = h0
    for t in range(T):
        nxt, c = rnn_step_forward(x[:, t, :], prev, Wx, Wh, b)
        h[:, t, :] = nxt
        cache.append(c)
        prev = nxt
    return h, cache
""",
    "linear_forward": """
    scores = np.matmul(h, Wy.transpose()) + by
    cache = [h, Wy]
    return scores, cache
""",
    "linear_backward": """
    h, Wy = cache
    return np.matmul(dscores, Wy), np.matmul(dscores.transpose(), h), np.sum(dscores, axis=0)
""",
}

MISTAKES = {  # student -> the mutants whose functions they handed in (the other cells as released)
    "gus": ["step_backward_wrong_transpose", "backward_no_accumulation_over_time", "softmax_unstable"],
    "hana": ["step_backward_missing_tanh_derivative", "backward_dh0_zero", "forward_ignores_h0"],
    "ivan": ["step_forward_float32", "softmax_gradient_not_divided_by_batch", "many_to_one_uses_first_state"],
    "lea": [
        "step_backward_changes_upstream_in_place",
        "backward_changes_dh_in_place",
        "linear_backward_wrong_transpose",
    ],
}


def written(bodies):
    """function -> answer cell, for the bodies given; the other cells as released."""
    return RELEASED | {function: answer(function, body) for function, body in bodies.items()}


def make_class():
    """student -> {function -> answer cell} of the twelve students of this module."""
    codes = {
        "ada": RELEASED | restyled_solution(),
        "ben": RELEASED | functions_of(SUBMISSIONS / "alternative.py"),
        "cleo": written(CLEO),
        "dan": written(DAN),
        "eve": written(EVE),
        "finn": written(FINN),
        "jo": dict(RELEASED),
        "kim": {function: "" for function in RELEASED},
    }
    for student, names in MISTAKES.items():
        codes[student] = dict(RELEASED)
        for name in names:
            codes[student] |= mutant(name)
    return codes


CLASS = make_class()
HONEST = {"ada", "ben", "cleo", "eve", "finn"}  # wrote their own correct answers (dan copied cleo)


def ranking(codes, released=RELEASED):
    """[(combined score, student, student)] of every pair, highest first, and the score from which one is flagged."""
    result = analyse(codes, released)
    names = result["students"]
    return [(score, names[i], names[j]) for score, i, j in ranked_pairs(result)], result["flag_at"]


def test_the_class_is_what_it_says():
    assert len(CLASS) == 12
    assert all(set(answers) == set(RELEASED) for answers in CLASS.values())
    for student in ("gus", "hana", "ivan", "lea"):
        assert sum(CLASS[student][f] != RELEASED[f] for f in RELEASED) == 3, student
    assert "NotImplementedError" not in CLASS["cleo"]["rnn_backward"]
    assert CLASS["cleo"]["rnn_backward"].startswith(RELEASED["rnn_backward"].split("    # YOUR CODE HERE")[0])


def test_the_copied_pair_ranks_first_above_every_pair_of_honest_answers():
    pairs, flag_at = ranking(CLASS)
    top, *rest = pairs
    assert (top[1], top[2]) == COPIED
    honest = [p for p in rest if {p[1], p[2]} <= HONEST]
    assert len(honest) == 10
    assert top[0] > 2 * max(p[0] for p in honest)
    flagged = [(p[1], p[2]) for p in pairs if p[0] >= flag_at]
    assert flagged == [COPIED]


def test_without_identifier_normalisation_the_copy_would_not_rank_first(monkeypatch):
    """Names kept as written: the renamed copy hides among pairs that share the solution's names."""

    class Everything:
        def __contains__(self, name):
            return True

    monkeypatch.setattr(similarity, "KEEP", Everything())
    pairs, flag_at = ranking(CLASS)
    assert (pairs[0][1], pairs[0][2]) != COPIED
    assert COPIED not in [(p[1], p[2]) for p in pairs if p[0] >= flag_at]


@pytest.mark.parametrize("student", UNTOUCHED)
def test_untouched_and_empty_answers_are_no_answers(student):
    for function, source in CLASS[student].items():
        skeleton = similarity.skeleton_hashes(RELEASED[function])
        assert fingerprints(source, skeleton) is None
    result = analyse(CLASS, RELEASED)
    i = result["students"].index(student)
    assert not result["count"][i].any()
    assert all(np.isnan(result["scores"][f][i]).all() for f in RELEASED)


def test_untouched_skeletons_are_never_flagged(tmp_path):
    """Three students who handed the notebook back as released (one with a comment changed) or emptied, among
    the students who wrote their own answers and the copy.

    Without the skeleton discounted, the two notebooks left as released would be flagged.
    """
    codes = {name: CLASS[name] for name in HONEST | set(COPIED)} | {
        "jo": dict(RELEASED),
        "kim": {f: s.replace("    # YOUR CODE HERE\n", "    # not done, sorry\n") for f, s in RELEASED.items()},
        "lou": {f: "" for f in RELEASED},
    }
    pairs, flag_at = ranking(codes)
    assert len(pairs) == 15  # the pairs of the six who answered
    assert not {"jo", "kim", "lou"} & {student for p in pairs for student in p[1:]}
    assert [(p[1], p[2]) for p in pairs if p[0] >= flag_at] == [COPIED]
    fragment = similarity_report(tmp_path, A, codes, RELEASED)
    page = (tmp_path / "similarity" / f"{A}.html").read_text()
    for student in ("jo", "kim", "lou"):
        assert f"<td>{student}</td>" not in fragment and f"<th>{student}</th>" not in page
    undiscounted, flag_at = ranking(codes, released={})
    assert ("jo", "kim") in [(p[1], p[2]) for p in undiscounted if p[0] >= flag_at]


def test_the_page_shows_both_codes_side_by_side_escaped(tmp_path):
    fragment = similarity_report(tmp_path, A, CLASS, RELEASED)
    page = (tmp_path / "similarity" / f"{A}.html").read_text()
    assert "<script>" not in page and "<script>" not in fragment
    assert "&lt;script&gt;alert(&#x27;copied&#x27;)&lt;/script&gt;" in page
    section = page[page.index("<h2 id='pair-1'>") :]
    assert "cleo and dan" in section[:100]
    backward = section[section.index("<h3>rnn_backward: score") :]
    row = backward[: backward.index("</tr></table>")]
    assert "<th>cleo</th><th>dan</th>" in row
    left, right = row.split("<td style='vertical-align:top; width:50%'>")[1:]
    assert "running = np.zeros((N, H))" in left and "carry = np.zeros((batch, hid))" in right
    assert "<mark>" in left and "<mark>" in right
    assert "not a verdict" in page and "not a verdict" in fragment
    assert fragment.startswith("<h3>")
    assert "href='similarity/rnn_bptt.html'" in fragment
    assert "<td>cleo</td><td>dan</td>" in fragment
    assert fragment.count("<tr>") == 2  # the header and the one flagged pair


def test_a_hostile_student_name_is_escaped(tmp_path):
    codes = {name: code for name, code in CLASS.items() if name != "cleo"} | {"<b>x</b>": CLASS["cleo"]}
    fragment = similarity_report(tmp_path, A, codes, RELEASED)
    page = (tmp_path / "similarity" / f"{A}.html").read_text()
    assert "<b>x</b>" not in fragment and "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in fragment and "&lt;b&gt;x&lt;/b&gt;" in page


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_students_gives_a_sentence(tmp_path, count):
    codes = dict(list(CLASS.items())[:count])
    fragment = similarity_report(tmp_path, A, codes, RELEASED)
    assert "too few to compare" in fragment
    assert "<table>" not in fragment
    assert "too few to compare" not in similarity_report(tmp_path, A, CLASS, RELEASED)


def test_the_score_of_a_pair_is_symmetric():
    result = analyse(CLASS, RELEASED)
    cleo, dan = result["students"].index("cleo"), result["students"].index("dan")
    for function in RELEASED:
        a, b = result["prints"][function][cleo], result["prints"][function][dan]
        assert pair_score(a, b) == pair_score(b, a)
        assert math.isclose(pair_score(a, b), result["scores"][function][cleo, dan], rel_tol=1e-6)
        assert np.array_equal(result["scores"][function], result["scores"][function].T, equal_nan=True)
    # the same class under other names, so that every pair is seen in the other order
    renamed = {f"{chr(ord('z') - i)}_{name}": CLASS[name] for i, name in enumerate(sorted(CLASS))}
    back = {name: name.split("_", 1)[1] for name in renamed}
    before = {frozenset((a, b)): round(s, 9) for s, a, b in ranking(CLASS)[0]}
    after = {frozenset((back[a], back[b])): round(s, 9) for s, a, b in ranking(renamed)[0]}
    assert before == after


def test_a_copy_is_the_top_pair_of_every_function():
    result = analyse(CLASS, RELEASED)
    cleo, dan = result["students"].index("cleo"), result["students"].index("dan")
    for function in RELEASED:
        scores = result["scores"][function]
        assert scores[cleo, dan] == np.nanmax(scores), function
        assert result["shares"][function][cleo, dan] <= 0.1, function


def test_an_answer_the_whole_class_shares_puts_nobody_in_the_tail():
    """Five students who all return `h @ Wy.T + by, (h, Wy)`: every pair ties, so no pair stands out on it."""
    same = answer("linear_forward", "    return h @ Wy.T + by, (h, Wy)")
    codes = {name: CLASS[name] | {"linear_forward": same} for name in HONEST}
    result = analyse(codes, RELEASED)
    assert np.nanmin(result["scores"]["linear_forward"]) > 0.5
    assert np.nanmin(result["shares"]["linear_forward"]) == 1.0
    assert not similarity.flagged_pairs(result)
