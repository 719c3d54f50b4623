"""Write hardened-grading scores into an nbgrader gradebook, so `nbgrader export` and formgrader see them."""

from nbgrader.api import Gradebook, MissingEntry

from autograder.notebooks import assignments


def write_gradebook(url, rows):
    """Set the autograded score of every test cell graded in rows.

    Inputs:
    - url: the gradebook database, a path to gradebook.db or an sqlalchemy URL (sqlite:///...)
    - rows: rows of grades.csv; the assignments must exist in the gradebook (nbgrader generate_assignment)
    """
    url = url if "://" in url else f"sqlite:///{url}"
    rows = [r for r in rows if r["assignment"] in assignments()]  # a student whose files are none of the course's
    with Gradebook(url) as gb:
        for student, assignment in sorted({(r["student"], r["assignment"]) for r in rows}):
            gb.update_or_create_student(student)
            try:
                gb.find_submission(assignment, student)
            except MissingEntry:
                gb.add_submission(assignment, student)
        for r in rows:
            if r["test"] == "notebook":
                continue
            # Each assignment has one notebook, named after it (a misnamed one was graded as invalid).
            grade = gb.find_grade(f"test_{r['test']}", r["assignment"], r["assignment"], r["student"])
            grade.auto_score = float(r["score"])
        gb.db.commit()
