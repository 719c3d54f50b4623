"""The grade files an LMS imports (autograder/grading/lms.py): Canvas's gradebook CSV and Moodle's grading worksheet.

The headers are those the LMSs' own importers look for (see the module's docstring for the source files):
Canvas's lib/gradebook_importer.rb and Moodle's mod/assign/feedback/offline/importgradeslib.php.
"""

import csv
from datetime import datetime

import pytest

from autograder.grading.lms import write_lms_files

pytestmark = pytest.mark.fast

CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_HEADER = ["Identifier", "Full name", "Grade", "Maximum Grade", "Last modified (grade)"]


def total(name, lms, lms_id, assignment, score, max_score=25.0):
    """One entry of the totals write_lms_files takes; the student key is derived from the name."""
    return {
        "student": name.replace(" ", "-"),
        "name": name,
        "lms": lms,
        "lms_id": lms_id,
        "assignment": assignment,
        "score": score,
        "max_score": max_score,
    }


def read(path):
    """The rows of a CSV file written by write_lms_files (UTF-8, a byte-order mark first)."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark"
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_canvas_header_points_and_ids(tmp_path):
    """Canvas: the documented student columns, "<name> (<Canvas id>)" headers, the Points Possible row, the user id
    in ID and blank SIS ids and Section."""
    totals = [
        total("garcialuis", "canvas", "48213", "rnn_bptt", 12.5),
        total("leeann", "canvas", "50007", "rnn_bptt", 25),
    ]
    paths = write_lms_files(tmp_path, totals, {"rnn_bptt": "90311"})
    assert paths == [tmp_path / "canvas_grades.csv"]
    header, points, *students = read(paths[0])
    assert header == [*CANVAS_HEADER, "rnn_bptt (90311)"]
    assert points == ["    Points Possible", "", "", "", "", "25"]
    assert students == [["garcialuis", "48213", "", "", "", "12.5"], ["leeann", "50007", "", "", "", "25"]]


def test_canvas_header_without_an_assignment_id(tmp_path):
    """Canvas: without the Canvas assignment id the column is headed by the bare name (Canvas matches it by title);
    an id that is not a number is refused."""
    totals = [
        total("garcialuis", "canvas", "48213", "rnn_bptt", 12.5),
        total("garcialuis", "canvas", "48213", "gru", 3),
    ]
    (path,) = write_lms_files(tmp_path, totals, {"gru": "7"})
    assert read(path)[0] == [*CANVAS_HEADER, "gru (7)", "rnn_bptt"]
    with pytest.raises(ValueError, match="not a number"):
        write_lms_files(tmp_path, totals, {"gru": "gru-7"})


def test_canvas_two_assignments_one_row_per_student(tmp_path):
    """Canvas: two assignments give one row per student and one column per assignment; a missing total is blank."""
    totals = [
        total("garcialuis", "canvas", "48213", "rnn_bptt", 12.5),
        total("leeann", "canvas", "50007", "rnn_bptt", 20),
        total("garcialuis", "canvas", "48213", "lstm", 7.25, 10),
    ]
    (path,) = write_lms_files(tmp_path, totals)
    header, points, *students = read(path)
    assert header[5:] == ["lstm", "rnn_bptt"]
    assert points[5:] == ["10", "25"]
    assert [row[:2] for row in students] == [["garcialuis", "48213"], ["leeann", "50007"]]
    assert [row[5:] for row in students] == [["7.25", "12.5"], ["", "20"]]


def test_moodle_worksheet(tmp_path):
    """Moodle: one worksheet per assignment, the columns its importer needs, "Participant <id>" as Identifier, the
    grade as a plain number and a Last modified (grade) with its time zone."""
    totals = [
        total("Ana Silva", "moodle", "123456", "rnn_bptt", 12.5),
        total("Ana Silva", "moodle", "123499", "gru", 1 / 3, 10),
    ]
    paths = write_lms_files(tmp_path, totals)
    assert paths == [tmp_path / "moodle_grades_gru.csv", tmp_path / "moodle_grades_rnn_bptt.csv"]
    header, row = read(paths[1])
    assert header == MOODLE_HEADER
    assert row[:4] == ["Participant 123456", "Ana Silva", "12.5", "25"]
    assert datetime.fromisoformat(row[4]).utcoffset() is not None
    assert read(paths[0])[1][:4] == ["Participant 123499", "Ana Silva", "0.33", "10"]


def test_names_round_trip(tmp_path):
    """A Moodle name with an apostrophe and accents and a Canvas name with a comma and a quote come back whole
    through csv.reader, and ids stay in their columns."""
    moodle_name, canvas_name = "José O'Brien-Núñez", 'García, Luis "Lucho"'
    totals = [total(moodle_name, "moodle", "77", "rnn_bptt", 20), total(canvas_name, "canvas", "48213", "rnn_bptt", 20)]
    write_lms_files(tmp_path, totals)
    assert read(tmp_path / "moodle_grades_rnn_bptt.csv")[1][:2] == ["Participant 77", moodle_name]
    assert read(tmp_path / "canvas_grades.csv")[2][:2] == [canvas_name, "48213"]


def test_nbgrader_only_writes_nothing(tmp_path):
    """Totals that came from nbgrader only (or none) write no LMS file."""
    totals = [total("ana", "nbgrader", "", "rnn_bptt", 20), total("bo", "nbgrader", "", "gru", 5)]
    assert write_lms_files(tmp_path, totals) == []
    assert write_lms_files(tmp_path, []) == []
    assert list(tmp_path.iterdir()) == []


def test_formula_like_names_stay_text(tmp_path):
    """A name that a spreadsheet would run as a formula gets a leading apostrophe; the ids are untouched."""
    totals = [total("=HYPERLINK(1)", "moodle", "77", "rnn_bptt", 20), total("@sum", "canvas", "48213", "rnn_bptt", 20)]
    write_lms_files(tmp_path, totals)
    assert read(tmp_path / "moodle_grades_rnn_bptt.csv")[1][:2] == ["Participant 77", "'=HYPERLINK(1)"]
    assert read(tmp_path / "canvas_grades.csv")[2][:2] == ["'@sum", "48213"]
