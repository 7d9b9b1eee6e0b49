"""A fully connected network (multilayer perceptron) of any depth.

Notation, as in the chapters: layer ``l`` computes

    z[l] = a[l-1] @ W[l] + b[l]        (pre-activation)
    a[l] = f[l](z[l])                  (activation)

with ``a[0] = X``. Rows are samples, so ``W[l]`` has shape (n_in, n_out): the
transpose of the ``W·x`` written in the lecture's formulas for one column
vector ``x``. Python lists count from 0, so ``weights[0]`` is the book's
``W1`` and, in a :class:`ForwardPass`, ``z[0]`` is the book's ``z1`` while
``a[0]`` is the input ``X`` (``a[l + 1] = f(z[l])``).

Backpropagation (:meth:`MLP.backward`) starts from ``dL/da[L]``, the
derivative of the loss by the output, and walks backwards with

    delta[L]   = dL/da[L] * f'[L](z[L])           delta[l] means dL/dz[l]
    dL/dW[l]   = a[l-1].T @ delta[l]
    dL/db[l]   = sum of delta[l] over the samples
    delta[l-1] = (delta[l] @ W[l].T) * f'[l-1](z[l-1])

A softmax output mixes its inputs, so its first line is a product with the
softmax's Jacobian instead of an elementwise one; with the categorical
cross-entropy that product simplifies to ``delta[L] = (y_hat - y) / N``, which
:meth:`MLP.backward` uses when it is given the loss and the targets (chapter 9).

This is the only backward pass in the package: the training functions in
:mod:`bpcourse.training` and :mod:`bpcourse.lr_search` call it.
"""

from __future__ import annotations

from typing import List, NamedTuple

import numpy as np

from ._validation import as_float_array, check_data, check_finite_result, check_name, check_real, show_value
from .activations import get_activation
from .losses import categorical_cross_entropy_derivative, get_loss, softmax_cross_entropy_delta

__all__ = ["MLP", "ForwardPass", "flatten", "check_network"]

INITIALISATIONS = {
    "normal": lambda n_in, n_out: 1.0,
    "glorot": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),
}
"""Standard deviation of a layer's starting weights, as a function of its fan-in and fan-out."""

MAX_WEIGHTS = 10_000_000
"""Largest number of weights :class:`MLP` accepts (a guard against typos such as 1e9 units)."""


class ForwardPass(NamedTuple):
    """What the forward pass keeps for the backward pass: two lists, ``z`` and ``a``.

    Parameters
    ----------
    z : list of ndarray
        Pre-activations, one array per layer.
    a : list of ndarray
        Activations, the input ``X`` first.
    """

    z: List[np.ndarray]
    """Pre-activations; ``z[l]`` has shape (n_samples, layer_sizes[l + 1])."""
    a: List[np.ndarray]
    """Activations, input first: ``a[0]`` is ``X`` and ``a[l + 1] = f(z[l])``, so ``a[-1]`` is the output."""


class MLP:
    """A multilayer perceptron with one activation function per layer.

    Parameters
    ----------
    layer_sizes : sequence of int
        Number of units per layer, input first, e.g. ``(2, 4, 1)``.
    activations : str or sequence of str
        Registry names (see :data:`bpcourse.ACTIVATIONS`), one per weight
        layer, or one name for all of them. ``"softmax"`` is allowed only
        in the last layer.
    seed : int or None
        Seed of the random start. Biases start at zero.
    init : {"normal", "glorot", "he"}
        How the weights are drawn, always normal with mean 0 and a standard
        deviation that depends on the layer's fan-in ``n_in`` and fan-out ``n_out``:

        ``"normal"``
            standard deviation 1, as in the lecture (the default);
        ``"glorot"``
            ``sqrt(2 / (n_in + n_out))``, Glorot and Bengio (2010), for tanh and sigmoid layers;
        ``"he"``
            ``sqrt(2 / n_in)``, He et al. (2015), for ReLU layers.

        Chapter 8 compares them.

    Attributes
    ----------
    weights : list of ndarray
        ``weights[l]`` of shape (layer_sizes[l], layer_sizes[l + 1]).
    biases : list of ndarray
        ``biases[l]`` of shape (layer_sizes[l + 1],).
    activations : list of Activation
        The activation *functions* of the layers (their values on data are
        in :attr:`ForwardPass.a`).

    Raises
    ------
    TypeError, ValueError
        For layer sizes that are not positive integers, unknown activation
        names, a wrong number of them, or more than ``MAX_WEIGHTS`` weights.

    Notes
    -----
    Training updates :attr:`weights` and :attr:`biases` *in place*: the same
    array objects hold the new values, so an array taken from the network
    before training shows the trained values afterwards. Take a copy
    (:meth:`copy` or ``W.copy()``) to keep the old ones.

    Examples
    --------
    >>> import bpcourse
    >>> net = bpcourse.MLP((2, 4, 1), "sigmoid", seed=0)
    >>> net.forward([[0.5, -0.5]]).shape
    (1, 1)
    """

    def __init__(self, layer_sizes, activations, seed=None, init="normal"):
        sizes = _check_layer_sizes(layer_sizes)
        functions = _check_activations(activations, len(sizes) - 1)
        if seed is not None:
            seed = check_real(seed, "seed", integer=True, non_negative=True, maximum=2**63 - 1)
        scale = INITIALISATIONS[check_name(init, INITIALISATIONS, "init")]
        rng = np.random.default_rng(seed)
        self.weights = [scale(n_in, n_out) * rng.standard_normal((n_in, n_out))
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [np.zeros(n_out) for n_out in sizes[1:]]
        self.activations = functions

    @classmethod
    def from_weights(cls, weights, biases, activations):
        """Build a network from given parameters, which are copied.

        Parameters
        ----------
        weights : list of array_like
            ``weights[l]`` of shape (n_in, n_out).
        biases : list of array_like
            ``biases[l]`` of shape (n_out,).
        activations : str or list of str
            Registry names, one per layer (or one for all).

        Returns
        -------
        MLP
            A network holding copies of the arrays: training it never changes
            the caller's arrays.

        Raises
        ------
        TypeError, ValueError
            If the arrays are not finite numbers or their shapes do not chain.
        """
        if not isinstance(weights, (list, tuple)) or not weights:
            raise TypeError(f"weights must be a non-empty list of 2-D arrays; got {show_value(weights)}")
        if not isinstance(biases, (list, tuple)):
            raise TypeError(f"biases must be a list of 1-D arrays; got {show_value(biases)}")
        if len(biases) != len(weights):
            raise ValueError(
                f"biases must have one array per weight matrix ({len(weights)}); got {len(biases)}"
            )
        ws = [as_float_array(w, f"weights[{i}]", ndim=2).copy() for i, w in enumerate(weights)]
        bs = [as_float_array(b, f"biases[{i}]", ndim=1).copy() for i, b in enumerate(biases)]
        for i in range(1, len(ws)):
            if ws[i].shape[0] != ws[i - 1].shape[1]:
                raise ValueError(
                    f"weights[{i}] must have {ws[i - 1].shape[1]} rows to follow weights[{i - 1}] "
                    f"of shape {ws[i - 1].shape}; got shape {ws[i].shape}"
                )
        for i, (w, b) in enumerate(zip(ws, bs)):
            if b.shape != (w.shape[1],):
                raise ValueError(f"biases[{i}] must have shape ({w.shape[1]},); got {b.shape}")
        _check_layer_sizes([ws[0].shape[0]] + [w.shape[1] for w in ws])
        net = cls.__new__(cls)
        net.weights, net.biases = ws, bs
        net.activations = _check_activations(activations, len(ws))
        return net

    @property
    def layer_sizes(self):
        """Units per layer, input first, e.g. ``(2, 4, 1)``."""
        return tuple([self.weights[0].shape[0]] + [w.shape[1] for w in self.weights])

    @property
    def n_parameters(self):
        """Number of weights and biases."""
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def copy(self):
        """An independent copy: new arrays, same values and activations.

        Returns
        -------
        MLP
        """
        return MLP.from_weights(self.weights, self.biases, [a.name for a in self.activations])

    def __repr__(self):
        names = ", ".join(repr(a.name) for a in self.activations)
        return f"MLP(layer_sizes={self.layer_sizes}, activations=[{names}])"

    # ------------------------------------------------------------------ forward
    def forward(self, X):
        """The network's predictions.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)

        Returns
        -------
        ndarray of shape (n_samples, n_out)

        Raises
        ------
        TypeError, ValueError
            If ``X`` is not a finite 2-D array with ``n_in`` columns.
        """
        return self.forward_pass(X).a[-1]

    __call__ = forward

    def forward_pass(self, X, check_input=True):
        """Run the network and keep every pre-activation and activation.

        This is the forward pass that backpropagation needs (chapter 3 reads
        it); :meth:`forward` returns only its last activation.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        check_input : bool
            ``False`` skips the checks of ``X`` and the floating-point guard
            (``np.errstate``): for training loops that check once and guard
            the whole loop. Don't use it otherwise.

        Returns
        -------
        ForwardPass
            ``z`` and ``a`` lists (see :class:`ForwardPass`).

        Raises
        ------
        TypeError, ValueError
            If ``X`` is not a finite 2-D array with ``n_in`` columns, or if the
            output overflows float64 although ``X`` and the parameters are finite.
        """
        if not check_input:
            return self._forward_pass(X)
        X = check_data(self, X)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # huge weights give inf, not a warning
            forward = self._forward_pass(X)
            check_finite_result(forward.a[-1], "the network's output", [X] + self.weights + self.biases)
        return forward

    def _forward_pass(self, X):
        z, a = [], [X]
        for W, b, f in zip(self.weights, self.biases, self.activations):
            z.append(np.dot(a[-1], W) + b)  # np.dot as in the lecture (faster than @ here, see _backward)
            a.append(f.function(z[-1]))
        return ForwardPass(z, a)

    def loss(self, X, y, loss):
        """The value of ``loss`` on data ``X``, ``y``.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        y : array_like of shape (n_samples, n_out), or (n_samples,) for one output
        loss : str or Loss
            A name in :data:`bpcourse.LOSSES` or a :class:`~bpcourse.Loss`.

        Returns
        -------
        float

        Raises
        ------
        TypeError, ValueError
            For data that do not fit the network, an unknown loss, or a loss
            that overflows float64 (see :func:`bpcourse.sse`).
        """
        X, y = check_data(self, X, y)
        return get_loss(loss)(self.forward_pass(X).a[-1], y)

    # ----------------------------------------------------------------- backward
    def backward(self, forward_pass, output_gradient, check_input=True, *, loss=None, y=None):
        """Backpropagation: the gradients of the loss by every weight and bias.

        Parameters
        ----------
        forward_pass : ForwardPass
            What :meth:`forward_pass` returned for the data.
        output_gradient : ndarray of shape (n_samples, n_out)
            ``dL/da[L]``, the derivative of the loss by the network's output,
            e.g. ``loss.derivative(y_hat, y)``.
        check_input : bool
            ``False`` skips the checks of the arguments and the floating-point
            guard, as in :meth:`forward_pass`.
        loss : str or Loss, optional
            The loss that ``output_gradient`` comes from, and
        y : array_like of shape (n_samples, n_out), optional
            its targets. Given both, a softmax output with the
            ``"categorical_cross_entropy"`` starts from the fused
            ``delta = (y_hat - y) / N`` instead of ``output_gradient``
            (the same numbers, without dividing by probabilities that may
            have rounded to 0). Otherwise they are not used.

        Returns
        -------
        weight_grads : list of ndarray
            ``dL/dW[l]``, shaped like :attr:`weights`.
        bias_grads : list of ndarray
            ``dL/db[l]``, shaped like :attr:`biases`.

        Raises
        ------
        TypeError, ValueError
            If ``forward_pass`` is not a :class:`ForwardPass` of this network,
            ``output_gradient`` has another shape than the output, or a
            gradient overflows float64 although its inputs are finite.
        """
        fused = y is not None and loss is not None and self._fuses(loss)
        if not check_input:
            return self._backward(forward_pass, output_gradient, y if fused else None)
        if not isinstance(forward_pass, ForwardPass) or len(forward_pass.z) != len(self.weights):
            raise TypeError(f"forward_pass must be what this network's forward_pass(X) returned; got "
                            f"{show_value(forward_pass)}")
        if not isinstance(output_gradient, np.ndarray) or output_gradient.shape != forward_pass.a[-1].shape:
            raise ValueError(f"output_gradient (the loss's derivative by the output) must be an array of the "
                             f"output's shape {forward_pass.a[-1].shape}; got {show_value(output_gradient)}")
        inputs = [forward_pass.a[0], output_gradient] + self.weights + self.biases
        if fused:
            y = as_float_array(y, "y", ndim=2)
            if y.shape != forward_pass.a[-1].shape:
                raise ValueError(f"y must have the output's shape {forward_pass.a[-1].shape}; got {y.shape}")
            softmax_cross_entropy_delta(forward_pass.a[-1], y)  # only for its checks of y (one distribution per row)
            inputs.append(y)
        with np.errstate(over="ignore", invalid="ignore", under="ignore"):
            weight_grads, bias_grads = self._backward(forward_pass, output_gradient, y if fused else None)
            for g in weight_grads + bias_grads:
                check_finite_result(g, "a gradient", inputs)
        return weight_grads, bias_grads

    def _fuses(self, loss):
        """Whether :meth:`backward` starts from the fused softmax + categorical cross-entropy delta for ``loss``."""
        return (self.activations[-1].name == "softmax"
                and get_loss(loss).derivative is categorical_cross_entropy_derivative)

    def _backward(self, forward_pass, output_gradient, fused_targets=None):
        z, a = forward_pass
        n_layers = len(self.weights)
        weight_grads, bias_grads = [None] * n_layers, [None] * n_layers
        # delta is dL/dz of the layer in hand, one row per sample. Matrix products are written
        # np.dot(A, B), as in the lecture: for arrays this small NumPy's dot is faster than A @ B
        # (four times faster for delta times W.T when a layer has one unit).
        if fused_targets is not None:
            # softmax + categorical cross-entropy, fused: delta = (y_hat - y) / N, the formula of
            # losses.softmax_cross_entropy_delta (whose checks the targets have passed already). The
            # Jacobian product below would compute a * (-y / (a N)) and lose the cancellation where
            # a probability a rounds to 0.
            delta = (a[-1] - fused_targets) / len(fused_targets)
        elif self.activations[-1].name == "softmax":
            # the softmax mixes its inputs: delta = J^T g with J = diag(a) - a a^T, one row at a time
            g = output_gradient
            delta = a[-1] * (g - np.sum(a[-1] * g, axis=1, keepdims=True))
        else:
            delta = output_gradient * self.activations[-1].slope(z[-1], a[-1])
        ones = np.ones(len(delta))
        for l in range(n_layers - 1, -1, -1):
            weight_grads[l] = np.dot(a[l].T, delta)  # (n_in, n_samples) times (n_samples, n_out)
            # each bias adds to every sample's z, so its gradient is the sum of delta over the
            # samples; written as ones times delta, which NumPy does 2-3x faster than delta.sum(axis=0)
            bias_grads[l] = np.dot(ones, delta)
            if l > 0:
                delta = np.dot(delta, self.weights[l].T) * self.activations[l - 1].slope(z[l - 1], a[l])
        return weight_grads, bias_grads

    def gradients(self, X, y, loss):
        """Gradients of ``loss`` on ``X``, ``y`` by backpropagation.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        y : array_like of shape (n_samples, n_out), or (n_samples,) for one output
        loss : str or Loss

        Returns
        -------
        weight_grads, bias_grads : lists of ndarray
            Shaped like :attr:`weights` and :attr:`biases`.

        Examples
        --------
        >>> import bpcourse
        >>> X, y = bpcourse.dosage_data()
        >>> weight_grads, bias_grads = bpcourse.dosage_network().gradients(X, y, "sse")
        >>> round(float(bias_grads[1][0]), 4)   # dSSR/db3
        -15.6551
        """
        X, y = check_data(self, X, y)
        loss = get_loss(loss)
        forward = self.forward_pass(X)
        return self.backward(forward, loss.derivative(forward.a[-1], y), loss=loss, y=y)

    # --------------------------------------------------------------- parameters
    def get_flat_parameters(self):
        """All parameters in one new 1-D array: W1, b1, W2, b2, ... (row-major).

        Returns
        -------
        ndarray of shape (n_parameters,)
        """
        return flatten(self.weights, self.biases)

    def set_flat_parameters(self, flat):
        """Write the values of a 1-D array (order of :meth:`get_flat_parameters`) into the parameters, in place.

        Parameters
        ----------
        flat : array_like of shape (n_parameters,)

        Returns
        -------
        None

        Raises
        ------
        TypeError, ValueError
            If ``flat`` is not a finite 1-D array of :attr:`n_parameters` numbers.
        """
        flat = as_float_array(flat, "flat", ndim=1)
        if flat.size != self.n_parameters:
            raise ValueError(f"flat must have {self.n_parameters} entries; got {flat.size}")
        i = 0
        for W, b in zip(self.weights, self.biases):
            for p in (W, b):
                p[...] = flat[i : i + p.size].reshape(p.shape)
                i += p.size

    def parameter_names(self):
        """Names matching :meth:`get_flat_parameters`, e.g. ``W1[0,2]``, ``b2[0]`` (1-based layers).

        Returns
        -------
        list of str
        """
        names = []
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            names += [f"W{l}[{i},{j}]" for i in range(W.shape[0]) for j in range(W.shape[1])]
            names += [f"b{l}[{j}]" for j in range(b.shape[0])]
        return names


def check_network(net, argument="net"):
    """Return ``net`` if it is an :class:`MLP`.

    Parameters
    ----------
    net : object
    argument : str
        The argument's name, for the error message.

    Returns
    -------
    MLP

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`MLP`.
    """
    if not isinstance(net, MLP):
        raise TypeError(f"{argument} must be a bpcourse.MLP; got {show_value(net)} of type {type(net).__name__}")
    return net


def flatten(weights, biases):
    """One new 1-D array W1, b1, W2, b2, ... (row-major): the order of every flat parameter vector.

    Parameters
    ----------
    weights, biases : lists of ndarray
        Shaped like :attr:`MLP.weights` and :attr:`MLP.biases` (parameters or gradients).

    Returns
    -------
    ndarray of shape (n_parameters,)

    Raises
    ------
    TypeError
        If ``weights`` and ``biases`` are not lists (or tuples) of ndarrays.
    """
    if not (isinstance(weights, (list, tuple)) and isinstance(biases, (list, tuple))
            and all(isinstance(p, np.ndarray) for p in list(weights) + list(biases))):
        raise TypeError(f"weights and biases must be lists of ndarrays; got {show_value(weights)} and "
                        f"{show_value(biases)}")
    return np.concatenate([p.ravel() for pair in zip(weights, biases) for p in pair])


def _check_layer_sizes(layer_sizes):
    if not isinstance(layer_sizes, (list, tuple, range, np.ndarray)):
        raise TypeError(f"layer_sizes must be a sequence of positive integers; got {show_value(layer_sizes)}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must name at least an input and an output layer; got {show_value(layer_sizes)}")
    sizes = [check_real(n, f"layer_sizes[{i}]", integer=True, positive=True) for i, n in enumerate(layer_sizes)]
    n_weights = sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
    if n_weights > MAX_WEIGHTS:
        raise ValueError(
            f"layer_sizes={sizes} would need {n_weights:.3g} weights; this teaching package "
            f"allows at most {MAX_WEIGHTS:.0e}"
        )
    return sizes


def _check_activations(activations, n_layers):
    if isinstance(activations, str):
        activations = [activations] * n_layers
    if not isinstance(activations, (list, tuple)):
        raise TypeError(f"activations must be a name or a list of names; got {show_value(activations)}")
    if len(activations) != n_layers:
        raise ValueError(
            f"activations must have one name per weight layer ({n_layers}); got {len(activations)}: "
            f"{show_value(list(activations))}"
        )
    functions = [get_activation(a, f"activations[{i}]") for i, a in enumerate(activations)]
    for i, f in enumerate(functions[:-1]):
        if f.name == "softmax":
            raise ValueError(f"activations[{i}]='softmax' is an output activation: only the last layer "
                             f"(activations[{n_layers - 1}]) may use it")
    return functions
