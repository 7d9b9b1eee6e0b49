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

Code exercises are checked by running the learner's function:
:func:`check_gradients` compares a backward pass with a reference, parameter
by parameter, and :func:`check_value_op` tries a new operation of
:class:`bpcourse.autograd.Value` in random graphs. Their feedback names the
mistake (a sign, a factor, a transpose, a missing sum, ``=`` for ``+=``, ...)
and never shows a right number.

Chapters call :func:`bpcourse.check` with an exercise's label (see
:mod:`bpcourse.exercises`), which computes the right answer with the package
and passes both to the checker that exercise holds.
"""

from __future__ import annotations

import copy
import ctypes
import decimal
import dis
import fractions
import math
import numbers
import sys
import threading
import types
from collections.abc import Mapping

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef

__all__ = ["check_number", "check_array", "check_expression", "check_function", "check_choice",
           "check_gradients", "check_value_op", "unanswered", "number_bands", "number_message", "number_otherwise", "precision_text", "TIME_LIMIT"]

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


def _no_answer(name, todo="replace None with your answer"):
    """Feedback for the ``None`` every exercise cell starts with (or a code exercise's empty skeleton).

    Printed straight into a notebook's output (a Jupyter kernel's own
    stdout), it is shown as rich output marked ``bp-unanswered``, so that
    the website, where nobody has answered yet, can hide it, while a
    learner running the cell still reads it. Anywhere else, and whenever
    stdout is redirected (e.g. by a grader), it is printed.
    """
    text = f"{_NO}: no answer yet for {name}: {todo} and run the cell again."
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
                return False, (f"{name} is the transpose of the answer: rows and columns are swapped. Read "
                               f"again which layout the exercise asks for; a matrix product's order decides "
                               f"the shape.")
            got = "×".join(map(str, value.shape)) or "a single number"
            return False, (f"{name} has shape {got}, but {shape} is asked for. Read again what the rows and "
                           f"the columns stand for, check which matrix multiplies which, and how many samples "
                           f"you used.")
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


def check_expression(answer, expected, *, name="your expression", samples=24, seed=0, box=10.0, mistakes=None):
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
    mistakes : dict, optional
        ``{"what went wrong, and why": wrong_expression}``: an answer that
        agrees with a wrong expression at every point tried gets that
        explanation.

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    if answer is None:
        return _no_answer(name)

    def agrees_everywhere(given, target, free):
        """Whether ``given`` equals ``target`` at every point tried where ``target`` has a value."""
        for point in _sample_points(free, samples, seed, box):
            t = _evaluate(target, free, point)
            if t is None:
                continue
            a = _evaluate(given, free, point)
            if a is None or not _agree(a, t):
                return False
        return True

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
        for text, wrong in (mistakes or {}).items():  # the exercise's own mistakes come first
            if agrees_everywhere(given, wrong.xreplace({s: by_name.get(str(s), s) for s in wrong.free_symbols}),
                                 free):
                return False, f"{name} {text}."
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


# ------------------------------------------------------------------ code exercises: a skeleton not yet filled in


def _skeleton():
    ...


def _instructions(function):
    """What ``function`` does, as (operation, argument) pairs, without the interpreter's bookkeeping."""
    return [(step.opname, step.argval) for step in dis.get_instructions(function)
            if step.opname not in ("RESUME", "NOP", "CACHE")]


_EMPTY_BODY = _instructions(_skeleton)
_WRITE_THE_BODY = "write the function's body in place of ..."


def unanswered(answer):
    """Whether ``answer`` is an exercise's untouched starting point.

    That is ``None``, ``...``, or a function whose body does nothing (``...``,
    ``pass``, a docstring alone): a chapter's saved check cell runs with the
    code exercise's skeleton, and the learner should be told that the
    exercise is still to do, not given a verdict.

    Parameters
    ----------
    answer : any

    Returns
    -------
    bool
    """
    if answer is None or answer is Ellipsis:
        return True
    if not isinstance(answer, types.FunctionType):
        return False
    try:
        return _instructions(answer) == _EMPTY_BODY
    except Exception:  # noqa: BLE001 (a function we cannot disassemble is an answer)
        return False


def _names(names):
    """``["W1", "b1", "W2"]`` as ``W1, b1 and W2``."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _message(error):
    """An exception's message on one line, at most 80 characters."""
    text = " ".join(str(error).split()) or "no message"
    return text if len(text) <= 80 else text[:77] + "..."


def _shape_text(shape):
    return "×".join(map(str, shape)) or "a single number"


# ------------------------------------------------------------------ code exercises: a backward pass


def _as_gradient(value):
    """A learner's gradient as a float array, or ``None``: floats, 0-d arrays, (nested) lists, SymPy numbers."""
    if value is None or isinstance(value, (str, bytes, bool, np.bool_, Mapping)):
        return None
    try:
        return _as_real_array(value)
    except Exception:  # noqa: BLE001 (anything a learner may put in the dict)
        return None


def _same_shape(got, want):
    """Whether ``got`` has ``want``'s shape, up to axes of length 1 (a bias's gradient as (3,) or (1, 3))."""
    return got.size == want.size and [d for d in got.shape if d != 1] == [d for d in want.shape if d != 1]


def _data_points(case):
    """``(n, positions)``: how many data points ``case`` holds, and which arguments hold one row per point.

    By the course's convention the data come last (``backward(W1, b1, W2, b2,
    X, y)``): the last NumPy array among the arguments has one row per
    point, and so has every array argument of that length. ``(0, ())`` when
    there is no such array or it has a single row.
    """
    arrays = [k for k, argument in enumerate(case) if isinstance(argument, np.ndarray) and argument.ndim >= 1]
    if not arrays or len(case[arrays[-1]]) < 2:
        return 0, ()
    n = len(case[arrays[-1]])
    return n, tuple(k for k in arrays if len(case[k]) == n)


def _gradients_of(function, case):
    """``function(*case)``, called on a deep copy of ``case``, as ``{name: float array}``."""
    with np.errstate(all="ignore"):
        result = function(*copy.deepcopy(case))
    return {str(key): np.asarray(value, dtype=float) for key, value in result.items()}


def _prepare_gradients(reference, cases, mistakes):
    """For each case: its arguments, the right gradients, each point's own gradients, each named mistake's."""
    prepared = []
    for case in cases:
        case = tuple(case)
        n, rows = _data_points(case)
        points = []
        for i in range(n):
            one = tuple(argument[i:i + 1] if k in rows else argument for k, argument in enumerate(case))
            try:
                points.append(_gradients_of(reference, one))
            except Exception:  # noqa: BLE001 (the reference may not take a single point: then no such hint)
                points = []
                break
        wrong = {text: _gradients_of(function, case) for text, function in (mistakes or {}).items()}
        prepared.append({"case": case, "right": _gradients_of(reference, case), "n": n, "points": points,
                         "mistakes": wrong})
    return prepared


_GRADIENT_SIGN = ("has the wrong sign: every entry is the right one times -1. The loss's derivative by the "
                  "prediction is y_hat - y, not y - y_hat, and a minus sign is easy to lose on the way: follow "
                  "each one through your steps")
_GRADIENT_TWICE = ("is twice the right gradient. A factor 2 crept in: a half-squared loss cancels the 2 that "
                   "the square's derivative brings down, and a term counted twice doubles too: check where "
                   "each 2 comes from")
_GRADIENT_HALF = ("is half the right gradient. A factor 2 went missing: the derivative of a square (y_hat - y)**2 "
                  "brings down a 2, which only a half-squared loss cancels")
_GRADIENT_TIMES_N = ("is the number of points times the right gradient: the loss averages over the points, so "
                     "its gradient divides the sum of the points' terms by their number")
_GRADIENT_MEAN = ("is the right gradient divided by the number of points: it averages the points' terms where "
                  "the loss adds them up. Drop the division by the number of points (a .mean() where a .sum() "
                  "belongs)")
_GRADIENT_ONE_POINT = ("is one data point's term alone: the loss adds up the terms of all the points, and so "
                       "does its gradient. Use every row of the data, not only one")
_GRADIENT_VARYING = ("is proportional to the right gradient, but by a factor that changes from test case to test "
                     "case: look for a quantity of the data (the number of points, a sum or a mean of the data) "
                     "multiplied in or divided out where it does not belong")
_GRADIENT_TRANSPOSED = ("is the transpose of the right gradient: rows and columns are swapped. A weight's "
                        "gradient has the weight's shape: for z = a @ W it is a.T @ delta, not delta.T @ a")


def _factor_text(factors):
    """The feedback for a gradient that is ``k`` times the right one in each case (``factors`` = [(k, n)])."""
    def everywhere(target):
        return all(math.isclose(k, target(n), rel_tol=1e-6) for k, n in factors)

    for target, text in ((lambda n: -1.0, _GRADIENT_SIGN), (lambda n: 2.0, _GRADIENT_TWICE),
                         (lambda n: 0.5, _GRADIENT_HALF)):
        if everywhere(target):
            return text
    if all(n for _, n in factors):
        if everywhere(lambda n: float(n)):
            return _GRADIENT_TIMES_N
        if everywhere(lambda n: 1.0 / n):
            return _GRADIENT_MEAN
    first = factors[0][0]
    if all(math.isclose(k, first, rel_tol=1e-6) for k, _ in factors):
        return (f"is the right gradient times the same factor ({first:.3g}) in every test case: the formula "
                f"has the right shape, but a constant is wrong. Check every constant factor of your formula "
                f"(a 2 from a square, a learning rate, a number of points)")
    return _GRADIENT_VARYING


def _shape_problem(parameter, got, want, n, close):
    """The feedback for a gradient of the wrong shape."""
    if n and got.ndim >= 1 and len(got) == n and got.size == n * want.size and not _same_shape(got, want):
        summed = close(got.sum(axis=0).reshape(want.shape), want)
        return (f"has one row per data point (shape {_shape_text(got.shape)}), but a gradient has its parameter's "
                f"shape ({_shape_text(want.shape)} for {parameter}): the sum over the points is missing"
                + (" (added up, the rows give the right gradient)" if summed else "")
                + ". Add the points' rows up (.sum(axis=0)), or let a matrix product such as a.T @ delta do it")
    if got.ndim == 2 and _same_shape(got.T, want):
        if close(got.T.reshape(want.shape), want):
            return _GRADIENT_TRANSPOSED
        return (f"has the transposed shape, {_shape_text(got.shape)}, but a gradient has its parameter's shape "
                f"({_shape_text(want.shape)} for {parameter}). For z = a @ W it is a.T @ delta")
    return (f"has shape {_shape_text(got.shape)}, but a gradient has its parameter's shape "
            f"({_shape_text(want.shape)} for {parameter}): check which array multiplies which, and over which axis "
            f"you sum")


def _as_shaped(value, want):
    """``value`` reshaped to ``want``'s shape, or ``None`` if it has another shape (up to axes of length 1)."""
    return value.reshape(want.shape) if value is not None and _same_shape(value, want) else None


def _named_mistake(parameter, pairs, close):
    """The text of the exercise's own mistake that the learner's gradients match in every case, or ``None``.

    A mistake counts for this parameter only where its gradient differs from
    the right one: a planted mistake in W1 does not blame a right b2.
    """
    for text in pairs[0][2]["mistakes"]:
        wrongs = [_as_shaped(item["mistakes"][text].get(parameter), want) for _, want, item in pairs]
        if any(wrong is None for wrong in wrongs):
            continue
        differs = not all(close(wrong, want) for wrong, (_, want, _) in zip(wrongs, pairs))
        if differs and all(close(got, wrong) for wrong, (got, _, _) in zip(wrongs, pairs)):
            return text
    return None


def _factors(pairs, close):
    """``[(k, n)]`` if the learner's gradient is ``k`` times the right one in each case (n points), else ``[]``."""
    factors = []
    for got, want, item in pairs:
        norm = float(np.sum(want * want))
        k = float(np.sum(got * want)) / norm if norm > 0 else math.nan  # the least-squares factor
        if not (math.isfinite(k) and close(got, k * want)):
            return []
        factors.append((k, item["n"]))
    return factors


def _one_point_alone(parameter, pairs, close):
    """Whether, in every case, the learner's gradient is the right gradient of one data point alone."""
    def one_of_the_points(got, want, item):
        return any(close(got, alone) for alone in (_as_shaped(point.get(parameter), want)
                                                   for point in item["points"]) if alone is not None)

    return all(item["points"] and one_of_the_points(got, want, item) for got, want, item in pairs)


def _gradient_problem(parameter, given, prepared, rtol, atol):
    """What is wrong with the learner's gradient of ``parameter`` (one per test case), or ``None``."""
    def close(a, b):
        return a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))

    pairs = []  # (the learner's gradient, the right one, the case) for every case
    for number, (value, item) in enumerate(zip(given, prepared), 1):
        want = item["right"][parameter]
        got = _as_gradient(value)
        if got is None:
            return f"is {_short(value)}, not a number or an array of numbers"
        if not np.all(np.isfinite(got)):
            return (f"contains NaN or inf (test case {number}): look for an overflow (exp of a large number) or a "
                    f"division by zero")
        if not _same_shape(got, want):
            return _shape_problem(parameter, got, want, item["n"], close)
        pairs.append((got.reshape(want.shape), want, item))
    if all(close(got, want) for got, want, _ in pairs):
        return None
    named = _named_mistake(parameter, pairs, close)  # the exercise's own mistakes come first
    if named:
        return named
    factors = _factors(pairs, close)
    # A one-entry gradient is always some multiple of the right one: only a factor that is the same in
    # every case (or the number of points) says something about it.
    single = all(want.size == 1 for _, want, _ in pairs)
    if factors and not (single and _factor_text(factors) is _GRADIENT_VARYING):
        return _factor_text(factors)
    if all(got.ndim == 2 and got.shape[0] == got.shape[1] and close(got.T, want) for got, want, _ in pairs):
        return _GRADIENT_TRANSPOSED
    if _one_point_alone(parameter, pairs, close):
        return _GRADIENT_ONE_POINT
    number, got, want = next((number, got, want) for number, (got, want, _) in enumerate(pairs, 1)
                             if not close(got, want))
    wrong = int(np.count_nonzero(~np.isclose(got, want, rtol=rtol, atol=atol)))
    entries = "its only entry differs" if got.size == 1 else f"{wrong} of its {got.size} entries differ"
    return (f"is not right ({entries} from the right gradient in test case {number}), and it is not one of the "
            f"mistakes we know. Compare it with a finite difference (nudge {parameter} by a small eps, see how "
            f"much the loss changes, divide by eps), then check the step of your backward pass that produces it")


def check_gradients(answer, reference, cases, *, name="your backward pass", rtol=1e-6, atol=1e-9, mistakes=None):
    """Compare a learner's backward pass with ``reference``, parameter by parameter, on every test case.

    The feedback names each wrong parameter and how it is wrong, and never
    shows a right number: the sign flipped; off by a constant factor (2, 1/2,
    the number of points or its inverse); transposed; the sum over the points
    missing (one row per point, or one point's term alone); the wrong shape;
    not finite; a parameter missing or a name that is not a parameter. A
    gradient may be a float, a 0-d or n-d array, a nested list or SymPy
    numbers; its shape must be the parameter's, up to axes of length 1.

    Each case's arguments are deep-copied before every call, so a function
    that changes its inputs is harmless. The learner's function runs under
    :data:`TIME_LIMIT`; its exceptions are reported in plain words.

    To tell "one point's term alone", the checker finds the data in a case:
    by the course's convention the data come last, and every NumPy array
    argument with as many rows as the last one holds one row per point (use
    more than 2 points, so that "the number of points" and "2" differ).

    Parameters
    ----------
    answer : callable
        The learner's function, e.g. ``backward(W1, b1, W2, b2, X, y)``,
        returning ``{parameter name: gradient}``.
    reference : callable
        The right backward pass, with the same signature, returning
        ``{parameter name: float or ndarray}``.
    cases : sequence of tuple
        The arguments of each test case.
    name : str
        How the feedback calls the learner's function.
    rtol, atol : float
        Tolerances of ``np.allclose``.
    mistakes : dict, optional
        ``{"what went wrong, and why": wrong_function}``: functions with the
        reference's signature that make a typical mistake of this exercise;
        a parameter whose gradient matches one (where it differs from the
        right one) is told that mistake.

    Returns
    -------
    bool
        ``True`` when every parameter's gradient is right on every case; the
        feedback is printed.
    """
    if unanswered(answer):
        return _no_answer(name, _WRITE_THE_BODY)
    if not callable(answer):
        return _say(False, f"{name} should be a function that returns a dict of gradients; it is "
                           f"{type(answer).__name__} {_short(answer)}.")
    try:
        prepared = _prepare_gradients(reference, cases, mistakes)
    except Exception as error:  # noqa: BLE001 (an exercise's own fault: say so, do not blame the learner)
        return _say(False, f"{name} could not be checked: the exercise's reference failed ({type(error).__name__}).")
    if not prepared:
        return _say(False, f"{name} could not be checked: the exercise has no test case.")
    parameters = list(prepared[0]["right"])
    listed = _names(parameters)

    def judge():
        given = []
        for number, item in enumerate(prepared, 1):
            try:
                with np.errstate(all="ignore"):
                    got = answer(*copy.deepcopy(item["case"]))
            except _TooSlow:
                raise
            except Exception as error:  # noqa: BLE001 (the learner's code may raise anything)
                return False, (f"{name} raised {type(error).__name__} ({_message(error)}) on test case "
                               f"{number}. Read the message and the line it points to, and run your function "
                               f"on the exercise's data in a cell of its own.")
            if got is None:
                return False, (f"{name} returned None: end it with return {{...}}, a dict with one gradient per "
                               f"parameter ({listed}).")
            if not isinstance(got, Mapping):
                return False, (f"{name} returned a {type(got).__name__}, not a dict: return a dict with one "
                               f"gradient per parameter, keyed by name: {listed}.")
            given.append({str(key): value for key, value in got.items()})
        problems = []
        for parameter in parameters:
            if any(parameter not in answers for answers in given):
                problems.append(f"the gradient of {parameter} is missing: add it under the key {parameter!r}")
        for unknown in sorted({key for answers in given for key in answers} - set(parameters)):
            problems.append(f"{_short(unknown)} is not a parameter of this exercise (they are {listed}): check "
                            f"the spelling of the key")
        for parameter in parameters:
            if all(parameter in answers for answers in given):
                problem = _gradient_problem(parameter, [answers[parameter] for answers in given], prepared,
                                            rtol, atol)
                if problem:
                    problems.append(f"the gradient of {parameter} {problem}")
        if not problems:
            cases_text = "the test case" if len(prepared) == 1 else f"all {len(prepared)} test cases"
            return True, f"{name} gives the right gradient of {listed} on {cases_text}."
        if len(problems) == 1:
            return False, f"{name}: {problems[0]}."
        return False, f"{name} has {len(problems)} problems:\n" + "\n".join(f"- {problem}." for problem in problems)

    return _checked(name, judge)


# ------------------------------------------------------------------ code exercises: an operation of Value


def _near(got, want):
    return abs(got - want) <= 1e-6 * abs(want) + 1e-9


_ASSIGNED = ("the input's grad is assigned (=) instead of accumulated (+=). Alone, the operation looks right, "
             "because every grad starts at 0; but when a value is used more than once, each use adds its share, "
             "and = throws away what the other uses put there. Write self.grad += ... in _backward")
_NOT_MULTIPLIED = ("the incoming gradient out.grad is not multiplied in. Alone, the operation looks right, "
                   "because there out.grad is 1; inside a larger expression the input must receive the local "
                   "derivative times out.grad (the chain rule)")


def _graphs(function, derivative, Value, t, a, b, w):
    """The expressions in which the learner's operation is tried at ``t``, with their right values.

    Each item is ``(description, build, expected, wrong)``: ``build(op)``
    makes the leaves and the output with the learner's operation ``op``;
    ``expected(leaves)`` gives the output's value and each leaf's gradient,
    from ``function`` and ``derivative`` by the chain rule written out by hand
    (not by the engine); ``wrong`` is ``None`` or ``(text, alternatives)``:
    the mistake only this graph shows, and ``alternatives(leaves)``, the
    leaves' gradients it would give (a list: where the order of the engine's
    steps decides, one per order).
    """
    f, df = function, derivative

    def inside(op):
        x0 = 0.5 + abs(w) / 4  # u = x0 * w + c has the value t
        x, weight, scale = Value(x0), Value(w), Value(a)
        u = x * weight + (t - x0 * w)
        return {"x": x, "w": weight, "a": scale, "u": u}, op(u) * scale + b

    def inside_right(leaves):
        u = leaves["u"].data
        return a * f(u) + b, {"x": a * df(u) * w, "w": a * df(u) * leaves["x"].data, "a": f(u)}

    def inside_not_multiplied(leaves):  # the input gets the local derivative alone, without out.grad = a
        u = leaves["u"].data
        return [{"x": df(u) * w, "w": df(u) * leaves["x"].data}]

    def times_input(op):
        x = Value(t)
        return {"x": x}, op(x) * x

    def twice_applied(op):
        x = Value(t)
        return {"x": x}, op(x) * a + op(x) * b

    def twice_assigned(leaves):  # with =, the use whose _backward runs last wins
        return [{"x": df(t) * a}, {"x": df(t) * b}]

    def reused_input(op):
        x = Value(t / 2)
        u = x + x
        return {"x": x}, op(u) * u

    def reused_result(op):
        x = Value(t)
        y = op(x)
        return {"x": x}, y * y + y * a

    return [
        ("a larger expression, op(x * w + c) * a + b", inside, inside_right, (_NOT_MULTIPLIED, inside_not_multiplied)),
        ("op(x) * x, where its input is also used after it", times_input,
         lambda leaves: (f(t) * t, {"x": df(t) * t + f(t)}), (_ASSIGNED, lambda leaves: [{"x": df(t) * t}])),
        ("op(x) * a + op(x) * b, where it is applied twice to one value", twice_applied,
         lambda leaves: (f(t) * (a + b), {"x": df(t) * (a + b)}), (_ASSIGNED, twice_assigned)),
        ("op(x + x) * (x + x), where its input is used twice", reused_input,
         lambda leaves: (f(t) * t, {"x": 2 * (df(t) * t + f(t))}), (_ASSIGNED, lambda leaves: [{"x": 2 * df(t) * t}])),
        ("y * y + y * a with y = op(x), where its result is used twice", reused_result,
         lambda leaves: (f(t) ** 2 + a * f(t), {"x": (2 * f(t) + a) * df(t)}), None),
    ]


def _local_derivative_problem(name, slopes, function, named):
    """What is wrong with the gradient the operation passes back alone (``slopes``: (x, grad, right)), or ``None``."""
    if all(_near(grad, want) for _, grad, want in slopes):
        return None
    for text, (_, wrong_derivative) in named.items():
        if all(_near(grad, wrong_derivative(x)) for x, grad, _ in slopes):
            return f"the local derivative of {name}: {text}"
    ratios = [grad / want for _, grad, want in slopes if want != 0]
    if len(ratios) == len(slopes) and all(math.isclose(r, ratios[0], rel_tol=1e-6) for r in ratios):
        k = ratios[0]
        if math.isclose(k, -1.0, rel_tol=1e-6):
            return (f"the local derivative of {name} has the wrong sign: follow each minus sign of your derivative, "
                    f"and check that _backward adds (+=) rather than subtracts")
        how = ("twice" if math.isclose(k, 2.0, rel_tol=1e-6) else
               "half" if math.isclose(k, 0.5, rel_tol=1e-6) else f"{k:.3g} times")
        return (f"the local derivative of {name} is {how} the right one at every point: the formula has the right "
                f"form, but a constant factor is wrong. Check the exponent brought down and every constant of your "
                f"derivative")
    if all(_near(grad, function(x)) for x, grad, _ in slopes):
        return (f"the local derivative of {name} is the operation's value, not its slope: _backward passes back "
                f"out.data where the derivative belongs (only for exp are they equal)")
    x, grad, _ = next(slope for slope in slopes if not _near(slope[1], slope[2]))
    return (f"the local derivative of {name} is wrong: alone (out.grad = 1), backward() gives its input the grad "
            f"{grad:.6g} at data = {x:.3g}. Differentiate the operation on paper, write that in _backward, and "
            f"check it with a finite difference (f(x + h) - f(x - h)) / (2 h)")


def check_value_op(answer, function, derivative, *, name="your operation", domain=(-3.0, 3.0), seed=0,
                   mistakes=None):
    """Check a new operation of :class:`bpcourse.autograd.Value` on random graphs.

    ``answer(x)`` takes a ``Value`` and returns a new ``Value``, built as one
    node with its own ``_backward``, as the engine's own operations are. It
    is tried alone (where ``out.grad`` is 1) at 5 seeded points of
    ``domain``, then inside larger expressions: after other operations and
    followed by them, applied to a value that is used again, applied twice
    to one value, and with its result used twice. Each graph's value and
    every leaf's gradient are compared with the chain rule written out by
    hand from ``function`` and ``derivative`` (never with the engine).

    The feedback names: a wrong forward value; a wrong local derivative (the
    sign, a constant factor, the value given instead of the slope, another
    formula); the input's gradient assigned (``=``) instead of accumulated
    (``+=``), which only a reused value shows; ``out.grad`` not multiplied
    in, which only something after the operation shows; an input that
    ``backward()`` never reaches; an operation built from the engine's
    existing ones instead of as one node; not returning a ``Value``; an
    exception; a time-out (:data:`TIME_LIMIT`). No right number is shown.

    Parameters
    ----------
    answer : callable
        The learner's operation, ``Value -> Value``.
    function, derivative : callable float -> float
        The true operation and its derivative.
    name : str
        How the feedback calls the learner's function.
    domain : (float, float)
        Where the operation's input is drawn from.
    seed : int
        Seed of the points and of the constants of the graphs.
    mistakes : dict, optional
        ``{"what went wrong, and why": wrong_derivative}`` (a function of one
        float), or ``{text: (wrong_function, wrong_derivative)}``: typical
        mistakes of this exercise, named when the operation alone matches them.

    Returns
    -------
    bool
        ``True`` when every value and gradient is right; the feedback is printed.
    """
    if unanswered(answer):
        return _no_answer(name, _WRITE_THE_BODY)
    if not callable(answer):
        return _say(False, f"{name} should be a function that takes a Value and returns a new Value; it is "
                           f"{type(answer).__name__} {_short(answer)}.")
    from .autograd import Value

    rng = np.random.default_rng(seed)
    low, high = (float(edge) for edge in domain)
    points = [low + (high - low) * u for u in rng.uniform(0.05, 0.95, 5)]
    constants = [tuple(s * m for s, m in zip(rng.choice([-1.0, 1.0], 3), rng.uniform(0.5, 2.0, 3)))
                 for _ in points]
    named = {}
    for text, wrong in (mistakes or {}).items():
        named[text] = wrong if isinstance(wrong, tuple) else (function, wrong)

    def call(argument, where):
        """``(out, problem)`` of one call of the learner's operation."""
        try:
            out = answer(argument)
        except _TooSlow:
            raise
        except Exception as error:  # noqa: BLE001 (the learner's code may raise anything)
            return None, (f"{name}(Value({argument.data:.3g})) raised {type(error).__name__} "
                          f"({_message(error)}) {where}. Read the message and the line it points to")
        if not isinstance(out, Value):
            return None, (f"{name} returned a {type(out).__name__}, not a Value: make the result a new "
                          f"Value (out = Value(...)), give it its own _backward and return it")
        if out is argument:
            return None, (f"{name} returned the Value it was given: an operation makes a new Value for its result "
                          f"and leaves its input as it is")
        return out, None

    def backward(out, where):
        try:
            out.backward()
        except _TooSlow:
            raise
        except Exception as error:  # noqa: BLE001
            return (f"backward() raised {type(error).__name__} ({_message(error)}) {where}: look at the "
                    f"_backward of {name}")
        return None

    def judge():
        # 1. alone, where out.grad is 1: the forward value and the local derivative
        alone = []
        for x in points:
            leaf = Value(x)
            out, problem = call(leaf, "on its own")
            if problem:
                return False, problem + "."
            if leaf.data != x:
                return False, (f"{name} changed its input's data: an operation reads its input and makes a new "
                               f"Value, leaving the input as it is.")
            if not _near(out.data, function(x)):
                for text, (wrong_function, _) in named.items():
                    values = [call(Value(p), "on its own")[0] for p in points]
                    if all(v is not None and _near(v.data, wrong_function(p)) for v, p in zip(values, points)):
                        return False, f"the value {name} computes: {text}."
                return False, (f"the forward value is wrong: {name}(Value({x:.3g})).data is {out.data:.6g}. Check "
                               f"the formula that computes the new Value's data.")
            problem = backward(out, "on the operation alone")
            if problem:
                return False, problem + "."
            alone.append((x, leaf, out))
        if not all(any(node is leaf for node in out.graph()) for _, leaf, out in alone):
            return False, (f"backward() never reaches the input of {name}: make the new Value with its input as "
                           f"its parent (the engine's operations write Value(..., _parents=(self,))).")
        slopes = [(x, leaf.grad, derivative(x)) for x, leaf, _ in alone]
        if all(grad == 0 for _, grad, _ in slopes) and any(want != 0 for _, _, want in slopes):
            return False, (f"the _backward of {name} never changes its input's grad: define _backward inside your "
                           f"function, make it add the local derivative times out.grad to the input's grad, and "
                           f"attach it with out._backward = _backward.")
        problem = _local_derivative_problem(name, slopes, function, named)
        if problem:
            return False, problem + "."
        # 2. inside larger graphs: out.grad multiplied in, gradients accumulated
        checked = 0
        for t, (a, b, w) in zip(points, constants):
            for description, build, expected, wrong in _graphs(function, derivative, Value, t, a, b, w):
                def operation(argument, where=f"in {description}"):
                    out, problem = call(argument, where)
                    if problem:
                        raise _Refused(problem)
                    return out

                try:
                    leaves, out = build(operation)
                except _Refused as refused:
                    return False, str(refused) + "."
                value, grads = expected(leaves)
                problem = backward(out, f"in {description}")
                if problem:
                    return False, problem + "."
                checked += 1
                if not _near(out.data, value):
                    return False, (f"{name} is right alone, but gives a wrong value in {description}: does it "
                                   f"depend on something other than its input?")
                bad = [leaf for leaf, right in grads.items() if not _near(leaves[leaf].grad, right)]
                if not bad:
                    continue
                if wrong is not None:
                    text, alternatives = wrong
                    if any(all(_near(leaves[leaf].grad, g) for leaf, g in grads_if_wrong.items())
                           for grads_if_wrong in alternatives(leaves)):
                        return False, f"{name}: {text}."
                return False, (f"{name} is right alone, but in {description} the gradient of {_names(bad)} is wrong "
                               f"(it is {_names([f'{leaves[leaf].grad:.6g}' for leaf in bad])}). In _backward, the "
                               f"input's grad should grow by the local derivative times out.grad.")
        # 3. one node, as the engine's operations are
        x, leaf, out = alone[0]
        inner = [node for node in out.graph() if node is not out and getattr(node, "parents", ())]
        if inner:
            used = sorted({str(getattr(node, "operation", "")) for node in inner} - {""})
            return False, (f"{name} gives the right values and gradients, but it is built from the engine's "
                           f"existing operations ({', '.join(used) or 'several nodes'}). The exercise asks for one "
                           f"new node: compute the value with math, make one Value with the input as its parent, "
                           f"and write its _backward yourself.")
        return True, (f"{name} computes the right value and passes the right gradient back, alone and in "
                      f"{checked} larger expressions where values are used more than once.")

    return _checked(name, judge)


class _Refused(Exception):
    """The learner's operation failed inside a larger graph; its message is the feedback."""
