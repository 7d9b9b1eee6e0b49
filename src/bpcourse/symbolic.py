"""The same networks written as SymPy expressions (chapters 3, 4 and 6).

A :class:`SymbolicNetwork` holds its weights and biases as SymPy symbols and
builds the output as a formula. From that formula the loss gradient is
derived in two independent ways:

* :meth:`SymbolicNetwork.gradient` differentiates the whole loss
  expression at once (``sympy.diff``);
* :meth:`SymbolicNetwork.chain_rule_gradient` multiplies local derivatives
  backwards through the layers, the way backpropagation does, but with
  formulas instead of numbers.

Both agree, and both agree with :meth:`bpcourse.MLP.gradients`; the tests
check all three. Following SymPy's own advice, symbols are declared
``real=True``, ReLU is a ``Piecewise`` and nothing here calls ``simplify``;
``lambdify`` (with common subexpression elimination) turns formulas into
NumPy functions only at the very end.
"""

from __future__ import annotations

import functools

import numpy as np
import sympy as sp

from ._validation import as_float_array, check_finite_result, check_name, check_real, show_value

__all__ = [
    "SYMBOLIC_ACTIVATIONS",
    "SYMBOLIC_LOSSES",
    "softmax",
    "SymbolicNetwork",
    "dosage_symbols",
    "dosage_symbolic_network",
    "dosage_chain",
    "DOSAGE_PATHS",
    "node_tex",
    "dosage_hessian_function",
    "to_function",
]


def _sigmoid(z):
    return 1 / (1 + sp.exp(-z))


def _relu(z):
    return sp.Piecewise((0, z <= 0), (z, True))


def _softplus(z):
    return sp.log(1 + sp.exp(z))


def softmax(z):
    """The softmax of a row of SymPy expressions, ``exp(z_k) / sum_j exp(z_j)``.

    Parameters
    ----------
    z : sympy.Matrix of shape (1, n_classes), or a sequence of expressions

    Returns
    -------
    sympy.Matrix of shape (1, n_classes)

    Raises
    ------
    TypeError
        If ``z`` is not a sequence (or row or column matrix) of expressions or numbers.
    ValueError
        If ``z`` is empty, or a matrix with more than one row and column.

    Examples
    --------
    >>> import sympy as sp, bpcourse
    >>> z1, z2 = sp.symbols("z1 z2", real=True)
    >>> bpcourse.symbolic.softmax([z1, z2])[0]
    exp(z1)/(exp(z1) + exp(z2))
    """
    if isinstance(z, sp.MatrixBase):
        if min(z.shape) > 1:
            raise ValueError(f"z must be one row (or column) of expressions; got a matrix of shape {z.shape}")
        items = list(z)
    elif isinstance(z, (list, tuple)) or (type(z) is np.ndarray and z.ndim == 1):
        items = list(z[0]) if len(z) == 1 and isinstance(z[0], (list, tuple)) else list(z)  # [[z1, z2]] too
    else:
        raise TypeError(f"z must be a row of SymPy expressions (a list or a one-row Matrix); got {show_value(z)}")
    try:
        entries = [sp.sympify(v, strict=True) for v in items]
    except (sp.SympifyError, TypeError, ValueError):
        entries = None
    if entries is None or not all(isinstance(v, sp.Expr) for v in entries):
        raise TypeError(f"z must hold SymPy expressions or numbers; got {show_value(z)}")
    if not entries:
        raise ValueError("z must hold at least one expression; got an empty row")
    row = sp.Matrix([entries])
    total = sum(sp.exp(v) for v in row)
    return row.applyfunc(lambda v: sp.exp(v) / total)


SYMBOLIC_ACTIVATIONS = {
    "sigmoid": _sigmoid,
    "relu": _relu,
    "softplus": _softplus,
    "tanh": sp.tanh,
    "identity": lambda z: z,
    "softmax": softmax,  # of a whole row, not elementwise (output layer only)
}
"""The activations of :data:`bpcourse.ACTIVATIONS` as functions of a SymPy expression
(the softmax: of a row of expressions)."""

SYMBOLIC_LOSSES = {
    "sse": lambda y_hat, y: (y - y_hat) ** 2,
    "half_sse": lambda y_hat, y: sp.Rational(1, 2) * (y - y_hat) ** 2,
    "mse": lambda y_hat, y: (y - y_hat) ** 2,  # divided by N in loss()
    "cross_entropy": lambda y_hat, y: -(y * sp.log(y_hat) + (1 - y) * sp.log(1 - y_hat)),  # divided by N too
    "categorical_cross_entropy": lambda y_hat, y: -y * sp.log(y_hat),  # summed over classes, divided by N samples
}
"""Per-observation terms of the losses in :data:`bpcourse.LOSSES`."""

_MEAN_LOSSES = ("mse", "cross_entropy")  # averaged over the entries, not summed
_SAMPLE_MEAN_LOSSES = ("categorical_cross_entropy",)  # summed over the classes, averaged over the samples


def _loss_scale(loss, y):
    if loss in _MEAN_LOSSES:
        return sp.Rational(1, len(y) * len(y[0]))
    if loss in _SAMPLE_MEAN_LOSSES:
        return sp.Rational(1, len(y))
    return sp.Integer(1)


def _local_derivative(name):
    """``f'`` as a function of an expression, derived by SymPy from ``f``."""
    t = sp.Dummy("t", real=True)
    derivative = sp.diff(SYMBOLIC_ACTIVATIONS[name](t), t)
    return lambda z: derivative.subs(t, z)


class SymbolicNetwork:
    """A fully connected network whose parameters are SymPy symbols.

    Parameters
    ----------
    weights : list of sympy.Matrix, ``weights[l]`` of shape (n_in, n_out)
    biases : list of sympy.Matrix, ``biases[l]`` of shape (1, n_out)
    activations : list of str
        Registry names, one per layer.
    inputs : sympy.Matrix of shape (1, n_in)
        The input symbols.
    """

    def __init__(self, weights, biases, activations, inputs):
        for name in activations:
            check_name(name, SYMBOLIC_ACTIVATIONS, "activations")
        if "softmax" in list(activations)[:-1]:
            raise ValueError(f"softmax is an output activation: only the last layer may use it; got "
                             f"{show_value(list(activations))}")
        self.weights = [sp.Matrix(W) for W in weights]
        self.biases = [sp.Matrix(b).reshape(1, len(b)) for b in biases]
        self.activations = list(activations)
        self.inputs = sp.Matrix(inputs).reshape(1, len(inputs))

    @classmethod
    def from_layer_sizes(cls, layer_sizes, activations):
        """Symbols ``W1_00``, ``b1_0``, ... for any small architecture (1-based layers).

        Parameters
        ----------
        layer_sizes : sequence of int
            Units per layer, input first; at most 100 weights (formulas grow fast).
        activations : str or sequence of str
            One name for all layers or one per layer.

        Returns
        -------
        SymbolicNetwork
        """
        if isinstance(layer_sizes, np.ndarray) and layer_sizes.ndim == 1:
            layer_sizes = layer_sizes.tolist()  # as MLP accepts it
        if not isinstance(layer_sizes, (list, tuple, range)) or len(layer_sizes) < 2:
            raise TypeError(f"layer_sizes must be a list or tuple of at least two positive integers; "
                            f"got {show_value(layer_sizes)}")
        layer_sizes = [check_real(n, f"layer_sizes[{i}]", integer=True, positive=True, maximum=100)
                       for i, n in enumerate(layer_sizes)]
        if sum(a * b for a, b in zip(layer_sizes[:-1], layer_sizes[1:])) > 100:
            raise ValueError(f"layer_sizes={layer_sizes} needs more than 100 weights; symbolic networks "
                             f"are for small examples")
        if isinstance(activations, str):
            activations = [activations] * (len(layer_sizes) - 1)
        if not isinstance(activations, (list, tuple)) or len(activations) != len(layer_sizes) - 1:
            raise ValueError(f"activations must be one name or one per layer ({len(layer_sizes) - 1}); "
                             f"got {show_value(activations)}")
        weights, biases = [], []
        for l, (n_in, n_out) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
            weights.append(sp.Matrix(n_in, n_out, lambda i, j: sp.Symbol(f"W{l}_{i}{j}", real=True)))
            biases.append(sp.Matrix(1, n_out, lambda _, j: sp.Symbol(f"b{l}_{j}", real=True)))
        inputs = sp.Matrix(1, layer_sizes[0], lambda _, i: sp.Symbol(f"x_{i}", real=True))
        return cls(weights, biases, activations, inputs)

    @property
    def parameters(self):
        """Symbols in the order of :meth:`bpcourse.MLP.get_flat_parameters`."""
        return [s for W, b in zip(self.weights, self.biases) for s in list(W) + list(b)]

    def _layers(self, x_row):
        """Pre-activations and activations for one input row (lists of 1-row matrices)."""
        zs, outputs = [], [x_row]
        a = x_row
        for W, b, name in zip(self.weights, self.biases, self.activations):
            z = a * W + b
            a = softmax(z) if name == "softmax" else z.applyfunc(SYMBOLIC_ACTIVATIONS[name])
            zs.append(z)
            outputs.append(a)
        return zs, outputs

    def output(self, x=None):
        """The network's output as a 1-row matrix of expressions.

        Parameters
        ----------
        x : sequence of numbers or expressions, optional
            Replaces the input symbols; by default they stay symbols.

        Returns
        -------
        sympy.Matrix of shape (1, n_out)
        """
        if x is None:
            row = self.inputs
        else:
            try:
                values = list(np.ravel(np.asarray(x, dtype=object)))
            except Exception as error:  # an array-like whose conversion raises
                raise TypeError(f"x must be a sequence of numbers or expressions; got {show_value(x)} "
                                f"({type(error).__name__})") from None
            if len(values) != self.inputs.cols:
                raise ValueError(f"x must hold {self.inputs.cols} value(s), one per input; got {len(values)}")
            row = sp.Matrix([values])
        return self._layers(row)[1][-1]

    def loss(self, X, y, loss="sse"):
        """The loss over a data set as one expression of the parameters.

        Numbers are kept exact where they are simple (``0.5`` becomes ``1/2``).

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        y : array_like of shape (n_samples, n_out), or (n_samples,)
        loss : str
            A name in :data:`SYMBOLIC_LOSSES`.

        Returns
        -------
        sympy.Expr
        """
        check_name(loss, SYMBOLIC_LOSSES, "loss")
        X, y = self._data(X, y)
        term = SYMBOLIC_LOSSES[loss]
        total = sp.Integer(0)
        for x_row, y_row in zip(X, y):
            y_hat = self.output(x_row)
            total += sum(term(y_hat[j], y_row[j]) for j in range(len(y_row)))
        return total * _loss_scale(loss, y)

    def gradient(self, X, y, loss="sse"):
        """``{parameter: dLoss/dparameter}`` by differentiating the whole loss.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        y : array_like of shape (n_samples, n_out), or (n_samples,)
        loss : str
            A name in :data:`SYMBOLIC_LOSSES`.

        Returns
        -------
        dict
            ``{symbol: sympy.Expr}`` for every symbol of :attr:`parameters`.
        """
        total = self.loss(X, y, loss)
        return {p: sp.diff(total, p) for p in self.parameters}

    def chain_rule_gradient(self, X, y, loss="sse"):
        """``{parameter: dLoss/dparameter}`` by a backward walk of local derivatives.

        For every observation: ``delta = dLoss/dy_hat * f'(z)`` at the output,
        then ``dW = a.T * delta``, ``db = delta`` and
        ``delta <- (delta * W.T) (elementwise) f'(z)`` layer by layer, the
        formulas of :mod:`bpcourse.network` with symbols in place of numbers.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        y : array_like of shape (n_samples, n_out), or (n_samples,)
        loss : str
            A name in :data:`SYMBOLIC_LOSSES`.

        Returns
        -------
        dict
            ``{symbol: sympy.Expr}`` for every symbol of :attr:`parameters`.
        """
        check_name(loss, SYMBOLIC_LOSSES, "loss")
        X, y = self._data(X, y)
        y_hat_symbol = sp.Dummy("y_hat", real=True)
        grads = {p: sp.Integer(0) for p in self.parameters}
        slopes = [None if name == "softmax" else _local_derivative(name) for name in self.activations]
        scale = _loss_scale(loss, y)
        for x_row, y_row in zip(X, y):
            zs, outputs = self._layers(sp.Matrix([list(x_row)]))
            dloss = sp.Matrix(
                1,
                len(y_row),
                lambda _, j: scale
                * sp.diff(SYMBOLIC_LOSSES[loss](y_hat_symbol, y_row[j]), y_hat_symbol).subs(
                    y_hat_symbol, outputs[-1][j]
                ),
            )
            if self.activations[-1] == "softmax":  # a row times the softmax's Jacobian, derived by SymPy
                t = sp.Matrix(1, zs[-1].cols, lambda _, j: sp.Dummy(f"t{j}", real=True))
                jacobian = softmax(t).jacobian(t).subs(dict(zip(t, zs[-1])))
                delta = dloss * jacobian
            else:
                delta = dloss.multiply_elementwise(zs[-1].applyfunc(slopes[-1]))
            for l in range(len(self.weights) - 1, -1, -1):
                dW = outputs[l].T * delta
                for sym, g in zip(list(self.weights[l]) + list(self.biases[l]), list(dW) + list(delta)):
                    grads[sym] += g
                if l:
                    delta = (delta * self.weights[l].T).multiply_elementwise(zs[l - 1].applyfunc(slopes[l - 1]))
        return grads

    def hessian(self, X, y, loss="sse"):
        """The matrix of second derivatives of the loss, rows and columns in :attr:`parameters` order.

        Parameters
        ----------
        X : array_like of shape (n_samples, n_in)
        y : array_like of shape (n_samples, n_out), or (n_samples,)
        loss : str
            A name in :data:`SYMBOLIC_LOSSES`.

        Returns
        -------
        sympy.Matrix of shape (n_parameters, n_parameters)
        """
        return sp.hessian(self.loss(X, y, loss), self.parameters)

    @staticmethod
    def _data(X, y):
        X = as_float_array(X, "X", ndim=2)
        y = as_float_array(y, "y", ndim=(1, 2))
        if y.ndim == 1:
            y = y.reshape(-1, 1)
        if y.shape[0] != X.shape[0]:
            raise ValueError(f"y must have {X.shape[0]} rows to match X; got shape {y.shape}")
        return [[sp.nsimplify(v) for v in row] for row in X], [[sp.nsimplify(v) for v in row] for row in y]


def dosage_symbols():
    """The seven parameter symbols of the dosage network, ``w1 ... w4, b1 ... b3``.

    Returns
    -------
    dict
        ``{"w1": Symbol("w1"), ..., "b3": Symbol("b3")}``, real symbols.
    """
    return dict(zip(("w1", "w2", "w3", "w4", "b1", "b2", "b3"), sp.symbols("w1:5 b1:4", real=True)))


def dosage_symbolic_network():
    """The dosage network (softplus hidden units, identity output) with symbolic parameters.

    Its output is ``w3*softplus(w1*x + b1) + w4*softplus(w2*x + b2) + b3``;
    :attr:`~SymbolicNetwork.parameters` are in the order ``w1, w2, b1, b2,
    w3, w4, b3``, which is the order of ``MLP.get_flat_parameters``.

    Returns
    -------
    SymbolicNetwork
    """
    s = dosage_symbols()
    return SymbolicNetwork(
        weights=[sp.Matrix([[s["w1"], s["w2"]]]), sp.Matrix([[s["w3"]], [s["w4"]]])],
        biases=[sp.Matrix([[s["b1"], s["b2"]]]), sp.Matrix([[s["b3"]]])],
        activations=["softplus", "identity"],
        inputs=sp.Matrix([[sp.Symbol("x", real=True)]]),
    )


DOSAGE_PATHS = {
    "b3": ["y_hat", "b3"],
    "w3": ["y_hat", "w3"],
    "w4": ["y_hat", "w4"],
    "b1": ["y_hat", "a1", "z1", "b1"],
    "w1": ["y_hat", "a1", "z1", "w1"],
    "b2": ["y_hat", "a2", "z2", "b2"],
    "w2": ["y_hat", "a2", "z2", "w2"],
}
"""For each dosage parameter, the nodes of the computation graph from the squared residual ``s`` down to it."""


def dosage_chain(parameter):
    """The chain rule for one dosage parameter and one observation, link by link.

    The computation graph, with one observation ``(x, y)``::

        z1 = w1*x + b1,  a1 = softplus(z1)
        z2 = w2*x + b2,  a2 = softplus(z2)
        y_hat = w3*a1 + w4*a2 + b3,   s = (y - y_hat)**2  (the squared residual)

    Parameters
    ----------
    parameter : str
        One of ``"w1"`` ... ``"w4"``, ``"b1"`` ... ``"b3"``.

    Returns
    -------
    links : list of (str, sympy.Expr)
        The LaTeX of each Leibniz factor and the local derivative, from the
        loss down to ``parameter``. Their product is ``ds/dparameter``.
    symbols : dict
        The graph's symbols by name (``x, y, z1, a1, z2, a2, y_hat`` and the
        parameters), to substitute values into the links.
    """
    check_name(parameter, DOSAGE_PATHS, "parameter")
    s = dosage_symbols()
    x, y, z1, a1, z2, a2, y_hat = sp.symbols("x y z_1 a_1 z_2 a_2 \\hat{y}", real=True)
    nodes = {
        "s": (y - y_hat) ** 2,
        "y_hat": s["w3"] * a1 + s["w4"] * a2 + s["b3"],
        "a1": _softplus(z1),
        "a2": _softplus(z2),
        "z1": s["w1"] * x + s["b1"],
        "z2": s["w2"] * x + s["b2"],
    }
    node_symbols = {"y_hat": y_hat, "a1": a1, "a2": a2, "z1": z1, "z2": z2, **s}
    links = []
    upper = "s"
    for lower in DOSAGE_PATHS[parameter]:
        derivative = sp.diff(nodes[upper], node_symbols[lower])
        name = f"\\frac{{\\partial {node_tex(upper)}}}{{\\partial {node_tex(lower)}}}"
        links.append((name, derivative))
        upper = lower
    symbols = {"x": x, "y": y, "z1": z1, "a1": a1, "z2": z2, "a2": a2, "y_hat": y_hat, **s}
    return links, symbols


def node_tex(name):
    """LaTeX of a dosage graph node's name.

    Parameters
    ----------
    name : str
        A node of the dosage network's computation graph, e.g. ``"y_hat"``, ``"w1"`` or ``"s"``.

    Returns
    -------
    str
        ``"y_hat"`` gives ``\\hat{y}``, ``"w1"`` gives ``w_1``, a one-letter name stays as it is.
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a node name (str); got {show_value(name)}")
    if name == "y_hat":
        return "\\hat{y}"
    return name if len(name) == 1 else name[0] + "_" + name[1:]


@functools.lru_cache(maxsize=None)
def dosage_hessian_function():
    """The Hessian of the dosage network's SSR as a NumPy function, derived by SymPy once and kept.

    Returns
    -------
    callable
        ``f(w1, w2, b1, b2, w3, w4, b3)`` (the order of ``MLP.get_flat_parameters``) returning the
        (7, 7) matrix of second derivatives of the SSR on :func:`bpcourse.dosage_data`.

    Examples
    --------
    >>> import numpy as np, bpcourse
    >>> hessian = bpcourse.symbolic.dosage_hessian_function()
    >>> float(hessian(*bpcourse.dosage_network().get_flat_parameters())[-1, -1])  # d2 SSR / db3^2 = 2 * 3
    6.0
    """
    from .data import dosage_data

    X, y = dosage_data()
    network = dosage_symbolic_network()
    return to_function(network.hessian(X, y, "sse"), network.parameters)


def to_function(expressions, parameters):
    """A fast NumPy function of ``parameters`` computing ``expressions``.

    Shared subexpressions are computed once (``lambdify(..., cse=True)``).

    Parameters
    ----------
    expressions : sympy.Expr, list of sympy.Expr or sympy.Matrix
        Every symbol in them must be one of ``parameters``.
    parameters : list of sympy.Symbol
        The function's arguments, in order.

    Returns
    -------
    callable
        ``f(*values)``, one real number per parameter, returning a float for
        one expression and an ndarray otherwise.

    Raises
    ------
    TypeError
        If ``expressions`` are not SymPy expressions or ``parameters`` not a
        list of symbols; the function itself raises ``TypeError`` for a wrong
        number of values or values that are not real numbers.
    ValueError
        If an expression has a symbol that is not in ``parameters``; the
        function raises it when its values are finite but its result is not.
    """
    if not isinstance(parameters, (list, tuple)) or not all(isinstance(p, sp.Symbol) for p in parameters):
        raise TypeError(f"parameters must be a list of sympy Symbols; got {show_value(parameters)}")
    single = not isinstance(expressions, (sp.MatrixBase, list, tuple))
    items = [expressions] if single else list(expressions)
    if not all(isinstance(e, (sp.Expr, sp.MatrixBase)) for e in items):
        raise TypeError(f"expressions must be a sympy expression, a list of them or a sympy Matrix; got "
                        f"{show_value(expressions)}")
    unknown = set().union(*(e.free_symbols for e in items)) - set(parameters)
    if unknown:
        raise ValueError(f"expressions use symbols that are not in parameters: {sorted(map(str, unknown))}")
    function = sp.lambdify(parameters, expressions if single or isinstance(expressions, sp.MatrixBase) else items,
                           modules="numpy", cse=True)

    def evaluate(*values):
        if len(values) != len(parameters):
            raise TypeError(f"the function takes {len(parameters)} values, one per parameter; got {len(values)}")
        numbers = [check_real(v, f"values[{k}]") for k, v in enumerate(values)]
        with np.errstate(all="ignore"):
            result = np.asarray(function(*numbers), dtype=float)
            check_finite_result(result, "the expressions' value", [np.array(numbers)])
        return float(result) if single else result

    return evaluate
