"""What people read after grading: feedback per student notebook, and a report on the class.

Feedback holds the test names, scores, statuses and messages, and notes on the notebook (cells left
out, cells that raised, edited tests). It never holds hidden test code or solutions: those are not
in a grade record.
"""

import base64
import html
import io
import re
from collections import Counter, defaultdict

from autograder.grading.pages import page, table
from autograder.grading.records import CSV_CHARACTERS, cut
from autograder.grading.similarity import similarity_report
from autograder.notebooks import answer_cells, assignments, read, student_notebook


def write_feedback(out, record):
    """feedback/<student>/<assignment>/<notebook>.html for one graded notebook."""
    job = record["job"]
    rows = record["rows"]
    score = sum(r["score"] for r in rows)
    top = sum(r["max_score"] for r in rows)
    body = (
        f"<p>Student <b>{html.escape(job['student'])}</b>, assignment <b>{html.escape(job['assignment'])}</b>,"
        f" notebook {html.escape(job['notebook'] or 'none')}: <b>{score:g} / {top:g}</b> points.</p>"
    )
    body += table(
        ["test", "score", "status", "message"],
        [(r["test"], f"{r['score']:g} / {r['max_score']:g}", r["status"], r["message"]) for r in rows],
        3,
    )
    notes = [f"Cell {cell}: {why}" for cell, why in record.get("skipped", {}).items()]
    notes += [f"Cell {cell} raised {error}" for cell, error in record.get("cell_errors", {}).items()]
    if notes:
        body += "<h2>Your notebook</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>"
    path = out / "feedback" / job["student"] / job["assignment"] / f"{job['assignment']}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page(f"Feedback: {job['assignment']}", body))


def figure_html(fig):
    """A matplotlib figure as an <img> with the PNG inline (the report is one self-contained file)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    return f"<img alt='plot' src='data:image/png;base64,{base64.b64encode(buffer.getvalue()).decode()}'>"


def common_message(message):
    """A message with its numbers and sizes blanked, so that the same mistake counts once."""
    first = message.splitlines()[0] if message else ""
    first = re.sub(r"\([^)]*=[^)]*\)", "(...)", first)
    return re.sub(r"\d+(\.\d+)?(e[-+]?\d+)?", "#", first)


def answers(record):
    """function -> the source of the student's answer cell of that name, from a record's notebook ({} when none)."""
    job = record["job"]
    if job.get("problem") or job["path"] in (None, "None"):
        return {}
    try:
        return {name: cell.source for name, cell in answer_cells(read(job["path"])).items()}
    except Exception:  # unreadable since it was graded: nothing to compare
        return {}


def similarity_sections(out, graded):
    """assignment -> the similarity section of the class report (grading.similarity) for every assignment graded."""
    codes = defaultdict(dict)
    for record in graded:
        codes[record["job"]["assignment"]][record["job"]["student"]] = answers(record)
    sections = {}
    for assignment, by_student in codes.items():
        if assignment in assignments():
            released = {name: cell.source for name, cell in answer_cells(student_notebook(assignment)).items()}
            mine = {student: code for student, code in by_student.items() if code}
            sections[assignment] = similarity_report(out, assignment, mine, released)
    return sections


def class_figure(totals, tests, fail_rate):
    """The figure of one assignment: a histogram of the students' totals (whole students on its axis) and the
    share of students who lost each test's points."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.5))
    left.hist(list(totals.values()), bins=min(20, max(5, len(totals))), color="#4c72b0")
    left.set_xlabel("total score")
    left.set_ylabel("students")
    left.yaxis.set_major_locator(MaxNLocator(integer=True))
    right.barh(tests, fail_rate, color="#c44e52")
    right.set_xlabel("share of students who lost the points")
    right.set_xlim(0, 1)
    right.invert_yaxis()
    fig.tight_layout()
    image = figure_html(fig)
    plt.close(fig)
    return image


def assignment_section(assignment, arows):
    """The report's section of one assignment, from its rows: the figure and the most common messages."""
    totals = defaultdict(float)
    for r in arows:
        totals[r["student"]] += r["score"]
    tests = [t for t in dict.fromkeys(r["test"] for r in arows) if t != "notebook"]
    fail_rate = [sum(r["status"] != "ok" for r in arows if r["test"] == t) / max(1, len(totals)) for t in tests]
    body = f"<h2>{html.escape(assignment)}: {len(totals)} students</h2>{class_figure(totals, tests, fail_rate)}"
    counts = Counter((r["test"], r["status"], common_message(r["message"])) for r in arows if r["status"] != "ok")
    return (
        body
        + "<h3>Most common messages</h3>"
        + table(["test", "status", "message", "students"], [(*k, n) for k, n in counts.most_common(15)], 2)
    )


def write_class_report(out, graded):
    """report.html in out: per assignment, a histogram of totals, the share of students losing each test, the most
    common messages and the similarity check; then the statuses."""
    rows = [r | {"message": cut(r["message"], CSV_CHARACTERS)} for record in graded for r in record["rows"]]
    similar = similarity_sections(out, graded)
    by_assignment = defaultdict(list)
    for r in rows:
        by_assignment[r["assignment"]].append(r)
    body = "".join(assignment_section(a, arows) + similar.get(a, "") for a, arows in sorted(by_assignment.items()))
    status_counts = Counter(r["status"] for r in rows)
    body += "<h2>Statuses</h2>" + table(["status", "rows"], sorted(status_counts.items()))
    (out / "report.html").write_text(page("Class report", body))
