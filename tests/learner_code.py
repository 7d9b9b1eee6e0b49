"""Code as a learner writes it for the code exercises, right or with one planted mistake.

The tests of the checkers (``test_checks.py``), of chapter 7's engine exercises
(``test_engine_exercises.py``), of the exercise registry (``test_exercises.py``) and
of the assignments (``test_assignments.py``, which writes the line fit's source into
a notebook) share these.
"""

import numpy as np


def value_operation(forward, local, *, assign=False, multiply=True, parent=True, attach=True):
    """A learner's new ``Value`` operation of one input: its value ``forward(x)``, its local derivative ``local(x)``.

    Each keyword plants one mistake: ``assign`` writes ``=`` instead of ``+=``, ``multiply=False``
    leaves out ``out.grad``, ``parent=False`` forgets the input as the node's parent,
    ``attach=False`` never sets the node's ``_backward``.
    """
    from bpcourse.autograd import Value

    def operation(self):
        out = Value(forward(self.data), _parents=(self,) if parent else ())

        def _backward():
            share = local(self.data) * (out.grad if multiply else 1.0)
            if assign:
                self.grad = share
            else:
                self.grad += share

        if attach:
            out._backward = _backward
        return out

    return operation


def line_backward(w, b, x, y):
    """dSSR/dw and dSSR/db of the line w x + b on the points (x, y)."""
    r = y - (w * x + b)
    return {"w": float(-2 * np.sum(r * x)), "b": float(-2 * np.sum(r))}


def line_cases():
    """The line fit's test cases ``(w, b, x, y)``."""
    return [(0.5, -1.0, np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 1.5])),
            (-2.0, 0.3, np.array([0.5, -1.0, 2.0, 4.0]), np.array([1.0, 0.0, -1.0, 2.0]))]
