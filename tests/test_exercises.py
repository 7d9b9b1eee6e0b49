"""Every exercise's check: right answers in every reasonable form pass, typical mistakes are named.

The right answers come from the package (bpcourse.exercises); the wrong ones
below are the mistakes a learner makes: a sign, a factor of 2, too few
digits, the wrong parameter or step (listed with each exercise), text or a
complex number instead of a number, a function wrong at a kink.
"""

import decimal
import math

import numpy as np
import pytest
import sympy as sp

import bpcourse
from bpcourse.exercises import EXERCISES

NUMBERS = sorted(label for label, e in EXERCISES.items() if e.kind == "number")


def feedback(capsys, exercise, answer):
    ok = exercise(answer)
    return ok, capsys.readouterr().out


def round_to(value, digits):
    return float(f"{value:.{digits}g}")


@pytest.mark.parametrize("label", NUMBERS)
def test_number_exercise_accepts_every_form_of_the_right_answer(label, capsys):
    exercise = EXERCISES[label]
    right = exercise.solution()
    forms = [right, np.float64(right), np.array([right]), np.array(right), np.array([[right]]),
             decimal.Decimal(repr(right)), sp.Float(right), round_to(right, exercise.digits)]
    if float(right).is_integer():
        forms += [int(right), np.int64(int(right))]
    for form in forms:
        ok, out = feedback(capsys, exercise, form)
        assert ok, (label, form, out)
    assert exercise.digits is not None, "every number exercise states its precision"


@pytest.mark.parametrize("label", NUMBERS)
def test_number_exercise_names_typical_mistakes(label, capsys):
    exercise = EXERCISES[label]
    right = exercise.solution()
    listed = exercise.typical_mistakes()

    def expected_phrase(wrong, default):
        for description, value in listed.items():
            if math.isclose(wrong, value, rel_tol=1e-9, abs_tol=1e-12):
                return description
        return default

    cases = [("text", "text"), (complex(right, 1.0), "complex"), (True, "True/False"),
             (right * 1.7 + 0.3, None)]
    if right != 0:
        cases += [(-right, expected_phrase(-right, "wrong sign")),
                  (2 * right, expected_phrase(2 * right, "factor of 2")),
                  (right / 2, expected_phrase(right / 2, "factor of 2"))]
    cases += [(value, description) for description, value in listed.items()]
    rejected = 0
    for wrong, phrase in cases:
        ok, out = feedback(capsys, exercise, wrong)
        assert not ok, (label, wrong, out)
        rejected += 1
        if phrase:
            assert phrase in out, (label, wrong, out)
    assert rejected >= 5


@pytest.mark.parametrize("label", NUMBERS)
def test_number_exercise_wants_the_stated_precision(label, capsys):
    exercise = EXERCISES[label]
    right = exercise.solution()
    if exercise.digits < 2 or right == 0:
        return
    coarse = round_to(right, exercise.digits - 1)
    if abs(coarse - right) <= 0.5 * 10 ** (math.floor(math.log10(abs(right))) - exercise.digits + 1):
        return  # rounding to fewer digits happens to give the same number
    ok, out = feedback(capsys, exercise, coarse)
    assert not ok and "significant digits" in out, (label, coarse, out)


EXPRESSIONS = {
    "neuron-softplus-derivative": {
        "right": lambda z: [1 / (1 + sp.exp(-z)), sp.exp(z) / (sp.exp(z) + 1),
                            sp.Derivative(sp.log(1 + sp.exp(z)), z)],
        "wrong": lambda z: [(-sp.exp(z) / (1 + sp.exp(z)), "wrong sign"),
                            (2 * sp.exp(z) / (1 + sp.exp(z)), "factor of 2"),
                            (sp.exp(z), "differs"), (sp.log(1 + sp.exp(z)), "differs"),
                            ("exp(z)/(1+exp(z))", "text"), (sp.exp(sp.Symbol("x")), "contains ['x']")],
        "symbols": ("z",),
    },
    "chain-sigmoid-from-output": {
        "right": lambda a: [a - a**2, a * (1 - a), -(a - 1) * a],
        "wrong": lambda a: [(a**2 - a, "wrong sign"), (2 * a * (1 - a), "factor of 2"), (a * (1 + a), "differs"),
                            (1 - a, "differs"), ("a*(1-a)", "text"), (sp.Symbol("z") * (1 - sp.Symbol("z")),
                                                                      "contains ['z']")],
        "symbols": ("a",),
    },
    "descent-half-sse-slope": {
        "right": lambda y, y_hat: [y_hat - y, -(y - y_hat), sp.Derivative((y - y_hat) ** 2 / 2, y_hat)],
        "wrong": lambda y, y_hat: [(y - y_hat, "wrong sign"), (2 * (y_hat - y), "factor of 2"),
                                   (y_hat, "differs"), ((y - y_hat) ** 2, "differs"), ("y_hat - y", "text"),
                                   (sp.Symbol("x") - y, "contains ['x']")],
        "symbols": ("y", "y_hat"),
    },
}


@pytest.mark.parametrize("label", sorted(EXPRESSIONS))
def test_expression_exercises(label, capsys):
    exercise = EXERCISES[label]
    assert exercise.kind == "expression"
    spec = EXPRESSIONS[label]
    for assumptions in ({"real": True}, {}):  # symbols of any assumptions, matched by name
        symbols = [sp.Symbol(name, **assumptions) for name in spec["symbols"]]
        for right in spec["right"](*symbols):
            ok, out = feedback(capsys, exercise, right)
            assert ok, (label, right, out)
    symbols = [sp.Symbol(name) for name in spec["symbols"]]
    wrongs = spec["wrong"](*symbols)
    assert len(wrongs) >= 5
    for wrong, phrase in wrongs:
        ok, out = feedback(capsys, exercise, wrong)
        assert not ok and phrase in out, (label, wrong, out)


def test_relu_slope_exercise(capsys):
    exercise = EXERCISES["neuron-relu-slope"]
    for right in (lambda z: 1.0 if z > 0 else 0.0, lambda z: float(z > 0), lambda z: np.heaviside(z, 0.0),
                  lambda z: int(z > 0)):
        assert feedback(capsys, exercise, right)[0]
    wrongs = [
        (lambda z: 1.0 if z >= 0 else 0.0, "relu_slope(0.0) = 1"),
        (lambda z: 1.0 if z > 0.4 else 0.0, "expected 1"),
        (lambda z: 0.0 if z > 0 else 1.0, "relu_slope(0.0) = 1; expected 0"),
        (lambda z: max(z, 0.0), "expected 1"),
        (lambda z: "1" if z > 0 else "0", "returned '0'"),
        (lambda z: None, "returned None"),
        (lambda z: 1 / z, "raised ZeroDivisionError"),
    ]
    for wrong, phrase in wrongs:
        ok, out = feedback(capsys, exercise, wrong)
        assert not ok and phrase in out, out


def test_hidden_activations_exercise(capsys):
    exercise = EXERCISES["forward-lecture-hidden"]
    X, _ = bpcourse.lecture_data()
    net = bpcourse.lecture_network()
    right = bpcourse.sigmoid(X[:5] @ net.weights[0] + net.biases[0])
    assert feedback(capsys, exercise, right)[0]
    assert feedback(capsys, exercise, right.tolist())[0]
    wrongs = [(right.T, "transpose"), (X[:5] @ net.weights[0], "entries differ"), (right[:4], "shape (4, 4)"),
              (bpcourse.sigmoid(X[:6] @ net.weights[0]), "shape (6, 4)"), ("H", "text"),
              (net.forward(X[:5]), "shape (5, 1)")]
    for wrong, phrase in wrongs:
        ok, out = feedback(capsys, exercise, wrong)
        assert not ok and phrase in out, out


@pytest.mark.parametrize("label", sorted(label for label, e in EXERCISES.items() if e.kind == "choice"))
def test_choice_exercises(label, capsys):
    exercise = EXERCISES[label]
    right = exercise.solution()
    assert right in exercise.options
    for form in (right, right.lower(), f"  {right.upper()} "):
        assert feedback(capsys, exercise, form)[0]
    for option in exercise.options:
        if option != right:
            ok, out = feedback(capsys, exercise, option)
            assert not ok and f"is not {option}" in out
    for nonsense, phrase in ((3, "as text in quotes"), ("W3", "is not one of"), (None, "replace None")):
        ok, out = feedback(capsys, exercise, nonsense)
        assert not ok and phrase in out


def test_the_find_the_bug_answers_come_from_a_gradient_check():
    X, y = bpcourse.lecture_data()
    net = bpcourse.lecture_network()
    buggy = bpcourse.exercises.buggy_lecture_backward(net, X[:20], y[:20])
    weight_grads, bias_grads = net.gradients(X[:20], y[:20], "half_sse")
    right = {"W1": weight_grads[0], "b1": bias_grads[0], "W2": weight_grads[1], "b2": bias_grads[1]}
    wrong = sorted(name for name in right if not np.allclose(buggy[name], right[name], rtol=1e-6))
    assert wrong == ["W1", "b1"] and EXERCISES["chain-find-bug"].solution() == "W1 and b1"
    buggy = bpcourse.exercises.buggy_gradients(net, X[:20], y[:20])
    wrong = sorted(name for name in right if not np.allclose(buggy[name], right[name], rtol=1e-6))
    assert wrong == ["b1"] and EXERCISES["engine-find-bug"].solution() == "b1"
