"""Answer checks for the exercises.

Each ``check_*`` function compares a learner's answer with the right one,
prints one line of feedback and returns ``True`` or ``False``. It never
raises and never hangs, whatever it is given: a learner who types
``check_number("twelve", 12.0)`` is told what was expected, not shown a
traceback. Strings are never evaluated.

Chapters call :func:`bpcourse.check` with an exercise's label (see
:mod:`bpcourse.exercises`), which computes the right answer with the package
and passes both to the checker that exercise holds.
"""

from __future__ import annotations

import decimal
import fractions
import math
import numbers

import numpy as np
import sympy as sp

__all__ = ["check_number", "check_array", "check_expression", "check_function", "check_choice"]

_OK = "Correct"
_NO = "Not yet"


def _say(ok, text):
    print(f"{_OK if ok else _NO}: {text}")
    return ok


def _short(value, limit=40):
    try:
        text = " ".join(repr(value).split())  # one line, whatever the repr
    except Exception:
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _no_answer(name):
    """Feedback for the ``None`` every exercise cell starts with."""
    return _say(False, f"no answer yet for {name}: replace None with your answer and run the cell again.")


def _as_real(answer):
    """``(value, problem)``: a float, or ``None`` and a sentence saying why not."""
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
    if isinstance(answer, (np.ndarray, list, tuple)):
        try:
            array = np.asarray(answer)
        except Exception:
            return None, "is not a number"
        if array.size != 1:
            return None, f"holds {array.size} values; one number is asked for"
        if array.dtype.kind not in "iuf":
            return None, f"holds {_short(array.reshape(-1)[0])}, not a number"
        return float(array.reshape(-1)[0]), None
    if isinstance(answer, sp.Basic):
        if isinstance(answer, sp.MatrixBase) or not answer.is_number:
            return None, "is a formula with symbols in it; a number is asked for"
        if answer.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return None, "is not a finite number"
        try:
            value = complex(sp.N(answer, 30))
        except Exception:
            return None, "could not be evaluated to a number"
        if value.imag != 0:
            return None, f"is the complex number {_short(answer)}; the answer is real"
        return value.real, None
    return None, f"is {type(answer).__name__} {_short(answer)}, not a number"


def _tolerance(expected, digits, rtol, atol):
    """How far an answer may be from ``expected``: half a unit in the last asked-for digit, or rtol/atol."""
    if digits is None:
        return atol + rtol * abs(expected)
    if expected == 0:
        return 0.5 * 10.0 ** (-digits)
    last = math.floor(math.log10(abs(expected))) - digits + 1  # exponent of the last significant digit
    return 0.5 * 10.0 ** last * (1 + 1e-9) + 1e-12 * abs(expected)


def check_number(answer, expected, *, name="your answer", digits=None, rtol=1e-3, atol=1e-6, mistakes=None):
    """Compare a number with ``expected``.

    Parameters
    ----------
    answer : any
        What the learner gave. Floats, ints, NumPy scalars, one-element
        arrays, ``Decimal``, ``Fraction`` and numeric SymPy expressions count
        as numbers; anything else is explained, never raised on.
    expected : float
    name : str
        How the feedback calls the answer.
    digits : int, optional
        Significant digits the exercise asks for: the answer is right when it
        is within half a unit of the last of them (more digits are fine).
        Without ``digits``, ``rtol`` and ``atol`` decide.
    mistakes : dict, optional
        ``{"description": wrong_value}`` for typical mistakes of this
        exercise; an answer matching one is told which mistake it looks like.
        A wrong sign is always recognised.

    Returns
    -------
    bool
    """
    try:
        if answer is None:
            return _no_answer(name)
        value, problem = _as_real(answer)
        if value is None:
            return _say(False, f"{name} {problem}.")
        if not math.isfinite(value):
            return _say(False, f"{name} is {value}, not a finite number: look for a division by zero or an overflow.")
        tolerance = _tolerance(expected, digits, rtol, atol)
        if abs(value - expected) <= tolerance:
            return _say(True, f"{name} = {value:.6g}.")
        matches = [(abs(value - wrong), mistake) for mistake, wrong in (mistakes or {}).items()
                   if abs(value - wrong) <= _tolerance(wrong, digits, rtol, atol)]
        if matches:
            return _say(False, f"{name} = {value:.6g}: {min(matches)[1]}.")
        if digits is not None and digits > 1 and abs(value - expected) <= _tolerance(expected, digits - 1, rtol, atol):
            return _say(False, f"{name} = {value:.6g} is close, but not right to {digits} significant digits.")
        if expected != 0 and abs(value + expected) <= tolerance:
            return _say(False, f"{name} = {value:.6g} has the right size but the wrong sign.")
        if expected != 0 and (abs(value - 2 * expected) <= 2 * tolerance or abs(2 * value - expected) <= tolerance):
            return _say(False, f"{name} = {value:.6g} is off by a factor of 2.")
        return _say(False, f"{name} = {value:.6g} is not what we get; check each step again.")
    except Exception as error:  # never a traceback for the learner
        return _say(False, f"{name} could not be checked ({type(error).__name__}); give a plain number.")


def check_array(answer, expected, *, name="your answer", rtol=1e-3, atol=1e-6):
    """Compare an array with ``expected``: shape first, then values.

    Parameters
    ----------
    answer : any
    expected : array_like
    name : str
        How the feedback calls the answer.
    rtol, atol : float
        Tolerances of ``np.allclose``.

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    try:
        if answer is None:
            return _no_answer(name)
        expected = np.asarray(expected, dtype=float)
        if isinstance(answer, (str, bytes)):
            return _say(False, f"{name} is text; give an array of numbers of shape {expected.shape}.")
        try:
            raw = np.asarray(answer)
            if raw.dtype.kind not in "biuf":
                raise TypeError
            value = raw.astype(float)
        except Exception:
            return _say(False, f"{name} should be an array of real numbers of shape {expected.shape}.")
        if value.shape != expected.shape:
            if value.ndim == 2 and value.T.shape == expected.shape and np.allclose(value.T, expected, rtol=rtol,
                                                                                   atol=atol):
                return _say(False, f"{name} has shape {value.shape}: it is the transpose of the answer.")
            return _say(False, f"{name} has shape {value.shape}, but shape {expected.shape} is expected.")
        if not np.all(np.isfinite(value)):
            return _say(False, f"{name} contains NaN or inf.")
        if np.allclose(value, expected, rtol=rtol, atol=atol):
            return _say(True, f"{name} has the right shape {value.shape} and values.")
        if np.allclose(value, -expected, rtol=rtol, atol=atol):
            return _say(False, f"{name} has the wrong sign.")
        wrong = int(np.count_nonzero(~np.isclose(value, expected, rtol=rtol, atol=atol)))
        return _say(False, f"{name} has the right shape, but {wrong} of {value.size} entries differ.")
    except Exception as error:
        return _say(False, f"{name} could not be checked ({type(error).__name__}).")


def check_expression(answer, expected, *, name="your expression", samples=8, seed=0, box=1.5):
    """Compare a SymPy expression with ``expected``.

    Symbols are matched by name, whatever their assumptions (``Symbol("a")``
    and ``Symbol("a", real=True)`` are the same letter to a learner). The two
    expressions are compared at ``samples`` seeded random points in
    ``[-box, box]``, which is robust where ``simplify`` is slow or undecided.
    Strings are not accepted: they would have to be evaluated.

    Parameters
    ----------
    answer : any
    expected : sympy.Expr
    name : str
    samples : int
    seed : int
    box : float

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    try:
        if answer is None:
            return _no_answer(name)
        if isinstance(answer, str):
            return _say(False, f"{name} is text; write it with SymPy symbols, e.g. a*(1 - a), not in quotes.")
        if isinstance(answer, sp.MatrixBase):
            return _say(False, f"{name} is a matrix; one expression is asked for.")
        if not isinstance(answer, sp.Basic):
            value, problem = _as_real(answer)
            if value is None:
                return _say(False, f"{name} {problem}; a SymPy expression is asked for.")
            answer = sp.Float(value)
        if not isinstance(answer, sp.Expr):
            return _say(False, f"{name} is a {type(answer).__name__}, not an expression.")
        answer = answer.doit()  # an unevaluated Derivative(...) becomes its value
        by_name = {str(s): s for s in expected.free_symbols}
        extra = sorted(str(s) for s in answer.free_symbols if str(s) not in by_name)
        if extra:
            return _say(False, f"{name} contains {extra}, which the answer does not depend on; "
                               f"use {sorted(by_name)}.")
        answer = answer.xreplace({s: by_name[str(s)] for s in answer.free_symbols})
        free = sorted(expected.free_symbols, key=str)
        if answer.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            return _say(False, f"{name} is not finite.")
        f_answer = sp.lambdify(free, answer, "mpmath")
        f_expected = sp.lambdify(free, expected, "mpmath")
        rng = np.random.default_rng(seed)
        for _ in range(samples):
            point = [float(v) for v in rng.uniform(-box, box, len(free))]
            a, e = complex(f_answer(*point)), complex(f_expected(*point))
            if not np.isclose(a, e, rtol=1e-8, atol=1e-10):
                where = dict(zip(map(str, free), np.round(point, 2)))
                if np.isclose(a, -e, rtol=1e-8, atol=1e-10):
                    return _say(False, f"{name} has the wrong sign.")
                if np.isclose(a, 2 * e, rtol=1e-8, atol=1e-10) or np.isclose(2 * a, e, rtol=1e-8, atol=1e-10):
                    return _say(False, f"{name} is off by a factor of 2.")
                return _say(False, f"{name} differs from the answer, e.g. at {where}.")
        return _say(True, f"{name} agrees with the answer.")
    except Exception as error:
        return _say(False, f"{name} could not be checked ({type(error).__name__}); give a SymPy expression.")


def check_function(answer, expected, inputs, *, name="your function", rtol=1e-9, atol=1e-12):
    """Compare a Python function of one number with ``expected`` on each of ``inputs``.

    ``inputs`` should hold boundary points (a kink, zero) as well as random
    ones. The learner's function must return a real number at each; a
    string, ``None`` or an exception is named in the feedback.

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
    try:
        if answer is None:
            return _no_answer(name)
        if not callable(answer):
            return _say(False, f"{name} should be a function, but it is {type(answer).__name__}.")
        for x in inputs:
            try:
                with np.errstate(all="ignore"):
                    got = answer(x)
            except Exception as error:  # the learner's code may raise anything
                return _say(False, f"{name}({x!r}) raised {type(error).__name__}: {error}")
            if got is None:
                return _say(False, f"{name}({x!r}) returned None: write the function's body so that it "
                                   f"returns a number.")
            value, problem = _as_real(got)
            if value is None:
                return _say(False, f"{name}({x!r}) returned {_short(got)}, which {problem}.")
            want = float(expected(x))
            if not abs(value - want) <= atol + rtol * abs(want):
                return _say(False, f"{name}({x!r}) = {value:.6g}; expected {want:.6g}.")
        return _say(True, f"{name} agrees on all {len(inputs)} test inputs.")
    except Exception as error:
        return _say(False, f"{name} could not be checked ({type(error).__name__}).")


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
        ``{"wrong option": "what to look at again"}``.

    Returns
    -------
    bool
        ``True`` when the answer is right; the feedback is printed.
    """
    try:
        if answer is None:
            return _no_answer(name)
        if not isinstance(answer, str):
            return _say(False, f"{name} should be one of {list(options)}, as text in quotes; got {_short(answer)}.")
        chosen = {option.lower(): option for option in options}.get(answer.strip().lower())
        if chosen is None:
            return _say(False, f"{name} {_short(answer)} is not one of {list(options)}.")
        if chosen == expected:
            return _say(True, f"{name} is {chosen}.")
        hint = (hints or {}).get(chosen, "look at the numbers again")
        return _say(False, f"{name} is not {chosen}: {hint}.")
    except Exception as error:
        return _say(False, f"{name} could not be checked ({type(error).__name__}).")
