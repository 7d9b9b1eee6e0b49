"""The answer checks: right answers in every reasonable form pass, typical mistakes are named, nothing raises."""

import decimal
import fractions

import numpy as np
import pytest
import sympy as sp

import bpcourse
from bpcourse.exercises import EXERCISES


def verdict(capsys, call):
    ok = call()
    return ok, capsys.readouterr().out


def test_check_number_accepts_every_form_of_a_right_number(capsys):
    right = -15.6551
    for form in (right, np.float64(right), np.float32(right), np.array([right]), np.array(right),
                 np.array([[right]]), [right], decimal.Decimal("-15.6551"), fractions.Fraction(-156551, 10000),
                 sp.Float(right), sp.Rational(-156551, 10000), -15.7, -15.66):
        ok, out = verdict(capsys, lambda: bpcourse.check_number(form, right, digits=3))
        assert ok, (form, out)
        assert out.startswith("Correct")


def test_check_number_names_the_mistake(capsys):
    cases = [
        (15.6551, "wrong sign"),
        (-31.3102, "factor of 2"),
        (-7.83, "factor of 2"),
        (-15.9, "not right to 3 significant digits"),
        (-16.0, "close, but not right to 3 significant digits"),
        (-17.5, "is not what we get"),
        ("-15.66", "text"),
        (complex(-15.6551, 1e-9), "complex"),
        (-15.6551 + 0j, "complex"),
        (True, "True/False"),
        (np.array([1.0, 2.0]), "holds 2 values"),
        (float("nan"), "not a finite number"),
        (sp.zoo, "not a finite number"),
        (sp.Symbol("x"), "formula with symbols"),
        (sp.Matrix([1]), "matrix"),
        ({"a": 1}, "dict"),
        (None, "replace None"),
    ]
    for wrong, phrase in cases:
        ok, out = verdict(capsys, lambda: bpcourse.check_number(wrong, -15.6551, digits=3))
        assert not ok, wrong
        assert phrase in out, (wrong, out)


def test_check_number_names_exercise_specific_mistakes(capsys):
    ok, out = verdict(capsys, lambda: bpcourse.check_number(0.2, 0.5498, digits=3,
                                                            mistakes={"that is z, before the sigmoid": 0.2}))
    assert not ok and "before the sigmoid" in out


def test_check_array_feedback(capsys):
    expected = np.arange(6.0).reshape(2, 3)
    assert bpcourse.check_array(expected.copy(), expected)
    assert not bpcourse.check_array(expected.T, expected)
    assert "transpose" in capsys.readouterr().out.splitlines()[-1]
    assert not bpcourse.check_array(np.ones(2), expected)
    assert not bpcourse.check_array(-expected, expected + 1) and "entries differ" in capsys.readouterr().out
    for nonsense in ([["a"]], "abc", expected + 1j, object()):
        assert not bpcourse.check_array(nonsense, expected)


def test_check_expression_matches_symbols_by_name_and_never_evaluates_text(capsys):
    a = sp.Symbol("a", real=True)
    plain = sp.Symbol("a")
    assert bpcourse.check_expression(a - a**2, a * (1 - a))
    assert bpcourse.check_expression(plain * (1 - plain), a * (1 - a))  # same letter, other assumptions
    z = sp.Symbol("z")
    assert bpcourse.check_expression(sp.Derivative(sp.log(1 + sp.exp(z)), z), sp.exp(a) / (1 + sp.exp(a)).subs(a, a)
                                     ) is False  # z is not a
    zr = sp.Symbol("z", real=True)
    assert bpcourse.check_expression(sp.Derivative(sp.log(1 + sp.exp(z)), z), sp.exp(zr) / (1 + sp.exp(zr)))
    capsys.readouterr()
    cases = [
        (a**2 - a, "wrong sign"),
        (2 * a * (1 - a), "factor of 2"),
        (a * (1 + a), "differs"),
        ("a*(1-a)", "text"),
        ("9**9**9", "text"),
        (a * sp.Symbol("q"), "contains ['q']"),
        (sp.zoo, "not finite"),
        (sp.Matrix([a]), "matrix"),
        (1 + 2j, "complex"),
        (sp.Eq(a, 1), "not an expression"),
        (None, "replace None"),
    ]
    for wrong, phrase in cases:
        ok, out = verdict(capsys, lambda: bpcourse.check_expression(wrong, a * (1 - a)))
        assert not ok, wrong
        assert phrase in out, (wrong, out)


def test_check_function_tests_the_kink_and_the_type(capsys):
    right = lambda z: float(bpcourse.relu_derivative(z)) if False else (1.0 if z > 0 else 0.0)
    points = [0.0, 1e-9, -1e-9, 0.4, -0.4, 2.0]
    assert bpcourse.check_function(right, right, points)
    cases = [
        (lambda z: 1.0 if z >= 0 else 0.0, "relu_slope(0.0) = 1"),
        (lambda z: 1.0 if z > 0.4 else 0.0, "relu_slope(1e-09) = 0; expected 1"),
        (lambda z: "1" if z > 0 else "0", "returned"),
        (lambda z: None, "returned None"),
        (lambda z: 1 / 0, "raised ZeroDivisionError"),
        (lambda z: np.array([1.0, 0.0]), "holds 2 values"),
        (3, "should be a function"),
    ]
    for wrong, phrase in cases:
        ok, out = verdict(capsys, lambda: bpcourse.check_function(wrong, right, points, name="relu_slope"))
        assert not ok
        assert phrase in out, out


def test_check_by_label_never_raises(capsys):
    bpcourse.check("no-such-exercise", 1)
    assert "there is no exercise" in capsys.readouterr().out
    bpcourse.check(["unhashable"], 1)
    assert "there is no exercise list" in capsys.readouterr().out
    bpcourse.check("forward-ssr-b3-1", 7.76849)
    assert capsys.readouterr().out.startswith("Correct")
    bpcourse.check("forward-ssr-b3-1", 7.77)  # rounded to the 3 digits the exercise asks for
    assert capsys.readouterr().out.startswith("Correct")
    bpcourse.check("forward-ssr-b3-1", -7.76849)
    assert "wrong sign" in capsys.readouterr().out


NONSENSE = [None, "text", "9**9**9", 1 + 2j, True, [1, 2], {"a": 1}, object(), sp.zoo, sp.nan,
            sp.Matrix([1, 2]), lambda z: None, np.array([]), float("inf")]


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_every_exercise_survives_nonsense(label, capsys):
    exercise = EXERCISES[label]
    for answer in NONSENSE:
        assert exercise(answer) is False, (label, answer)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(NONSENSE) and all(line.startswith("Not yet: ") for line in lines)
