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
symmetric, and low for tiny answers whatever they share. Correct answers to small functions look alike, so
a score means nothing by itself: it is ranked among the class's own pairs on that function, as the share of
pairs who score at least as high (an empirical p-value; ties count against the pair, so the one way to
write a three-line function that half the class found puts nobody in the tail). A robust z-score (median
and MAD) was tried first and dropped: on a class of a dozen the MAD of a function is often a few hundredths,
and two students who wrote the same one-line numpy return came out six deviations high. The ranks of a
pair over the functions both answered are combined by Fisher's method (-2 sum ln p is a chi-square with 2m
degrees of freedom for independent students), so that a pair in the tail on many functions ranks above a
pair in the tail on one. The combined score is -log10 of that p-value, and pairs are flagged when it is so
high that, had everyone worked alone, fewer than ALPHA pairs of the whole class would be expected that far
out (a Bonferroni bound over its pairs). The fewer students, the less any pair can stand out: with nine
functions it takes five students, with three functions ten. A high score is a question to ask the
students, never a verdict: the report says so.

Why not copydetect (PyPI, winnowing over pygments tokens with boilerplate removal)? Its dependencies
(numpy, matplotlib, jinja2, pygments, tqdm) are all here but tqdm, and its CodeFingerprint takes a string
through `fp=`, so neither size nor files decide it. What does: (1) its filter turns every name, attribute
and called function into the same V (`np.tanh(x @ Wx.T + h_prev @ Wh.T + b)` becomes `V=V.V(V@V.V+V@V.V+V)`),
losing the attributes that tell numpy answers apart; (2) its k is in characters of that filtered text (25
by default), coarse for two-line answers; (3) its similarity is per file (overlap over its own tokens),
not symmetric; (4) it compares pair by pair: on benchmarks/similarity.py's class, 2.2 s per function
(0.7 s fingerprints, 1.5 s for the 44,850 compare_files), about 20 s for ten functions, where one matrix
product over the shared fingerprints takes a few milliseconds; (5) it is one maintainer's beta (0.5.0, 2024)
and has no notion of a class's distribution, which is the part that matters here. What is used of the
paper is small (a tokeniser, a rolling hash, a sliding minimum), stdlib and numpy only: nothing is added to
requirements.lock and nothing is downloaded.
"""

import builtins
import html
import keyword
import math
import re
import zlib
from bisect import bisect_right
from itertools import combinations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from autograder.grading.pages import page, table

K = 5  # tokens per k-gram: `dx = da @ Wx` is five tokens with its line break
WINDOW = 4  # k-grams per winnowing window: any shared run of K + WINDOW - 1 = 8 tokens is found
MIN_PRINTS = 3  # fewer fingerprints once the skeleton is discounted: no answer
PSEUDO = 2.0  # added to the union of a pair's fingerprints: tiny answers cannot score high
MIN_PAIRS = 3  # fewer pairs who both answered a function: it ranks nobody
ALPHA = 0.05  # pairs flagged by chance alone in a class of independent students: fewer than this, expected
TOP = 10  # pairs in the class report's table
MIN_STUDENTS = 3
BASE = np.uint64(0x100000001B3)  # multiplier of the polynomial hash of a k-gram (wraps around 2**64)
NOTE = (
    "A high score is a question to ask the students, not a verdict: correct answers to short functions look"
    " alike, students may work together as allowed, and code from the book or the lectures is shared by all."
)

TOKEN = re.compile(
    r"""(?:[ \t\f]+|\\\r?\n|\#[^\r\n]*)*  # blanks, line continuations and comments: skipped
    (?:(?P<newline>\r?\n|\r)
    |(?P<string>(?:[rRbBuUfF]{1,2})?(?:'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:\\.|[^'\\\r\n])*'|"(?:\\.|[^"\\\r\n])*"))
    |(?P<number>(?:0[xXoObB][0-9a-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)[jJ]?)
    |(?P<name>[^\W\d]\w*)
    |(?P<op>\*\*=?|//=?|>>=?|<<=?|->|:=|\.\.\.|[-+*/%@&|^<>=!]=|[-+*/%@&|^~<>=.,:;()\[\]{}])
    |(?P<other>\S))""",
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
    breaks = [match.start() for match in re.finditer("\n", source)]
    lines, current, depth = [], [], 0
    for match in TOKEN.finditer(source):
        kind = match.lastgroup
        if kind == "newline":
            if depth == 0 and current:
                lines.append(current)
                current = []
            continue
        text = match.group(kind)
        if kind == "op" and (text in OPEN or text in CLOSE):
            depth = max(0, depth + (1 if text in OPEN else -1))
        current.append((kind, text, bisect_right(breaks, match.start(kind))))
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


def tail_shares(scores):
    """Each pair's rank among the class's pairs on one function: the share of pairs scoring at least as high.

    Inputs:
    - scores: np.ndarray (n, n) of one function's scores (score_matrix), nan where not comparable
    Returns:
    - np.ndarray (n, n) of shares in (0, 1] (an empirical p-value, ties counted against the pair), nan where
      not comparable or where fewer than MIN_PAIRS pairs both answered
    """
    values = scores[np.triu_indices_from(scores, 1)]
    values = np.sort(np.round(values[~np.isnan(values)], 9))
    if len(values) < MIN_PAIRS:
        return np.full(scores.shape, math.nan)
    above = len(values) - np.searchsorted(values, np.round(np.nan_to_num(scores, nan=-1.0), 9), side="left")
    return np.where(np.isnan(scores), math.nan, above / len(values))


def combined(shares):
    """Fisher's combination of a pair's ranks over the functions both answered, as -log10 of a p-value.

    With m functions, -2 sum(ln share) is a chi-square with 2m degrees of freedom when the pair's ranks are
    uniform (independent students), whose tail is exp(-S) sum_{i<m} S^i / i! for S = -sum(ln share).

    Inputs:
    - shares: list of np.ndarray (n, n), one per function, from tail_shares
    Returns:
    - (score, count): np.ndarray (n, n) of -log10 of the combined p-value (0 where no function is shared),
      and np.ndarray (n, n) of the number of functions both answered
    """
    stack = np.array(shares)
    count = (~np.isnan(stack)).sum(axis=0)
    evidence = np.nansum(-np.log(stack), axis=0)
    log_evidence = np.log(np.maximum(evidence, 1e-300))
    terms = [np.where(i < count, i * log_evidence - math.lgamma(i + 1), -np.inf) for i in range(max(1, count.max()))]
    log_p = -evidence + np.logaddexp.reduce(np.array(terms), axis=0)
    return np.where(count > 0, -log_p / math.log(10), 0.0), count


def analyse(codes, released):
    """Scores of every pair of students on every function, and combined.

    Inputs:
    - codes: student -> {function name -> source of the student's answer cell}
    - released: function name -> source of that answer cell as released
    Returns:
    - dict with "students" (sorted), "functions" (those of released, then any other answered), "prints"
      (function -> list of fingerprints or None, one per student), "scores" and "shares" (function ->
      np.ndarray (n, n)), "total" and "count" (np.ndarray (n, n), from combined()), "pairs" (the number of
      pairs that share an answered function) and "flag_at" (the combined score from which a pair is flagged)
    """
    students = sorted(codes)
    functions = list(released) + sorted({f for answers in codes.values() for f in answers} - set(released))
    prints, scores, shares = {}, {}, {}
    for function in functions:
        skeleton = skeleton_hashes(released.get(function))
        prints[function] = [fingerprints(codes[s].get(function), skeleton) for s in students]
        scores[function] = score_matrix(prints[function])
        shares[function] = tail_shares(scores[function])
    n = len(students)
    total, count = combined(list(shares.values())) if functions else (np.zeros((n, n)), np.zeros((n, n), int))
    pairs = int(np.triu(count > 0, 1).sum())
    return {
        "students": students,
        "functions": functions,
        "prints": prints,
        "scores": scores,
        "shares": shares,
        "total": total,
        "count": count,
        "pairs": pairs,
        "flag_at": math.log10(max(pairs, 1) / ALPHA),
    }


def ranked_pairs(result):
    """Pairs of students by combined score, highest first (ties by index, so the order is reproducible).

    Inputs:
    - result: from analyse()
    Returns:
    - list of (combined score, i, j) with i < j, for the pairs that share at least one answered function
    """
    total, count = result["total"], result["count"]
    pairs = [(float(total[i, j]), i, j) for i, j in combinations(range(len(total)), 2) if count[i, j]]
    return sorted(pairs, key=lambda p: (-p[0], p[1], p[2]))


def flagged_pairs(result):
    """The pairs far out in the class's tail: combined score at least result["flag_at"], highest first.

    Inputs:
    - result: from analyse()
    Returns:
    - list of (combined score, i, j)
    """
    return [p for p in ranked_pairs(result) if p[0] >= result["flag_at"]]


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
        marked.update(rows[start : start + K])
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


def share_text(share, pairs):
    """A pair's rank on a function in words, such as "top 2% of 45 pairs".

    Inputs:
    - share: from tail_shares; pairs: the number of pairs ranked
    Returns:
    - str
    """
    return f"top {100 * share:.2g}% of {pairs} pairs"


def ranked_count(result, function):
    """The number of pairs ranked on a function (both answered it).

    Inputs:
    - result: from analyse(); function: name
    Returns:
    - int
    """
    return int(np.triu(~np.isnan(result["scores"][function]), 1).sum())


def function_html(result, codes, released, function, i, j):
    """One function of a flagged pair: its score and rank, and both answers side by side, shared lines marked.

    Inputs:
    - result: from analyse(); codes, released: as for similarity_report; function: name; i, j: the students' indexes
    Returns:
    - str, HTML
    """
    a, b = result["students"][i], result["students"][j]
    code_a, code_b = codes[a].get(function), codes[b].get(function)
    score, share = result["scores"][function][i, j], result["shares"][function][i, j]
    head = f"<h3>{html.escape(function)}"
    if math.isnan(score):
        return head + ": not answered by both</h3>"
    rank = "" if math.isnan(share) else f", {share_text(share, ranked_count(result, function))}"
    skeleton = skeleton_hashes(released.get(function))
    cell = "<td style='vertical-align:top; width:50%'>"
    return (
        f"{head}: score {score:.2f}{rank}</h3><table><tr><th>{html.escape(a)}</th><th>{html.escape(b)}</th></tr>"
        f"<tr>{cell}{code_html(code_a, marked_rows(code_a, code_b, skeleton))}</td>"
        f"{cell}{code_html(code_b, marked_rows(code_b, code_a, skeleton))}</td></tr></table>"
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
    order = sorted(result["functions"], key=lambda f: np.nan_to_num(result["shares"][f][i, j], nan=2.0))
    body = f"<h2 id='pair-{rank}'>{rank}. {html.escape(a)} and {html.escape(b)}: combined score {total:.1f}</h2>"
    return body + "".join(function_html(result, codes, released, function, i, j) for function in order)


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
    - result: from analyse(); flagged: list of (combined score, i, j)
    Returns:
    - list of (rank, student, student, combined score, functions both answered, their most unusual functions)
    """
    rows = []
    for rank, (total, i, j) in enumerate(flagged, 1):
        shares = {f: result["shares"][f][i, j] for f in result["functions"]}
        unusual = sorted((v, f) for f, v in shares.items() if v <= 0.1)[:3]
        words = ", ".join(f"{f} (top {100 * v:.2g}%)" for v, f in unusual)
        rows.append((rank, result["students"][i], result["students"][j], f"{total:.1f}", result["count"][i, j], words))
    return rows


HEADERS = ["rank", "student", "student", "combined score", "functions both answered", "most unusual"]


def write_page(out, assignment, body):
    """Write out/similarity/<assignment>.html.

    Inputs:
    - out: results folder; assignment: name; body: HTML
    """
    path = out / "similarity" / f"{assignment}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(f"Similar code: {assignment}", body))


def explanation(result):
    """What the scores mean, for the page.

    Inputs:
    - result: from analyse()
    Returns:
    - str, HTML
    """
    return (
        f"<p>{len(result['students'])} students, {result['pairs']} pairs. Each answer is compared with every other"
        " answer to the same function once the released skeleton is discounted: names, strings and numbers do not"
        " count, comments and docstrings are dropped, and answers left as released or empty are compared with"
        " nobody. A pair's score on a function (shared fingerprints over all of theirs, 0 to 1) is ranked among"
        " all pairs of the class on that function (top 1% = only 1 pair in 100 scores as high), and the ranks of"
        " all functions both answered are combined: a combined score of s means that students who worked alone"
        " would be this far out together about once in 10<sup>s</sup> pairs. Pairs from"
        f" {result['flag_at']:.1f} on are flagged (by chance, fewer than {ALPHA:g} such pairs would be expected"
        " in this class).</p>"
    )


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
    heading = f"<h3>Similar code: {html.escape(assignment)}</h3>"
    if len(codes) < MIN_STUDENTS:
        sentence = f"<p>{len(codes)} student(s): too few to compare (at least {MIN_STUDENTS} are needed).</p>"
        write_page(out, assignment, sentence)
        return heading + sentence
    result = analyse(codes, released)
    flagged = flagged_pairs(result)
    summary = f"<p><b>{len(flagged)}</b> pair(s) of students flagged.</p>"
    body = f"<p><b>{html.escape(NOTE)}</b></p>{explanation(result)}{summary}"
    if flagged:
        body += table(HEADERS, top_rows(result, flagged))
    functions = table(["function", "students who answered", "median score", "highest score"], function_rows(result))
    body += f"<h2>Functions</h2>{functions}"
    body += "".join(pair_html(result, codes, released, rank, pair) for rank, pair in enumerate(flagged, 1))
    write_page(out, assignment, body)
    fragment = f"{heading}<p>{html.escape(NOTE)}</p>{summary}"
    if flagged:
        fragment += table(HEADERS, top_rows(result, flagged[:TOP]))
    link = f"<a href='similarity/{html.escape(assignment)}.html'>the flagged pairs' code side by side</a>"
    return f"{fragment}<p>See {link}, function by function, with scores.</p>"
