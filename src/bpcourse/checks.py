"""Answer checks for the exercises.

Each ``check_*`` function compares a learner's answer with the right one,
prints one line of feedback and returns ``True`` or ``False``. It never
raises and never hangs, whatever it is given: a learner who types
``check_number("twelve", 12.0)`` is told what was expected, not shown a
traceback, and a learner's function that never returns is stopped after
:data:`TIME_LIMIT` seconds. Strings are never evaluated.

A number is graded by one rule, :func:`number_bands`: Python computes the
interval of accepted values for the right answer and one interval for each
named mistake, and the answer gets the message of the first interval that
holds it. The website's answer boxes receive those same intervals and only
compare the typed number with them, so a page and :func:`bpcourse.check`
cannot disagree.

Chapters call :func:`bpcourse.check` with an exercise's label (see
:mod:`bpcourse.exercises`), which computes the right answer with the package
and passes both to the checker that exercise holds.
"""

from __future__ import annotations

import ctypes
import decimal
import fractions
import math
import numbers
import sys
import threading

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["check_number", "check_array", "check_expression", "check_function", "check_choice",
           "number_bands", "number_message", "number_otherwise", "precision_text", "TIME_LIMIT"]

TIME_LIMIT = 5.0
"""Seconds a check may take, a learner's function or expression included, before it is stopped."""

_OK = "Correct"
_NO = "Not yet"


def _say(ok, text):
    print(f"{_OK if ok else _NO}: {text}")
    return ok


class _TooSlow(BaseException):
    """Raised inside a check that ran out of time."""


def _within_time_limit(judge, what):
    """Run ``judge()`` (which returns ``(ok, text)``) in a worker thread, for at most :data:`TIME_LIMIT` seconds.

    A thread, not a signal, so that the limit works on any thread: in a
    Jupyter kernel, in a test runner, in a web server. When the time is up,
    the check answers at once and the stuck thread is asked to stop (an
    exception raised in it at its next Python instruction); code blocked
    inside C (e.g. ``time.sleep``) finishes on its own later, in the
    background.
    """
    result = {}

    def run():
        try:
            result["verdict"] = judge()
        except _TooSlow:
            pass
        except BaseException as error:  # noqa: BLE001 (the learner's code may raise anything)
            result["error"] = error

    worker = threading.Thread(target=run, name="bpcourse-check", daemon=True)
    worker.start()
    worker.join(TIME_LIMIT)
    if worker.is_alive():
        # CPython's documented way to raise an exception in another thread (there is no other way to stop one).
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(_TooSlow))
        return False, (f"{what} did not finish within {TIME_LIMIT:g} seconds and was stopped: look for a loop "
                       f"that never ends, or a computation far larger than the exercise needs.")
    if "error" in result:
        error = result["error"]
        return False, f"{what} could not be checked ({type(error).__name__}); give a plain answer."
    return result["verdict"]


def _checked(what, judge):
    """Print and return the verdict of ``judge``, run under the time limit; never raises."""
    try:
        ok, text = _within_time_limit(judge, what)
    except Exception as error:  # noqa: BLE001 (never a traceback for the learner)
        ok, text = False, f"{what} could not be checked ({type(error).__name__})."
    return _say(ok, text)


# ------------------------------------------------------------------ how answers are shown


def _number_text(value):
    """A number as a learner would write it: ``0.41``, not ``np.float64(0.41)``."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (numbers.Integral, np.integer)):
        return str(int(value))
    if isinstance(value, (numbers.Real, np.floating)):
        return f"{float(value):.6g}"
    if isinstance(value, (numbers.Complex, np.complexfloating)):
        value = complex(value)
        return f"{value.real:.6g}{value.imag:+.6g}j"
    return None


def _short(value, limit=40):
    """A one-line description of ``value`` for feedback, never a NumPy repr."""
    try:
        text = _number_text(value)
        if text is None and isinstance(value, (np.ndarray, list, tuple)):
            array = np.asarray(value)
            if array.dtype.kind in "biufc" or isinstance(value, np.ndarray):
                text = np.array2string(array, precision=4, separator=", ", threshold=6).replace("\n", "")
        if text is None:
            text = " ".join(repr(value).split())  # one line, whatever the repr
    except Exception:  # noqa: BLE001 (a repr may raise)
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _where(point):
    """``{"a": 0.41}`` as ``a = 0.41``."""
    return ", ".join(f"{name} = {value:.3g}" for name, value in point.items())


def _no_answer(name):
    """Feedback for the ``None`` every exercise cell starts with.

    Printed straight into a notebook's output (a Jupyter kernel's own
    stdout), it is shown as rich output marked ``bp-unanswered``, so that
    the website, where nobody has answered yet, can hide it, while a
    learner running the cell still reads it. Anywhere else, and whenever
    stdout is redirected (e.g. by a grader), it is printed.
    """
    text = f"{_NO}: no answer yet for {name}: replace None with your answer and run the cell again."
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    into_notebook = type(sys.stdout).__module__.startswith("ipykernel")
    if shell is None or not hasattr(shell, "kernel") or not into_notebook:
        print(text)
        return False
    from html import escape

    from IPython.display import display

    display({"text/plain": text, "text/html": f'<p class="bp-unanswered">{escape(text)}</p>'}, raw=True)
    return False


def _as_real(answer):
    """``(value, problem)``: a float, or ``None`` and a sentence saying why not.

    Tensor-like numbers (anything with ``item()`` or ``__float__``, e.g. a
    0-d PyTorch tensor) count as numbers.
    """
    if isinstance(answer, bool) or isinstance(answer, np.bool_):
        return None, "is True/False, not a number"
    if isinstance(answer, (str, bytes)):
        return None, f"is the text {_short(answer)}; give the number itself, without quotes"
    if isinstance(answer, (complex, np.complexfloating)) or (
        isinstance(answer, np.ndarray) and answer.dtype.kind == "c"
    ):
        return None, f"is the complex number {_short(answer)}; the answer is real"
    if isinstance(answer, (numbers.Real, np.integer, np.floating, decimal.Decimal, fractions.Fraction)):
        try:
            return float(answer), None
        except (OverflowError, ValueError, decimal.InvalidOperation):
            return None, "is too large to be a float"
    if isinstance(answer, sp.MatrixBase):
        return None, "is a matrix; one number is asked for"
    if isinstance(answer, sp.Basic):
        if not answer.is_number:
            return None, "is a formula with symbols in it; a number is asked for"
        if answer.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return None, "is not a finite number"
        try:
            value = complex(sp.N(answer, 30))
        except Exception:  # noqa: BLE001
            return None, "could not be evaluated to a number"
        if value.imag != 0:
            return None, f"is the complex number {_short(answer)}; the answer is real"
        return value.real, None
    if isinstance(answer, (np.ndarray, list, tuple)) or hasattr(answer, "__array__"):
        try:
            array = np.asarray(answer)
        except Exception:  # noqa: BLE001
            return None, "is not a number"
        if array.size != 1:
            return None, f"holds {array.size} values; one number is asked for"
        single = array.reshape(-1)[0]
        if array.dtype.kind == "O":
            return _as_real(single) if single is not answer else (None, "is not a number")
        if array.dtype.kind == "b":
            return None, "is True/False, not a number"
        if array.dtype.kind == "c":
            return None, f"is the complex number {_short(single)}; the answer is real"
        if array.dtype.kind not in "iuf":
            return None, f"holds {_short(single)}, not a number"
        return float(single), None
    item = getattr(answer, "item", None)
    if callable(item):  # a tensor-like scalar
        try:
            inner = item()
        except Exception:  # noqa: BLE001 (e.g. a tensor of several values)
            inner = answer
        if inner is not answer and not hasattr(inner, "item"):
            return _as_real(inner)
    if hasattr(type(answer), "__float__"):
        try:
            return float(answer), None
        except Exception:  # noqa: BLE001
            pass
    return None, f"is {type(answer).__name__} {_short(answer)}, not a number"


# ------------------------------------------------------------------ numbers: one grading rule


def _tolerance(expected, digits, rtol, atol):
    """How far an answer may be from ``expected``: half a unit in the last asked-for digit, or rtol/atol."""
    if digits is None:
        return atol + rtol * abs(expected)
    if expected == 0:
        return 0.5 * 10.0 ** (-digits)
    last = math.floor(math.log10(abs(expected))) - digits + 1  # exponent of the last significant digit
    return 0.5 * 10.0 ** last * (1 + 1e-9) + 1e-12 * abs(expected)


def precision_text(digits=None, integer=False):
    """How an exercise words the precision it asks for: ``"3 significant digits"``, ``"a whole number"``.

    Parameters
    ----------
    digits : int, optional
    integer : bool
        A count or another whole number, asked for exactly.

    Returns
    -------
    str
    """
    if integer:
        return "a whole number"
    if digits is None:
        return "to about 3 significant digits"
    return f"{digits} significant digit{'s' if digits != 1 else ''}"


_SIGN = ("the right size, but the wrong sign. A sign is easy to lose: y - y_hat and y_hat - y differ only in "
         "sign, and so do a step down a slope and a step up it. Follow each minus sign through your steps")
_COUNT_SIGN = "the right size, but the wrong sign: a count is never negative"
_DOUBLE = ("twice the answer. A factor 2 crept in: the derivative of a square brings a 2 down, but a "
           "half-squared loss cancels it, and a term counted twice doubles too. Check where each 2 comes from")
_HALF = ("half the answer. A factor 2 went missing: the derivative of a square (y - y_hat)**2 is "
         "2 (y - y_hat) times the inner derivative, and that 2 is easy to drop")
_CLOSE = ("close, but not right to {precision}. Rounding in the middle of a calculation moves the last "
          "digits: keep every digit until the end, then round once")
_NOT_INTEGER = ("not a whole number, and {name} is a count: only whole numbers are accepted. Count the items "
                "one by one; a fraction means something was averaged or scaled on the way")
_NOT_FINITE = "not a finite number. Look for a division by zero or an overflow on the way"
_OTHER = ("not what we get, and not one of the mistakes we know. Go through the steps again and check each "
          "intermediate number")


def number_bands(expected, *, digits=None, integer=False, rtol=1e-3, atol=1e-6, mistakes=None):
    """The accepted intervals of a number exercise: the right answer's, then one per named mistake.

    This is the one grading rule of numbers: :func:`check_number` and the
    website's answer boxes both take the first band that holds the answer.
    Each named mistake is matched with its own tolerance (a doubled answer
    with the doubled value's), so no band depends on the right answer's size.

    Parameters
    ----------
    expected : float
        The right answer.
    digits : int, optional
        Significant digits asked for: a band is half a unit of the last of
        them wide on either side. Without ``digits``, ``rtol`` and ``atol``.
    integer : bool
        The answer is a count (or another whole number) and is asked for
        exactly: each band holds one integer.
    rtol, atol : float
        Tolerances when ``digits`` is not given.
    mistakes : dict, optional
        ``{"what went wrong, and why": wrong_value}``, in the order they
        are tried. A wrong sign, a factor of 2 either way and, with
        ``digits``, a near miss are added after them.

    Returns
    -------
    list of dict
        ``{"rule": str, "low": float, "high": float, "text": str}``, in the
        order they are tried; ``rule`` is ``"right"`` for the first.
    """
    # Values and edges are rounded (to 5 and 7 digits beyond those asked for): the processor's last bits,
    # which differ between machines, stay out of the saved page, and the kernel uses the same numbers.
    kept = (digits or 10) + 5

    def rounded(value, extra=0):
        return float(f"{float(value):.{kept + extra}g}")

    expected = rounded(expected)

    def band(rule, centre, text):
        centre = rounded(centre)
        if integer:
            if not centre.is_integer():
                return None
            return {"rule": rule, "low": centre, "high": centre, "text": text}
        width = _tolerance(centre, digits, rtol, atol)
        return {"rule": rule, "low": rounded(centre - width, 2), "high": rounded(centre + width, 2), "text": text}

    bands = [band("right", expected, "")]
    for k, (text, wrong) in enumerate((mistakes or {}).items()):
        bands.append(band(f"mistake-{k}", wrong, text))
    if expected != 0 and integer:  # a count's other typical mistakes are its own, named by the exercise
        bands.append(band("sign", -expected, _COUNT_SIGN))
    elif expected != 0:
        bands += [band("sign", -expected, _SIGN), band("double", 2 * expected, _DOUBLE),
                  band("half", expected / 2, _HALF)]
    if digits is not None and digits > 1 and not integer:
        coarse = band("close", expected, "")
        coarse["low"] = rounded(expected - _tolerance(expected, digits - 1, rtol, atol), 2)
        coarse["high"] = rounded(expected + _tolerance(expected, digits - 1, rtol, atol), 2)
        coarse["text"] = _CLOSE.format(precision=precision_text(digits))
        bands.append(coarse)
    return [b for b in bands if b is not None and math.isfinite(b["low"]) and math.isfinite(b["high"])]


def number_message(rule, text, name, shown):
    """The feedback line of a number answer, without the leading verdict word.

    Parameters
    ----------
    rule : str
        The band's rule (``"right"`` for a right answer), or ``"other"``.
    text : str
        The band's explanation.
    name : str
        How the exercise calls the answer.
    shown : str
        The answer as the learner sees it.

    Returns
    -------
    str
    """
    if rule == "right":
        return f"{name} = {shown}."
    return f"{name} = {shown}: {text}."


def number_otherwise(name, integer=False):
    """The messages of a number that no band holds, tried in this order.

    Parameters
    ----------
    name : str
        How the exercise calls the answer.
    integer : bool
        Whether the answer is a count.

    Returns
    -------
    dict
        ``{"not-finite": text, "not-integer": text or None, "other": text}``.
    """
    return {"not-finite": _NOT_FINITE, "not-integer": _NOT_INTEGER.format(name=name) if integer else None,
            "other": _OTHER}


def _grade_number(value, bands, otherwise):
    """``(rule, text)`` for ``value``: not finite, else the first band that holds it, else why not."""
    if not math.isfinite(value):
        return "not-finite", otherwise["not-finite"]
    for band in bands:
        if band["low"] <= value <= band["high"]:
            return band["rule"], band["text"]
    if otherwise["not-integer"] and not float(value).is_integer():
        return "not-integer", otherwise["not-integer"]
    return "other", otherwise["other"]


def check_number(answer, expected, *, name="your answer", digits=None, integer=False, rtol=1e-3, atol=1e-6,
                 mistakes=None):
    """Compare a number with ``expected``, by the bands of :func:`number_bands`.

    Parameters
    ----------
    answer : any
        What the learner gave. Floats, ints, NumPy scalars, one-element
        arrays, ``Decimal``, ``Fraction``, numeric SymPy expressions and
        tensor-like scalars (with ``item()`` or ``__float__``) count as
        numbers; ``True``/``False`` and text do not. Anything else is
        explained, never raised on.
    expected : float
    name : str
        How the feedback calls the answer.
    digits : int, optional
        Significant digits the exercise asks for: the answer is right when it
        is within half a unit of the last of them (more digits are fine).
        Without ``digits``, ``rtol`` and ``atol`` decide.
    integer : bool
        A count: only whole numbers are accepted, exactly.
    rtol, atol : float
        Tolerances when ``digits`` is not given.
    mistakes : dict, optional
        ``{"what went wrong, and why": wrong_value}`` for typical mistakes of
        this exercise; an answer matching one is told which mistake it looks
        like. A wrong sign and a factor of 2 are always recognised.

    Returns
    -------
    bool
    """
    if answer is None:
        return _no_answer(name)

    def judge():
        value, problem = _as_real(answer)
        if value is None:
            return False, f"{name} {problem}."
        bands = number_bands(expected, digits=digits, integer=integer, rtol=rtol, atol=atol, mistakes=mistakes)
        rule, text = _grade_number(value, bands, number_otherwise(name, integer))
        return rule == "right", number_message(rule, text, name, _number_text(value))

    return _checked(name, judge)


# ------------------------------------------------------------------ arrays


def _as_real_array(answer):
    """A float array, or ``None``: NumPy arrays, nested lists, SymPy matrices, tensor-likes."""
    if isinstance(answer, sp.MatrixBase):
        if answer.free_symbols:
            return None
        answer = [[complex(sp.N(entry)) for entry in row] for row in answer.tolist()]
    raw = np.asarray(answer)
    if raw.dtype.kind == "O":  # e.g. SymPy numbers in a list
        flat = [_as_real(entry)[0] for entry in raw.reshape(-1)]
        if any(entry is None for entry in flat):
            return None
        return np.array(flat, dtype=float).reshape(raw.shape)
    if raw.dtype.kind == "c":
        if np.any(raw.imag != 0):
            return None
        raw = raw.real
    if raw.dtype.kind not in "biuf":
        return None
    return raw.astype(float)


def check_array(answer, expected, *, name="your array", rtol=1e-3, atol=1e-6):
    """Compare an array with ``expected``: shape first, then values.

    Parameters
    ----------
    answer : any
        A NumPy array, nested lists, a SymPy ``Matrix`` of numbers or a
        tensor-like with ``__array__``.
    expected : array_like
    name : str
        How the feedback calls the answer; write it so that "has shape"
        follows it ("your array H").
    rtol, atol : float
        Tolerances of ``np.allclose``.

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    if answer is None:
        return _no_answer(name)
    expected = np.asarray(expected, dtype=float)
    shape = "×".join(map(str, expected.shape))

    def judge():
        if isinstance(answer, (str, bytes)):
            return False, f"{name} is text; give an array of numbers ({shape}), not in quotes."
        try:
            value = _as_real_array(answer)
        except Exception:  # noqa: BLE001
            value = None
        if value is None:
            return False, f"{name} should hold real numbers only, {shape} of them."
        if value.shape != expected.shape:
            if value.ndim == 2 and value.T.shape == expected.shape and np.allclose(value.T, expected, rtol=rtol,
                                                                                   atol=atol):
                return False, (f"{name} is the transpose of the answer: rows and columns are swapped. The "
                               f"course puts one sample per row, so a matrix product's order decides the shape.")
            got = "×".join(map(str, value.shape)) or "a single number"
            return False, (f"{name} has shape {got}, but {shape} is asked for: one row per sample, one column "
                           f"per unit. Check which matrix multiplies which, and how many samples you used.")
        if not np.all(np.isfinite(value)):
            return False, f"{name} contains NaN or inf: look for a division by zero or an overflow."
        if np.allclose(value, expected, rtol=rtol, atol=atol):
            return True, f"{name} has the right shape and values."
        if np.allclose(value, -expected, rtol=rtol, atol=atol):
            return False, f"{name} has the wrong sign everywhere: follow each minus sign through your steps."
        wrong = int(np.count_nonzero(~np.isclose(value, expected, rtol=rtol, atol=atol)))
        differ = "differs" if wrong == 1 else "differ"
        return False, (f"{name} has the right shape, but {wrong} of {value.size} entries {differ} from the answer: "
                       f"compute one entry by hand and compare.")

    return _checked(name, judge)


# ------------------------------------------------------------------ expressions


def _sample_points(symbols, samples, seed, box):
    """Where two expressions are compared: the same special values for every symbol, then random points.

    Small and large values both matter: an expression can agree near 0 and
    differ only far out, e.g. where an exponential takes over.
    """
    special = [0.0, 0.5, -0.5, 1.0, -1.0, 3.0, -3.0, box, -box]
    points = [[v] * len(symbols) for v in special]
    rng = np.random.default_rng(seed)
    for k in range(samples):
        scale = box if k % 2 == 0 else 1.0  # wide and near the origin, alternately
        points.append([float(v) for v in rng.uniform(-scale, scale, len(symbols))])
    return points


def _evaluate(expression, symbols, point):
    """``expression`` at ``point``, exactly substituted and evaluated to 30 digits; ``None`` if undefined."""
    exact = {s: sp.Rational(v) for s, v in zip(symbols, point)}
    value = expression.xreplace(exact).evalf(30)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_number:
        return None
    try:
        return complex(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _agree(a, e):
    return abs(a - e) <= 1e-10 * max(abs(a), abs(e)) + 1e-25


def check_expression(answer, expected, *, name="your expression", samples=24, seed=0, box=10.0):
    """Compare a SymPy expression with ``expected``.

    Symbols are matched by name, whatever their assumptions (``Symbol("a")``
    and ``Symbol("a", real=True)`` are the same letter to a learner). The two
    expressions are evaluated to 30 digits at the special values 0, ±0.5, ±1,
    ±3 and ±``box`` and at ``samples`` seeded random points, alternately in
    ``[-box, box]`` and in ``[-1, 1]``; exact evaluation cannot overflow.
    This is robust where ``simplify`` is slow or undecided. Strings are not
    accepted (they would have to be evaluated), nor functions SymPy knows
    only by name (``Function("sigmoid")(z)``): their values are unknown.

    Parameters
    ----------
    answer : any
    expected : sympy.Expr
    name : str
    samples : int
        Random points, beyond the special values.
    seed : int
    box : float
        The largest absolute value tried.

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    if answer is None:
        return _no_answer(name)

    def judge():
        given = answer
        if isinstance(given, str):
            return False, f"{name} is text; write it with SymPy symbols, e.g. a*(1 - a), not in quotes."
        if isinstance(given, sp.MatrixBase):
            return False, f"{name} is a matrix; one expression is asked for."
        if not isinstance(given, sp.Basic):
            value, problem = _as_real(given)
            if value is None:
                return False, f"{name} {problem}; a SymPy expression is asked for."
            given = sp.Float(value)
        if not isinstance(given, sp.Expr):
            return False, f"{name} is a {type(given).__name__}, not an expression."
        given = given.doit()  # an unevaluated Derivative(...) becomes its value
        unknown = sorted({str(f.func) for f in given.atoms(AppliedUndef)})
        if unknown:
            return False, (f"{name} uses {', '.join(unknown)}, a function SymPy knows only by its name, so its "
                           f"values are unknown. Write it out with exp, log and arithmetic, "
                           f"e.g. 1/(1 + exp(-z)) for the sigmoid.")
        by_name = {str(s): s for s in expected.free_symbols}
        extra = sorted(str(s) for s in given.free_symbols if str(s) not in by_name)
        if extra:
            return False, (f"{name} contains {', '.join(extra)}, which the answer does not depend on; "
                           f"use {', '.join(sorted(by_name))}.")
        given = given.xreplace({s: by_name[str(s)] for s in given.free_symbols})
        if given.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return False, f"{name} is not finite."
        free = sorted(expected.free_symbols, key=str)
        relations, first_miss = set(), None
        for point in _sample_points(free, samples, seed, box):
            e = _evaluate(expected, free, point)
            if e is None:
                continue  # the answer is undefined here too, or it does not matter
            a = _evaluate(given, free, point)
            where = _where(dict(zip(map(str, free), point)))
            if a is None:
                return False, f"{name} is undefined at {where}, where the answer has a value."
            if _agree(a, e) and _agree(a, -e):
                continue  # both are 0 here: this point tells nothing about a sign or a factor
            relation = next((r for r, f in (("same", 1), ("sign", -1), ("double", 2), ("half", 0.5))
                             if _agree(a, f * e)), "other")
            relations.add(relation)
            if relation != "same" and first_miss is None:
                first_miss = where
        if first_miss is None:
            return True, f"{name} agrees with the answer."
        if relations == {"sign"}:
            return False, (f"{name} has the wrong sign everywhere. Follow each minus sign: y - y_hat and "
                           f"y_hat - y differ only in sign.")
        if relations == {"double"}:
            return False, f"{name} is twice the answer everywhere: check where each factor 2 comes from."
        if relations == {"half"}:
            return False, (f"{name} is half the answer everywhere: a factor 2, e.g. from the derivative of a "
                           f"square, is missing.")
        return False, f"{name} differs from the answer, e.g. at {first_miss}."

    return _checked(name, judge)


# ------------------------------------------------------------------ functions


def check_function(answer, expected, inputs, *, name="your function", rtol=1e-9, atol=1e-12):
    """Compare a Python function of one number with ``expected`` on each of ``inputs``.

    ``inputs`` should hold boundary points (a kink, zero) as well as random
    ones. The learner's function must return a real number at each; a
    string, ``None``, an exception or a call that runs out of time is named
    in the feedback, and the right value is never shown. ``True`` and
    ``False`` count as 1 and 0 here, as they do in Python arithmetic: a
    slope written ``z > 0`` is a right step function.

    Parameters
    ----------
    answer : any
    expected : callable float -> float
    inputs : sequence of float
    name : str
    rtol, atol : float

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    if answer is None:
        return _no_answer(name)
    if not callable(answer):
        return _say(False, f"{name} should be a function, but it is {_short(type(answer).__name__)}.")

    def judge():
        for x in inputs:
            shown = f"{name}({_number_text(x)})"
            try:
                with np.errstate(all="ignore"):
                    got = answer(x)
            except _TooSlow:
                raise
            except Exception as error:  # noqa: BLE001 (the learner's code may raise anything)
                return False, f"{shown} raised {type(error).__name__}: {_short(str(error), 80)}"
            if got is None:
                return False, f"{shown} returned None: write the function's body so that it returns a number."
            if isinstance(got, (bool, np.bool_)):
                got = float(got)
            value, problem = _as_real(got)
            if value is None:
                return False, f"{shown} returned {_short(got)}, which {problem}."
            want = float(expected(x))
            if not abs(value - want) <= atol + rtol * abs(want):
                return False, (f"{shown} = {_number_text(value)} is not right. Work out by hand what it should "
                               f"be at this input, then compare with what your code does there.")
        return True, f"{name} agrees on all {len(inputs)} test inputs."

    return _checked(name, judge)


# ------------------------------------------------------------------ choices


def check_choice(answer, expected, options, *, name="your answer", hints=None):
    """Compare a choice among named ``options`` (case and surrounding spaces ignored).

    Parameters
    ----------
    answer : any
    expected : str
        One of ``options``.
    options : sequence of str
    name : str
    hints : dict, optional
        ``{"wrong option": "why it is tempting, why it is wrong, what to look at"}``.

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    if answer is None:
        return _no_answer(name)

    def judge():
        listed = ", ".join(f'"{option}"' for option in options)
        if not isinstance(answer, str):
            return False, f"{name} should be one of {listed}, as text in quotes; got {_short(answer)}."
        chosen = {option.lower(): option for option in options}.get(answer.strip().lower())
        if chosen is None:
            return False, f"{_short(answer)} is not one of the options {listed}."
        if chosen == expected:
            return True, f"{chosen} is right."
        hint = (hints or {}).get(chosen, "look at the numbers again")
        return False, f"{chosen} is not right: {hint}."

    return _checked(name, judge)
