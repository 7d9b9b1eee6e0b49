"""The scalar autograd engine against finite differences, backpropagation and SymPy."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpcourse
from bpcourse.autograd import Value

UNARY = {
    "exp": (lambda v: v.exp(), math.exp),
    "log": (lambda v: v.log(), math.log),
    "tanh": (lambda v: v.tanh(), math.tanh),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x))),
    "relu": (lambda v: v.relu(), lambda x: max(x, 0.0)),
    "neg": (lambda v: -v, lambda x: -x),
    "square": (lambda v: v**2, lambda x: x**2),
    "power 1.5": (lambda v: v**1.5, lambda x: x**1.5),
    "inverse": (lambda v: v**-1, lambda x: 1 / x),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@pytest.mark.parametrize("x", [0.3, 1.7, 2.9])
def test_unary_operations_against_finite_differences(name, x):
    engine, plain = UNARY[name]
    v = Value(x)
    out = engine(v)
    out.backward()
    assert out.data == pytest.approx(plain(x), rel=1e-12)
    h = 1e-6
    assert v.grad == pytest.approx((plain(x + h) - plain(x - h)) / (2 * h), rel=1e-6, abs=1e-9)


BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("a, b", [(0.7, -1.3), (2.5, 0.4)])
def test_binary_operations_with_values_and_plain_numbers_on_either_side(name, a, b):
    f = BINARY[name]
    va, vb = Value(a), Value(b)
    out = f(va, vb)
    out.backward()
    h = 1e-6
    assert out.data == pytest.approx(f(a, b))
    assert va.grad == pytest.approx((f(a + h, b) - f(a - h, b)) / (2 * h), rel=1e-6)
    assert vb.grad == pytest.approx((f(a, b + h) - f(a, b - h)) / (2 * h), rel=1e-6)
    left, right = f(Value(a), b), f(a, Value(b))  # a plain float on either side
    assert left.data == pytest.approx(f(a, b)) and right.data == pytest.approx(f(a, b))


def test_a_value_used_twice_gets_both_contributions():
    x = Value(2.0)
    y = x * x + 3 * x  # dy/dx = 2x + 3
    y.backward()
    assert x.grad == 7.0
    u = Value(0.5)
    f = u.tanh() * u.exp() + u  # three paths from u to f
    f.backward()
    expected = (1 - math.tanh(0.5) ** 2) * math.exp(0.5) + math.tanh(0.5) * math.exp(0.5) + 1
    assert u.grad == pytest.approx(expected, rel=1e-12)


def test_backward_twice_gives_the_same_gradients():
    x = Value(1.5)
    y = (x * x).sigmoid()
    y.backward()
    first = x.grad
    y.backward()
    assert x.grad == first


def test_a_deep_graph_needs_no_recursion():
    x = Value(0.5)
    y = x
    for _ in range(10_000):
        y = y * 1.0001 + 0.0
    y.backward()
    assert x.grad == pytest.approx(1.0001**10_000, rel=1e-9)


def build_mlp_loss(net, X, y):
    """The MLP's SSE written with Values, parameter by parameter (inputs are plain numbers)."""
    weights = [[[Value(w) for w in row] for row in W] for W in net.weights]
    biases = [[Value(b) for b in bias] for bias in net.biases]
    apply = {"sigmoid": Value.sigmoid, "tanh": Value.tanh, "relu": Value.relu, "identity": lambda v: v,
             "softplus": lambda v: (1 + v.exp()).log()}
    total = Value(0.0)
    for x_row, y_row in zip(X, y):
        a = list(x_row)
        for W, b, act in zip(weights, biases, net.activations):
            a = [apply[act.name](sum((a[i] * W[i][j] for i in range(len(a))), b[j])) for j in range(len(b))]
        for out, target in zip(a, y_row):
            total = total + (out - float(target)) ** 2
    params = [v for W, b in zip(weights, biases) for v in [w for row in W for w in row] + b]
    return total, params


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    name=st.sampled_from(["sigmoid", "tanh", "softplus", "identity", "relu"]),
    seed=st.integers(0, 1000),
)
def test_engine_equals_backpropagation_on_random_networks(sizes, name, seed):
    net = bpcourse.MLP(sizes, name, seed=seed)
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(3, sizes[0])), rng.normal(size=(3, sizes[-1]))
    loss, params = build_mlp_loss(net, X, y)
    loss.backward()
    assert loss.data == pytest.approx(net.loss(X, y, "sse"), rel=1e-10)
    backprop = bpcourse.network.flatten(*net.gradients(X, y, "sse"))
    np.testing.assert_allclose([p.grad for p in params], backprop, rtol=1e-9, atol=1e-12)


def test_dosage_network_three_ways():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network()
    loss, params = build_mlp_loss(net, X, y)
    loss.backward()
    sym = bpcourse.symbolic.dosage_symbolic_network()
    gradient = sym.gradient(X, y, "sse")
    values = dict(zip(sym.parameters, net.get_flat_parameters()))
    by_sympy = [float(gradient[p].subs(values)) for p in sym.parameters]
    np.testing.assert_allclose([p.grad for p in params], by_sympy, rtol=1e-10)
    np.testing.assert_allclose([p.grad for p in params], bpcourse.network.flatten(*net.gradients(X, y, "sse")),
                               rtol=1e-10)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: Value("3"), TypeError, "data must be a real number"),
        (lambda: Value(float("nan")), ValueError, "data must be finite"),
        (lambda: Value(True), TypeError, "data must be a real number"),
        (lambda: Value(1.0) + "x", TypeError, "other must be a real number or a Value"),
        (lambda: Value(2.0) ** Value(3.0), TypeError, "the exponent must be a plain number"),
        (lambda: Value(2.0) ** float("inf"), ValueError, "exponent must be finite"),
        (lambda: Value(-1.0).log(), ValueError, "log needs a positive number"),
        (lambda: Value(1.0) / 0, ValueError, "division by zero"),
        (lambda: Value(800.0).exp(), ValueError, "exp\\(800\\) is not finite"),
        (lambda: Value(-8.0) ** 0.5, ValueError, "is not real"),
        (lambda: Value(1e200) * 1e200, ValueError, "the product is not finite"),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_graph_drawing_shows_every_node():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    w, x = Value(0.8, "w"), Value(2.0, "x")
    out = (w * x).tanh()
    out.backward()
    ax = bpcourse.plots.draw_graph(out)
    texts = [t.get_text() for t in ax.texts if t.get_text()]  # the arrows are empty annotations
    assert len(texts) == 4 and any(t.startswith("w\n") and "grad" in t for t in texts)
    plt.close("all")
