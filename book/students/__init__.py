"""The students' site: the chapters as the instructors' build executed them, without what is for instructors only.

make publish builds it, without running a cell again, from the notebooks that make book executed
(_build/jupyter_execute/), one step per module:

- streams.py: a cell's printed output once (the instructors' build left it merged and in pieces);
- cells.py: a code cell tagged `infrastructure` (the book's own imports, glue, timing, claims checked at build
  time, diagrams drawn by the book's helpers) shows its output only, or nothing when it has none;
- prose.py: a passage between INSTRUCTORS and END_INSTRUCTORS (HTML comments in a chapter's markdown) is dropped;
- config.py: the table of contents without the instructors' pages, and a configuration that executes nothing;
- site.py: these sources staged in one folder, built strictly (-W -n) into HTML.
"""
