"""Hidden checks, one module per assignment, named like the assignment (solutions/<assignment>/); CHECKS is their
registry, the one place the grader finds them.

``common`` holds what every check is made of, ``cells`` the RNN and GRU cells lent to a student's lm_chunk_loss.
Each assignment's module gives its hidden inputs and CHECKS (function name -> check), and check(name, namespace),
which the hidden test cells of the assignment's notebook call under nbgrader. Nothing here is shown to students
or shipped into the sandbox.
"""

from autograder.hidden import char_lm, gru, linear_rnn, lstm, rnn_bptt, vanishing

# assignment -> {function name -> check(student)}; tests/test_hidden_checks.py checks it names every assignment
CHECKS = {
    module.__name__.rsplit(".", 1)[1]: module.CHECKS for module in (rnn_bptt, vanishing, lstm, gru, char_lm, linear_rnn)
}
