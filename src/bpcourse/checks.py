"""Answer checks for the exercises.

Each ``check_*`` function compares a learner's answer with the right one,
prints one friendly line of feedback and returns ``True`` or ``False``. It
never raises on a wrong or strange answer: a learner who types
``check_number("twelve", ...)`` is told what was expected, not shown a
traceback.

Chapters usually call :func:`check`, which looks the right answer up by the
exercise's label in :mod:`bpcourse.exercises`, so the answer is computed by
the package and never printed in the notebook.
"""

from __future__ import annotations

import numbers

import numpy as np
import sympy as sp

__all__ = ["check_number", "check_array", "check_expression", "check_function", "check"]

_OK = "Correct"
_NO = "Not yet"


def _say(ok, text):
    print(f"{_OK if ok else _NO}: {text}")
    return ok


def _no_answer(name):
    """Feedback for the ``None`` every exercise cell starts with."""
    return _say(False, f"no answer yet for {name}: replace None with your answer and run the cell again.")


def _as_number(answer):
    if isinstance(answer, bool):
        return None
    if isinstance(answer, (numbers.Real, np.number)):
        return float(answer)
    if isinstance(answer, np.ndarray) and answer.size == 1:
        return float(answer.reshape(-1)[0])
    if isinstance(answer, sp.Expr) and answer.is_number:
        try:
            return float(answer)
        except TypeError:
            return None
    return None


def check_number(answer, expected, *, name="your answer", rtol=1e-3, atol=1e-6):
    """Compare a number with ``expected`` (relative tolerance ``rtol``)."""
    if answer is None:
        return _no_answer(name)
    value = _as_number(answer)
    if value is None:
        return _say(False, f"{name} should be a number, but it is {type(answer).__name__} {answer!r:.40}.")
    if not np.isfinite(value):
        return _say(False, f"{name} is {value}, not a finite number: look for a division by zero or an overflow.")
    if abs(value - expected) <= atol + rtol * abs(expected):
        return _say(True, f"{name} = {value:.6g}.")
    if expected != 0 and abs(value + expected) <= atol + rtol * abs(expected):
        return _say(False, f"{name} = {value:.6g} has the right size but the wrong sign.")
    if expected != 0 and (np.isclose(value, 2 * expected, rtol=rtol) or np.isclose(2 * value, expected, rtol=rtol)):
        return _say(False, f"{name} = {value:.6g} is off by a factor of 2: check the 2 from the square.")
    return _say(False, f"{name} = {value:.6g} is not what we get; check each step again.")


def check_array(answer, expected, *, name="your answer", rtol=1e-3, atol=1e-6):
    """Compare an array with ``expected``: shape first, then values."""
    if answer is None:
        return _no_answer(name)
    expected = np.asarray(expected, dtype=float)
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return _say(False, f"{name} should be an array of numbers of shape {expected.shape}.")
    if value.shape != expected.shape:
        if value.ndim == 2 and value.T.shape == expected.shape and np.allclose(value.T, expected, rtol=rtol, atol=atol):
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


def check_expression(answer, expected, *, name="your expression", symbols=None, samples=5, seed=0):
    """Compare a SymPy expression with ``expected``.

    The two are compared at ``samples`` random points of their free symbols
    (seeded), which is robust where ``simplify`` is slow or undecided.
    """
    if answer is None:
        return _no_answer(name)
    if isinstance(answer, str):
        try:
            answer = sp.sympify(answer, locals={str(s): s for s in expected.free_symbols})
        except (sp.SympifyError, SyntaxError, TypeError):
            return _say(False, f"{name} could not be read as a formula: {answer!r:.40}.")
    if not isinstance(answer, sp.Basic):
        if _as_number(answer) is not None:
            answer = sp.Float(_as_number(answer))
        else:
            return _say(False, f"{name} should be a SymPy expression, but it is {type(answer).__name__}.")
    free = sorted(expected.free_symbols | answer.free_symbols, key=str) if symbols is None else list(symbols)
    extra = answer.free_symbols - expected.free_symbols
    if extra:
        return _say(False, f"{name} contains {sorted(map(str, extra))}, which the answer does not depend on.")
    rng = np.random.default_rng(seed)
    f_answer = sp.lambdify(free, answer, "numpy")
    f_expected = sp.lambdify(free, expected, "numpy")
    for _ in range(samples):
        point = rng.uniform(-1.5, 1.5, len(free))
        with np.errstate(all="ignore"):
            a, e = complex(f_answer(*point)), complex(f_expected(*point))
        if not np.isclose(a, e, rtol=1e-8, atol=1e-10):
            if np.isclose(a, -e, rtol=1e-8, atol=1e-10):
                return _say(False, f"{name} has the wrong sign.")
            return _say(False, f"{name} differs from the answer, e.g. at {dict(zip(map(str, free), np.round(point, 2)))}.")
    return _say(True, f"{name} agrees with the answer.")


def check_function(answer, expected, inputs, *, name="your function", rtol=1e-6, atol=1e-9):
    """Compare a Python function with ``expected`` on each of ``inputs``."""
    if answer is None:
        return _no_answer(name)
    if not callable(answer):
        return _say(False, f"{name} should be a function, but it is {type(answer).__name__}.")
    for x in inputs:
        try:
            with np.errstate(all="ignore"):
                got = np.asarray(answer(x), dtype=float)
        except Exception as error:  # the learner's code may raise anything
            return _say(False, f"{name}({x!r}) raised {type(error).__name__}: {error}")
        want = np.asarray(expected(x), dtype=float)
        if got.shape != want.shape:
            return _say(False, f"{name}({x!r}) has shape {got.shape}; expected {want.shape}.")
        if not np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False):
            return _say(False, f"{name}({x!r}) = {np.round(got, 6)}; expected {np.round(want, 6)}.")
    return _say(True, f"{name} agrees on all {len(inputs)} test inputs.")


def check(label, answer):
    """Check the answer to the exercise ``label`` and print the feedback.

    Returns nothing, so the notebook shows only the feedback line; the
    ``check_*`` functions and :data:`bpcourse.exercises.EXERCISES` return
    ``True``/``False`` for code that needs the verdict.
    """
    from .exercises import EXERCISES

    if label not in EXERCISES:
        _say(False, f"there is no exercise {label!r}; known: {', '.join(sorted(EXERCISES))}.")
        return
    EXERCISES[label](answer)
