"""Bad input gets a ValueError/TypeError naming the argument, the value and what is allowed."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpcourse


@pytest.fixture
def net():
    return bpcourse.MLP((2, 3, 1), ["relu", "sigmoid"], seed=0)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda n: n.forward(np.ones((4, 3))), ValueError, r"X must have shape \(n_samples, 2\).*got \(4, 3\)"),
        (lambda n: n.forward(np.ones(4)), ValueError, r"X must have 2 dimension\(s\); got shape \(4,\)"),
        (lambda n: n.forward([[np.nan, 1.0]]), ValueError, "X must contain only finite numbers; found 1 NaN/inf"),
        (lambda n: n.forward(np.ones((0, 2))), ValueError, r"X must not be empty; got shape \(0, 2\)"),
        (lambda n: n.forward("abc"), TypeError, "X must be an array of numbers; got 'abc'"),
        (lambda n: n.gradients(np.ones((4, 2)), np.ones(3), "sse"), ValueError, r"y must have shape \(4, 1\) to match X"),
        (lambda n: n.gradients(np.ones((4, 2)), [np.inf] * 4, "sse"), ValueError, "y must contain only finite numbers"),
        (lambda n: n.gradients(np.ones((4, 2)), np.ones(4), "l1"), ValueError, r"loss='l1' is not known; allowed"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", 0.0, 10), ValueError,
         r"learning_rate must be > 0; got 0.0"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", -1, 10), ValueError,
         r"learning_rate must be > 0; got -1"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", "fast", 10), TypeError,
         r"learning_rate must be a real number; got 'fast'"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", 0.1, 2.5), TypeError,
         r"epochs must be an integer; got 2.5"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", np.nan, 3), ValueError,
         r"learning_rate must be finite; got nan"),
    ],
)
def test_bad_input_messages(net, call, error, message):
    with pytest.raises(error, match=message):
        call(net)


def test_constructor_messages():
    with pytest.raises(ValueError, match=r"activations must have one name per weight layer \(2\); got 3"):
        bpcourse.MLP((2, 3, 1), ["relu", "relu", "sigmoid"])
    with pytest.raises(ValueError, match=r"activations\[1\]='softmax' is not known; allowed: \['identity'"):
        bpcourse.MLP((2, 3, 1), ["relu", "softmax"])
    with pytest.raises(ValueError, match=r"layer_sizes\[1\] must be > 0; got 0"):
        bpcourse.MLP((2, 0, 1), "relu")
    with pytest.raises(TypeError, match=r"layer_sizes\[0\] must be an integer; got 1.5"):
        bpcourse.MLP((1.5, 2), "relu")
    with pytest.raises(ValueError, match="at least an input and an output layer"):
        bpcourse.MLP((3,), "relu")
    with pytest.raises(ValueError, match=r"weights\[1\] must have 2 rows to follow weights\[0\]"):
        bpcourse.MLP.from_weights([np.ones((1, 2)), np.ones((3, 1))], [np.zeros(2), np.zeros(1)], ["relu", "identity"])
    with pytest.raises(ValueError, match=r"biases\[0\] must have shape \(2,\); got \(3,\)"):
        bpcourse.MLP.from_weights([np.ones((1, 2)), np.ones((2, 1))], [np.zeros(3), np.zeros(1)], ["relu", "identity"])
    with pytest.raises(ValueError, match=r"biases must have one array per weight matrix \(2\); got 1"):
        bpcourse.MLP.from_weights([np.ones((1, 2)), np.ones((2, 1))], [np.zeros(2)], ["relu", "identity"])
    with pytest.raises(ValueError, match=r"weights\[0\] must contain only finite numbers"):
        bpcourse.MLP.from_weights([[[np.nan]]], [[0.0]], ["identity"])


# Moderate magnitudes only: a valid but huge number of epochs or units is not
# bad input, just a long run, and has no place in a fuzz test.
NUMBERS = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([float("nan"), float("inf"), -float("inf")]))
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    NUMBERS,
    st.text(max_size=5),
    st.lists(NUMBERS, max_size=4),
    st.lists(st.lists(st.floats(-10, 10), min_size=0, max_size=3), max_size=4),
)


def test_absurd_sizes_are_refused_before_any_allocation():
    with pytest.raises(ValueError, match=r"layer_sizes=\[2, 1000000000\] would need 2e\+09 weights"):
        bpcourse.MLP((2, 1e9), "relu")


@settings(max_examples=150, deadline=None, derandomize=True)
@given(X=ANYTHING, y=ANYTHING, loss=st.one_of(st.sampled_from(["sse", "mse", "x"]), ANYTHING),
       lr=ANYTHING, epochs=ANYTHING)
def test_fuzzing_the_public_functions_raises_only_clear_errors(X, y, loss, lr, epochs):
    net = bpcourse.MLP((2, 3, 1), ["relu", "sigmoid"], seed=0)
    calls = [
        lambda: net.forward(X),
        lambda: net.gradients(X, y, loss),
        lambda: bpcourse.gradient_descent(net.copy(), X, y, loss, lr, epochs),
        lambda: bpcourse.lr_sweep(net, X, y, loss, lr, epochs),
        lambda: bpcourse.lr_range_test(net, X, y, loss, lr_min=lr),
        lambda: bpcourse.MLP(X, loss, seed=epochs),
        lambda: bpcourse.dosage_network(b3=lr),
        lambda: bpcourse.descend_1d(lambda v: v, lr, lr, max_steps=epochs),
    ]
    for call in calls:
        try:
            call()
        except (ValueError, TypeError) as error:
            assert str(error), "an error must say what is wrong"
