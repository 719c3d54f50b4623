"""Which known mistake explains a wrong output: every hint of the hidden checks, one module per exercise.

A hint is a guess, computed in the grader from the student's (wrong) values and the reference: a
function here returns its words ("" when no known mistake fits), and the checks attach it to a
GradingError as a field. Nothing here decides a grade. ``patterns`` holds what any exercise can show
(zeros, a transpose, a scale factor), ``gates`` what stacked gate weights (LSTM, GRU) can show.
"""
