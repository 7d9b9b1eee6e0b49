"""The exercise checkers: friendly feedback, never a traceback."""

import numpy as np
import pytest
import sympy as sp

import bpcourse
from bpcourse.exercises import EXERCISES


def test_check_number_feedback(capsys):
    assert bpcourse.check_number(-15.66, -15.655, name="slope") is True
    assert "Correct" in capsys.readouterr().out
    assert bpcourse.check_number(15.655, -15.655) is False
    assert "wrong sign" in capsys.readouterr().out
    assert bpcourse.check_number(-31.31, -15.655) is False
    assert "factor of 2" in capsys.readouterr().out
    assert bpcourse.check_number("twelve", 12.0) is False
    assert "should be a number" in capsys.readouterr().out
    assert bpcourse.check_number(float("nan"), 1.0) is False
    assert "not a finite number" in capsys.readouterr().out


def test_check_array_feedback(capsys):
    expected = np.arange(6.0).reshape(2, 3)
    assert bpcourse.check_array(expected.copy(), expected)
    assert not bpcourse.check_array(expected.T, expected)
    assert "shape (3, 2)" in capsys.readouterr().out.splitlines()[-1]
    assert not bpcourse.check_array(np.ones(2), expected)
    assert not bpcourse.check_array(-expected, expected + 1) and "entries differ" in capsys.readouterr().out
    assert not bpcourse.check_array([["a"]], expected)


def test_check_expression_feedback(capsys):
    a = sp.Symbol("a", real=True)
    assert bpcourse.check_expression(a - a**2, a * (1 - a))
    assert not bpcourse.check_expression(a**2 - a, a * (1 - a))
    assert "wrong sign" in capsys.readouterr().out
    assert bpcourse.check_expression("a*(1-a)", a * (1 - a))
    assert not bpcourse.check_expression("a*(", a * (1 - a))
    assert "could not be read" in capsys.readouterr().out
    assert not bpcourse.check_expression(a * sp.Symbol("z"), a)
    assert "contains ['z']" in capsys.readouterr().out


def test_check_function_feedback(capsys):
    assert bpcourse.check_function(lambda z: max(z, 0.0), lambda z: float(bpcourse.relu(z)), [-1.0, 2.0])
    assert not bpcourse.check_function(lambda z: 1 / 0, lambda z: z, [1.0])
    assert "raised ZeroDivisionError" in capsys.readouterr().out
    assert not bpcourse.check_function(3, lambda z: z, [1.0])


def test_check_prints_feedback_by_label(capsys):
    bpcourse.check("no-such-exercise", 1)
    assert "there is no exercise" in capsys.readouterr().out
    bpcourse.check("b3-ssr-start", 20.4236)
    assert capsys.readouterr().out.startswith("Correct")
    bpcourse.check("b3-ssr-start", -20.4236)
    assert "wrong sign" in capsys.readouterr().out


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_every_exercise_accepts_its_own_solution_and_rejects_nonsense(label, capsys):
    exercise = EXERCISES[label]
    assert exercise(exercise.solution()) is True, label
    assert exercise("not an answer") is False, label
    assert capsys.readouterr().out.count("\n") == 2


def test_a_missing_answer_gets_a_hint(capsys):
    for call in (lambda: bpcourse.check_number(None, 1.0), lambda: bpcourse.check_array(None, [1.0]),
                 lambda: bpcourse.check_expression(None, sp.Symbol("a")),
                 lambda: bpcourse.check_function(None, abs, [1.0])):
        assert call() is False
        assert "replace None with your answer" in capsys.readouterr().out
