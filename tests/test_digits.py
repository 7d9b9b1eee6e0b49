"""Softmax, categorical cross-entropy and the digits network (chapter 9).

References are independent of the package: mpmath at 50 digits for the
values, central differences and a backpropagation written out here in plain
NumPy for the gradients, SymPy for the fused softmax + cross-entropy rule.
"""

import warnings

import mpmath
import numpy as np
import pytest

import bpcourse
from bpcourse.activations import softmax_derivative
from bpcourse.losses import categorical_cross_entropy_derivative, softmax_cross_entropy_delta

CCE = "categorical_cross_entropy"

# The chapter's network and training run: 64-32-10, tanh then softmax, Glorot's
# starting scale, mini-batches of 32, learning rate 0.5, 40 epochs.
CHAPTER_RUN = dict(learning_rate=0.5, epochs=40, batch_size=32)


def chapter_network(seed):
    return bpcourse.MLP((64, 32, 10), ["tanh", "softmax"], seed=seed, init="glorot")


def mp_softmax(row):
    with mpmath.workdps(50):
        e = [mpmath.exp(mpmath.mpf(float(v))) for v in row]
        total = mpmath.fsum(e)
        return [float(v / total) for v in e]


def mp_log_softmax(row):
    with mpmath.workdps(50):
        values = [mpmath.mpf(float(v)) for v in row]
        log_total = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in values))
        return [float(v - log_total) for v in values]


SCORES = np.array([[0.3, -1.2, 2.5, 0.0],
                   [10.0, 10.0, 10.0, 10.0],
                   [-3.0, 700.0, 699.0, -800.0],
                   [1e-8, -1e-8, 0.0, 5.0]])


def test_softmax_and_log_softmax_against_mpmath():
    np.testing.assert_allclose(bpcourse.softmax(SCORES), [mp_softmax(r) for r in SCORES], rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(bpcourse.log_softmax(SCORES), [mp_log_softmax(r) for r in SCORES], rtol=1e-14)
    np.testing.assert_allclose(bpcourse.softmax(SCORES).sum(axis=1), 1.0, rtol=1e-15)
    # one sample as a 1-D array is one row
    np.testing.assert_allclose(bpcourse.softmax(SCORES[0]), bpcourse.softmax(SCORES[:1])[0], rtol=0)


def test_softmax_is_stable_at_huge_scores():
    z = np.array([[1e4, 0.0, -1e4], [-1e300, 1e300, 0.0], [800.0, 800.0, -800.0]])
    y = np.eye(3)[[2, 0, 1]]  # each sample's true class gets a tiny or zero probability
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = bpcourse.softmax(z)
        log_p = bpcourse.log_softmax(z)
        from_logits = bpcourse.categorical_cross_entropy_from_logits(z, y)
        clipped = bpcourse.categorical_cross_entropy(p, y)
        delta = softmax_cross_entropy_delta(p, y)
    assert np.all(np.isfinite(p)) and np.all(np.isfinite(delta))
    np.testing.assert_array_equal(p[0], [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(p[2], [0.5, 0.5, 0.0])
    np.testing.assert_allclose(log_p[0], [0.0, -1e4, -2e4])
    # the loss from the scores is exact: -log p(true class) = 2e4, 2e300 and log 2
    assert from_logits == pytest.approx((2e4 + 2e300 + np.log(2)) / 3, rel=1e-12)
    assert clipped == pytest.approx(-np.log(bpcourse.losses.CROSS_ENTROPY_CLIP) * 2 / 3 + np.log(2) / 3, rel=1e-12)


def test_categorical_cross_entropy_against_mpmath_and_by_hand():
    rng = np.random.default_rng(3)
    z = rng.normal(size=(6, 4)) * 3
    y = np.eye(4)[rng.integers(0, 4, 6)]
    y[0] = [0.25, 0.25, 0.5, 0.0]  # a row that is a distribution, not one-hot
    reference = -sum(sum(t * v for t, v in zip(yr, mp_log_softmax(zr))) for zr, yr in zip(z, y)) / 6
    assert bpcourse.categorical_cross_entropy(bpcourse.softmax(z), y) == pytest.approx(reference, rel=1e-13)
    assert bpcourse.categorical_cross_entropy_from_logits(z, y) == pytest.approx(reference, rel=1e-13)
    # by hand: a sample whose true class gets probability 1/2 costs log 2
    assert bpcourse.categorical_cross_entropy([[0.5, 0.25, 0.25]], [[1, 0, 0]]) == pytest.approx(np.log(2), rel=1e-15)


def central_difference_jacobian(f, z, eps=1e-6):
    columns = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = eps
        columns.append((f(z + step) - f(z - step)) / (2 * eps))
    return np.array(columns).T


def test_softmax_jacobian_against_central_differences():
    for row in SCORES[[0, 3]]:
        np.testing.assert_allclose(softmax_derivative(row), central_difference_jacobian(bpcourse.softmax, row),
                                   rtol=1e-6, atol=1e-10)
    # a batch gives one Jacobian per row
    assert softmax_derivative(SCORES).shape == (4, 4, 4)


def test_categorical_cross_entropy_derivative_against_central_differences():
    rng = np.random.default_rng(4)
    p = bpcourse.softmax(rng.normal(size=(3, 5)))
    y = np.eye(5)[[1, 4, 0]]
    numeric = np.zeros_like(p)
    for index in np.ndindex(p.shape):
        step = np.zeros_like(p)
        step[index] = 1e-7
        numeric[index] = (bpcourse.categorical_cross_entropy(p + step, y)
                          - bpcourse.categorical_cross_entropy(p - step, y)) / 2e-7
    np.testing.assert_allclose(categorical_cross_entropy_derivative(p, y), numeric, rtol=1e-6)
    # through the softmax's Jacobian the derivative becomes the fused (y_hat - y) / N
    by_z = np.einsum("ni,nij->nj", categorical_cross_entropy_derivative(p, y), softmax_derivative(np.log(p)))
    np.testing.assert_allclose(by_z, softmax_cross_entropy_delta(p, y), rtol=1e-12, atol=1e-15)


def hand_written_backprop(W1, b1, W2, b2, X, Y):
    """A 64-h-10 tanh/softmax network on the mean categorical cross-entropy, written out in NumPy."""
    hidden = np.tanh(X @ W1 + b1)
    scores = hidden @ W2 + b2
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    d_scores = (p - Y) / len(X)
    d_hidden = d_scores @ W2.T * (1 - hidden ** 2)
    return [X.T @ d_hidden, d_hidden.sum(axis=0), hidden.T @ d_scores, d_scores.sum(axis=0)]


def test_backprop_of_a_digits_network_against_hand_written_numpy_and_central_differences():
    X_train, y_train, _, _ = bpcourse.digits_data(seed=1)
    X, Y = X_train[:40], y_train[:40]
    net = bpcourse.MLP((64, 12, 10), ["tanh", "softmax"], seed=5, init="glorot")
    weight_grads, bias_grads = net.gradients(X, Y, CCE)
    package = [weight_grads[0], bias_grads[0], weight_grads[1], bias_grads[1]]
    reference = hand_written_backprop(net.weights[0], net.biases[0], net.weights[1], net.biases[1], X, Y)
    for got, want in zip(package, reference):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-16)
    numeric = bpcourse.numerical_gradients(net, X, Y, CCE)
    np.testing.assert_allclose(bpcourse.network.flatten(weight_grads, bias_grads), bpcourse.network.flatten(*numeric),
                               rtol=1e-5, atol=1e-9)
    # without the targets, backward multiplies by the softmax's Jacobian: the same numbers here
    forward = net.forward_pass(X)
    unfused = net.backward(forward, categorical_cross_entropy_derivative(forward.a[-1], Y))
    for got, want in zip(unfused[0] + unfused[1], weight_grads + bias_grads):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-15)


def test_fused_gradient_stays_right_where_a_probability_rounds_to_zero():
    net = bpcourse.MLP((2, 3), "softmax", seed=0)
    net.weights[0][...] = [[900.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    X, Y = np.array([[1.0, 0.5], [0.0, 1.0]]), np.eye(3)[[1, 2]]  # sample 0: its class has probability 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        weight_grads, bias_grads = net.gradients(X, Y, CCE)
        forward = net.forward_pass(X)
        unfused = net.backward(forward, categorical_cross_entropy_derivative(forward.a[-1], Y))
    assert forward.a[-1][0, 1] == 0.0
    p = np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])  # exact softmax, rounded
    np.testing.assert_allclose(bias_grads[0], ((p - Y) / 2).sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(weight_grads[0], X.T @ ((p - Y) / 2), rtol=1e-12)
    # the unfused product lost the push towards the true class of sample 0
    assert not np.allclose(unfused[1][0], bias_grads[0])


def test_training_steps_along_the_fused_gradient_times_the_learning_rate():
    # the network of the test above: only the fused start gives the right step here, so these
    # fail if gradient_descent or lr_range_test train without it, or forget the learning rate
    def network():
        net = bpcourse.MLP((2, 3), "softmax", seed=0)
        net.weights[0][...] = [[900.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
        return net

    X, Y = np.array([[1.0, 0.5], [0.0, 1.0]]), np.eye(3)[[1, 2]]
    p = np.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])  # exact softmax, rounded
    delta = (p - Y) / 2
    net = network()
    W, b = net.weights[0].copy(), net.biases[0].copy()
    history = bpcourse.gradient_descent(net, X, Y, CCE, 0.1, 1)
    assert history.stop_reason == "completed"
    np.testing.assert_allclose(net.weights[0], W - 0.1 * X.T @ delta, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.biases[0], b - 0.1 * delta.sum(axis=0), rtol=1e-12, atol=1e-15)
    # the range test's first step, at lr_min, gives the same loss
    result = bpcourse.lr_range_test(network(), X, Y, CCE, lr_min=0.1, lr_max=0.4, steps=3)
    scores = X @ net.weights[0] + net.biases[0]
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    after = e / e.sum(axis=1, keepdims=True)
    expected = -np.sum(Y * np.log(np.maximum(after, 1e-12))) / 2  # the loss clips at 1e-12
    assert result.losses[1] == pytest.approx(expected, rel=1e-12)


def test_backward_checks_the_targets_of_the_fused_start():
    net = bpcourse.MLP((2, 3), "softmax", seed=0)
    X, Y = np.array([[1.0, 0.5], [0.0, 1.0]]), np.eye(3)[[1, 2]]
    forward = net.forward_pass(X)
    gradient = categorical_cross_entropy_derivative(forward.a[-1], Y)
    as_list = net.backward(forward, gradient, loss=CCE, y=Y.tolist())  # an array-like is read as an array
    for got, want in zip(as_list[0] + as_list[1], sum(net.gradients(X, Y, CCE), [])):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError, match=r"y must have the output's shape \(2, 3\); got \(2, 2\)"):
        net.backward(forward, gradient, loss=CCE, y=Y[:, :2])
    with pytest.raises(ValueError, match="probability distribution per row"):
        net.backward(forward, gradient, loss=CCE, y=2 * Y)
    with pytest.raises(ValueError, match=r"loss='cce' is not known; allowed: \["):
        net.backward(forward, gradient, loss="cce", y=Y)
    with pytest.raises(TypeError, match="y must be a number or an array of numbers; got None"):
        bpcourse.categorical_cross_entropy_from_logits([[1.0, 2.0]], None)


def test_a_loss_that_overflows_from_finite_scores_is_refused():
    # scores 2e308 apart: the loss itself is beyond float64; refused with the reason, not returned as inf
    with pytest.raises(ValueError, match="categorical_cross_entropy_from_logits is not finite although its inputs"):
        bpcourse.categorical_cross_entropy_from_logits([[1e308, -1e308]], [[0.0, 1.0]])


def test_softmax_and_cross_entropy_against_sympy():
    from bpcourse.symbolic import SymbolicNetwork, to_function

    net = bpcourse.MLP((2, 2, 3), ["tanh", "softmax"], seed=2)
    X, Y = np.array([[0.5, -1.0], [1.5, 0.25]]), np.eye(3)[[2, 0]]
    sym = SymbolicNetwork.from_layer_sizes((2, 2, 3), ["tanh", "softmax"])
    weight_grads, bias_grads = net.gradients(X, Y, CCE)
    backprop = bpcourse.network.flatten(weight_grads, bias_grads)
    values = net.get_flat_parameters()
    loss = to_function([sym.loss(X, Y, CCE)], sym.parameters)(*values)
    np.testing.assert_allclose(loss, net.loss(X, Y, CCE), rtol=1e-12)
    for gradient in (sym.gradient(X, Y, CCE), sym.chain_rule_gradient(X, Y, CCE)):
        np.testing.assert_allclose(to_function([*gradient.values()], sym.parameters)(*values), backprop,
                                   rtol=1e-10, atol=1e-14)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"activations\[0\]='softmax' is an output activation"):
        bpcourse.MLP((4, 3, 2), ["softmax", "tanh"])
    with pytest.raises(ValueError, match="probability distribution per row.*row \\(1,\\) is \\[0.5, 0.0\\]"):
        bpcourse.categorical_cross_entropy([[0.5, 0.5], [0.5, 0.5]], [[1, 0], [0.5, 0]])
    with pytest.raises(ValueError, match="one column per class"):
        bpcourse.categorical_cross_entropy([[1.0]], [[1.0]])
    with pytest.raises(ValueError, match="same shape"):
        bpcourse.categorical_cross_entropy_from_logits([[1.0, 2.0]], [[1.0, 0.0, 0.0]])
    with pytest.raises(TypeError, match="z must be"):
        bpcourse.softmax("scores")
    with pytest.raises(ValueError, match=r"labels must be whole numbers from 0 to 2; found \[3.0\]"):
        bpcourse.one_hot([0, 3], 3)
    with pytest.raises(ValueError, match=r"y_hat must be whole numbers from 0 to 2; found \[0.5, 5.0\]"):
        bpcourse.confusion_matrix([0, 5, 0.5], [0, 1, 2], 3)
    with pytest.raises(ValueError, match="n_classes must be >= 2"):
        bpcourse.one_hot([0, 0], 1)
    with pytest.raises(ValueError, match=r"y_hat must contain only finite numbers; found 1 NaN/inf"):
        bpcourse.accuracy([np.nan, 1.0], [0, 1])  # NaN is no class (it compared unequal to every label)
    with pytest.raises(ValueError, match="y_hat must not be empty"):
        bpcourse.confusion_matrix([], [])
    with pytest.raises(ValueError, match="same number of samples"):
        bpcourse.accuracy([[0.2, 0.8]], [[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="seed must be >= 0"):
        bpcourse.digits_data(seed=-1)
    with pytest.raises(ValueError, match="test_fraction must be between 0 and 1"):
        bpcourse.digits_data(test_fraction=1.0)
    # a refused training call leaves the network as it was
    net = chapter_network(0)
    before = net.get_flat_parameters()
    X_train, y_train, _, _ = bpcourse.digits_data()
    with pytest.raises(ValueError, match="probability distribution"):
        bpcourse.gradient_descent(net, X_train[:4], y_train[:4] * 2, CCE, 0.5, 1)
    np.testing.assert_array_equal(net.get_flat_parameters(), before)


def test_digits_data_is_a_stratified_one_hot_split():
    X_train, y_train, X_test, y_test = bpcourse.digits_data(seed=0)
    assert X_train.shape == (1347, 64) and X_test.shape == (450, 64)
    assert X_train.min() == 0.0 and X_train.max() == 1.0 and X_test.max() <= 1.0
    for y in (y_train, y_test):
        assert set(np.unique(y)) == {0.0, 1.0} and np.all(y.sum(axis=1) == 1)
    # every digit keeps its share (about 180 images each: 45 or so in the test set)
    assert np.all(np.abs(y_test.sum(axis=0) / (y_train.sum(axis=0) + y_test.sum(axis=0)) - 0.25) < 0.01)
    # no image is in both sets, and the seed moves the split
    train_rows = {row.tobytes() for row in X_train}
    assert sum(row.tobytes() in train_rows for row in X_test) < 5  # a few digits are drawn identically
    again = bpcourse.digits_data(seed=0)
    assert np.array_equal(again[0], X_train) and not np.array_equal(bpcourse.digits_data(seed=1)[0], X_train)


def test_accuracy_and_confusion_matrix_by_hand():
    outputs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [0.6, 0.3, 0.1]])
    labels = np.array([0, 1, 1, 2])
    assert bpcourse.accuracy(outputs, np.eye(3)[labels]) == 0.5
    assert bpcourse.accuracy(outputs, labels) == 0.5
    np.testing.assert_array_equal(bpcourse.confusion_matrix(outputs, labels, 3), [[1, 0, 0], [0, 1, 1], [1, 0, 0]])


def train_chapter_network(seed):
    X_train, y_train, X_test, y_test = bpcourse.digits_data(seed=seed)
    net = chapter_network(seed)
    history = bpcourse.gradient_descent(net, X_train, y_train, CCE, seed=seed, **CHAPTER_RUN)
    assert history.stop_reason == "completed"
    return bpcourse.accuracy(net.forward(X_test), y_test)


def test_chapter_network_reaches_97_percent_on_the_default_seed_and_96_on_five():
    accuracies = [train_chapter_network(seed) for seed in range(5)]
    assert accuracies[0] >= 0.97, accuracies
    assert min(accuracies) >= 0.96, accuracies


def test_stable_loss_exercise_accepts_stable_forms_and_names_the_overflow(capsys):
    from bpcourse.exercises import EXERCISES

    exercise = EXERCISES["digits-stable-loss"]
    right = exercise.solution()
    for z in exercise.inputs:  # the answer itself, against mpmath
        with mpmath.workdps(50):
            assert right(z) == pytest.approx(float(mpmath.log(1 + mpmath.exp(-mpmath.mpf(z)))), rel=1e-12)
    stable = [lambda z: max(-z, 0.0) + np.log1p(np.exp(-abs(z))),
              lambda z: float(np.logaddexp(0.0, -z)),
              lambda z: float(bpcourse.softplus(-z)),
              lambda z: np.float64(-bpcourse.log_softmax([z, 0.0])[0])]
    for answer in stable:
        assert exercise(answer), capsys.readouterr().out
    wrong = {
        (lambda z: -np.log(np.exp(z) / (np.exp(z) + 1))): "two_class_loss(-1000) = inf is not right",
        (lambda z: np.log1p(np.exp(-z))): "two_class_loss(-1000) = inf is not right",
        (lambda z: -z + np.log1p(np.exp(z))): "two_class_loss(800) = inf is not right",
        (lambda z: None): "returned None",
        (lambda z: "0.69"): "returned '0.69'",
        (lambda z: 1 / 0): "raised ZeroDivisionError",
        (lambda z: max(z, 0.0) + np.log1p(np.exp(-abs(z)))): "two_class_loss(-1000) = 0 is not right",
    }
    capsys.readouterr()
    for answer, phrase in wrong.items():
        assert not exercise(answer)
        said = capsys.readouterr().out
        assert phrase in said
        assert "1000 is" not in said.replace("(-1000)", "") and "expected" not in said  # the right value is not revealed
