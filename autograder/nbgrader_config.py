"""nbgrader configuration of the course, loaded by the root nbgrader_config.py.

The repository root is the nbgrader course directory:
- solutions/<assignment>/  instructor notebooks (solutions and hidden tests): nbgrader's source
- exercises/<assignment>/  student notebooks generated from them: nbgrader's release
- submitted/, autograded/, feedback/, gradebook.db  made by nbgrader while grading (not committed)
"""

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "rnn-from-scratch"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# A cell may run for this long before it is stopped and scored zero.
c.Execute.timeout = 120

# Students may delete a test cell: it is put back from the gradebook and run anyway.
c.OverwriteCells.add_missing_cells = True

# Feedback shows the messages of failed hidden tests, never their code.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
