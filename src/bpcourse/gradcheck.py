"""Check backpropagation against central finite differences.

For each parameter ``p`` the slope of the loss is estimated as

    (L(p + eps) - L(p - eps)) / (2 * eps)

whose error shrinks like ``eps**2``. It needs two forward passes per
parameter, so it is only for small networks and checks (chapters 3 and 4),
never for training.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_data, check_real
from .losses import get_loss
from .network import flatten

__all__ = ["numerical_gradients", "GradientCheck", "gradient_check"]


def numerical_gradients(net, X, y, loss, eps=1e-6):
    """Central finite-difference gradients, shaped like ``net.gradients``'s answer.

    Returns
    -------
    weight_grads, bias_grads : lists of ndarray
    """
    X, y = check_data(net, X, y)
    loss = get_loss(loss)
    eps = check_real(eps, "eps", positive=True)
    weight_grads = [np.zeros_like(W) for W in net.weights]
    bias_grads = [np.zeros_like(b) for b in net.biases]
    for params, grads in ((net.weights, weight_grads), (net.biases, bias_grads)):
        for p, g in zip(params, grads):
            for index in np.ndindex(p.shape):
                original = p[index]
                p[index] = original + eps
                up = loss(net._predict(X), y)
                p[index] = original - eps
                down = loss(net._predict(X), y)
                p[index] = original
                g[index] = (up - down) / (2 * eps)
    return weight_grads, bias_grads


@dataclass
class GradientCheck:
    """Backpropagation and finite differences side by side, flattened.

    ``names[i]``, ``backprop[i]`` and ``numerical[i]`` describe one parameter
    (order of :meth:`MLP.get_flat_parameters`).
    """

    names: list
    backprop: np.ndarray
    numerical: np.ndarray

    @property
    def max_abs_error(self):
        return float(np.max(np.abs(self.backprop - self.numerical)))

    @property
    def max_rel_error(self):
        """``max |a - b| / max(|a| + |b|, 1e-8)`` over all parameters."""
        scale = np.maximum(np.abs(self.backprop) + np.abs(self.numerical), 1e-8)
        return float(np.max(np.abs(self.backprop - self.numerical) / scale))

    def passed(self, tol=1e-6):
        return self.max_rel_error < tol

    def __repr__(self):
        return (
            f"GradientCheck({len(self.names)} parameters, max relative error "
            f"{self.max_rel_error:.1e})"
        )


def gradient_check(net, X, y, loss, eps=1e-6):
    """Compare ``net.gradients`` with :func:`numerical_gradients`."""
    bw, bb = net.gradients(X, y, loss)
    nw, nb = numerical_gradients(net, X, y, loss, eps=eps)

    return GradientCheck(net.parameter_names(), flatten(bw, bb), flatten(nw, nb))
