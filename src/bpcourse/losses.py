"""Loss functions, each written beside its derivative.

``y_hat`` is the network's prediction and ``y`` the observed value, two arrays
of the same shape, (n_samples, n_outputs) in training. Every loss returns a
float; every derivative returns ``dL/dy_hat`` with the shape of ``y_hat``.

============  ==============================  ========================
name          loss                            ``dL/dy_hat``
============  ==============================  ========================
``sse``       ``sum((y - y_hat)**2)``         ``-2 (y - y_hat)``
``half_sse``  ``sum((y - y_hat)**2) / 2``     ``y_hat - y``
``mse``       ``mean((y - y_hat)**2)``        ``2 (y_hat - y) / N``
============  ==============================  ========================

``sse`` is the *sum of squared residuals* (SSR) of the dosage example
(chapter 4). ``half_sse`` is the loss whose gradient the lecture's training
loop follows, although it prints ``mse`` (chapter 5 explains the difference:
the two gradients differ by the factor ``2 / N``, which the learning rate
absorbs). A loss of your own is a :class:`Loss` with its derivative; training
uses that derivative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import show_value, as_real_array, check_choice

__all__ = [
    "Loss",
    "LOSSES",
    "get_loss",
    "sse",
    "sse_derivative",
    "half_sse",
    "half_sse_derivative",
    "mse",
    "mse_derivative",
]


def _pair(y_hat, y):
    """Both arguments as float arrays of one shape (no broadcasting: it hides mistakes)."""
    y_hat = y_hat if isinstance(y_hat, np.ndarray) and y_hat.dtype == np.float64 else as_real_array(y_hat, "y_hat")
    y = y if isinstance(y, np.ndarray) and y.dtype == np.float64 else as_real_array(y, "y")
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat and y must have the same shape; got {y_hat.shape} and {y.shape}")
    return y_hat, y


def sse(y_hat, y):
    """Sum of squared residuals ``sum((y - y_hat)**2)``, the SSR of the dosage example.

    Parameters
    ----------
    y_hat, y : array_like of the same shape
        Predictions and observed values.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If either argument is not an array of real numbers.
    ValueError
        If the shapes differ.
    """
    y_hat, y = _pair(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):  # huge residuals give inf, not a warning
        r = y - y_hat
        return float(np.sum(r * r))


def sse_derivative(y_hat, y):
    """``dSSE/dy_hat = -2 (y - y_hat)``, one entry per prediction.

        Parameters
        ----------
        y_hat, y : array_like of the same shape
            Predictions and observed values.

        Returns
        -------
        ndarray of the shape of ``y_hat``
    """
    y_hat, y = _pair(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        return -2.0 * (y - y_hat)


def half_sse(y_hat, y):
    """Half the sum of squared residuals, ``sum((y - y_hat)**2) / 2``.

        Parameters
        ----------
        y_hat, y : array_like of the same shape
            Predictions and observed values.

        Returns
        -------
        float
    """
    return 0.5 * sse(y_hat, y)


def half_sse_derivative(y_hat, y):
    """``y_hat - y``: the factor 1/2 cancels the 2 of the square.

        Parameters
        ----------
        y_hat, y : array_like of the same shape
            Predictions and observed values.

        Returns
        -------
        ndarray of the shape of ``y_hat``
    """
    y_hat, y = _pair(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        return y_hat - y


def mse(y_hat, y):
    """Mean squared error ``mean((y - y_hat)**2)`` over every entry.

        Parameters
        ----------
        y_hat, y : array_like of the same shape
            Predictions and observed values.

        Returns
        -------
        float
    """
    y_hat, y = _pair(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        r = y - y_hat
        return float(np.mean(r * r))


def mse_derivative(y_hat, y):
    """``dMSE/dy_hat = 2 (y_hat - y) / N``, with ``N`` the number of entries.

        Parameters
        ----------
        y_hat, y : array_like of the same shape
            Predictions and observed values.

        Returns
        -------
        ndarray of the shape of ``y_hat``
    """
    y_hat, y = _pair(y_hat, y)
    with np.errstate(over="ignore", invalid="ignore"):
        return 2.0 * (y_hat - y) / y_hat.size


@dataclass(frozen=True)
class Loss:
    """A loss and its derivative, as the training functions use them.

    Parameters
    ----------
    name : str
    function : callable
        ``function(y_hat, y)`` returns the loss, a float.
    derivative : callable
        ``derivative(y_hat, y)`` returns ``dL/dy_hat``, shaped like ``y_hat``.

    Examples
    --------
    A loss of your own trains with its own derivative:

    >>> import numpy as np, bpcourse
    >>> quartic = bpcourse.Loss("quartic", lambda p, t: float(np.sum((p - t) ** 4)),
    ...                         lambda p, t: 4 * (p - t) ** 3)
    >>> X, y = bpcourse.dosage_data()
    >>> history = bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, quartic, 0.01, 10)
    """

    name: str
    function: Callable
    derivative: Callable

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a str; got {show_value(self.name)}")
        for field in ("function", "derivative"):
            if not callable(getattr(self, field)):
                raise TypeError(f"{field} must be callable (y_hat, y) -> ...; got {show_value(getattr(self, field))}")

    def __call__(self, y_hat, y):
        return self.function(y_hat, y)


LOSSES = {
    "sse": Loss("sse", sse, sse_derivative),
    "half_sse": Loss("half_sse", half_sse, half_sse_derivative),
    "mse": Loss("mse", mse, mse_derivative),
}
"""Registry of losses by name."""


def get_loss(name, argument="loss"):
    """Return the :class:`Loss` registered as ``name``.

    Parameters
    ----------
    name : str or Loss
        A registry name; a :class:`Loss` passes through unchanged.
    argument : str
        The argument's name, for the error message.

    Returns
    -------
    Loss

    Raises
    ------
    TypeError
        If ``name`` is neither a string nor a :class:`Loss`.
    ValueError
        If ``name`` is not in :data:`LOSSES` (the message lists them).
    """
    if isinstance(name, Loss):
        return name
    return LOSSES[check_choice(name, LOSSES, argument)]
