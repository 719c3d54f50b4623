"""Grade files an LMS imports, written beside totals.csv: Canvas's gradebook CSV and Moodle's grading worksheet.

Canvas, Grades > Import (read in instructure/canvas-lms):
- lib/gradebook_importer.rb, GradebookImporter#row_has_student_headers? and #update_column_count: the header
  starts with Student and ID, "SIS User ID" and "SIS Login ID" may follow, and the last student column must be
  Section. We write Student, ID, SIS User ID, SIS Login ID, Section, as lib/gradebook_exporter.rb
  (GradebookExporter#csv_data) does, then one column per assignment.
- #process_student matches a row by ID (the Canvas user id) first, by SIS User ID or SIS Login ID only when
  the ID matches nobody and the cell is not blank, then by name. The download gives us the user id
  (lib/content_zipper.rb, ContentZipper#get_filename: <sortable name>[_LATE]_<user id>_<file id>_<file>), so
  the SIS ids and the Section (never used to match) are left blank.
- #parse_assignments with Assignment.title_and_id: a header "<title> (<id>)" is the assignment with that id;
  otherwise the assignment titled exactly like the header; otherwise a new assignment, which the import's review
  page offers to create or to match to an existing one. We write "<assignment> (<id>)" when the instructor gave
  the Canvas assignment id, else the bare assignment name.
- #check_for_non_student_row and #process_pp: a row whose first cell holds "Points Possible" sets each column's
  points (those of a new assignment); we write it second, as the exporter does.
- #no_change_to_value? compares scores at two decimals (the exporter's precision) and a blank cell changes
  nothing; #csv_stream reads "," (or ";") and turns decimal commas into points. We write at most two decimals.

Moodle, an assignment's "Upload grading worksheet" (read in moodle/moodle):
- mod/assign/gradingtable.php, assign_grading_table::__construct when downloading: the worksheet's columns are
  Identifier, Full name, the identity fields (Email address by default), Status, Grade, Maximum Grade, Grade can
  be changed, Last modified (submission), submission texts, Last modified (grade), feedback texts such as Feedback
  comments (mod/assign/lang/en/assign.php; "Grade" is lang/en/moodle.php's gradenoun).
- mod/assign/feedback/offline/importgradeslib.php, assignfeedback_offline_grade_importer::init: an upload needs
  Identifier, Grade and Last modified (grade), found by name; other columns are ignored, except feedback
  columns, which are written: a blank Feedback comments would erase the comments (mod/assign/feedback/offline/
  locallib.php, assign_feedback_offline::process_import_grades), so we leave it out. We write Identifier, Full
  name, Grade, Maximum Grade and Last modified (grade), in the worksheet's order (the importer ignores Full name
  and Maximum Grade: they are there for people).
- #next turns "Participant 123456" into 123456 and looks it up with assign::get_user_id_for_uniqueid: the
  number that assign::download_submissions (mod/assign/locallib.php) puts in the download's folder names,
  <Full Name>_<get_uniqueid_for_user>_assignsubmission_file_, and col_recordid in the worksheet.
- process_import_grades reads Grade with unformat_float (a decimal point works in every language); it skips a
  grade below zero, above the assignment's maximum or unchanged, and a row whose grade Moodle changed more than a
  minute after its Last modified (grade) (strtotime) unless the upload form's "Allow updating records that have
  been modified more recently in Moodle than in the spreadsheet" is ticked. We write the time the file is
  written, in ISO 8601 with its UTC offset.

Both files are UTF-8 with a byte-order mark, which Excel needs to show accents: lib/csvlib.class.php,
csv_import_reader::load_csv_content drops it; Canvas's exporter writes one on request (lib/csv_with_i18n.rb,
include_bom) and its importer's header test (row[0].include?("Student")) passes with it.
"""

import csv
import re
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

CANVAS_FILE = "canvas_grades.csv"
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
CANVAS_POINTS = "    Points Possible"  # as the exporter writes it; the importer looks for "Points Possible" in it
MOODLE_HEADER = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"]
MOODLE_PARTICIPANT = "Participant "
ENCODING = "utf-8-sig"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number(value):
    """A score as both LMSs read it: at most two decimals, a decimal point, no trailing zeros ("25", "12.5")."""
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def cell_text(name):
    """A name for a spreadsheet cell: a leading apostrophe when it starts like a formula, so Excel shows it as text
    (neither LMS matches students by this column when it has their id)."""
    return f"'{name}" if name.startswith(FORMULA_START) else name


def write_csv(path, rows):
    """Write rows (lists of strings) to path as CSV, UTF-8 with a byte-order mark; return path."""
    with open(path, "w", newline="", encoding=ENCODING) as handle:
        csv.writer(handle).writerows(rows)
    return path


def canvas_column(assignment, canvas_assignment_ids):
    """The header of an assignment's column in canvas_grades.csv.

    Inputs:
    - assignment: our assignment name
    - canvas_assignment_ids: assignment -> Canvas assignment id (str), or None
    Returns:
    - "<assignment> (<id>)" when the id is given; else the name, which Canvas matches to the assignment of that
      exact title or offers to create as a new assignment
    """
    canvas_id = (canvas_assignment_ids or {}).get(assignment)
    if canvas_id is None:
        return assignment
    if not str(canvas_id).isdigit():
        raise ValueError(f"the Canvas assignment id of {assignment} is not a number: {canvas_id!r}")
    return f"{assignment} ({canvas_id})"


def canvas_row(student, scores, assignments):
    """One student's row of canvas_grades.csv: name, Canvas user id, blank SIS User ID, SIS Login ID and Section,
    then the score of each assignment in assignments (blank when scores has none: Canvas leaves that grade be)."""
    return [cell_text(student["name"]), student["lms_id"], "", "", "", *(scores.get(a, "") for a in assignments)]


def canvas_student_rows(totals, assignments):
    """The student rows of canvas_grades.csv, one per Canvas user, sorted by name.

    Inputs:
    - totals: the totals that came from Canvas (see write_lms_files)
    - assignments: the assignments, in column order
    Returns:
    - list of rows (see canvas_row)
    """
    people = {}
    scores = defaultdict(dict)
    for t in totals:
        who = t["lms_id"] or t["student"]
        people.setdefault(who, t)
        scores[who][t["assignment"]] = number(t["score"])
    order = sorted(people, key=lambda who: (people[who]["name"], who))
    return [canvas_row(people[who], scores[who], assignments) for who in order]


def write_canvas(out, totals, canvas_assignment_ids):
    """Write out/canvas_grades.csv: header, Points Possible row, one row per student; return its path.

    Inputs:
    - out: the results folder; totals: the totals that came from Canvas
    - canvas_assignment_ids: assignment -> Canvas assignment id (str), or None
    """
    assignments = sorted({t["assignment"] for t in totals})
    points = {a: max(t["max_score"] for t in totals if t["assignment"] == a) for a in assignments}
    header = CANVAS_HEADER + [canvas_column(a, canvas_assignment_ids) for a in assignments]
    points_row = [CANVAS_POINTS, "", "", "", ""] + [number(points[a]) for a in assignments]
    return write_csv(out / CANVAS_FILE, [header, points_row, *canvas_student_rows(totals, assignments)])


def moodle_file(assignment):
    """The name of an assignment's Moodle worksheet: moodle_grades_<assignment>.csv, with characters unsafe in a
    file name replaced by "-"."""
    safe = re.sub(r"[^\w.-]+", "-", assignment).strip(".") or "-"
    return f"moodle_grades_{safe}.csv"


def moodle_row(total, modified):
    """One student's row of a Moodle worksheet: Participant <id>, name, grade, maximum, modified (see MOODLE_HEADER)."""
    name, score, top = cell_text(total["name"]), number(total["score"]), number(total["max_score"])
    return [f"{MOODLE_PARTICIPANT}{total['lms_id']}", name, score, top, modified]


def write_moodle(out, assignment, totals, modified):
    """Write out/moodle_grades_<assignment>.csv, the grading worksheet of one Moodle assignment; return its path.

    Inputs:
    - out: the results folder; assignment: its name
    - totals: that assignment's totals from Moodle (see write_lms_files)
    - modified: the Last modified (grade) of every row, a time strtotime reads
    """
    rows = [moodle_row(t, modified) for t in sorted(totals, key=lambda t: (t["name"], t["lms_id"]))]
    return write_csv(out / moodle_file(assignment), [MOODLE_HEADER, *rows])


def write_lms_files(out, totals, canvas_assignment_ids=None):
    """Write the LMS import files for the totals that came from an LMS, return the paths written.

    Inputs:
    - out: pathlib.Path of the results folder
    - totals: list of dicts, one per student and assignment, with keys
        student (the key used in our files), name (the student's name as the LMS wrote it in the download,
        e.g. "garcialuis" for Canvas, "José O'Brien" for Moodle), lms ("canvas", "moodle" or "nbgrader"),
        lms_id (the Canvas user id or Moodle participant id as a string; "" for nbgrader), assignment,
        score (float), max_score (float)
    - canvas_assignment_ids: assignment -> Canvas assignment id (str), or None
    Writes:
    - out/canvas_grades.csv when some totals came from Canvas (one row per student, one column per assignment);
      out/moodle_grades_<assignment>.csv per assignment with Moodle totals (Moodle's worksheet is per assignment)
    Returns:
    - list of pathlib.Path written ([] when no total came from an LMS)
    """
    out = Path(out)
    canvas = [t for t in totals if t["lms"] == "canvas"]
    moodle = defaultdict(list)
    for t in totals:
        if t["lms"] == "moodle":
            moodle[t["assignment"]].append(t)
    written = [write_canvas(out, canvas, canvas_assignment_ids)] if canvas else []
    modified = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return written + [write_moodle(out, a, moodle[a], modified) for a in sorted(moodle)]
