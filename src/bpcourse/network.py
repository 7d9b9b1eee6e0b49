"""A fully connected network (multilayer perceptron) of any depth.

Notation, as in the chapters: layer ``l`` computes

    z[l] = a[l-1] @ W[l] + b[l]        (pre-activation)
    a[l] = f[l](z[l])                  (activation)

with ``a[0] = X``. Rows are samples, so ``W[l]`` has shape (n_in, n_out): the
transpose of the ``W·x`` written in the lecture's formulas for one column
vector ``x``. Python lists count from 0, so ``weights[0]`` is the book's
``W1``.

Backpropagation (:meth:`MLP.gradients`) keeps every ``z`` and ``a`` from the
forward pass, then walks backwards with

    delta[L] = dLoss/da[L] * f'[L](z[L])
    dW[l]    = a[l-1].T @ delta[l]
    db[l]    = sum of delta[l] over samples
    delta[l-1] = (delta[l] @ W[l].T) * f'[l-1](z[l-1])
"""

from __future__ import annotations

import numpy as np

from ._validation import _show, as_float_array, check_data, check_real
from .activations import get_activation
from .losses import get_loss

__all__ = ["MLP", "DosageParameters", "flatten"]

MAX_WEIGHTS = 10_000_000
"""Largest number of weights :class:`MLP` accepts (a guard against typos such as 1e9 units)."""


class MLP:
    """A multilayer perceptron with one activation per layer.

    Parameters
    ----------
    layer_sizes : sequence of int
        Number of units per layer, input first, e.g. ``(2, 4, 1)``.
    activations : str or sequence of str
        Registry names (see :data:`bpcourse.ACTIVATIONS`), one per weight
        layer, or one name for all of them.
    seed : int or None
        Seed of the random start: weights are standard normal (as in the
        lecture), biases are zero.

    Attributes
    ----------
    weights : list of ndarray, ``weights[l]`` of shape (n_in, n_out)
    biases : list of ndarray, ``biases[l]`` of shape (n_out,)
    activations : list of :class:`~bpcourse.activations.Activation`
    """

    def __init__(self, layer_sizes, activations, seed=None):
        sizes = _check_layer_sizes(layer_sizes)
        acts = _check_activations(activations, len(sizes) - 1)
        if seed is not None:
            seed = check_real(seed, "seed", integer=True, non_negative=True)
        rng = np.random.default_rng(seed)
        weights = [rng.standard_normal((n_in, n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        biases = [np.zeros(n_out) for n_out in sizes[1:]]
        self._set(weights, biases, acts)

    @classmethod
    def from_weights(cls, weights, biases, activations):
        """Build a network from given parameters.

        ``weights[l]`` has shape (n_in, n_out), ``biases[l]`` shape (n_out,)
        and ``activations[l]`` is a registry name.
        """
        if not isinstance(weights, (list, tuple)) or not weights:
            raise TypeError(f"weights must be a non-empty list of 2-D arrays; got {_show(weights)}")
        if not isinstance(biases, (list, tuple)):
            raise TypeError(f"biases must be a list of 1-D arrays; got {_show(biases)}")
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
        net = cls.__new__(cls)
        net._set(ws, bs, _check_activations(activations, len(ws)))
        return net

    def _set(self, weights, biases, activations):
        self.weights = weights
        self.biases = biases
        self.activations = activations

    @property
    def layer_sizes(self):
        """Units per layer, input first."""
        return tuple([self.weights[0].shape[0]] + [w.shape[1] for w in self.weights])

    @property
    def n_parameters(self):
        return sum(w.size + b.size for w, b in zip(self.weights, self.biases))

    def copy(self):
        """An independent copy (parameters copied)."""
        return MLP.from_weights(self.weights, self.biases, [a.name for a in self.activations])

    def __repr__(self):
        names = ", ".join(repr(a.name) for a in self.activations)
        return f"MLP(layer_sizes={self.layer_sizes}, activations=[{names}])"

    # ------------------------------------------------------------------ forward
    def forward_pass(self, X):
        """Run the network and keep what backpropagation needs.

        Returns
        -------
        zs : list of ndarray
            Pre-activations, ``zs[l]`` of shape (n_samples, layer_sizes[l + 1]).
        activations : list of ndarray
            ``activations[0]`` is ``X``; ``activations[l + 1] = f(zs[l])``.
        """
        X = check_data(self, X)
        return self._forward_pass(X)

    def _forward_pass(self, X):
        zs, outputs = [], [X]
        a = X
        for W, b, act in zip(self.weights, self.biases, self.activations):
            z = a @ W + b
            a = act.function(z)
            zs.append(z)
            outputs.append(a)
        return zs, outputs

    def forward(self, X):
        """Predictions of shape (n_samples, n_out) for ``X`` of shape (n_samples, n_in)."""
        return self._predict(check_data(self, X))

    def _predict(self, X):
        a = X
        for W, b, act in zip(self.weights, self.biases, self.activations):
            a = act.function(a @ W + b)
        return a

    __call__ = forward

    def loss(self, X, y, loss):
        """The value of ``loss`` (a registry name) on data ``X``, ``y``."""
        X, y = check_data(self, X, y)
        return get_loss(loss)(self._predict(X), y)

    # ----------------------------------------------------------------- backward
    def gradients(self, X, y, loss):
        """Gradients of ``loss`` by backpropagation.

        Returns ``(weight_grads, bias_grads)``, lists shaped like
        :attr:`weights` and :attr:`biases`.
        """
        X, y = check_data(self, X, y)
        loss = get_loss(loss)
        zs, outputs = self._forward_pass(X)
        return self._backward(zs, outputs, loss.derivative(outputs[-1], y))

    def _backward(self, zs, outputs, dloss_da):
        n_layers = len(self.weights)
        weight_grads = [None] * n_layers
        bias_grads = [None] * n_layers
        delta = dloss_da * _slope(self.activations[-1], zs[-1], outputs[-1])
        for l in range(n_layers - 1, -1, -1):
            weight_grads[l] = outputs[l].T @ delta
            bias_grads[l] = delta.sum(axis=0)
            if l > 0:
                delta = (delta @ self.weights[l].T) * _slope(self.activations[l - 1], zs[l - 1], outputs[l])
        return weight_grads, bias_grads

    # --------------------------------------------------------------- parameters
    def get_flat_parameters(self):
        """All parameters in one 1-D array: W1, b1, W2, b2, ... (row-major)."""
        return flatten(self.weights, self.biases)

    def set_flat_parameters(self, flat):
        """Inverse of :meth:`get_flat_parameters`."""
        flat = as_float_array(flat, "flat", ndim=1)
        if flat.size != self.n_parameters:
            raise ValueError(f"flat must have {self.n_parameters} entries; got {flat.size}")
        i = 0
        for W, b in zip(self.weights, self.biases):
            for p in (W, b):
                p[...] = flat[i : i + p.size].reshape(p.shape)
                i += p.size

    def parameter_names(self):
        """Names matching :meth:`get_flat_parameters`, e.g. ``W1[0,2]``, ``b2[0]`` (1-based layers)."""
        names = []
        for l, (W, b) in enumerate(zip(self.weights, self.biases), start=1):
            names += [f"W{l}[{i},{j}]" for i in range(W.shape[0]) for j in range(W.shape[1])]
            names += [f"b{l}[{j}]" for j in range(b.shape[0])]
        return names

    @property
    def dosage(self):
        """The dosage example's parameters under their own names (see :class:`DosageParameters`)."""
        return DosageParameters(self)


def flatten(weights, biases):
    """One 1-D array W1, b1, W2, b2, ... (row-major): the order of every flat parameter vector."""
    return np.concatenate([p.ravel() for pair in zip(weights, biases) for p in pair])


def _slope(activation, z, a):
    """``f'(z)``, from the stored output ``a`` when the activation allows it."""
    if activation.derivative_from_output is not None:
        return activation.derivative_from_output(a)
    return activation.derivative(z)


class DosageParameters:
    """Named view of a 1-2-1 network's parameters: ``w1 ... w4, b1, b2, b3``.

    The dosage example names them after the picture of the network::

        top hidden unit:     x * w1 + b1  -> softplus -> times w3
        bottom hidden unit:  x * w2 + b2  -> softplus -> times w4
        output:              sum + b3

    Reading or assigning ``view.b3`` reads or writes ``net.biases[1][0]``.
    """

    _where = {
        "w1": (0, "weights", (0, 0)),
        "w2": (0, "weights", (0, 1)),
        "b1": (0, "biases", (0,)),
        "b2": (0, "biases", (1,)),
        "w3": (1, "weights", (0, 0)),
        "w4": (1, "weights", (1, 0)),
        "b3": (1, "biases", (0,)),
    }
    names = ("w1", "w2", "w3", "w4", "b1", "b2", "b3")

    def __init__(self, net):
        if net.layer_sizes != (1, 2, 1):
            raise ValueError(
                f"the dosage names need a network with layer_sizes (1, 2, 1); got {net.layer_sizes}"
            )
        object.__setattr__(self, "_net", net)

    def _array(self, name):
        layer, kind, index = self._where[name]
        return getattr(self._net, kind)[layer], index

    def __getattr__(self, name):
        if name not in DosageParameters._where:
            raise AttributeError(f"no dosage parameter {name!r}; allowed: {list(self.names)}")
        array, index = self._array(name)
        return float(array[index])

    def __setattr__(self, name, value):
        if name not in self._where:
            raise AttributeError(f"no dosage parameter {name!r}; allowed: {list(self.names)}")
        array, index = self._array(name)
        array[index] = check_real(value, name)

    def as_dict(self):
        """``{"w1": ..., ..., "b3": ...}``."""
        return {name: getattr(self, name) for name in self.names}

    def __repr__(self):
        return "DosageParameters(" + ", ".join(f"{k}={v:.4g}" for k, v in self.as_dict().items()) + ")"


def _check_layer_sizes(layer_sizes):
    if isinstance(layer_sizes, (str, bytes)) or not hasattr(layer_sizes, "__len__"):
        raise TypeError(f"layer_sizes must be a sequence of positive integers; got {_show(layer_sizes)}")
    if len(layer_sizes) < 2:
        raise ValueError(f"layer_sizes must name at least an input and an output layer; got {_show(layer_sizes)}")
    sizes = []
    for i, n in enumerate(layer_sizes):
        n = check_real(n, f"layer_sizes[{i}]", integer=True, positive=True)
        sizes.append(n)
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
        raise TypeError(f"activations must be a name or a list of names; got {_show(activations)}")
    if len(activations) != n_layers:
        raise ValueError(
            f"activations must have one name per weight layer ({n_layers}); got {len(activations)}: "
            f"{_show(list(activations))}"
        )
    return [get_activation(a, f"activations[{i}]") for i, a in enumerate(activations)]
