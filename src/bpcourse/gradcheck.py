"""Check backpropagation against central finite differences.

For each parameter ``p`` the slope of the loss is estimated as

    (L(p + eps) - L(p - eps)) / (2 * eps)

whose error shrinks like ``eps**2`` until rounding takes over. It needs two
forward passes per parameter, so it is only for small networks and checks
(chapters 3, 4 and 7), never for training.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

import numpy as np

from ._validation import as_float_array, check_data, check_finite_result, check_real
from .losses import get_loss
from .network import check_network, flatten

__all__ = ["relative_error", "numerical_gradients", "GradientCheck", "gradient_check", "gradient_timings"]


def relative_error(computed, reference, floor=1e-8):
    """How far apart two gradients are, entry by entry, on a scale from 0 to 1.

    ``|computed - reference| / max(|computed| + |reference|, floor)``: 0 where
    they agree, 1 where they have opposite signs or one of them is 0 and the
    other is not. Dividing by the sizes makes the number mean the same for a
    slope of 1e-5 and one of 1e5; the ``floor`` keeps two slopes that are both
    nearly 0 from counting as far apart (their difference is then measured
    against ``floor`` instead).

    Parameters
    ----------
    computed, reference : array_like of the same shape
        For example a gradient by backpropagation and one by finite
        differences (:func:`numerical_gradients`).
    floor : float > 0
        The smallest denominator.

    Returns
    -------
    ndarray of the shape of the arguments
        Values in [0, 1]. Its largest entry is what :attr:`GradientCheck.max_rel_error`
        reports: below about 1e-7 the two agree as closely as finite
        differences allow; around 1e-2 or above, one of them is wrong.

    Raises
    ------
    TypeError, ValueError
        If the arguments are not finite arrays of the same shape, or ``floor`` is not positive.

    Examples
    --------
    >>> import bpcourse
    >>> bpcourse.relative_error([2.0, 3.0, -1.0, 0.0], [2.0, 1.0, 1.0, 5e-9]).round(6).tolist()
    [0.0, 0.5, 1.0, 0.5]

    The last pair is measured against ``floor``: ``5e-9 / 1e-8``.
    """
    computed = as_float_array(computed, "computed")
    reference = as_float_array(reference, "reference")
    if computed.shape != reference.shape:
        raise ValueError(f"computed and reference must have the same shape; got {computed.shape} and "
                         f"{reference.shape}")
    floor = check_real(floor, "floor", positive=True)
    # The formula with every term halved: the same ratio (halving a float is exact), and neither the
    # difference nor the sum can overflow for gradients near the largest float.
    half_difference = np.abs(0.5 * computed - 0.5 * reference)
    return half_difference / np.maximum(0.5 * np.abs(computed) + 0.5 * np.abs(reference), 0.5 * floor)


def numerical_gradients(net, X, y, loss, eps=1e-6):
    """Central finite-difference gradients, shaped like :meth:`MLP.gradients`'s answer.

    Parameters
    ----------
    net : MLP
        Left unchanged (a copy is perturbed).
    X, y, loss : as in :meth:`MLP.gradients`
    eps : float in (0, 1]
        The half-width of the difference.

    Returns
    -------
    weight_grads, bias_grads : lists of ndarray

    Raises
    ------
    TypeError, ValueError
        For bad arguments, or when a loss or a difference overflows float64.
    """
    check_network(net)
    X, y = check_data(net, X, y)
    loss = get_loss(loss)
    eps = check_real(eps, "eps", positive=True, maximum=1.0)
    probe = net.copy()
    weight_grads = [np.zeros_like(W) for W in probe.weights]
    bias_grads = [np.zeros_like(b) for b in probe.biases]
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for params, grads in ((probe.weights, weight_grads), (probe.biases, bias_grads)):
            for p, g in zip(params, grads):
                for index in np.ndindex(p.shape):
                    original = p[index]
                    p[index] = original + eps
                    up = loss(probe.forward(X), y)
                    p[index] = original - eps
                    down = loss(probe.forward(X), y)
                    p[index] = original
                    g[index] = (up - down) / (2 * eps)
        for g in weight_grads + bias_grads:  # a difference of huge losses over a small 2 eps may overflow
            check_finite_result(g, "a finite-difference gradient", [X, y] + net.weights + net.biases)
    return weight_grads, bias_grads


@dataclass
class GradientCheck:
    """Backpropagation and finite differences side by side, flattened.

    Attributes
    ----------
    names : list of str
        Parameter names (order of :meth:`MLP.get_flat_parameters`).
    backprop, numerical : ndarray of shape (n_parameters,)
        The two gradients.
    """

    names: list
    backprop: np.ndarray
    numerical: np.ndarray

    @property
    def max_abs_error(self):
        """Largest ``|backprop - numerical|``."""
        return float(np.max(np.abs(self.backprop - self.numerical)))

    @property
    def max_rel_error(self):
        """The largest :func:`relative_error` of the two gradients, ``max |a - b| / max(|a| + |b|, 1e-8)``.

        Below about 1e-7 the two agree to the precision finite differences
        allow; around 1e-2 or above, one of them is wrong.
        """
        return float(np.max(relative_error(self.backprop, self.numerical)))

    def __repr__(self):
        return (
            f"GradientCheck({len(self.names)} parameters, max relative error "
            f"{self.max_rel_error:.1e})"
        )


def gradient_check(net, X, y, loss, eps=1e-6):
    """Compare :meth:`MLP.gradients` with :func:`numerical_gradients`.

    Parameters
    ----------
    net : MLP
    X, y, loss : as in :meth:`MLP.gradients`
    eps : float in (0, 1]

    Returns
    -------
    GradientCheck
    """
    nw, nb = numerical_gradients(net, X, y, loss, eps=eps)  # validates every argument first
    bw, bb = net.gradients(X, y, loss)
    return GradientCheck(net.parameter_names(), flatten(bw, bb), flatten(nw, nb))


def gradient_timings(net, X, y, loss, repeats=5):
    """How long one full gradient takes by backpropagation and by finite differences (chapter 7).

    Each method runs ``repeats`` times, alternating, and the median time is
    kept. The two times are measured in the same process, so their *ratio*
    means something even on a busy machine; the seconds themselves do not.

    Parameters
    ----------
    net : MLP
    X, y, loss : as in :meth:`MLP.gradients`
    repeats : int, 1 to 100

    Returns
    -------
    backprop_seconds, finite_difference_seconds : float

    Raises
    ------
    TypeError, ValueError
        For bad arguments, before anything is timed.
    """
    from ._validation import check_count

    check_network(net)
    X, y = check_data(net, X, y)
    get_loss(loss)
    repeats = check_count(repeats, "repeats", maximum=100)
    backprop, numeric = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        net.gradients(X, y, loss)
        backprop.append(time.perf_counter() - start)
        start = time.perf_counter()
        numerical_gradients(net, X, y, loss)
        numeric.append(time.perf_counter() - start)
    return statistics.median(backprop), statistics.median(numeric)
