"""Activation functions, each written beside its derivative.

Every activation lives in the registry :data:`ACTIVATIONS` under the name the
chapters use (``"sigmoid"``, ``"relu"``, ``"softplus"``, ``"tanh"``,
``"identity"``). An entry holds three functions:

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

Chapter 1 plots every curve in this file; chapter 3 derives them again with
SymPy (see :mod:`bpcourse.symbolic`) and checks them against these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from ._validation import check_choice

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
]


def sigmoid(z):
    """Logistic function ``1 / (1 + exp(-z))``, without overflow.

    Written as ``(1 + tanh(z / 2)) / 2``, which is the same function but never
    computes ``exp`` of a large number, so ``sigmoid(-1e4)`` is ``0.0`` with no
    ``RuntimeWarning``. It is also a single fast ufunc call, which matters in
    the training loop.
    """
    z = np.asarray(z, dtype=float)
    return 0.5 * np.tanh(0.5 * z) + 0.5


def sigmoid_derivative(z):
    """``sigmoid'(z) = sigmoid(z) * (1 - sigmoid(z))``."""
    a = sigmoid(z)
    return a * (1.0 - a)


def _sigmoid_derivative_from_output(a):
    return a * (1.0 - a)


def relu(z):
    """Rectified linear unit ``max(0, z)``."""
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_derivative(z):
    """``1`` where ``z > 0``, else ``0`` (we take 0 at the kink ``z = 0``)."""
    return (np.asarray(z, dtype=float) > 0.0).astype(float)


def _relu_derivative_from_output(a):
    # relu(z) > 0 exactly when z > 0, so the output tells us the slope.
    return (a > 0.0).astype(float)


def softplus(z):
    """Smooth ReLU ``log(1 + exp(z))``, stable for large ``|z|``.

    Uses ``log(1 + exp(z)) = max(z, 0) + log1p(exp(-|z|))``, so the
    exponential never sees a large positive number.
    """
    z = np.asarray(z, dtype=float)
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def softplus_derivative(z):
    """The derivative of softplus is the sigmoid."""
    return sigmoid(z)


def tanh(z):
    """Hyperbolic tangent."""
    return np.tanh(np.asarray(z, dtype=float))


def tanh_derivative(z):
    """``1 - tanh(z)**2``."""
    t = np.tanh(np.asarray(z, dtype=float))
    return 1.0 - t * t


def _tanh_derivative_from_output(a):
    return 1.0 - a * a


def identity(z):
    """The identity ``z``, used by regression outputs such as the dosage network."""
    return np.asarray(z, dtype=float)


def identity_derivative(z):
    """Constant slope ``1``."""
    return np.ones_like(np.asarray(z, dtype=float))


def _identity_derivative_from_output(a):
    return np.ones_like(a)


@dataclass(frozen=True)
class Activation:
    """One registry entry: a name, the function and its derivative."""

    name: str
    function: Callable
    derivative: Callable
    derivative_from_output: Optional[Callable] = None

    def __call__(self, z):
        return self.function(z)


ACTIVATIONS = {
    "sigmoid": Activation("sigmoid", sigmoid, sigmoid_derivative, _sigmoid_derivative_from_output),
    "relu": Activation("relu", relu, relu_derivative, _relu_derivative_from_output),
    "softplus": Activation("softplus", softplus, softplus_derivative, None),
    "tanh": Activation("tanh", tanh, tanh_derivative, _tanh_derivative_from_output),
    "identity": Activation("identity", identity, identity_derivative, _identity_derivative_from_output),
}
"""Registry of activations by name."""


def get_activation(name, argument="activation"):
    """Return the :class:`Activation` registered as ``name``.

    An :class:`Activation` passed in is returned unchanged. An unknown name
    raises ``ValueError`` listing the known ones.
    """
    if isinstance(name, Activation):
        return name
    return ACTIVATIONS[check_choice(name, ACTIVATIONS, argument)]
