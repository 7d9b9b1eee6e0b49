"""A scalar reverse-mode automatic differentiation engine (chapter 7).

Every :class:`Value` holds a number, ``data``, and the derivative of some
final output by it, ``grad``. Each operation makes a new ``Value`` that
remembers its inputs and how to pass a gradient back to them: the local
derivative sits right beside the operation. ``output.backward()`` then visits
the graph from the output back to the inputs (a topological order) and
applies the chain rule at every node:

    input.grad += local derivative * node.grad

Gradients *add*: a value used twice, or reaching the output along several
paths, gets one contribution per use. ``backward()`` starts by setting every
``grad`` of the graph to 0, so calling it twice gives the same gradients.
(PyTorch instead adds each call's gradients to ``.grad``, which is why its
training loops call ``zero_grad()``.)

Frameworks do exactly this, with arrays instead of numbers.
"""

from __future__ import annotations

import math
import numbers

from .activations import sigmoid as _sigmoid  # the package's sigmoid, accurate in both tails

__all__ = ["Value"]


def _number(x, argument):
    """``x`` as a finite float, or a clear error."""
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{argument} must be a real number or a Value; got {x!r:.60} of type {type(x).__name__}")
    try:
        x = float(x)
    except OverflowError:  # an int such as 10**400
        raise ValueError(f"{argument} must be finite; got an integer too large for a float") from None
    if not math.isfinite(x):
        raise ValueError(f"{argument} must be finite; got {x!r}")
    return x


def _finite(result, operation):
    """``result`` if it is finite, else a ValueError that names ``operation``.

    The one guard of every operation below, called before the new node is
    made, so a refused operation leaves the graph as it was.
    """
    if not math.isfinite(result):
        raise ValueError(f"{operation} is not finite (overflow); the graph is not extended")
    return result


def _inf_on_overflow(function, *args):
    """``function(*args)``, or inf where Python's ``**`` and ``math.exp`` raise OverflowError.

    Float arithmetic (``*``, ``/``, ...) gives inf when it overflows; these two
    raise instead. With this, every overflow reaches :func:`_finite` as inf.
    """
    try:
        return function(*args)
    except OverflowError:
        return math.inf


class Value:
    """A number that records how it was computed, so that gradients can flow back.

    Parameters
    ----------
    data : float
        A finite real number.
    label : str, optional
        A name shown in drawings of the graph (:func:`bpcourse.plots.draw_graph`).

    Attributes
    ----------
    data : float
    grad : float
        d(output)/d(this value) after ``output.backward()``; 0 before.
    parents : tuple of Value
        The inputs of the operation that made this value (empty for a leaf).
    operation : str
        That operation's name, e.g. ``"*"`` or ``"tanh"`` (empty for a leaf).

    Examples
    --------
    >>> from bpcourse.autograd import Value
    >>> x = Value(2.0)
    >>> y = x * x + 3 * x      # x is used along two paths
    >>> y.backward()
    >>> x.grad                 # 2x + 3
    7.0
    """

    def __init__(self, data, label="", _parents=(), _operation=""):
        self.data = _number(data, "data")
        self.grad = 0.0
        self.label = label
        self.parents = _parents
        self.operation = _operation
        self._backward = lambda: None  # passes self.grad to the parents; set by the operation

    def __repr__(self):
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g})"

    @staticmethod
    def _lift(other, argument="other"):
        """A plain number becomes a constant leaf of the graph, labelled with its value."""
        if isinstance(other, Value):
            return other
        number = _number(other, argument)
        return Value(number, label=f"{number:g}")

    # ------------------------------------------------------------ operations
    def __add__(self, other):
        other = Value._lift(other)
        out = Value(_finite(self.data + other.data, "the sum"), _parents=(self, other), _operation="+")

        def _backward():  # d(a + b)/da = d(a + b)/db = 1
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __sub__(self, other):
        other = Value._lift(other)
        out = Value(_finite(self.data - other.data, "the difference"), _parents=(self, other), _operation="-")

        def _backward():  # d(a - b)/da = 1, d(a - b)/db = -1
            self.grad += out.grad
            other.grad -= out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = Value._lift(other)
        out = Value(_finite(self.data * other.data, "the product"), _parents=(self, other), _operation="*")

        def _backward():  # d(ab)/da = b, d(ab)/db = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent):
        if isinstance(exponent, Value):
            raise TypeError("the exponent must be a plain number; Value ** Value is not supported "
                            "(write exp(b * log(a)) instead)")
        n = _number(exponent, "exponent")
        if self.data == 0 and n < 1:
            raise ValueError(f"0 ** {n:g} has no finite derivative")
        if self.data < 0 and not n.is_integer():
            raise ValueError(f"a negative number ({self.data:g}) to the non-integer power {n:g} is not real")
        power = _finite(_inf_on_overflow(pow, self.data, n), "the power")
        out = Value(power, _parents=(self,), _operation=f"**{n:g}")

        def _backward():  # d(a^n)/da = n a^(n-1)
            self.grad += n * self.data ** (n - 1) * out.grad

        out._backward = _backward
        return out

    def __rpow__(self, base):
        """``base ** self`` for a plain positive number ``base``: ``exp(self * log(base))``.

        Parameters
        ----------
        base : float > 0

        Returns
        -------
        Value
            A new node of the graph, whose parent is this value.

        Raises
        ------
        TypeError, ValueError
            If ``base`` is not a positive real number, or the power overflows.
        """
        b = _number(base, "base")
        if b <= 0:
            raise ValueError(f"base ** Value needs a positive base; got {b:g}")
        power = _finite(_inf_on_overflow(pow, b, self.data), "the power")
        out = Value(power, _parents=(self,), _operation=f"{b:g}**")

        def _backward():  # d(b^a)/da = log(b) b^a
            self.grad += math.log(b) * out.data * out.grad

        out._backward = _backward
        return out

    def exp(self):
        """``e ** self``.

        Returns
        -------
        Value
            A new node of the graph, whose parent is this value.

        Raises
        ------
        ValueError
            When the result overflows (``self.data`` above about 709.78).
        """
        value = _finite(_inf_on_overflow(math.exp, self.data), f"exp({self.data:g})")
        out = Value(value, _parents=(self,), _operation="exp")

        def _backward():  # d(e^a)/da = e^a
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(self):
        """Natural logarithm.

        Returns
        -------
        Value
            A new node of the graph, whose parent is this value.

        Raises
        ------
        ValueError
            Unless ``self.data > 0``.
        """
        if self.data <= 0:
            raise ValueError(f"log needs a positive number; got {self.data:g}")
        out = Value(math.log(self.data), _parents=(self,), _operation="log")

        def _backward():  # d(log a)/da = 1/a
            self.grad += out.grad / self.data

        out._backward = _backward
        return out

    def tanh(self):
        """Hyperbolic tangent.

        Returns
        -------
        Value
            A new node of the graph, whose parent is this value.
        """
        out = Value(math.tanh(self.data), _parents=(self,), _operation="tanh")

        def _backward():  # d(tanh a)/da = 1 - tanh(a)^2
            self.grad += (1.0 - out.data ** 2) * out.grad

        out._backward = _backward
        return out

    def sigmoid(self):
        """Logistic function ``1 / (1 + e^(-self))``, accurate in both tails.

        The value comes from :func:`bpcourse.sigmoid`, so ``Value(-40.0).sigmoid()``
        is about 4.2e-18, not 0. Its local derivative is written with the
        output, ``sigmoid(a) * (1 - sigmoid(a))``, as in :class:`bpcourse.MLP`.

        Returns
        -------
        Value
            A new node of the graph, whose parent is this value.
        """
        out = Value(float(_sigmoid(self.data)), _parents=(self,), _operation="sigmoid")

        def _backward():  # d(sigma(a))/da = sigma(a) (1 - sigma(a))
            self.grad += out.data * (1.0 - out.data) * out.grad

        out._backward = _backward
        return out

    def relu(self):
        """``max(0, self)``; its slope at 0 is taken to be 0.

        Returns
        -------
        Value
            A new node of the graph, whose parent is this value.
        """
        out = Value(max(self.data, 0.0), _parents=(self,), _operation="relu")

        def _backward():  # slope 1 where a > 0, else 0
            self.grad += (1.0 if self.data > 0 else 0.0) * out.grad

        out._backward = _backward
        return out

    # Everything else is written with the operations above.
    def __neg__(self):
        return self * -1.0

    def __truediv__(self, other):
        other = Value._lift(other, "divisor")
        if other.data == 0:
            raise ValueError("division by zero")
        out = Value(_finite(self.data / other.data, "the quotient"), _parents=(self, other), _operation="/")

        def _backward():  # d(a/b)/da = 1/b, d(a/b)/db = -a/b^2 = -(a/b)/b
            self.grad += out.grad / other.data
            other.grad -= out.data / other.data * out.grad

        out._backward = _backward
        return out

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Value._lift(other) - self

    def __rtruediv__(self, other):
        return Value._lift(other) / self

    # -------------------------------------------------------------- backward
    def graph(self):
        """Every value this one depends on, itself included, inputs before the values made from them.

        Returns
        -------
        list of Value
            A topological order: each value comes after its parents, and this one comes last.
        """
        order, seen = [], set()
        stack = [(self, False)]
        while stack:  # a loop, not recursion: deep graphs do not hit Python's recursion limit
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((parent, False) for parent in node.parents if id(parent) not in seen)
        return order

    def backward(self):
        """Set ``v.grad`` to d(self)/d(v) for every value ``v`` this one depends on.

        Every ``grad`` of the graph is first set to 0, so a second call gives
        the same gradients (it does not add to them).

        Returns
        -------
        None
            The gradients are written into the ``grad`` attributes.

        Raises
        ------
        ValueError
            If a gradient is not finite (it overflowed, e.g. ``x * 1e300 * 1e300``
            at ``x = 0``); every ``grad`` is then left as it was before the call.
        """
        order = self.graph()
        before = [node.grad for node in order]
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        try:
            for node in reversed(order):  # from the output back to the inputs
                node._backward()
            bad = next((node for node in order if not math.isfinite(node.grad)), None)
        except OverflowError:  # a power's derivative too large for a float
            bad = self
        if bad is not None:
            for node, grad in zip(order, before):
                node.grad = grad
            name = bad.label or bad.operation or "a value"
            raise ValueError(f"backward: the gradient of {name} is not finite (float overflow); the gradients "
                             f"are left as they were")
