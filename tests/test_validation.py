"""Bad input gets a ValueError/TypeError naming the argument, the value and what is allowed."""

import re

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
        (lambda n: n.forward("abc"), TypeError, "X must be a number or an array of numbers; got 'abc'"),
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
    with pytest.raises(ValueError, match=r"activations\[1\]='maxout' is not known; allowed: \['identity'"):
        bpcourse.MLP((2, 3, 1), ["relu", "maxout"])
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


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda n: n.forward([[10**400, 1.0]]), ValueError, "X holds a number too large for a float"),
        (lambda n: n.forward([[1 + 1j, 1.0]]), TypeError, "X must be real"),
        (lambda n: n.gradients(np.ones((4, 2)), None, "sse"), TypeError, "y must be a number or an array"),
        (lambda n: bpcourse.gradient_descent(None, np.ones((4, 2)), np.ones(4), "sse", 0.1, 3), TypeError,
         "net must be a bpcourse.MLP; got None"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", 0.1, 10**12), ValueError,
         "epochs must be <= 1,000,000"),
        (lambda n: bpcourse.gradient_descent(n, np.ones((4, 2)), np.ones(4), "sse", 0.1, 2**63), ValueError,
         "epochs must be <= 1,000,000"),
        (lambda n: bpcourse.lr_sweep(n, np.ones((4, 2)), np.ones(4), "sse", [0.1, 0.2], 10**12), ValueError,
         "epochs must be <= 500,000"),
        (lambda n: bpcourse.lr_range_test(n, np.ones((4, 2)), np.ones(4), "sse", steps=10**12), ValueError,
         "steps must be <= 1,000,000"),
        (lambda n: bpcourse.descend_1d(lambda v: v, 0.0, 0.1, steps=10**12), ValueError,
         "steps must be <= 1,000,000"),
        (lambda n: bpcourse.numerical_gradients(n, np.ones((4, 2)), np.ones(4), "sse", eps=1e300), ValueError,
         "eps must be <= 1.0"),
        (lambda n: bpcourse.MLP([], "relu"), ValueError, "at least an input and an output layer"),
        (lambda n: bpcourse.MLP({2: "a"}, "relu"), TypeError, "layer_sizes must be a sequence"),
        (lambda n: bpcourse.article_data(n_samples=10**12), ValueError, "n_samples must be <= 1,000,000"),
        (lambda n: bpcourse.symbolic.SymbolicNetwork.from_layer_sizes((1, 2, 1), ["relu"]), ValueError,
         r"activations must be one name or one per layer \(2\)"),
        (lambda n: bpcourse.symbolic.SymbolicNetwork.from_layer_sizes([], "relu"), TypeError,
         "layer_sizes must be a list or tuple"),
        (lambda n: bpcourse.sigmoid(None), TypeError, "z must be a number or an array"),
    ],
)
def test_faults_found_by_fuzzing_get_clear_errors(net, call, error, message):
    with pytest.raises(error, match=message):
        call(net)


def test_a_fraction_learning_rate_is_a_real_number():
    from fractions import Fraction

    X, y = bpcourse.dosage_data()
    history = bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", Fraction(1, 10), 3)
    assert history.learning_rate == 0.1


def test_range_test_never_suggests_rates_it_did_not_try():
    X, y = bpcourse.dosage_data()
    suggested = 0
    for lr_min, lr_max in [(50.0, 100.0), (1e-4, 10.0), (1e-6, 1e-5)]:
        result = bpcourse.lr_range_test(bpcourse.dosage_network(), X, y, "sse", lr_min=lr_min, lr_max=lr_max,
                                        steps=60)
        assert isinstance(result.message, str)
        if result.suggested_range is not None:
            suggested += 1
            low, high = result.suggested_range
            assert lr_min <= low <= high <= lr_max
    assert suggested >= 1, "no range was suggested at all, so nothing above was checked"


def test_range_test_with_a_non_finite_start_still_reports():
    net = bpcourse.MLP.from_weights([[[1e200]], [[1e200]]], [[0.0], [0.0]], ["identity", "identity"])
    result = bpcourse.lr_range_test(net, [[1e10]], [0.0], "sse", steps=10)
    assert len(result.losses) == 0 and result.suggested_range is None
    assert "not finite at the start" in result.message
    bpcourse.plots.plot_lr_range_test(result)


# Valid inputs whose numbers reach the numeric code: extreme but finite values (tiny and huge),
# tiny and huge learning rates, and the same numbers in other containers (np.matrix, masked arrays,
# lists). Nothing may escape but a ValueError/TypeError, no warning, no non-finite number reported as
# success, the network unchanged after a refused call, and a container never changes a result.
FINITE = st.one_of(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                   st.sampled_from([1e-300, -1e-300, 5e-324, 1e300, -1e300]))
RATES = st.sampled_from([5e-324, 1e-300, 1e-12, 1e-3, 0.1, 1.0, 10.0, 1e6, 1e150, 1e308])
CONTAINERS = st.sampled_from(["ndarray", "list", "matrix", "masked"])


def _wrap(array, container):
    if container == "list":
        return array.tolist()
    if container == "matrix":
        return np.asmatrix(array)
    if container == "masked":
        return np.ma.masked_array(array, mask=np.zeros(array.shape, bool))
    return array


def _refused_or_finite(net, call):
    """``call()``'s result, or None when it was refused with a ValueError that leaves ``net`` as it was."""
    start = net.get_flat_parameters()
    try:
        return call()
    except ValueError as error:
        assert "finite" in str(error) or "too large" in str(error), str(error)
        np.testing.assert_array_equal(net.get_flat_parameters(), start)
        return None


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    sizes=st.lists(st.integers(1, 3), min_size=2, max_size=4),
    names=st.lists(st.sampled_from(sorted(bpcourse.ACTIVATIONS)), min_size=3, max_size=3),
    loss=st.sampled_from(sorted(bpcourse.LOSSES)),
    scale=st.sampled_from([1e-300, 1e-3, 1.0, 1e3, 1e100, 1e300]),
    rate=RATES,
    epochs=st.integers(1, 30),
    container=CONTAINERS,
    data=st.data(),
)
def test_numeric_property_no_escape_no_warning_no_false_success(sizes, names, loss, scale, rate, epochs,
                                                                container, data):
    import warnings

    names = [n if n != "softmax" else "tanh" for n in names[: len(sizes) - 2]] + [names[len(sizes) - 2]]
    if loss == "categorical_cross_entropy":  # needs at least two classes
        sizes = sizes[:-1] + [max(sizes[-1], 2)]
    net = bpcourse.MLP(sizes, names, seed=0)
    net.set_flat_parameters(net.get_flat_parameters() * scale)
    n = data.draw(st.integers(1, 4))
    X = np.array(data.draw(st.lists(st.lists(FINITE, min_size=sizes[0], max_size=sizes[0]), min_size=n, max_size=n)))
    y = np.array(data.draw(st.lists(st.lists(FINITE, min_size=sizes[-1], max_size=sizes[-1]), min_size=n,
                                    max_size=n)))
    if loss == "cross_entropy":
        y = (np.tanh(y) + 1) / 2  # targets in [0, 1]
    if loss == "categorical_cross_entropy":
        y = bpcourse.softmax(y)  # one probability distribution per row
    Xc, yc = _wrap(X, container), _wrap(y, container)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        prediction = _refused_or_finite(net, lambda: net.forward(Xc))
        if prediction is not None:
            assert type(prediction) is np.ndarray and prediction.shape == (n, sizes[-1])
            assert np.all(np.isfinite(prediction))
            np.testing.assert_array_equal(prediction, net.forward(X))
        value = _refused_or_finite(net, lambda: net.loss(Xc, yc, loss))
        if value is not None:
            assert np.isfinite(value) and value == net.loss(X, y, loss)
        gradients = _refused_or_finite(net, lambda: net.gradients(Xc, yc, loss))
        if gradients is not None:
            assert [g.shape for g in gradients[0]] == [W.shape for W in net.weights]
            assert all(np.all(np.isfinite(g)) for g in gradients[0] + gradients[1])
        history = _refused_or_finite(net, lambda: bpcourse.gradient_descent(net, Xc, yc, loss, rate, epochs,
                                                                             tol=1e-12))
        assert np.all(np.isfinite(net.get_flat_parameters()))
        if history is not None:
            assert np.isfinite(history.final_loss) and np.all(np.isfinite(history.losses))
            assert history.final_loss == pytest.approx(net.loss(X, y, loss), rel=1e-9, abs=1e-300)
        sweep = _refused_or_finite(net, lambda: bpcourse.lr_sweep(net, Xc, yc, loss, [rate], 3))
        if sweep is not None:
            assert sweep.verdicts[0] in bpcourse.lr_search.VERDICTS and np.all(np.isfinite(sweep.final_losses))
        result = _refused_or_finite(net, lambda: bpcourse.lr_range_test(
            net, Xc, yc, loss, lr_min=min(rate, 1e300), lr_max=min(rate, 1e300) * 10, steps=5))
        if result is not None:
            assert isinstance(result.message, str) and np.isfinite(result.stop_lr)


class _RaisingArray:
    """An array-like whose conversion fails, as a faulty tensor type might."""

    def __init__(self, error):
        self.error = error

    def __array__(self, dtype=None, copy=None):
        raise self.error


@settings(max_examples=60, deadline=None, derandomize=True)
@given(error=st.sampled_from([RuntimeError("device"), KeyError("x"), ZeroDivisionError(), AttributeError("a"),
                              OverflowError(), ValueError("v")]),
       where=st.integers(0, 7))
def test_an_array_like_that_raises_gets_a_type_error_naming_the_argument(error, where):
    net = bpcourse.MLP((2, 3, 1), ["relu", "sigmoid"], seed=0)
    start = net.get_flat_parameters()
    X, y, bad = np.ones((4, 2)), np.ones(4), _RaisingArray(error)
    calls = [
        (lambda: net.forward(bad), "X"),
        (lambda: net.gradients(X, bad, "sse"), "y"),
        (lambda: bpcourse.gradient_descent(net, bad, y, "sse", 0.1, 3), "X"),
        (lambda: bpcourse.sse(bad, y), "y_hat"),
        (lambda: bpcourse.sigmoid(bad), "z"),
        (lambda: bpcourse.lr_sweep(net, X, y, "sse", bad, 3), "learning_rates"),
        (lambda: net.set_flat_parameters(bad), "flat"),
        (lambda: bpcourse.MLP.from_weights([bad], [np.zeros(1)], ["identity"]), "weights[0]"),
    ]
    call, argument = calls[where]
    with pytest.raises(TypeError, match=rf"^{re.escape(argument)} must be an array of numbers"):
        call()
    np.testing.assert_array_equal(net.get_flat_parameters(), start)


# Moderate magnitudes only: a valid but huge number of epochs or units is not
# bad input, just a long run, and has no place in a fuzz test.
NUMBERS = st.one_of(st.floats(-1e3, 1e3), st.sampled_from([float("nan"), float("inf"), -float("inf")]))
ANYTHING = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    NUMBERS,
    st.text(max_size=5),
    st.complex_numbers(max_magnitude=10),
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
    start = net.get_flat_parameters()
    calls = [
        lambda: net.forward(X),
        lambda: net.gradients(X, y, loss),
        lambda: bpcourse.gradient_descent(net, X, y, loss, lr, epochs),
        lambda: bpcourse.lr_sweep(net, X, y, loss, lr, epochs),
        lambda: bpcourse.lr_range_test(net, X, y, loss, lr_min=lr),
        lambda: bpcourse.MLP(X, loss, seed=epochs),
        lambda: bpcourse.dosage_network(b3=lr),
        lambda: bpcourse.descend_1d(lambda v: v, lr, lr, steps=epochs),
        lambda: bpcourse.sse(X, y),
        lambda: bpcourse.sigmoid(X),
    ]
    for call in calls:
        try:
            call()
        except (ValueError, TypeError) as error:
            assert str(error), "an error must say what is wrong"
            np.testing.assert_array_equal(net.get_flat_parameters(), start)
        start = net.get_flat_parameters()
