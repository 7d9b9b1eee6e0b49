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
from learner_code import value_operation


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


# ------------------------------------------------------------------ code exercises: a backward pass


def _tanh_backward(W1, b1, W2, b2, X, y):
    """An independent right answer: a tanh hidden layer, a linear output, the half-SSE loss."""
    h = np.tanh(X @ W1 + b1)
    d_out = h @ W2 + b2 - y
    d_hidden = (d_out @ W2.T) * (1 - h ** 2)
    return {"W1": X.T @ d_hidden, "b1": d_hidden.sum(axis=0), "W2": h.T @ d_out, "b2": d_out.sum(axis=0)}


def _half_sse(W1, b1, W2, b2, X, y):
    return 0.5 * float(np.sum((np.tanh(X @ W1 + b1) @ W2 + b2 - y) ** 2))


def _cases(seed=3):
    rng = np.random.default_rng(seed)
    return [(rng.normal(size=(2, 3)), rng.normal(size=3), rng.normal(size=(3, 1)), rng.normal(size=1),
             rng.normal(size=(n, 2)), rng.normal(size=(n, 1))) for n in (5, 7, 4)]


def test_the_reference_backward_pass_of_these_tests_matches_finite_differences():
    for case in _cases():
        gradients = _tanh_backward(*case)
        for position, parameter in enumerate(("W1", "b1", "W2", "b2")):
            numeric = np.zeros_like(case[position])
            for index in np.ndindex(numeric.shape):
                up, down = [list(case) for _ in range(2)]
                up[position], down[position] = case[position].copy(), case[position].copy()
                up[position][index] += 1e-6
                down[position][index] -= 1e-6
                numeric[index] = (_half_sse(*up) - _half_sse(*down)) / 2e-6
            assert np.allclose(gradients[parameter], numeric, rtol=1e-5, atol=1e-7), parameter


def _changed(**changes):
    """The reference with some gradients changed: ``changes[name](gradient, *arguments)``."""
    def backward(*arguments):
        gradients = _tanh_backward(*arguments)
        for name, change in changes.items():
            gradients[name] = change(gradients[name], *arguments)
        return gradients
    return backward


def _hidden_deltas(gradient, W1, b1, W2, b2, X, y):
    h = np.tanh(X @ W1 + b1)
    return ((h @ W2 + b2 - y) @ W2.T) * (1 - h ** 2)


def _right_forms():
    def lists(*arguments):
        return {name: value.tolist() for name, value in _tanh_backward(*arguments).items()}

    def mutates_its_inputs(W1, b1, W2, b2, X, y):
        gradients = _tanh_backward(W1, b1, W2, b2, X, y)
        W1 += 1.0
        X[:] = 0.0
        return gradients

    def row_vectors(*arguments):  # biases' gradients as (1, n) rows, as keepdims=True gives them
        gradients = _tanh_backward(*arguments)
        return {**gradients, "b1": gradients["b1"].reshape(1, -1), "b2": gradients["b2"].reshape(1, 1)}

    def sympy_numbers(*arguments):
        return {name: sp.Matrix(np.atleast_2d(value)).applyfunc(sp.Float) if name == "W2" else value
                for name, value in _tanh_backward(*arguments).items()}

    def float_and_0d(*arguments):  # a one-entry gradient as a float or a 0-d array
        gradients = _tanh_backward(*arguments)
        return {**gradients, "b2": float(gradients["b2"][0])}

    return [_tanh_backward, lists, mutates_its_inputs, row_vectors, sympy_numbers, float_and_0d]


@pytest.mark.parametrize("form", _right_forms(), ids=lambda f: f.__name__)
def test_check_gradients_accepts_every_right_form(form, capsys):
    ok, out = verdict(capsys, lambda: checks.check_gradients(form, _tanh_backward, _cases()))
    assert ok, out
    assert out == "Correct: your backward pass gives the right gradient of W1, b1, W2 and b2 on all 3 test cases.\n"


def test_check_gradients_accepts_floats_and_0d_arrays_for_scalar_parameters(capsys):
    def reference(w, b, x, y):  # one weight and one bias, the SSR over the points
        r = y - (w * x + b)
        return {"w": float(-2 * np.sum(r * x)), "b": float(-2 * np.sum(r))}

    cases = [(0.5, -1.0, np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 1.5])),
             (-2.0, 0.3, np.array([0.5, -1.0, 2.0, 4.0]), np.array([1.0, 0.0, -1.0, 2.0]))]
    forms = [reference, lambda *a: {k: np.array(v) for k, v in reference(*a).items()},
             lambda *a: {k: [v] for k, v in reference(*a).items()},
             lambda *a: {k: sp.Float(v) for k, v in reference(*a).items()}]
    for form in forms:
        ok, out = verdict(capsys, lambda: checks.check_gradients(form, reference, cases, name="your gradient"))
        assert ok, out
    rows = lambda w, b, x, y: {"w": -2 * (y - w * x - b) * x, "b": -2 * (y - w * x - b)}  # noqa: E731
    ok, out = verdict(capsys, lambda: checks.check_gradients(rows, reference, cases, name="your gradient"))
    assert not ok and "one row per data point" in out and "sum over the points is missing" in out
    assert "added up, the rows give the right gradient" in out


def _first_point(gradient, W1, b1, W2, b2, X, y):
    return _tanh_backward(W1, b1, W2, b2, X[:1], y[:1])["W2"]


def _last_point(gradient, W1, b1, W2, b2, X, y):
    return _tanh_backward(W1, b1, W2, b2, X[-1:], y[-1:])["b1"]


GRADIENT_MISTAKES = [
    ("sign", _changed(W2=lambda g, *a: -g), ["the gradient of W2 has the wrong sign"]),
    ("factor 2", _changed(b2=lambda g, *a: 2 * g), ["the gradient of b2 is twice the right gradient"]),
    ("factor 1/2", _changed(W1=lambda g, *a: g / 2), ["the gradient of W1 is half the right gradient"]),
    ("factor 1/N", _changed(b1=lambda g, *a: g / len(a[-1])),
     ["the gradient of b1 is the right gradient divided by the number of points"]),
    ("factor N", _changed(W2=lambda g, *a: g * len(a[-1])),
     ["the gradient of W2 is the number of points times the right gradient"]),
    ("other factor", _changed(W1=lambda g, *a: 3 * g), ["the gradient of W1 is the right gradient times the same "
                                                        "factor (3)"]),
    ("transpose", _changed(W1=lambda g, *a: g.T), ["the gradient of W1 is the transpose of the right gradient"]),
    ("missing sum", _changed(b1=_hidden_deltas), ["the gradient of b1 has one row per data point",
                                                  "sum over the points is missing"]),
    ("one point only", _changed(W2=_first_point, b1=_last_point),
     ["2 problems", "the gradient of W2 is one data point's term alone", "the gradient of b1 is one data point"]),
    ("missing key", lambda *a: {k: v for k, v in _tanh_backward(*a).items() if k != "b2"},
     ["the gradient of b2 is missing"]),
    ("extra key", lambda *a: {**_tanh_backward(*a), "W3": 0.0}, ["'W3' is not a parameter of this exercise"]),
    ("NaN", _changed(b2=lambda g, *a: g * np.nan), ["the gradient of b2 contains NaN or inf"]),
    ("wrong shape", _changed(W1=lambda g, *a: g[:1]), ["the gradient of W1 has shape 1×3",
                                                       "2×3 for W1"]),
    ("other", _changed(W1=lambda g, *a: g + 0.1), ["the gradient of W1 is not right", "not one of the mistakes"]),
    ("not a dict", lambda *a: tuple(_tanh_backward(*a).values()), ["returned a tuple, not a dict"]),
    ("returns None", lambda *a: _tanh_backward(*a) and None, ["returned None"]),
    ("not numbers", _changed(b2=lambda g, *a: "0.5"), ["the gradient of b2 is '0.5', not a number"]),
    ("raises", lambda *a: np.linalg.inv(np.zeros((2, 2))), ["raised LinAlgError (Singular matrix) on test case 1"]),
]


def _right_numbers_shown(out, cases):
    """Right gradient entries that appear in ``out``, at the precisions feedback would use."""
    shown = []
    for case in cases:
        for value in _tanh_backward(*case).values():
            for entry in np.ravel(value):
                shown += [text for text in (f"{entry:.6g}", f"{entry:.4g}") if len(text) >= 5 and text in out]
    return shown


@pytest.mark.parametrize("what, answer, phrases", GRADIENT_MISTAKES, ids=[m[0] for m in GRADIENT_MISTAKES])
def test_check_gradients_names_each_mistake_without_revealing_the_answer(what, answer, phrases, capsys):
    ok, out = verdict(capsys, lambda: checks.check_gradients(answer, _tanh_backward, _cases()))
    assert not ok and out.startswith("Not yet: your backward pass")
    for phrase in phrases:
        assert phrase in out, (what, out)
    assert not _right_numbers_shown(out, _cases()), out
    assert "np." not in out and "array(" not in out


def test_check_gradients_names_the_exercises_own_mistakes_first(capsys):
    def sigmoid_slope_for_tanh(W1, b1, W2, b2, X, y):
        h = np.tanh(X @ W1 + b1)
        d_hidden = ((h @ W2 + b2 - y) @ W2.T) * h * (1 - h)
        return {**_tanh_backward(W1, b1, W2, b2, X, y), "W1": X.T @ d_hidden, "b1": d_hidden.sum(axis=0)}

    mistakes = {"the hidden delta uses the sigmoid's slope h (1 - h); tanh's slope is 1 - h**2":
                sigmoid_slope_for_tanh}
    ok, out = verdict(capsys, lambda: checks.check_gradients(sigmoid_slope_for_tanh, _tanh_backward, _cases(),
                                                             mistakes=mistakes))
    assert not ok and out.count("the sigmoid's slope h (1 - h)") == 2  # named for W1 and for b1, not W2, b2
    # a named mistake that agrees with the right gradient of a parameter never blames a right gradient
    ok, out = verdict(capsys, lambda: checks.check_gradients(_tanh_backward, _tanh_backward, _cases(),
                                                             mistakes=mistakes))
    assert ok


def test_check_gradients_skeleton_and_junk(capsys):
    def skeleton(W1, b1, W2, b2, X, y):
        """Return the gradients of the half-SSE."""
        ...

    for unanswered in (skeleton, None, ...):
        ok, out = verdict(capsys, lambda: checks.check_gradients(unanswered, _tanh_backward, _cases()))
        assert not ok and out.startswith("Not yet: no answer yet for your backward pass: write the function's body")
    for junk in ("def backward", 3.0, [1, 2]):
        ok, out = verdict(capsys, lambda: checks.check_gradients(junk, _tanh_backward, _cases()))
        assert not ok and "should be a function" in out


def test_a_backward_pass_that_never_returns_is_stopped(short_time_limit, capsys):
    def forever(*arguments):
        while True:
            pass

    came_back, result = _returns(lambda: checks.check_gradients(forever, _tanh_backward, _cases()))
    assert came_back and result == [False]
    assert "did not finish within 0.5 seconds" in capsys.readouterr().out


# ------------------------------------------------------------------ code exercises: an operation of Value


def _cube(x):
    return x ** 3


def _cube_slope(x):
    return 3 * x ** 2


def test_check_value_op_accepts_right_operations(capsys):
    import math

    ok, out = verdict(capsys, lambda: checks.check_value_op(value_operation(_cube, _cube_slope), _cube, _cube_slope,
                                                            name="cube"))
    assert ok and out.startswith("Correct: cube computes the right value"), out
    # the engine's own operations are single nodes with their own _backward: right answers, by an independent hand
    engine = [(lambda v: v.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2, (-3.0, 3.0)),
              (lambda v: v.exp(), math.exp, math.exp, (-3.0, 3.0)),
              (lambda v: v.log(), math.log, lambda x: 1 / x, (0.2, 5.0)),
              (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)),
               lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, (-4.0, 4.0))]
    for operation, function, derivative, domain in engine:
        for seed in (0, 1):
            ok, out = verdict(capsys, lambda: checks.check_value_op(operation, function, derivative, domain=domain,
                                                                    seed=seed))
            assert ok, out


VALUE_OP_MISTAKES = [
    ("forward", value_operation(lambda x: x ** 2, _cube_slope), "the forward value is wrong"),
    ("sign", value_operation(_cube, lambda x: -3 * x ** 2), "the local derivative of cube has the wrong sign"),
    ("factor", value_operation(_cube, lambda x: 6 * x ** 2), "the local derivative of cube is twice the right one"),
    ("formula", value_operation(_cube, lambda x: 3 * x), "the local derivative of cube is wrong"),
    ("value for slope", value_operation(_cube, _cube), "the local derivative of cube is the operation's value"),
    ("= for +=", value_operation(_cube, _cube_slope, assign=True), "assigned (=) instead of accumulated (+=)"),
    ("out.grad", value_operation(_cube, _cube_slope, multiply=False), "out.grad is not multiplied in"),
    ("no parent", value_operation(_cube, _cube_slope, parent=False), "backward() never reaches the input of cube"),
    ("no _backward", value_operation(_cube, _cube_slope, attach=False), "never changes its input's grad"),
    ("composed", lambda v: v * v * v, "built from the engine's existing operations (*)"),
    ("not a Value", lambda v: v.data ** 3, "returned a float, not a Value"),
    ("its input", lambda v: v, "returned the Value it was given"),
    ("raises", lambda v: v.data.cube(), "raised AttributeError"),
    ("raises in backward", value_operation(_cube, lambda x: 1 / 0), "backward() raised ZeroDivisionError"),
    ("raises in a graph", lambda v: value_operation(_cube, _cube_slope)(v) if not v.parents else v.data / 0,
     "raised ZeroDivisionError (float division by zero) in a larger expression"),
]


@pytest.mark.parametrize("what, answer, phrase", VALUE_OP_MISTAKES, ids=[m[0] for m in VALUE_OP_MISTAKES])
def test_check_value_op_names_each_mistake_without_revealing_the_answer(what, answer, phrase, capsys):
    ok, out = verdict(capsys, lambda: checks.check_value_op(answer, _cube, _cube_slope, name="cube", domain=(-2, 2)))
    assert not ok and phrase in out, (what, out)
    rng = np.random.default_rng(0)  # the checker's points: neither their cube nor its slope is shown
    points = -2 + 4 * rng.uniform(0.05, 0.95, 5)
    right = [f"{value:.{digits}g}" for x in points for value in (_cube(x), _cube_slope(x)) for digits in (4, 6)]
    assert not [text for text in right if len(text) >= 5 and text in out], out


def test_the_assignment_mistake_shows_whichever_order_the_engine_visits_the_uses(capsys):
    """``op(x) * x`` runs the operation's _backward after the product's: = loses the product's share."""
    from bpcourse.autograd import Value

    x = Value(1.5)
    out = value_operation(_cube, _cube_slope, assign=True)(x) * x
    out.backward()
    assert x.grad == pytest.approx(_cube_slope(1.5) * 1.5)  # the product's share, 1.5**3, was thrown away
    ok, out_text = verdict(capsys, lambda: checks.check_value_op(value_operation(_cube, _cube_slope, assign=True), _cube,
                                                                 _cube_slope, seed=5))
    assert not ok and "instead of accumulated" in out_text


def test_check_value_op_names_the_exercises_own_mistakes(capsys):
    mistakes = {"3 x is the slope of 1.5 x**2, not of x**3: the power rule keeps x**2": lambda x: 3 * x}
    ok, out = verdict(capsys, lambda: checks.check_value_op(value_operation(_cube, lambda x: 3 * x), _cube, _cube_slope,
                                                            name="cube", mistakes=mistakes))
    assert not ok and "the power rule keeps x**2" in out


def test_check_value_op_skeleton_junk_and_hangs(short_time_limit, capsys):
    def cube(self):
        ...

    ok, out = verdict(capsys, lambda: checks.check_value_op(cube, _cube, _cube_slope, name="cube"))
    assert not ok and out.startswith("Not yet: no answer yet for cube")
    ok, out = verdict(capsys, lambda: checks.check_value_op("x**3", _cube, _cube_slope, name="cube"))
    assert not ok and "should be a function" in out

    def forever(self):
        while True:
            pass

    came_back, result = _returns(lambda: checks.check_value_op(forever, _cube, _cube_slope))
    assert came_back and result == [False]
    assert "did not finish within 0.5 seconds" in capsys.readouterr().out
    backward_forever = value_operation(_cube, lambda x: [None for _ in iter(int, 1)])
    came_back, result = _returns(lambda: checks.check_value_op(backward_forever, _cube, _cube_slope))
    assert came_back and result == [False]
    assert "did not finish" in capsys.readouterr().out


def test_code_exercises_dispatch_through_check(monkeypatch, capsys):
    from bpcourse import exercises

    demo = {
        "demo-gradients": exercises.Exercise("demo-gradients", lambda: _tanh_backward, "gradients",
                                             "your backward pass", inputs=_cases),
        "demo-cube": exercises.Exercise("demo-cube", lambda: (_cube, _cube_slope), "value_op", "cube",
                                        inputs=(-2.0, 2.0)),
    }
    monkeypatch.setitem(exercises.EXERCISES, "demo-gradients", demo["demo-gradients"])
    monkeypatch.setitem(exercises.EXERCISES, "demo-cube", demo["demo-cube"])
    bpcourse.check("demo-gradients", _tanh_backward)
    assert capsys.readouterr().out.startswith("Correct")
    bpcourse.check("demo-gradients", _changed(b1=lambda g, *a: g / len(a[-1])))
    assert "divided by the number of points" in capsys.readouterr().out
    bpcourse.check("demo-cube", value_operation(_cube, _cube_slope))
    assert capsys.readouterr().out.startswith("Correct")
    bpcourse.check("demo-cube", value_operation(_cube, _cube_slope, assign=True))
    assert "instead of accumulated" in capsys.readouterr().out
    for label in demo:
        for answer in NONSENSE:
            assert exercises.EXERCISES[label](answer) is False
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == len(NONSENSE) and all(line.startswith("Not yet: ") for line in lines), lines
    with pytest.raises(ValueError, match="inputs must be a function"):
        exercises.Exercise("x", lambda: _tanh_backward, "gradients", "x", inputs=())
    for domain in ((2.0, -2.0), _cases, (0.0, "1"), (0.0, 1.0, 2.0)):
        with pytest.raises(ValueError, match="inputs must be a domain"):
            exercises.Exercise("x", lambda: (_cube, _cube_slope), "value_op", "x", inputs=domain)


def test_an_expression_exercise_names_its_own_mistakes_and_still_accepts_every_right_form(capsys):
    z = sp.Symbol("z")
    sigmoid = 1 / (1 + sp.exp(-z))
    right = sp.diff(z * sigmoid, z)
    mistakes = {"is the sigmoid's own slope": sigmoid * (1 - sigmoid), "is the first term alone": sigmoid}
    assert not checks.check_expression(sigmoid * (1 - sigmoid), right, mistakes=mistakes)
    assert "is the sigmoid's own slope" in capsys.readouterr().out
    assert not checks.check_expression(sp.exp(z) / (1 + sp.exp(z)), right, mistakes=mistakes)  # sigmoid, rewritten
    assert "is the first term alone" in capsys.readouterr().out
    assert checks.check_expression(sigmoid + z * sigmoid * (1 - sigmoid), right, mistakes=mistakes)
    assert checks.check_expression(sp.simplify(right), right, mistakes=mistakes)
    assert not checks.check_expression(-right, right, mistakes=mistakes)  # not a named mistake: the general one
    assert "wrong sign" in capsys.readouterr().out
