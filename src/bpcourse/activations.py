"""Activation functions, each written beside its derivative.

Every activation lives in the registry :data:`ACTIVATIONS` under the name the
chapters use (``"sigmoid"``, ``"relu"``, ``"softplus"``, ``"tanh"``,
``"identity"``, and ``"softmax"`` for the output layer of a classifier). An
entry holds three functions:

``function(z)``
    the activation itself, applied elementwise to the pre-activation ``z``;
``derivative(z)``
    its derivative with respect to ``z``;
``derivative_from_output(a)``
    the same derivative written with the output ``a = function(z)`` instead
    of ``z``. The sigmoid is the famous case: ``a * (1 - a)``. Backpropagation
    uses this form when it exists, because the forward pass already stored
    ``a`` (chapter 3 explains why this is allowed). It is ``None`` for
    softplus, whose derivative is not a cheap function of its output.

The softmax is the one activation that is not elementwise: it turns each row
of ``z`` (one sample's scores, one per class) into probabilities that sum to 1,
so each output depends on every input of its row, its derivative is a matrix
(the Jacobian) and a network may use it only in its last layer (chapter 9).

Every function accepts a number or an array of real numbers and returns a new
float array of the same shape; anything else (``None``, a string, a complex
number) raises ``TypeError``. Chapter 1 plots every curve in this file;
:mod:`bpcourse.symbolic` writes the same functions with SymPy and the tests
check that both registries hold the same names and the same derivatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ._validation import as_real_array, check_name

__all__ = [
    "Activation",
    "ACTIVATIONS",
    "get_activation",
    "sigmoid",
    "sigmoid_derivative",
    "relu",
    "relu_derivative",
    "softplus",
    "softplus_derivative",
    "tanh",
    "tanh_derivative",
    "identity",
    "identity_derivative",
    "softmax",
    "softmax_derivative",
    "log_softmax",
]


def _real(z):
    """``z`` as a float array (float arrays pass through without a copy)."""
    return as_real_array(z, "z")


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, accurate over the whole float range.

    Where every entry is at least -708, that formula is used as written:
    ``exp(-z)`` is then at most ``exp(708)``, finite, and the result is within
    a few units in the last place (ulp) of the exact value. Below about -709.8
    ``exp(-z)`` overflows, so an array with such an entry (or a NaN) is
    computed as ``exp(min(z, 0)) / (1 + exp(-|z|))`` instead, whose two
    exponentials are of numbers <= 0, so neither overflows:

    - for ``z >= 0`` the numerator is ``exp(0) = 1``: the textbook formula itself;
    - for ``z < 0`` it is ``exp(z)``: the textbook formula with numerator and
      denominator multiplied by ``exp(z)``.

    Neither subtracts nearly equal numbers, so the result is within a few
    ulp of the exact value everywhere, including the far left tail, where it
    is tiny but not zero (``sigmoid(-720)`` is about 2.0e-313), and no input
    raises a ``RuntimeWarning``. (The shorter ``(1 + tanh(z / 2)) / 2`` adds
    ``1`` to a number close to ``-1`` there: it loses the digits and returns
    ``0`` below about ``z = -38``.) ``tests/test_reference_accuracy.py``
    checks the bound against a high-precision reference, for both forms.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values in [0, 1]

    Raises
    ------
    TypeError
        If ``z`` is not a real number or an array of them.
    """
    z = _real(z)
    if z.min(initial=0.0) >= -708.0:  # False for a NaN entry
        # The textbook formula. Training calls the sigmoid twice per step on every sample, and
        # this costs four passes over z (after the one of min) where the two-branch form below
        # costs seven: the one speed trick here (make benchmark, README "Performance").
        return 1.0 / (1.0 + np.exp(-z))
    t = np.exp(-np.abs(z))  # exp(-|z|), at most 1
    # The numerator exp(min(z, 0)) is t where z < 0 and 1 elsewhere: the larger of t and sign(z),
    # which needs no second exponential (sign(z) is 1 for z > 0, and t is 1 at z = 0).
    s = np.maximum(t, np.sign(z))
    t += 1.0  # the denominator, in place: both arrays were made here
    s /= t
    return s


def sigmoid_derivative(z):
    """``sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))``, at most 1/4 (at ``z = 0``).

    Computed as ``t / (1 + t)**2`` with ``t = exp(-|z|)``, the same number
    (the slope is symmetric, ``sigmoid'(z) = sigmoid(z) sigmoid(-z)``), because
    ``1 - sigmoid(z)`` rounds away the digits of a slope as small as
    ``exp(-z)`` for large ``z`` (it is exactly 0 from about ``z = 36.7`` on). Accurate
    to a few ulp for every ``z``.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values in [0, 1/4]
    """
    t = np.exp(-np.abs(_real(z)))
    return t / (1.0 + t) ** 2


def _sigmoid_derivative_from_output(a):
    # Exact to a few ulp as a function of the stored output a. For a saturated unit
    # (z > 36.7) a itself has rounded to 1 and the slope becomes 0: the price of
    # reusing the forward pass's output instead of recomputing from z.
    return a * (1.0 - a)


def relu(z):
    """Rectified linear unit ``max(0, z)``, elementwise.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values >= 0
    """
    return np.maximum(_real(z), 0.0)


def relu_derivative(z):
    """``1`` where ``z > 0``, else ``0``.

    ReLU has no derivative at the kink ``z = 0``; taking 0 there is a
    convention (SymPy's ``Piecewise`` in :mod:`bpcourse.symbolic` makes the
    same choice), and any value in [0, 1] would do.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values 0.0 or 1.0
    """
    return (_real(z) > 0.0).astype(float)


def _relu_derivative_from_output(a):
    # relu(z) > 0 exactly when z > 0, so the output tells us the slope.
    return (a > 0.0).astype(float)


def softplus(z):
    """Smooth ReLU ``log(1 + exp(z))``, stable for large ``|z|``.

    Uses ``log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))``, so the
    exponential never sees a large positive number.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values > 0
    """
    z = _real(z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_derivative(z):
    """The derivative of softplus is the sigmoid."""
    return sigmoid(z)


def tanh(z):
    """Hyperbolic tangent.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values in [-1, 1]
    """
    return np.tanh(_real(z))


def tanh_derivative(z):
    """``1 - tanh(z)**2``, at most 1 (at ``z = 0``).

    Computed as ``4 sigmoid'(2 z)``, the same number (``tanh z = 2 sigmoid(2 z) - 1``),
    because ``1 - tanh(z)**2`` subtracts nearly equal numbers for large
    ``|z|`` and is exactly 0 from about ``|z| = 19`` on. Accurate to a few ulp for every ``z``.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``, values in [0, 1]
    """
    return 4.0 * sigmoid_derivative(2.0 * _real(z))


def _tanh_derivative_from_output(a):
    # 1 - a**2 factored: for a close to +-1, a * a would round away the digits of 1 - a**2.
    return (1.0 - a) * (1.0 + a)


def identity(z):
    """The identity ``z`` (as a new array), the output of regression networks such as the dosage one.

    Parameters
    ----------
    z : float or array_like of real numbers

    Returns
    -------
    ndarray of the shape of ``z``
    """
    return _real(z).copy()


def identity_derivative(z):
    """Constant slope ``1``."""
    return np.ones_like(_real(z))


def _identity_derivative_from_output(a):
    return np.ones_like(a)


def _scores(z):
    """``z`` as a float array with one score per class along its last axis (the softmax's input)."""
    z = _real(z)
    if z.ndim == 0 or z.shape[-1] == 0:
        raise ValueError(f"z must hold one score per class along its last axis, e.g. shape (n_samples, "
                         f"n_classes); got shape {z.shape}")
    return z


def softmax(z):
    """Softmax of each row, ``exp(z_k) / sum_j exp(z_j)``, without overflow.

    Subtracting the row's largest score first changes nothing (the factor
    ``exp(-max)`` cancels between the numerator and the sum) but keeps every
    exponent at most 0, so ``softmax([1000, 0])`` is ``[1, 0]`` with no
    ``RuntimeWarning``.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes), or (n_classes,) for one sample
        Scores ("logits"), one per class.

    Returns
    -------
    ndarray of the shape of ``z``
        Probabilities: each row is in [0, 1] and sums to 1.

    Raises
    ------
    TypeError
        If ``z`` is not an array of real numbers.
    ValueError
        If ``z`` is a single number or has no classes (its last axis is empty).

    Examples
    --------
    >>> import bpcourse
    >>> bpcourse.softmax([[0.0, 0.0], [1000.0, 0.0]]).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    z = _scores(z)
    with np.errstate(invalid="ignore"):  # a row holding +inf gives NaN (inf - inf), as NumPy would, quietly
        e = np.exp(z - np.max(z, axis=-1, keepdims=True))
        return e / np.sum(e, axis=-1, keepdims=True)


def log_softmax(z):
    """Logarithm of the softmax, ``z_k - log(sum_j exp(z_j))``, by the log-sum-exp trick.

    ``log(softmax(z))`` gives ``-inf`` once a probability underflows to 0
    (``z = [800, 0]``); this form subtracts the largest score ``m`` first,
    ``log(sum_j exp(z_j)) = m + log(sum_j exp(z_j - m))``, and stays finite:
    ``log_softmax([800, 0])`` is ``[0, -800]``.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes), or (n_classes,) for one sample

    Returns
    -------
    ndarray of the shape of ``z``, values <= 0
    """
    z = _scores(z)
    with np.errstate(invalid="ignore", over="ignore"):  # as in softmax; scores 1e308 apart overflow to -inf
        shifted = z - np.max(z, axis=-1, keepdims=True)
        return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax_derivative(z):
    """The Jacobian of the softmax, ``da_i/dz_j = a_i (delta_ij - a_j)``, for each row.

    Parameters
    ----------
    z : array_like of shape (n_samples, n_classes), or (n_classes,) for one sample

    Returns
    -------
    ndarray of shape (n_samples, n_classes, n_classes), or (n_classes, n_classes)
        Entry ``[..., i, j]`` is ``da_i/dz_j``. Backpropagation never builds
        this matrix: it needs only its product with a vector (see
        :meth:`bpcourse.MLP.backward`).
    """
    return _softmax_derivative_from_output(softmax(z))


def _softmax_derivative_from_output(a):
    # diag(a) - a a^T, row by row, written a_i (delta_ij - a_j): on the diagonal a (1 - a), which keeps
    # the digits that a - a * a loses when a is close to 1 (as for the sigmoid's slope)
    if a.ndim == 0 or a.shape[-1] == 0:
        raise ValueError(f"a must hold one probability per class along its last axis; got shape {a.shape}")
    return a[..., :, None] * (np.eye(a.shape[-1]) - a[..., None, :])


@dataclass(frozen=True)
class Activation:
    """One registry entry: a name, the function and its derivative.

    Parameters
    ----------
    name : str
    function : callable
        ``a = function(z)``, elementwise.
    derivative : callable
        ``da/dz`` as a function of ``z``.
    derivative_from_output : callable or None
        ``da/dz`` as a function of ``a``, where that exists.
    """

    name: str
    function: Callable
    derivative: Callable
    derivative_from_output: Optional[Callable] = None

    def __call__(self, z):
        return self.function(z)

    def slope(self, z, a):
        """``f'(z)``, from the output ``a`` when the activation allows it (no recomputation).

        Parameters
        ----------
        z : ndarray
            The pre-activation.
        a : ndarray
            The activation's output at ``z``, ``function(z)``.

        Returns
        -------
        ndarray of the shape of ``z``
        """
        if self.derivative_from_output is not None:
            return self.derivative_from_output(as_real_array(a, "a"))
        return self.derivative(z)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, _sigmoid_derivative_from_output),
    "relu": Activation("relu", relu, relu_derivative, _relu_derivative_from_output),
    "softplus": Activation("softplus", softplus, softplus_derivative, None),
    "tanh": Activation("tanh", tanh, tanh_derivative, _tanh_derivative_from_output),
    "identity": Activation("identity", identity, identity_derivative, _identity_derivative_from_output),
    # not elementwise: its slope is a Jacobian, and MLP allows it only in the last layer
    "softmax": Activation("softmax", softmax, softmax_derivative, _softmax_derivative_from_output),
}
"""Registry of activations by name."""


def get_activation(name, argument="activation"):
    """Return the :class:`Activation` registered as ``name``.

    Parameters
    ----------
    name : str or Activation
        A registry name; an :class:`Activation` passes through unchanged.
    argument : str
        The argument's name, for the error message.

    Returns
    -------
    Activation

    Raises
    ------
    TypeError
        If ``name`` is neither a string nor an :class:`Activation`.
    ValueError
        If ``name`` is not in :data:`ACTIVATIONS` (the message lists them).
    """
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS[check_name(name, ACTIVATIONS, argument)]
