"""The answer checks: right answers in every reasonable form pass, typical mistakes are named, nothing raises or hangs."""

import decimal
import fractions
import threading

import numpy as np
import pytest
import sympy as sp

import bpcourse
from bpcourse import checks
from bpcourse.exercises import EXERCISES


def verdict(capsys, call):
    ok = call()
    return ok, capsys.readouterr().out


class TensorLike:
    """A 0-d tensor as PyTorch or JAX give one: ``item()`` and ``__float__``, no NumPy type."""

    def __init__(self, value):
        self.value = value

    def item(self):
        return self.value

    def __float__(self):
        return float(self.value)


class FloatOnly:
    def __float__(self):
        return -15.6551


def test_check_number_accepts_every_form_of_a_right_number(capsys):
    right = -15.6551
    for form in (right, np.float64(right), np.float32(right), np.array([right]), np.array(right),
                 np.array([[right]]), [right], decimal.Decimal("-15.6551"), fractions.Fraction(-156551, 10000),
                 sp.Float(right), sp.Rational(-156551, 10000), -15.7, -15.66, TensorLike(right), FloatOnly(),
                 np.array([sp.Float(right)], dtype=object)):
        ok, out = verdict(capsys, lambda: bpcourse.check_number(form, right, digits=3))
        assert ok, (form, out)
        assert out.startswith("Correct")


def test_check_number_names_the_generic_mistakes(capsys):
    cases = [
        (15.6551, "wrong sign"),
        (-31.3102, "twice the answer"),
        (-31.3, "twice the answer"),    # the doubled value to 3 digits: judged with the doubled value's tolerance
        (-7.83, "half the answer"),
        (-15.9, "not right to 3 significant digits"),
        (-16.0, "close, but not right to 3 significant digits"),
        (-17.5, "not what we get"),
        ("-15.66", "text"),
        (complex(-15.6551, 1e-9), "complex"),
        (-15.6551 + 0j, "complex"),
        (np.complex128(1 + 2j), "complex number 1+2j"),
        (True, "True/False"),
        (np.array([True]), "True/False"),
        (np.array([1.0, 2.0]), "holds 2 values"),
        (float("nan"), "not a finite number"),
        (float("inf"), "not a finite number"),
        (sp.zoo, "not a finite number"),
        (sp.Symbol("x"), "formula with symbols"),
        (sp.Matrix([1]), "matrix"),
        ({"a": 1}, "dict"),
        (TensorLike([1.0, 2.0]), "holds 2 values"),
        (None, "replace None"),
    ]
    for wrong, phrase in cases:
        ok, out = verdict(capsys, lambda: bpcourse.check_number(wrong, -15.6551, digits=3))
        assert not ok, wrong
        assert phrase in out, (wrong, out)
        assert "np." not in out and "array(" not in out, out  # plain words, no NumPy reprs


def test_a_doubled_answer_is_judged_with_the_doubled_values_tolerance(capsys):
    # The examples: 15.5 for 7.77 and -19.9 for -9.94 were missed when the doubled value was
    # compared with the tolerance of the undoubled answer.
    for right, typed in ((7.768489297011464, 15.5), (-9.942799756926831, -19.9), (0.25, 0.5)):
        ok, out = verdict(capsys, lambda: bpcourse.check_number(typed, right, digits=3))
        assert not ok and "twice the answer" in out, (right, typed, out)
        ok, out = verdict(capsys, lambda: bpcourse.check_number(float(f"{right / 2:.3g}"), right, digits=3))
        assert not ok and "half the answer" in out, (right, out)


def test_check_number_names_exercise_specific_mistakes(capsys):
    ok, out = verdict(capsys, lambda: bpcourse.check_number(0.2, 0.5498, digits=3,
                                                            mistakes={"that is z, before the sigmoid": 0.2}))
    assert not ok and "before the sigmoid" in out


def test_counts_accept_whole_numbers_only_and_say_so(capsys):
    for form in (34, 34.0, np.int64(34), np.array([34]), sp.Integer(34), TensorLike(34)):
        ok, out = verdict(capsys, lambda: bpcourse.check_number(form, 34.0, digits=3, integer=True,
                                                                name="the number of loss evaluations"))
        assert ok, (form, out)
    for wrong in (34.04, 33.6, 2.5, 34.000001):
        ok, out = verdict(capsys, lambda: bpcourse.check_number(wrong, 34.0, digits=3, integer=True,
                                                                name="the number of loss evaluations"))
        assert not ok and "not a whole number" in out and "is a count" in out, (wrong, out)
    ok, out = verdict(capsys, lambda: bpcourse.check_number(35, 34.0, integer=True))
    assert not ok and "not what we get" in out


def test_precision_is_worded_for_counts_and_single_digits():
    assert checks.precision_text(3) == "3 significant digits"
    assert checks.precision_text(1) == "1 significant digit"
    assert checks.precision_text(1, integer=True) == "a whole number"
    assert EXERCISES["engine-fd-evaluations"].precision == "a whole number"
    assert EXERCISES["misbehave-dead-units"].precision == "a whole number"


def test_bands_are_the_one_rule_and_check_number_follows_them(capsys):
    """check_number reports the first band that holds the answer; every band's centre lands in its own band."""
    mistakes = {"a named mistake": 3.0}
    bands = checks.number_bands(1.0, digits=2, mistakes=mistakes)
    assert [b["rule"] for b in bands] == ["right", "mistake-0", "sign", "double", "half", "close"]
    centres = {"right": 1.0, "mistake-0": 3.0, "sign": -1.0, "double": 2.0, "half": 0.5}
    for band in bands:
        # half a unit of the last of 2 significant digits of the band's own centre
        if band["rule"] in centres:
            centre = centres[band["rule"]]
            width = 0.5 * 10.0 ** (np.floor(np.log10(abs(centre))) - 1)
            assert band["low"] == pytest.approx(centre - width, rel=1e-8)
            assert band["high"] == pytest.approx(centre + width, rel=1e-8)
    for value, phrase in ((1.04, "Correct"), (3.04, "a named mistake"), (-1.0, "wrong sign"), (1.96, "twice"),
                          (0.504, "half"), (1.07, "close"), (7.0, "not what we get")):
        ok, out = verdict(capsys, lambda: bpcourse.check_number(value, 1.0, digits=2, mistakes=mistakes))
        assert phrase in out, (value, out)


def test_check_array_feedback(capsys):
    expected = np.arange(6.0).reshape(2, 3)
    for form in (expected.copy(), expected.tolist(), sp.Matrix(expected.tolist()),
                 np.array([[sp.Integer(v) for v in row] for row in expected.tolist()], dtype=object)):
        ok, out = verdict(capsys, lambda: bpcourse.check_array(form, expected))
        assert ok, (form, out)
    cases = [
        (expected.T, "transpose"),
        (np.ones(2), "has shape 2, but 2×3 is asked for"),
        (-expected, "wrong sign"),
        (expected + [[0, 0, 0], [0, 0, 1]], "1 of 6 entries differs"),
        (expected + 1, "6 of 6 entries differ"),
        ([["a"]], "real numbers"),
        ("abc", "text"),
        (expected + 1j, "real numbers"),
        (object(), "real numbers"),
        (sp.Matrix([[sp.Symbol("x")]]), "real numbers"),
        (None, "replace None"),
    ]
    for wrong, phrase in cases:
        ok, out = verdict(capsys, lambda: bpcourse.check_array(wrong, expected, name="your array H"))
        assert not ok and phrase in out, (wrong, out)


def test_check_expression_matches_symbols_by_name_and_never_evaluates_text(capsys):
    a = sp.Symbol("a", real=True)
    plain = sp.Symbol("a")
    assert bpcourse.check_expression(a - a**2, a * (1 - a))
    assert bpcourse.check_expression(plain * (1 - plain), a * (1 - a))  # same letter, other assumptions
    z = sp.Symbol("z")
    zr = sp.Symbol("z", real=True)
    assert bpcourse.check_expression(sp.Derivative(sp.log(1 + sp.exp(z)), z), sp.exp(a) / (1 + sp.exp(a))) is False
    assert bpcourse.check_expression(sp.Derivative(sp.log(1 + sp.exp(z)), z), sp.exp(zr) / (1 + sp.exp(zr)))
    capsys.readouterr()
    cases = [
        (a**2 - a, "wrong sign"),
        (2 * a * (1 - a), "twice the answer"),
        (a * (1 - a) / 2, "half the answer"),
        (a * (1 + a), "differs"),
        ("a*(1-a)", "text"),
        ("9**9**9", "text"),
        (a * sp.Symbol("q"), "contains q"),
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
        assert "np." not in out and "{" not in out, out  # the point is written a = 0.5, not {'a': np.float64(0.5)}


def test_check_expression_samples_far_from_zero_without_overflow(capsys):
    z = sp.Symbol("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    # right only for |z| <= 2: a check that samples |z| <= 1.5 would pass it
    near_only = sp.Piecewise((sigma, sp.Abs(z) <= 2), (0, True))
    ok, out = verdict(capsys, lambda: bpcourse.check_expression(near_only, sigma))
    assert not ok and "differs" in out and "z = " in out, out
    # a right form whose parts overflow a float at z = 10 (exp(exp(10)) is about 10**9566) still passes
    huge = sp.exp(sp.exp(z)) / (sp.exp(sp.exp(z)) * (1 + sp.exp(-z)))
    ok, out = verdict(capsys, lambda: bpcourse.check_expression(huge, sigma))
    assert ok, out
    points = checks._sample_points([z], 24, 0, 10.0)
    assert max(abs(p[0]) for p in points) == 10.0 and len({round(p[0], 6) for p in points}) >= 30


def test_a_function_known_only_by_name_is_not_accepted(capsys):
    z = sp.Symbol("z", real=True)
    softplus_slope = sp.exp(z) / (1 + sp.exp(z))
    for name in ("sigmoid", "f", "expit"):
        ok, out = verdict(capsys, lambda: bpcourse.check_expression(sp.Function(name)(z), softplus_slope))
        assert not ok and "knows only by its name" in out, out
    ok, out = verdict(capsys, lambda: EXERCISES["neuron-silu-derivative"](z * sp.Function("sigmoid")(z)))
    assert not ok and "sigmoid" in out


def test_check_function_tests_the_kink_and_the_type_without_revealing_the_answer(capsys):
    def right(z):
        return 1.0 if z > 0 else 0.0

    points = [0.0, 1e-9, -1e-9, 0.4, -0.4, 2.0]
    for form in (right, lambda z: z > 0, lambda z: np.float64(z > 0), lambda z: TensorLike(float(z > 0))):
        ok, out = verdict(capsys, lambda: bpcourse.check_function(form, right, points, name="relu_slope"))
        assert ok, out  # True/False count as 1/0 for a slope
    cases = [
        (lambda z: 1.0 if z >= 0 else 0.0, "relu_slope(0) = 1 is not right"),
        (lambda z: 1.0 if z > 0.4 else 0.0, "relu_slope(1e-09) = 0 is not right"),
        (lambda z: "1" if z > 0 else "0", "returned '0'"),
        (lambda z: None, "returned None"),
        (lambda z: 1 / 0, "raised ZeroDivisionError"),
        (lambda z: np.array([1.0, 0.0]), "holds 2 values"),
        (3, "should be a function"),
    ]
    for wrong, phrase in cases:
        ok, out = verdict(capsys, lambda: bpcourse.check_function(wrong, right, points, name="relu_slope"))
        assert not ok
        assert phrase in out, out
        assert "expected" not in out and "np." not in out, out


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(checks, "TIME_LIMIT", 0.5)


def _returns(call):
    """Run ``call`` in a thread and say whether it came back (a hang guard, not a speed test)."""
    done = []
    worker = threading.Thread(target=lambda: done.append(call()), daemon=True)
    worker.start()
    worker.join(60)
    return bool(done), done


def test_a_function_that_never_returns_is_stopped(short_time_limit, capsys):
    def forever(z):
        while True:
            pass

    def swallowing(z):  # an except clause in the learner's loop must not keep it alive
        while True:
            try:
                z += 1
            except Exception:
                pass

    for learner in (forever, swallowing):
        came_back, result = _returns(lambda: bpcourse.check_function(learner, abs, [1.0], name="relu_slope"))
        assert came_back and result == [False]
        assert "did not finish within 0.5 seconds" in capsys.readouterr().out
    # on the main thread too (a Jupyter kernel runs cells there)
    assert bpcourse.check_function(forever, abs, [1.0], name="relu_slope") is False
    assert "did not finish" in capsys.readouterr().out


def test_slow_answers_of_every_kind_are_stopped(short_time_limit, capsys):
    class Stuck:
        def __float__(self):
            while True:
                pass

    assert bpcourse.check_number(Stuck(), 1.0, digits=3) is False
    assert "did not finish" in capsys.readouterr().out
    came_back, result = _returns(lambda: EXERCISES["neuron-output"](Stuck()))
    assert came_back and result == [False]


def test_choice_feedback_reads_well_whatever_the_name(capsys):
    options = ("W1 and b1", "W2 and b2", "all four")
    hints = {"all four": "two of them agree with finite differences"}
    ok, out = verdict(capsys, lambda: bpcourse.checks.check_choice("all four", "W1 and b1", options,
                                                                   name="the wrong gradients", hints=hints))
    assert not ok and out == "Not yet: all four is not right: two of them agree with finite differences.\n"
    ok, out = verdict(capsys, lambda: bpcourse.checks.check_choice(" w1 AND b1", "W1 and b1", options))
    assert ok and out == "Correct: W1 and b1 is right.\n"
    ok, out = verdict(capsys, lambda: bpcourse.checks.check_choice("W3", "W1 and b1", options))
    assert not ok and "'W3' is not one of the options" in out


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


def test_an_exercise_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind='numbr'"):
        bpcourse.exercises.Exercise("x", lambda: 1.0, "numbr", "x")


NONSENSE = [None, "text", "9**9**9", 1 + 2j, True, [1, 2], {"a": 1}, object(), sp.zoo, sp.nan,
            sp.Matrix([1, 2]), lambda z: None, np.array([]), float("inf"), TensorLike("x")]


@pytest.mark.parametrize("label", sorted(EXERCISES))
def test_every_exercise_survives_nonsense(label, capsys):
    exercise = EXERCISES[label]
    for answer in NONSENSE:
        assert exercise(answer) is False, (label, answer)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(NONSENSE) and all(line.startswith("Not yet: ") for line in lines)
    assert not [line for line in lines if "np." in line or "could not be checked" in line], lines


def test_an_unanswered_check_in_a_kernel_is_marked_for_the_website():
    """In a Jupyter kernel the "no answer yet" line is rich output the website can hide; outside, plain text."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    outputs = []
    code = ('import bpcourse, contextlib, io\nbpcourse.check("neuron-output", None)\n'
            'captured = io.StringIO()\n'
            'with contextlib.redirect_stdout(captured):\n    bpcourse.check("neuron-output", None)\n'
            'assert captured.getvalue().startswith("Not yet: no answer yet"), captured.getvalue()')
    try:
        client.execute_interactive(code, timeout=120, output_hook=outputs.append)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    shown = [m["content"]["data"] for m in outputs if m["msg_type"] == "display_data"]
    assert len(shown) == 1 and 'class="bp-unanswered"' in shown[0]["text/html"]
    assert shown[0]["text/plain"].startswith("Not yet: no answer yet for the neuron's output")
    assert not [m for m in outputs if m["msg_type"] in ("stream", "error")], outputs  # a grader's capture works
