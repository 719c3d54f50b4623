"""The exercise contract's forward computations, as the grader's trusted reference: one module per topic.

They are the specification written as code, not the course's solutions: they hold no backward pass.
Hidden checks compare a student's forward outputs with them and differentiate them numerically to
check a student's gradients.
"""
