"""Loss functions, each written beside its derivative.

``y_hat`` is the network's prediction and ``y`` the observed value, both of
shape (n_samples, n_outputs). Every loss returns a float; every derivative
returns ``dL/dy_hat`` with the shape of ``y_hat``.

=============  ==========================  ===========================
name           loss                        ``dL/dy_hat``
=============  ==========================  ===========================
``sse``        ``sum((y - y_hat)**2)``     ``-2 (y - y_hat)``
``half_sse``   ``sum((y - y_hat)**2) / 2`` ``y_hat - y``
``mse``        ``mean((y - y_hat)**2)``    ``2 (y_hat - y) / N``
=============  ==========================  ===========================

``sse`` is the *sum of squared residuals* of the dosage example (chapter 4).
``half_sse`` is the loss whose gradient the lecture's training loop follows,
although it prints ``mse`` (chapter 5 explains the difference: the two
gradients differ by the factor ``2 / N``, which the learning rate absorbs).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import check_choice

__all__ = [
    "Loss",
    "LOSSES",
    "get_loss",
    "sum_squared_residuals",
    "sse",
    "sse_derivative",
    "half_sse",
    "half_sse_derivative",
    "mse",
    "mse_derivative",
]


def sse(y_hat, y):
    """Sum of squared residuals ``sum((y - y_hat)**2)``."""
    r = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
    return float(np.sum(r * r))


sum_squared_residuals = sse


def sse_derivative(y_hat, y):
    """``dSSE/dy_hat = -2 (y - y_hat)``, one entry per prediction."""
    return -2.0 * (np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float))


def half_sse(y_hat, y):
    """Half the sum of squared residuals, ``sum((y - y_hat)**2) / 2``."""
    return 0.5 * sse(y_hat, y)


def half_sse_derivative(y_hat, y):
    """``y_hat - y``: the factor 1/2 cancels the 2 of the square."""
    return np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)


def mse(y_hat, y):
    """Mean squared error ``mean((y - y_hat)**2)`` over every entry."""
    r = np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)
    return float(np.mean(r * r))


def mse_derivative(y_hat, y):
    """``dMSE/dy_hat = 2 (y_hat - y) / N`` with ``N`` the number of entries."""
    y_hat = np.asarray(y_hat, dtype=float)
    return 2.0 * (y_hat - np.asarray(y, dtype=float)) / y_hat.size


@dataclass(frozen=True)
class Loss:
    """One registry entry.

    ``scale`` says how the loss relates to the plain sum of squared residuals:
    ``loss = scale * SSE``. The training loop uses it to compute the loss from
    the residuals it already has, without another pass over the data.
    """

    name: str
    function: Callable
    derivative: Callable
    scale: Callable  # n_entries -> factor

    def __call__(self, y_hat, y):
        return self.function(y_hat, y)


LOSSES = {
    "sse": Loss("sse", sse, sse_derivative, lambda n: 1.0),
    "half_sse": Loss("half_sse", half_sse, half_sse_derivative, lambda n: 0.5),
    "mse": Loss("mse", mse, mse_derivative, lambda n: 1.0 / n),
}
"""Registry of losses by name."""


def get_loss(name, argument="loss"):
    """Return the :class:`Loss` registered as ``name`` (a :class:`Loss` passes through)."""
    if isinstance(name, Loss):
        return name
    return LOSSES[check_choice(name, LOSSES, argument)]
