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

and, for outputs in (0, 1) such as a sigmoid's, the binary
``cross_entropy``, ``mean(-(y log y_hat + (1 - y) log(1 - y_hat)))``, whose
derivative is ``(y_hat - y) / (y_hat (1 - y_hat) N)`` (chapter 8); for a
softmax's outputs, one probability per class, the
``categorical_cross_entropy``, ``-sum(y log y_hat) / N`` over the ``N`` samples,
whose derivative is ``-y / (y_hat N)`` and whose gradient by the softmax's
input is the fused ``(y_hat - y) / N`` (chapter 9).

``sse`` is the *sum of squared residuals* (SSR) of the dosage example
(chapter 4). ``half_sse`` is the loss whose gradient the lecture's training
loop follows, although it prints ``mse`` (chapter 5 explains the difference:
the two gradients differ by the factor ``2 / N``, which the learning rate
absorbs). A loss of your own is a :class:`Loss` with its derivative; training
uses that derivative.

Each function below is its formula alone, under a decorator that adds the
checks every public function needs, written once: the arguments become
float arrays of one shape (and the targets are checked where the loss needs
more of them), floating point is guarded, and a result that overflowed
although its inputs are finite is refused with a ``ValueError``. The bare
formula stays reachable as ``.formula``; :func:`bpcourse.gradient_descent`,
which checks its data once before its loop, calls it at every epoch after
the first.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validation import as_real_array, check_finite_result, check_name, show_value
from .activations import log_softmax

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
    "cross_entropy",
    "cross_entropy_derivative",
    "categorical_cross_entropy",
    "categorical_cross_entropy_derivative",
    "categorical_cross_entropy_from_logits",
    "softmax_cross_entropy_delta",
]


def _pair(y_hat, y):
    """Both arguments as float arrays of one shape (no broadcasting: it hides mistakes)."""
    y_hat, y = as_real_array(y_hat, "y_hat"), as_real_array(y, "y")
    if y_hat.shape != y.shape:
        raise ValueError(f"y_hat and y must have the same shape; got {y_hat.shape} and {y.shape}")
    return y_hat, y


def _checked(arguments=_pair):
    """Decorator: the public function of a loss formula ``formula(y_hat, y)``, or of its derivative.

    The public function checks and converts its two arguments with
    ``arguments`` (:func:`_pair` unless the loss needs more of its targets),
    runs the formula with floating point guarded (an overflow gives inf, not a
    warning) and refuses a result that is not finite although its inputs are
    (:func:`~bpcourse._validation.check_finite_result`). The formula itself
    is kept as its ``formula`` attribute.
    """
    def decorate(formula):
        @functools.wraps(formula)
        def checked(y_hat, y):
            y_hat, y = arguments(y_hat, y)
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                return check_finite_result(formula(y_hat, y), formula.__name__, (y_hat, y))

        checked.formula = formula
        return checked

    return decorate


@_checked()
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
        If the shapes differ, or if the residuals are finite but too large
        for their squares to sum in float64 (``1e200``, say).
    """
    r = y - y_hat
    return float((r * r).sum())  # the array's own sum: np.sum's dispatch layer costs more than 500 additions


@_checked()
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
    return -2.0 * (y - y_hat)


@_checked()
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
    return 0.5 * sse.formula(y_hat, y)


@_checked()
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
    return y_hat - y


@_checked()
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
    return sse.formula(y_hat, y) / y_hat.size


@_checked()
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
    return sse_derivative.formula(y_hat, y) / y_hat.size


CROSS_ENTROPY_CLIP = 1e-12
"""Predictions are kept in [1e-12, 1 - 1e-12] by :func:`cross_entropy`, so log(0) never happens."""


def _targets_in_0_1(y_hat, y):
    """:func:`_pair`, and targets between 0 and 1, for the binary cross-entropy."""
    y_hat, y = _pair(y_hat, y)
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must hold targets between 0 and 1 for the cross-entropy; got values outside")
    return y_hat, y


def _clip(y_hat):
    """Predicted probabilities kept in [CROSS_ENTROPY_CLIP, 1 - CROSS_ENTROPY_CLIP], so log(0) never happens."""
    return np.clip(y_hat, CROSS_ENTROPY_CLIP, 1 - CROSS_ENTROPY_CLIP)


@_checked(_targets_in_0_1)
def cross_entropy(y_hat, y):
    """Binary cross-entropy ``mean(-(y log y_hat + (1 - y) log(1 - y_hat)))``.

    ``y_hat`` are predicted probabilities (e.g. a sigmoid's outputs), clipped
    to ``[CROSS_ENTROPY_CLIP, 1 - CROSS_ENTROPY_CLIP]`` so the loss stays
    finite (at most about 27.6 per entry); ``y`` are targets in [0, 1].

    The loss is within a few ulp of its exact value for the ``y_hat`` it is
    given. For ``y_hat = sigmoid(z)`` with ``z <= 0`` that makes it accurate
    as a function of ``z`` too, because the sigmoid is (down to the clipping,
    ``z = -27.6``). For large positive ``z``, ``y_hat`` is close to 1 and its
    own rounding (up to 1.1e-16) limits ``log(1 - y_hat)``; only a loss
    computed from ``z`` itself avoids that.

    Parameters
    ----------
    y_hat, y : array_like of the same shape
        Predicted probabilities and targets.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If either argument is not an array of real numbers.
    ValueError
        If the shapes differ or a target lies outside [0, 1].
    """
    p = _clip(y_hat)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log1p(-p))))


@_checked(_targets_in_0_1)
def cross_entropy_derivative(y_hat, y):
    """``dCE/dy_hat = (y_hat - y) / (y_hat (1 - y_hat) N)``, with the same clipping as :func:`cross_entropy`.

    Multiplied by the sigmoid's slope ``y_hat (1 - y_hat)`` in backpropagation
    this becomes ``(y_hat - y) / N``: the slope cancels (chapter 8). Where the
    sigmoid is saturated to exactly 0 or 1 in floating point (``|z| > 36``) the
    cancellation is lost; frameworks fuse the two into one function of ``z``
    for that reason.

    Parameters
    ----------
    y_hat, y : array_like of the same shape

    Returns
    -------
    ndarray of the shape of ``y_hat``
    """
    p = _clip(y_hat)
    return (p - y) / (p * (1 - p) * p.size)


def _distributions(y_hat, y):
    """:func:`_pair`, and targets that hold one probability distribution per row (last axis)."""
    y_hat, y = _pair(y_hat, y)
    if y.ndim == 0 or y.shape[-1] < 2:
        raise ValueError(f"y must have one column per class (at least 2) for the categorical cross-entropy; "
                         f"got shape {y.shape}")
    with np.errstate(invalid="ignore"):
        sums = np.sum(y, axis=-1)
        # three reductions first (training calls this at every step); the row at fault only on failure
        fine = y.min() >= 0 and y.max() <= 1 and np.abs(sums - 1).max() <= 1e-9 * y.shape[-1]
    if not fine:
        bad = ~((y >= 0) & (y <= 1)).all(axis=-1) | ~(np.abs(sums - 1) <= 1e-9 * y.shape[-1])
        row = np.argwhere(np.atleast_1d(bad))[0]
        raise ValueError(
            "y must hold one probability distribution per row for the categorical cross-entropy (entries in "
            f"[0, 1] that sum to 1, e.g. one-hot targets); row {tuple(int(i) for i in row)} is "
            f"{show_value(np.atleast_2d(y)[tuple(row)].tolist())}"
        )
    return y_hat, y


def _n_samples(y):
    """The number of rows (distributions) in ``y``, N of the categorical cross-entropy."""
    return y.size // y.shape[-1]


@_checked(_distributions)
def categorical_cross_entropy(y_hat, y):
    """Categorical cross-entropy ``-sum(y log y_hat) / N``, averaged over the ``N`` samples.

    For one-hot targets ``y`` this is the mean of ``-log`` of the probability
    given to each sample's true class. ``y_hat`` (a softmax's outputs) is
    clipped below at ``CROSS_ENTROPY_CLIP``, so the loss stays finite (at most
    about 27.6 per sample); :func:`categorical_cross_entropy_from_logits`
    computes it from the scores without that limit.

    Parameters
    ----------
    y_hat : array_like of shape (n_samples, n_classes)
        Predicted probabilities, one row per sample.
    y : array_like of shape (n_samples, n_classes)
        Targets, one probability distribution per row (one-hot for labels).

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If either argument is not an array of real numbers.
    ValueError
        If the shapes differ, there are fewer than 2 classes, or a row of
        ``y`` is not a probability distribution.

    Examples
    --------
    >>> import bpcourse
    >>> round(bpcourse.categorical_cross_entropy([[0.5, 0.25, 0.25]], [[1, 0, 0]]), 6)   # -log(1/2)
    0.693147
    """
    return float(-np.sum(y * np.log(np.maximum(y_hat, CROSS_ENTROPY_CLIP))) / _n_samples(y))


@_checked(_distributions)
def categorical_cross_entropy_derivative(y_hat, y):
    """``dCCE/dy_hat = -y / (y_hat N)``, with the same clipping as :func:`categorical_cross_entropy`.

    Passed through the softmax's Jacobian in backpropagation this becomes
    ``(y_hat - y) / N`` (:func:`softmax_cross_entropy_delta`); the division by
    ``y_hat`` cancels only while ``y_hat`` is not rounded to 0, which is why
    :meth:`bpcourse.MLP.backward` uses the fused form when it knows both.

    Parameters
    ----------
    y_hat, y : array_like of shape (n_samples, n_classes)
        Predicted probabilities and targets.

    Returns
    -------
    ndarray of the shape of ``y_hat``
    """
    return -y / (np.maximum(y_hat, CROSS_ENTROPY_CLIP) * _n_samples(y))


@_checked(_distributions)
def softmax_cross_entropy_delta(y_hat, y):
    """The fused gradient of the categorical cross-entropy by a softmax's input: ``(y_hat - y) / N``.

    The softmax's Jacobian times :func:`categorical_cross_entropy_derivative`
    simplifies to this (chapter 9 derives it with SymPy). It needs no division
    by ``y_hat``, so it stays right when a probability underflows to 0.

    Parameters
    ----------
    y_hat : array_like of shape (n_samples, n_classes)
        The softmax's outputs.
    y : array_like of shape (n_samples, n_classes)
        Targets, one probability distribution per row.

    Returns
    -------
    ndarray of the shape of ``y_hat``
        ``dL/dz`` for the softmax's input ``z``.
    """
    return (y_hat - y) / _n_samples(y)


def categorical_cross_entropy_from_logits(z, y):
    """The categorical cross-entropy of ``softmax(z)``, computed from the scores ``z`` by log-sum-exp.

    Equal to ``categorical_cross_entropy(softmax(z), y)`` where that one is not
    clipped, and finite for any finite scores: ``z = [[-800, 0]]`` with target
    ``[[1, 0]]`` gives 800, no warning.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes)
        Scores (the softmax's input).
    y : array_like of shape (n_samples, n_classes)
        Targets, one probability distribution per row.

    Returns
    -------
    float
    """
    z, y = as_real_array(z, "z"), as_real_array(y, "y")
    if z.shape != y.shape:
        raise ValueError(f"z and y must have the same shape; got {z.shape} and {y.shape}")
    z, y = _distributions(z, y)
    with np.errstate(over="ignore", invalid="ignore"):  # scores 1e308 apart overflow z - max(z)
        value = float(np.sum(-y * log_softmax(z)) / _n_samples(y))
        return check_finite_result(value, "categorical_cross_entropy_from_logits", (z, y))


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
        """The loss's value, ``function(y_hat, y)``.

        Parameters
        ----------
        y_hat, y : array_like of the same shape
            Predictions and observed values.

        Returns
        -------
        float
        """
        return self.function(y_hat, y)


LOSSES = {
    "sse": Loss("sse", sse, sse_derivative),
    "half_sse": Loss("half_sse", half_sse, half_sse_derivative),
    "mse": Loss("mse", mse, mse_derivative),
    "cross_entropy": Loss("cross_entropy", cross_entropy, cross_entropy_derivative),
    "categorical_cross_entropy": Loss("categorical_cross_entropy", categorical_cross_entropy,
                                      categorical_cross_entropy_derivative),
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
    return LOSSES[check_name(name, LOSSES, argument)]
