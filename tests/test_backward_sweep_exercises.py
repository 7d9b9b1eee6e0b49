"""The exercises of the backward sweep (chapter 4) and of the split between backpropagation and the update
(chapter 5), checked against numbers derived here without the package's backpropagation: central finite
differences of the dosage network's SSR, written out in NumPy.
"""

import numpy as np
import pytest

import bpcourse
from bpcourse.exercises import EXERCISES

DOSES = np.array([0.0, 0.5, 1.0])
OBSERVED = np.array([0.0, 1.0, 0.0])


def prediction(p, x):
    softplus = lambda z: np.log1p(np.exp(z))  # noqa: E731
    return p["w3"] * softplus(p["w1"] * x + p["b1"]) + p["w4"] * softplus(p["w2"] * x + p["b2"]) + p["b3"]


def ssr(p, x=DOSES, y=OBSERVED):
    return float(np.sum((y - prediction(p, x)) ** 2))


def finite_difference(f, p, name, h=1e-6):
    up, down = dict(p), dict(p)
    up[name] += h
    down[name] -= h
    return (f(up) - f(down)) / (2 * h)


def feedback(label, answer, capsys):
    bpcourse.check(label, answer)
    return capsys.readouterr().out


def test_hidden_delta_is_the_derivative_by_the_bottom_units_input(capsys):
    # delta_2 of the medium dose = d(its squared residual)/dz2; b2 adds to z2 with slope 1
    p = dict(bpcourse.DOSAGE_PARAMETERS, b3=1.0)
    medium = lambda q: ssr(q, DOSES[1:2], OBSERVED[1:2])  # noqa: E731
    expected = finite_difference(medium, p, "b2")
    exercise = EXERCISES["sweep-hidden-delta"]
    assert exercise.solution() == pytest.approx(expected, rel=1e-7)
    assert feedback("sweep-hidden-delta", round(expected, 2), capsys).startswith("Correct")
    mistakes = exercise.typical_mistakes()
    values = list(mistakes.values())
    assert len(values) == 8
    assert min(abs(a - b) for i, a in enumerate(values) for b in values[i + 1:]) > 0.02  # each one its own band
    # the sum over the observations is dSSR/db2 at b3 = 1, a different number
    summed = finite_difference(ssr, p, "b2")
    assert any(v == pytest.approx(summed, rel=1e-7) for v in values)
    for text, wrong in mistakes.items():
        out = feedback("sweep-hidden-delta", float(f"{wrong:.3g}"), capsys)
        assert out.startswith("Not yet") and text[:40] in out


def test_one_full_step_lowers_the_ssr_to_what_finite_differences_give(capsys):
    start = dict(bpcourse.DOSAGE_PARAMETERS)
    gradient = {name: finite_difference(ssr, start, name) for name in start}
    after = ssr({name: value - 0.05 * gradient[name] for name, value in start.items()})
    assert EXERCISES["descent-full-step"].solution() == pytest.approx(after, rel=1e-6)
    assert after < ssr(start)
    assert feedback("descent-full-step", round(after, 3), capsys).startswith("Correct")
    uphill = ssr({name: value + 0.05 * gradient[name] for name, value in start.items()})
    assert "step up the slope" in feedback("descent-full-step", round(uphill, 1), capsys)


def test_split_question_accepts_only_the_update_and_explains_the_others(capsys):
    exercise = EXERCISES["descent-split"]
    right = exercise.solution()
    assert feedback("descent-split", right, capsys).startswith("Correct")
    for option in exercise.options:
        if option != right:
            out = feedback("descent-split", option, capsys)
            assert out.startswith("Not yet") and exercise.hints[option][:40] in out


def written_backward(mistake=None):
    """A backward pass of the dosage network written here, with one planted mistake or none."""

    def backward(parameters, X, y):
        p, x, t = parameters, X[:, 0], y[:, 0]
        z1, z2 = p["w1"] * x + p["b1"], p["w2"] * x + p["b2"]
        a1, a2 = np.log1p(np.exp(z1)), np.log1p(np.exp(z2))
        delta3 = -2 * (t - (p["w3"] * a1 + p["w4"] * a2 + p["b3"]))
        s1, s2 = 1 / (1 + np.exp(-z1)), 1 / (1 + np.exp(-z2))
        if mistake == "no slope":
            s1, s2 = np.ones_like(z1), np.ones_like(z2)
        w_top, w_bottom = ("w4", "w3") if mistake == "swapped weights" else ("w3", "w4")
        delta1, delta2 = delta3 * p[w_top] * s1, delta3 * p[w_bottom] * s2
        result = {"w1": np.sum(delta1 * x), "w2": np.sum(delta2 * x), "b1": np.sum(delta1),
                  "b2": np.sum(delta2), "w3": np.sum(delta3 * a1), "w4": np.sum(delta3 * a2), "b3": np.sum(delta3)}
        if mistake == "no sum":
            result["b3"] = delta3
        if mistake == "sign":
            result = {name: -value for name, value in result.items()}
        return result

    return backward


def test_the_backward_pass_exercise_agrees_with_finite_differences_on_its_cases():
    exercise = EXERCISES["descent-backward"]
    reference = exercise.solution()
    cases = exercise.inputs()
    assert len(cases) >= 3 and all(len(X) > 2 for _, X, _ in cases)
    for parameters, X, y in cases:
        got = reference(parameters, X, y)
        for name in parameters:
            expected = finite_difference(lambda q: ssr(q, X[:, 0], y[:, 0]), parameters, name)
            assert got[name] == pytest.approx(expected, rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("mistake, words", [
    (None, "Correct"),
    ("no slope", "without the activation's slope"),
    ("swapped weights", "the other unit's weight"),
    ("no sum", "the sum over the points is missing"),
    ("sign", "wrong sign"),
])
def test_the_backward_pass_exercise_names_each_mistake(mistake, words, capsys):
    out = feedback("descent-backward", written_backward(mistake), capsys)
    assert words in out
    assert out.startswith("Correct") == (mistake is None)


def test_the_backward_pass_skeleton_is_not_yet_an_answer(capsys):
    def my_backward(parameters, X, y):
        ...

    assert "no answer yet" in feedback("descent-backward", my_backward, capsys)
