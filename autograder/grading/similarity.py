"""Similar code across a class: pairs of students whose answers to the same functions are unusually alike.

For each graded function (each answer cell is named after its function), every student's answer becomes a
set of fingerprints (Schleimer, Wilkerson and Aiken 2003, "Winnowing: local algorithms for document
fingerprinting"):

- tokens: the cell is tokenised (a regular expression that never fails, so code that does not parse is
  still compared); comments and docstrings are dropped; local names become V, strings S and numbers N, so
  renaming variables or changing a constant does not hide a copy. Keywords, builtins, attributes (`.T`,
  `.sum`) and keyword-argument names (`axis=`) are kept: a student cannot rename them, and they are most
  of what tells one numpy answer from another. A line break outside brackets is a token of its own.
- fingerprints: the hashes of every K consecutive tokens, winnowed (the least hash of each window of
  WINDOW k-grams): any run of at least K + WINDOW - 1 tokens shared by two answers shares a fingerprint.
- the released skeleton is discounted: every k-gram of the answer cell as released (signature,
  `raise NotImplementedError()`, `return ...`) is removed. An answer left with fewer than MIN_PRINTS
  fingerprints (untouched, emptied, `pass`) is "no answer": it is similar to nobody.

The score of a pair on a function is a Jaccard index with a pseudo-count, |A & B| / (|A | B| + PSEUDO),
symmetric, and low for tiny answers whatever they share. Correct answers to small functions look alike,
so a score means nothing by itself: it is ranked against the class's own pairs on that function, as a
robust z-score (median and MAD of all pairs who both answered; the mean absolute deviation when the MAD is
0, as in Iglewicz and Hoaglin's modified z-score). The z-scores of a pair, clipped to Z_CLIP, are combined
over the functions both answered by Stouffer's sum / sqrt(count): a pair far out on many functions ranks
above a pair far out on one, and a pair that shares the one way to write a three-line function is not
far out at all. Pairs whose combined score reaches FLAG_AT are flagged. A high score is a question to ask
the students, never a verdict: the report says so.

Why not copydetect (PyPI, winnowing over pygments tokens with boilerplate removal)? Its dependencies
(numpy, matplotlib, jinja2, pygments, tqdm) are mostly here already, and its CodeFingerprint takes a
string through `fp=`, so neither size nor files decide it. What does: (1) its filter turns every name,
attribute and called function into the same V, so `np.tanh(x @ Wx.T + b)` and `np.dot(x, Wx.T) + b`
lose the attributes that tell numpy answers apart, and short functions become a few near-identical
character grams; (2) its k is in characters of the filtered text (25 by default), too coarse for
two-line answers; (3) its similarity is per file (overlap / own tokens), not symmetric; (4) its pairwise
comparison is a few numpy calls per pair, tens of seconds for 300 students x 10 functions (45,000
pairs each), where a matrix product over the shared fingerprints takes milliseconds; (5) it is one
maintainer's beta (0.5.0, 2024). What is used of the paper here is small (a tokeniser, a rolling hash, a
sliding minimum) and is stdlib and numpy only, so nothing is added to requirements.lock.
"""

import builtins
import html
import keyword
import math
import re
import zlib
from itertools import combinations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograder.grading.report import page, table

K = 5  # tokens per k-gram: `dx = da @ Wx` is five tokens with its line break
WINDOW = 4  # k-grams per winnowing window: any shared run of K + WINDOW - 1 = 8 tokens is found
MIN_PRINTS = 3  # fewer fingerprints once the skeleton is discounted: no answer
PSEUDO = 2.0  # added to the union of a pair's fingerprints: tiny answers cannot score high
Z_CLIP = (-3.0, 8.0)  # bounds on one function's z-score, so one degenerate function cannot decide alone
FLAG_AT = 4.0  # combined score from which a pair is flagged
TOP = 10  # pairs in the class report's table
MIN_STUDENTS = 3
BASE = np.uint64(0x100000001B3)  # multiplier of the polynomial hash of a k-gram (wraps around 2**64)
NOTE = (
    "A high score is a question to ask the students, not a verdict: correct answers to short functions look"
    " alike, students may work together as allowed, and code from the book or the lectures is shared by all."
)

TOKEN = re.compile(
    r"""(?P<space>[ \t\f]+|\\\r?\n)
    |(?P<newline>\r?\n|\r)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>(?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*"))
    |(?P<number>(?:0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)[jJ]?)
    |(?P<name>[^\W\d]\w*)
    |(?P<op>\*\*=?|//=?|>>=?|<<=?|->|:=|\.\.\.|[-+*/%@&|^<>=!]=|[-+*/%@&|^~<>=.,:;()\[\]{}])
    |(?P<other>\S)""",
    re.VERBOSE,
)
KEEP = frozenset(keyword.kwlist) | frozenset(dir(builtins))
OPEN, CLOSE = frozenset("([{"), frozenset(")]}")


def logical_lines(source):
    """The tokens of Python code, grouped by logical line (a line break inside brackets does not end one).

    Inputs:
    - source: code, any text (code that does not parse is tokenised all the same)
    Returns:
    - list of logical lines, each a list of (kind, text, line number from 0); comments and blanks left out
    """
    lines, current, depth, row = [], [], 0, 0
    for match in TOKEN.finditer(source):
        kind, text = match.lastgroup, match.group()
        if kind == "newline":
            if depth == 0 and current:
                lines.append(current)
                current = []
            row += 1
            continue
        if kind == "op":
            depth += text in OPEN
            depth = max(0, depth - (text in CLOSE))
        if kind not in ("space", "comment"):
            current.append((kind, text, row))
        row += text.count("\n")
    if current:
        lines.append(current)
    return lines


def normalised(source):
    """The tokens of an answer as compared: identifiers and literals replaced, comments and docstrings dropped.

    Inputs:
    - source: code of one answer cell
    Returns:
    - (tokens, rows): list of token strings ("V" a name, "S" a string, "N" a number, "\\n" the end of a
      logical line, keywords, builtins, attributes, keyword-argument names and operators as written), and the
      line number (from 0) of each token in source
    """
    tokens, rows = [], []
    for line in logical_lines(source):
        if all(kind == "string" for kind, _, _ in line):  # a docstring, or a string left alone
            continue
        previous, depth = "", 0
        for i, (kind, text, row) in enumerate(line):
            if kind == "name" and text not in KEEP and previous != ".":
                following = line[i + 1][1] if i + 1 < len(line) else ""
                text = text if depth and following == "=" else "V"  # keyword-argument names are kept
            elif kind in ("string", "number"):
                text = "S" if kind == "string" else "N"
            depth += (text in OPEN) - (text in CLOSE)
            tokens.append(text)
            rows.append(row)
            previous = text
        tokens.append("\n")
        rows.append(line[-1][2])
    return tokens, rows


def token_ids(tokens, known={}):  # noqa: B006 (a cache shared by all calls, on purpose)
    """Stable integer ids of tokens (a CRC of each, so that fingerprints do not depend on the order of students).

    Inputs:
    - tokens: list of token strings
    Returns:
    - np.ndarray of uint64, one per token
    """
    ids = []
    for t in tokens:
        found = known.get(t)
        if found is None:
            found = known[t] = zlib.crc32(t.encode()) + 1
        ids.append(found)
    return np.array(ids, dtype=np.uint64)


def kgram_hashes(tokens):
    """A 64-bit hash of each run of K consecutive tokens.

    Inputs:
    - tokens: list of token strings
    Returns:
    - np.ndarray of uint64, len(tokens) - K + 1 hashes (none when there are fewer than K tokens)
    """
    ids = token_ids(tokens)
    count = len(ids) - K + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    hashes = ids[:count].copy()
    for j in range(1, K):
        hashes = hashes * BASE + ids[j : j + count]
    return hashes


def winnow(hashes):
    """The fingerprints of a document: the least hash of each window of WINDOW consecutive k-gram hashes.

    Inputs:
    - hashes: np.ndarray of k-gram hashes, in the order of the text
    Returns:
    - np.ndarray of the distinct selected hashes, sorted (all of them when there are fewer than WINDOW)
    """
    if len(hashes) < WINDOW:
        return np.unique(hashes)
    return np.unique(sliding_window_view(hashes, WINDOW).min(axis=1))


def skeleton_hashes(released):
    """The k-gram hashes of an answer cell as released, which no answer is credited for.

    Inputs:
    - released: source of the cell as released, or None
    Returns:
    - np.ndarray of hashes, sorted
    """
    return np.unique(kgram_hashes(normalised(released or "")[0]))


def fingerprints(source, skeleton):
    """An answer's fingerprints less those of the released cell; None when too few are left to be an answer.

    Inputs:
    - source: the student's answer cell (None or "" when missing)
    - skeleton: np.ndarray of the released cell's k-gram hashes (skeleton_hashes)
    Returns:
    - np.ndarray of hashes, sorted, or None (untouched, emptied or next to nothing written)
    """
    prints = np.setdiff1d(winnow(kgram_hashes(normalised(source or "")[0])), skeleton, assume_unique=True)
    return prints if len(prints) >= MIN_PRINTS else None


def pair_score(a, b):
    """The similarity of two answers' fingerprints, symmetric: |a & b| / (|a | b| + PSEUDO).

    Inputs:
    - a, b: np.ndarray of distinct hashes (fingerprints), or None (no answer)
    Returns:
    - float in [0, 1), or nan when either is no answer
    """
    if a is None or b is None:
        return math.nan
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared + PSEUDO)


def score_matrix(prints):
    """pair_score of every pair of students at once: a product of 0/1 matrices over the shared fingerprints.

    Inputs:
    - prints: list, one per student, of np.ndarray of fingerprints or None
    Returns:
    - np.ndarray (n, n) of scores, nan on the diagonal and wherever either student gave no answer
    """
    n = len(prints)
    answered = np.array([p is not None for p in prints])
    scores = np.full((n, n), math.nan)
    if answered.sum() < 2:
        return scores
    rows = np.flatnonzero(answered)
    sizes = np.array([len(prints[i]) for i in rows], dtype=float)
    values, owner_counts = np.unique(np.concatenate([prints[i] for i in rows]), return_counts=True)
    shared_values = values[owner_counts > 1]  # a fingerprint only one student has adds to no intersection
    member = np.zeros((len(rows), len(shared_values)), dtype=np.float32)
    for r, i in enumerate(rows):
        member[r, np.searchsorted(shared_values, np.intersect1d(prints[i], shared_values, assume_unique=True))] = 1
    shared = member @ member.T
    scores[np.ix_(rows, rows)] = shared / (sizes[:, None] + sizes[None, :] - shared + PSEUDO)
    np.fill_diagonal(scores, math.nan)
    return scores


def robust_z(scores):
    """Each pair's score against the class's pairs on the same function: (score - median) / (1.4826 MAD).

    The scale is 1.2533 times the mean absolute deviation when the MAD is 0 (most pairs tied); all 0 when
    every pair has the same score or fewer than 3 pairs answered.

    Inputs:
    - scores: np.ndarray (n, n) of one function's scores (score_matrix), nan where not comparable
    Returns:
    - np.ndarray (n, n) of z-scores, nan where not comparable
    """
    values = scores[np.triu_indices_from(scores, 1)]
    values = values[~np.isnan(values)]
    if len(values) < 3:
        return np.where(np.isnan(scores), math.nan, 0.0)
    median = np.median(values)
    deviations = np.abs(values - median)
    scale = 1.4826 * np.median(deviations) or 1.2533 * deviations.mean()
    if scale == 0:
        return np.where(np.isnan(scores), math.nan, 0.0)
    return (scores - median) / scale


def combined(zs):
    """Stouffer's combination of the clipped z-scores of every function both students answered.

    Inputs:
    - zs: list of np.ndarray (n, n) of z-scores, one per function, nan where not comparable
    Returns:
    - (total, count): np.ndarray (n, n) of combined scores (0 where no function is shared) and of the number
      of functions both answered
    """
    stack = np.clip(np.array(zs), *Z_CLIP)
    count = (~np.isnan(stack)).sum(axis=0)
    total = np.nansum(stack, axis=0) / np.sqrt(np.maximum(count, 1))
    return total, count


def analyse(codes, released):
    """Scores of every pair of students on every function, and combined.

    Inputs:
    - codes: student -> {function name -> source of the student's answer cell}
    - released: function name -> source of that answer cell as released
    Returns:
    - dict with "students" (sorted), "functions", "prints" (function -> list of fingerprints or None, one per
      student), "scores" and "z" (function -> np.ndarray (n, n)), "total" and "count" (np.ndarray (n, n),
      from combined())
    """
    students = sorted(codes)
    functions = list(released) + sorted({f for answers in codes.values() for f in answers} - set(released))
    prints, scores, z = {}, {}, {}
    for function in functions:
        skeleton = skeleton_hashes(released.get(function))
        prints[function] = [fingerprints(codes[s].get(function), skeleton) for s in students]
        scores[function] = score_matrix(prints[function])
        z[function] = robust_z(scores[function])
    n = len(students)
    total, count = combined(list(z.values())) if functions else (np.zeros((n, n)), np.zeros((n, n), dtype=int))
    return {
        "students": students,
        "functions": functions,
        "prints": prints,
        "scores": scores,
        "z": z,
        "total": total,
        "count": count,
    }


def ranked_pairs(total, count):
    """Pairs of students by combined score, highest first (ties by index, so the order is reproducible).

    Inputs:
    - total, count: from combined()
    Returns:
    - list of (score, i, j) with i < j, for pairs that share at least one answered function
    """
    pairs = [(float(total[i, j]), i, j) for i, j in combinations(range(len(total)), 2) if count[i, j]]
    return sorted(pairs, key=lambda p: (-p[0], p[1], p[2]))


def marked_rows(source, other, skeleton):
    """Lines of an answer that hold a run of K tokens also found in the other answer (and not in the skeleton).

    Inputs:
    - source, other: the two answers' code; skeleton: the released cell's k-gram hashes
    Returns:
    - set of line numbers (from 0) of source
    """
    tokens, rows = normalised(source or "")
    mine = kgram_hashes(tokens)
    common = np.setdiff1d(np.intersect1d(mine, kgram_hashes(normalised(other or "")[0])), skeleton)
    marked = set()
    for start in np.flatnonzero(np.isin(mine, common)):
        marked.update(range(rows[start], rows[start + K - 1] + 1))
    return marked


def code_html(source, marked):
    """An answer's code, escaped, in a <pre>, with the marked lines highlighted.

    Inputs:
    - source: code (hostile: escaped); marked: set of line numbers to highlight
    Returns:
    - str, HTML
    """
    lines = [
        f"<mark>{html.escape(line)}</mark>" if i in marked else html.escape(line)
        for i, line in enumerate((source or "").split("\n"))
    ]
    return "<pre style='margin:0; white-space:pre-wrap'>" + "\n".join(lines) + "</pre>"


def function_html(function, a, b, code_a, code_b, released, score, z):
    """One function of a flagged pair: its score and z-score, and both answers side by side.

    Inputs:
    - function: name; a, b: the students; code_a, code_b: their answers; released: the released cell's code
    - score: the pair's score on this function (nan when either did not answer); z: its z-score
    Returns:
    - str, HTML
    """
    head = f"<h3>{html.escape(function)}"
    if math.isnan(score):
        return head + ": not answered by both</h3>"
    skeleton = skeleton_hashes(released)
    left = code_html(code_a, marked_rows(code_a, code_b, skeleton))
    right = code_html(code_b, marked_rows(code_b, code_a, skeleton))
    return (
        f"{head}: score {score:.2f}, z {z:+.1f}</h3><table><tr><th>{html.escape(a)}</th><th>{html.escape(b)}</th>"
        f"</tr><tr><td style='vertical-align:top; width:50%'>{left}</td>"
        f"<td style='vertical-align:top; width:50%'>{right}</td></tr></table>"
    )


def pair_html(result, codes, released, rank, pair):
    """The section of a flagged pair: its combined score, then each function, the most unusual first.

    Inputs:
    - result: from analyse(); codes, released: as for similarity_report; rank: from 1; pair: (score, i, j)
    Returns:
    - str, HTML
    """
    total, i, j = pair
    a, b = result["students"][i], result["students"][j]
    order = sorted(result["functions"], key=lambda f: -np.nan_to_num(result["z"][f][i, j], nan=-math.inf))
    body = f"<h2 id='pair-{rank}'>{rank}. {html.escape(a)} and {html.escape(b)}: combined score {total:.1f}</h2>"
    for function in order:
        body += function_html(
            function,
            a,
            b,
            codes[a].get(function),
            codes[b].get(function),
            released.get(function),
            result["scores"][function][i, j],
            result["z"][function][i, j],
        )
    return body


def function_rows(result):
    """One row per function for the page: how many answered, and the median and top score of its pairs.

    Inputs:
    - result: from analyse()
    Returns:
    - list of (function, students who answered, median score, highest score)
    """
    rows = []
    for function in result["functions"]:
        values = result["scores"][function][np.triu_indices(len(result["students"]), 1)]
        values = values[~np.isnan(values)]
        answered = sum(p is not None for p in result["prints"][function])
        low, high = (f"{np.median(values):.2f}", f"{values.max():.2f}") if len(values) else ("-", "-")
        rows.append((function, answered, low, high))
    return rows


def top_rows(result, flagged):
    """Rows of the table of flagged pairs.

    Inputs:
    - result: from analyse(); flagged: list of (score, i, j); count: the number of functions both answered
    Returns:
    - list of (rank, student, student, combined score, functions both answered, most unusual functions)
    """
    rows = []
    for rank, (total, i, j) in enumerate(flagged, 1):
        z = {f: result["z"][f][i, j] for f in result["functions"] if not math.isnan(result["z"][f][i, j])}
        unusual = ", ".join(f"{f} ({v:+.1f})" for f, v in sorted(z.items(), key=lambda kv: -kv[1])[:3] if v > 2)
        rows.append(
            (rank, result["students"][i], result["students"][j], f"{total:.1f}", result["count"][i, j], unusual)
        )
    return rows


HEADERS = ["rank", "student", "student", "combined score", "functions both answered", "most unusual (z)"]


def too_few(out, assignment, n):
    """The report when there are fewer than MIN_STUDENTS students: a sentence, on the page and in the fragment.

    Inputs:
    - out: results folder; assignment: name; n: the number of students
    Returns:
    - str, HTML fragment
    """
    sentence = f"<p>{n} student{'s' * (n != 1)}: too few to compare (at least {MIN_STUDENTS} are needed).</p>"
    path = out / "similarity" / f"{assignment}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(f"Similar code: {assignment}", sentence))
    return f"<h3>Similar code: {html.escape(assignment)}</h3>{sentence}"


def similarity_report(out, assignment, codes, released):
    """Write out/similarity/<assignment>.html (the flagged pairs' code side by side, per function, with scores)
    and return an HTML fragment (a <h3> section with a short table of the top pairs, linking to that page by the
    relative href "similarity/<assignment>.html") for the class report out/report.html.

    Inputs:
    - out: pathlib.Path of the results folder
    - assignment: the assignment's name, e.g. "rnn_bptt"
    - codes: student -> {function name -> the source of the student's answer cell of that name}
    - released: function name -> the source of that answer cell as released to students (the skeleton)
    Returns:
    - str, HTML; when fewer than 3 students, a sentence saying there are too few to compare
    """
    if len(codes) < MIN_STUDENTS:
        return too_few(out, assignment, len(codes))
    result = analyse(codes, released)
    flagged = [p for p in ranked_pairs(result["total"], result["count"]) if p[0] >= FLAG_AT]
    how = (
        f"<p>{len(codes)} students. Each answer is compared with every other answer to the same function once the"
        " released skeleton is discounted; names, strings and numbers do not count, comments and docstrings are"
        " dropped. A pair's score on a function is ranked against all pairs of the class on that function, and"
        f" the ranks of all functions are combined. Pairs with a combined score of {FLAG_AT:g} or more are"
        " flagged.</p>"
    )
    summary = f"<p><b>{len(flagged)}</b> pair{'s' * (len(flagged) != 1)} flagged.</p>"
    body = f"<p><b>{html.escape(NOTE)}</b></p>{how}{summary}"
    if flagged:
        body += table(HEADERS, top_rows(result, flagged))
    body += "<h2>Functions</h2>" + table(
        ["function", "answered", "median score", "highest score"], function_rows(result)
    )
    for rank, pair in enumerate(flagged, 1):
        body += pair_html(result, codes, released, rank, pair)
    path = out / "similarity" / f"{assignment}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(f"Similar code: {assignment}", body))
    link = f"<a href='similarity/{html.escape(assignment)}.html'>the flagged pairs' code side by side</a>"
    fragment = f"<h3>Similar code: {html.escape(assignment)}</h3><p>{html.escape(NOTE)}</p>{summary}"
    if flagged:
        fragment += table(HEADERS, top_rows(result, flagged[:TOP]))
    return fragment + f"<p>See {link}, per function, with scores.</p>"
