"""Checks at the public boundary of the package.

Every bad argument is answered with a ``ValueError`` or ``TypeError`` whose
message names the argument, shows the value received and says what is allowed.
Internal code trusts its inputs once they have passed through here.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

MAX_ITERATIONS = 1_000_000
"""Most epochs, or gradient steps, one call may run (about a minute on the lecture's network).

A larger number is almost always a typo (``1e12`` for ``1e2``) and would
hang the caller, so it is refused with a clear message instead.
"""

MAX_ENTRIES = 10_000_000
"""Most numbers one array argument may hold (80 MB of floats)."""


class NotFiniteError(ValueError):
    """A computation on finite inputs gave inf or NaN (float64 overflowed).

    A ``ValueError``, so callers need not know it; training loops catch this
    one kind to report a run that diverged instead of stopping with an error.
    """


def all_finite(array):
    """Whether every number of ``array`` (a float or an ndarray) is finite.

    A sum is finite only if all its terms are, so one sum answers for a whole
    array in one pass, half the work of ``np.isfinite(array).all()``; only a sum
    that is not (a NaN or inf term, or finite terms too large to add up) needs
    the look at every entry. The sum may overflow: call this where floating
    point is guarded (``np.errstate``), as the training loops do.
    """
    return math.isfinite(array) if isinstance(array, float) else (
        math.isfinite(array.sum()) or bool(np.isfinite(array).all()))


def check_finite_result(result, what, inputs):
    """Return ``result`` (a float or an array) if it is finite, or if some input already was not.

    Call it where floating point is guarded (see :func:`all_finite`).

    Parameters
    ----------
    result : float or ndarray
    what : str
        What was computed, for the message, e.g. ``"sse"``.
    inputs : sequence of ndarray
        The arrays it was computed from.

    Raises
    ------
    NotFiniteError
        When every input is finite but the result is not.
    """
    if all_finite(result) or not all(all_finite(a) for a in inputs):
        return result
    largest = max(float(np.max(np.abs(a))) for a in inputs if np.size(a))
    raise NotFiniteError(f"{what} is not finite although its inputs are: float64 overflows (the largest input "
                         f"in absolute value is {largest:.3g}); scale the data or the parameters down")


def show_value(value, limit=60):
    try:
        text = repr(value)
    except Exception:  # an object whose repr fails still deserves a message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_name(value, choices, argument):
    """Return ``value`` if it is one of the names in ``choices`` (a registry key, an option)."""
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a name (str), one of {sorted(choices)}; got {show_value(value)} "
            f"of type {type(value).__name__}"
        )
    if value not in choices:
        raise ValueError(f"{argument}={value!r} is not known; allowed: {sorted(choices)}")
    return value


def check_real(value, argument, *, positive=False, non_negative=False, integer=False, minimum=None,
               maximum=None):
    """Return ``value`` as a float (or int) after checking type, finiteness and range."""
    # NumPy's timedelta64 is an integer type to Python, but a duration is not a count
    if isinstance(value, (bool, np.timedelta64)) or not isinstance(value, (numbers.Real, np.integer, np.floating)):
        kind = "an integer" if integer else "a real number"
        raise TypeError(f"{argument} must be {kind}; got {show_value(value)} of type {type(value).__name__}")
    try:
        number = float(value)  # Fraction, NumPy scalars and Python ints all become floats here
    except OverflowError:
        raise ValueError(f"{argument} must be finite; got {show_value(value)}, too large for a float") from None
    if integer and not number.is_integer():
        raise TypeError(f"{argument} must be an integer; got {show_value(value)}")
    if not np.isfinite(number):
        raise ValueError(f"{argument} must be finite; got {show_value(value)}")
    if positive and number <= 0:
        raise ValueError(f"{argument} must be > 0; got {show_value(value)}")
    if non_negative and number < 0:
        raise ValueError(f"{argument} must be >= 0; got {show_value(value)}")
    if minimum is not None and number < minimum:
        raise ValueError(f"{argument} must be >= {minimum}; got {show_value(value)}")
    if maximum is not None and number > maximum:
        raise ValueError(f"{argument} must be <= {maximum:,}; got {show_value(value)}")
    return int(value) if integer else number


def check_count(value, argument, *, minimum=1, maximum=MAX_ITERATIONS):
    """An integer number of epochs, steps or samples, within ``[minimum, maximum]``."""
    return check_real(value, argument, integer=True, minimum=minimum, maximum=maximum)


def as_real_array(value, argument):
    """``value`` as a float ndarray, refusing what is not a real number.

    A plain float64 ndarray comes back as it is (no copy). Anything else,
    subclasses such as ``np.matrix`` and masked arrays included, goes through
    ``np.asarray(..., dtype=float)`` and comes back as a plain ndarray, so
    ``*`` always multiplies entry by entry. A masked array with masked entries
    is refused (which numbers would it mean?). NaN and inf pass, as in NumPy's
    own functions; ``None``, strings, complex numbers, objects that are not
    numbers and array-likes that fail to convert raise ``TypeError``.
    """
    if type(value) is np.ndarray and value.dtype == np.float64:
        if value.size > MAX_ENTRIES:
            raise ValueError(f"{argument} has {value.size:,} entries; this teaching package allows at most "
                             f"{MAX_ENTRIES:,}")
        return value
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{argument} must be a number or an array of numbers; got {show_value(value)}")
    if isinstance(value, np.ma.MaskedArray) and np.ma.getmaskarray(value).any():
        raise ValueError(f"{argument} has {int(np.ma.getmaskarray(value).sum())} masked entries; fill them first "
                         f"(for example {argument}.filled(0.0)) or drop them")
    try:
        raw = np.asarray(value)  # a plain ndarray, whatever the subclass or array-like
    except Exception as error:  # ragged lists, or an __array__ of the caller's that raises anything
        raise TypeError(f"{argument} must be an array of numbers; got {show_value(value)} "
                        f"({type(error).__name__}: {error})") from None
    if raw.dtype.kind == "c":
        raise TypeError(f"{argument} must be real; got the complex value(s) {show_value(value)}")
    if raw.dtype.kind not in "biuf":
        if raw.dtype.kind != "O" or any(
            isinstance(v, (bool, complex, str, bytes)) or not isinstance(v, numbers.Real) for v in raw.flat
        ):
            raise TypeError(f"{argument} must be an array of real numbers; got {show_value(value)}")
    if raw.size > MAX_ENTRIES:
        raise ValueError(f"{argument} has {raw.size:,} entries; this teaching package allows at most {MAX_ENTRIES:,}")
    try:
        return np.array(raw, dtype=float)  # a new array: the caller's is never written to
    except OverflowError:
        raise ValueError(f"{argument} holds a number too large for a float: {show_value(value)}") from None
    except Exception as error:  # an object entry whose float() raises
        raise TypeError(f"{argument} must be an array of real numbers; got {show_value(value)} "
                        f"({type(error).__name__})") from None


def as_float_array(value, argument, *, ndim=None):
    """``value`` as a finite float array with ``ndim`` dimensions (an int or a tuple of ints)."""
    array = as_real_array(value, argument)
    if ndim is not None and array.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise ValueError(f"{argument} must have {ndim} dimension(s); got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{argument} must not be empty; got shape {array.shape}")
    if not np.isfinite(array).all():
        bad = int(array.size - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{argument} must contain only finite numbers; found {bad} NaN/inf value(s)")
    return array


_NO_TARGETS = object()


def check_data(net, X, y=_NO_TARGETS):
    """Check a design matrix ``X`` (and targets ``y``) against a network.

    Returns ``X`` of shape (n_samples, n_in) and ``y`` of shape
    (n_samples, n_out). A 1-D ``y`` is accepted when the network has one output.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != net.layer_sizes[0]:
        raise ValueError(
            f"X must have shape (n_samples, {net.layer_sizes[0]}) for this network; got {X.shape}"
        )
    if y is _NO_TARGETS:
        return X
    y = as_float_array(y, "y", ndim=(1, 2))
    n_out = net.layer_sizes[-1]
    if y.ndim == 1:
        if n_out != 1:
            raise ValueError(f"y must have shape (n_samples, {n_out}); got {y.shape}")
        y = y.reshape(-1, 1)
    if y.shape != (X.shape[0], n_out):
        raise ValueError(f"y must have shape ({X.shape[0]}, {n_out}) to match X; got {y.shape}")
    return X, y
