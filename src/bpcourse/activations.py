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

from ._validation import as_real_array, check_choice

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
    """Logistic function ``1 / (1 + exp(-z))``, without overflow.

    Written as ``(1 + tanh(z / 2)) / 2``, which is the same function but never
    computes ``exp`` of a large number, so ``sigmoid(-1e4)`` is ``0.0`` with no
    ``RuntimeWarning``.

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
    return 0.5 * np.tanh(0.5 * _real(z)) + 0.5


def sigmoid_derivative(z):
    """``sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))``, at most 1/4 (at ``z = 0``)."""
    a = sigmoid(z)
    return a * (1.0 - a)


def _sigmoid_derivative_from_output(a):
    return a * (1.0 - a)


def relu(z):
    """Rectified linear unit ``max(0, z)``, elementwise."""
    return np.maximum(_real(z), 0.0)


def relu_derivative(z):
    """``1`` where ``z > 0``, else ``0``.

    ReLU has no derivative at the kink ``z = 0``; taking 0 there is a
    convention (SymPy's ``Piecewise`` in :mod:`bpcourse.symbolic` makes the
    same choice), and any value in [0, 1] would do.
    """
    return (_real(z) > 0.0).astype(float)


def _relu_derivative_from_output(a):
    # relu(z) > 0 exactly when z > 0, so the output tells us the slope.
    return (a > 0.0).astype(float)


def softplus(z):
    """Smooth ReLU ``log(1 + exp(z))``, stable for large ``|z|``.

    Uses ``log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))``, so the
    exponential never sees a large positive number.
    """
    z = _real(z)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_derivative(z):
    """The derivative of softplus is the sigmoid."""
    return sigmoid(z)


def tanh(z):
    """Hyperbolic tangent, values in [-1, 1]."""
    return np.tanh(_real(z))


def tanh_derivative(z):
    """``1 - tanh(z)**2``, at most 1 (at ``z = 0``)."""
    t = np.tanh(_real(z))
    return 1.0 - t * t


def _tanh_derivative_from_output(a):
    return 1.0 - a * a


def identity(z):
    """The identity ``z`` (as a new array), the output of regression networks such as the dosage one."""
    return _real(z).copy()


def identity_derivative(z):
    """Constant slope ``1``."""
    return np.ones_like(_real(z))


def _identity_derivative_from_output(a):
    return np.ones_like(a)


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
        If ``z`` is not a real number or an array of them.

    Examples
    --------
    >>> import bpcourse
    >>> bpcourse.softmax([[0.0, 0.0], [1000.0, 0.0]]).tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    z = _real(z)
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
    z = _real(z)
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
    # diag(a) - a a^T, row by row
    return a[..., :, None] * np.eye(a.shape[-1]) - a[..., :, None] * a[..., None, :]


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
        """``f'(z)``, from the output ``a`` when the activation allows it (no recomputation)."""
        if self.derivative_from_output is not None:
            return self.derivative_from_output(a)
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
    return ACTIVATIONS[check_choice(name, ACTIVATIONS, argument)]
