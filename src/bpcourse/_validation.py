"""Checks at the public boundary of the package.

Every bad argument is answered with a ``ValueError`` or ``TypeError`` whose
message names the argument, shows the value received and says what is allowed.
Internal code trusts its inputs once they have passed through here.
"""

from __future__ import annotations

import numbers

import numpy as np


def _show(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_choice(value, choices, argument):
    """Return ``value`` if it is one of the names in ``choices``."""
    if not isinstance(value, str):
        raise TypeError(
            f"{argument} must be a name (str), one of {sorted(choices)}; got {_show(value)} "
            f"of type {type(value).__name__}"
        )
    if value not in choices:
        raise ValueError(f"{argument}={value!r} is not known; allowed: {sorted(choices)}")
    return value


def check_real(value, argument, *, positive=False, non_negative=False, integer=False, minimum=None):
    """Return ``value`` as a float (or int) after checking type, finiteness and sign."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, np.number)):
        kind = "an integer" if integer else "a real number"
        raise TypeError(f"{argument} must be {kind}; got {_show(value)} of type {type(value).__name__}")
    if integer and not float(value).is_integer():
        raise TypeError(f"{argument} must be an integer; got {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{argument} must be finite; got {value!r}")
    if positive and value <= 0:
        raise ValueError(f"{argument} must be > 0; got {value!r}")
    if non_negative and value < 0:
        raise ValueError(f"{argument} must be >= 0; got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{argument} must be >= {minimum}; got {value!r}")
    return int(value) if integer else float(value)


def as_float_array(value, argument, *, ndim=None, allow_empty=False):
    """Convert ``value`` to a finite float array, checking its number of dimensions."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{argument} must be an array of numbers; got {_show(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{argument} must be an array of numbers; got {_show(value)} ({error})") from None
    if ndim is not None and array.ndim not in ((ndim,) if isinstance(ndim, int) else ndim):
        raise ValueError(
            f"{argument} must have {ndim} dimension(s); got shape {array.shape}"
        )
    if not allow_empty and array.size == 0:
        raise ValueError(f"{argument} must not be empty; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{argument} must contain only finite numbers; found {bad} NaN/inf value(s)")
    return array


def check_data(net, X, y=None):
    """Check a design matrix ``X`` (and targets ``y``) against a network.

    Returns ``X`` of shape (n_samples, n_in) and ``y`` of shape
    (n_samples, n_out). A 1-D ``y`` is accepted when the network has one output.
    """
    X = as_float_array(X, "X", ndim=2)
    if X.shape[1] != net.layer_sizes[0]:
        raise ValueError(
            f"X must have shape (n_samples, {net.layer_sizes[0]}) for this network; got {X.shape}"
        )
    if y is None:
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
