"""Gradient descent: one epoch is one step along the network's own gradients; stops are honest."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpcourse
from bpcourse.activations import ACTIVATIONS
from bpcourse.losses import LOSSES


def dosage():
    X, y = bpcourse.dosage_data()
    return bpcourse.dosage_network(), X, y


# A loss of our own, not a multiple of the SSE: sum of fourth powers of the residuals.
QUARTIC = bpcourse.Loss("quartic", lambda p, t: float(np.sum((p - t) ** 4)), lambda p, t: 4 * (p - t) ** 3)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    sizes=st.lists(st.integers(1, 4), min_size=2, max_size=4),
    names=st.lists(st.sampled_from(sorted(n for n in ACTIVATIONS if n != "softmax")), min_size=3, max_size=3),
    loss=st.sampled_from(sorted(LOSSES) + ["quartic"]),
    rate=st.sampled_from([1e-6, 0.01, 0.3]),
    seed=st.integers(0, 1000),
)
def test_one_epoch_is_one_explicit_step_along_the_gradients(sizes, names, loss, rate, seed):
    loss = QUARTIC if loss == "quartic" else loss
    names = names[: len(sizes) - 1]
    if loss == "categorical_cross_entropy":  # a softmax over at least two classes
        sizes, names = sizes[:-1] + [max(sizes[-1], 2)], names[:-1] + ["softmax"]
    net = bpcourse.MLP(sizes, names, seed=seed)
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(5, sizes[0])), rng.normal(size=(5, sizes[-1]))
    if loss == "cross_entropy":
        y = rng.uniform(0, 1, size=y.shape)  # targets in [0, 1]
    if loss == "categorical_cross_entropy":
        y = bpcourse.softmax(y)  # one probability distribution per row
    start_loss = net.loss(X, y, loss)
    weight_grads, bias_grads = net.gradients(X, y, loss)
    expected = [p - rate * g for p, g in zip(net.weights + net.biases, weight_grads + bias_grads)]
    history = bpcourse.gradient_descent(net, X, y, loss, rate, 1, divergence_factor=1e300)
    assert history.epochs_run == 1 and history.losses[0] == start_loss
    for got, want in zip(net.weights + net.biases, expected):
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=1e-15)
    assert history.final_loss == pytest.approx(net.loss(X, y, loss), rel=1e-12)


def test_a_custom_loss_trains_with_its_own_derivative():
    net, X, y = dosage()
    weight_grads, bias_grads = net.gradients(X, y, QUARTIC)
    # the quartic loss's gradient differs from every registered loss's gradient
    for name in sorted(set(LOSSES) - {"categorical_cross_entropy"}):  # that one needs two or more outputs
        assert not np.allclose(bias_grads[1], net.gradients(X, y, name)[1][1])
    history = bpcourse.gradient_descent(net, X, y, QUARTIC, 0.001, 200)
    assert history.stop_reason == "completed" and history.final_loss < 0.5 * history.losses[0]


def test_training_updates_the_same_arrays_in_place():
    net, X, y = dosage()
    W1 = net.weights[0]
    before = W1.copy()
    bpcourse.gradient_descent(net, X, y, "sse", 0.05, 10)
    assert net.weights[0] is W1 and not np.array_equal(W1, before)


def test_from_weights_copies_the_callers_arrays():
    W = np.array([[0.5, -0.3]])
    b = np.zeros(2)
    net = bpcourse.MLP.from_weights([W, np.ones((2, 1))], [b, np.zeros(1)], ["tanh", "identity"])
    bpcourse.gradient_descent(net, [[1.0], [2.0]], [0.3, -0.2], "sse", 0.1, 5)
    assert np.array_equal(W, [[0.5, -0.3]]) and np.array_equal(b, [0.0, 0.0])


def test_training_lowers_the_loss():
    net, X, y = dosage()
    before = bpcourse.sse(net.forward(X), y)
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.05, 2000)
    assert history.stop_reason == "completed" and history.epochs_run == 2000
    assert len(history.losses) == 2001 and history.losses[0] == pytest.approx(before)
    assert history.final_loss == pytest.approx(bpcourse.sse(net.forward(X), y))
    assert history.final_loss < 0.05 * before


def test_tol_stops_when_the_step_is_small():
    net, X, y = dosage()
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.05, 100_000, tol=1e-4)
    assert history.stop_reason == "converged"
    assert history.epochs_run < 100_000
    assert "converged after" in history.message
    # the step that stopped the run was small: undo it and look
    gw, gb = net.gradients(X, y, "sse")
    assert max(np.abs(g).max() for g in gw + gb) * 0.05 < 1.01e-4


def test_divergence_is_reported_without_nans_or_warnings():
    net, X, y = dosage()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = bpcourse.gradient_descent(net, X, y, "sse", 5.0, 1000)
    assert history.diverged and history.stop_reason == "diverged"
    assert history.diverged_at is not None and history.diverged_at < 1000
    assert f"diverged at epoch {history.diverged_at}" in history.message
    assert np.all(np.isfinite(history.losses)) and len(history.losses) == history.diverged_at
    assert history.epochs_run == history.diverged_at - 1
    assert history.final_loss == pytest.approx(net.loss(X, y, "sse"))
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)


def test_the_last_epoch_is_checked_too():
    # with 0.5 the dosage loss passes 1e4 x its start at epoch 7: 7 epochs must not "complete"
    for epochs in (7, 8, 20):
        net, X, y = dosage()
        history = bpcourse.gradient_descent(net, X, y, "sse", 0.5, epochs)
        assert history.diverged and history.diverged_at == 7, epochs
        assert history.final_loss <= 1e4 * history.losses[0]


def test_a_step_that_would_overflow_is_refused_and_reported():
    # loss 5e307 is finite, but the step 10 * dL/dW = 10 * 1e308 is not
    net = bpcourse.MLP.from_weights([[[1.0]]], [[0.0]], ["identity"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = bpcourse.gradient_descent(net, [[1e154]], [0.0], "half_sse", 10.0, 5)
    assert history.diverged and "non-finite" in history.message and history.diverged_at == 1
    assert net.weights[0][0, 0] == 1.0 and history.final_loss == pytest.approx(5e307)


def test_a_non_finite_step_never_counts_as_converged():
    # dSSE/dW = 2 (0.5 - (-10)) * 1 = 21, and 21 times the rate 1.7e308 overflows: the first update is refused
    net = bpcourse.MLP.from_weights([[[0.5]]], [[0.0]], ["identity"])
    history = bpcourse.gradient_descent(net, [[1.0]], [-10.0], "sse", 1.7e308, 5, tol=1e-6)
    assert history.stop_reason == "diverged" and history.diverged_at == 1 and "non-finite" in history.message
    np.testing.assert_array_equal(net.get_flat_parameters(), [0.5, 0.0])
    assert history.epochs_run == 0 and history.final_loss == history.losses[0] == 10.5 ** 2


def test_a_failing_custom_loss_leaves_the_network_as_it_was():
    calls = []

    def fragile(p, t):
        calls.append(1)
        if len(calls) > 3:
            raise ArithmeticError("deliberate")
        return float(np.sum((p - t) ** 2))

    net, X, y = dosage()
    start = net.get_flat_parameters()
    with pytest.raises(ArithmeticError):
        bpcourse.gradient_descent(net, X, y, bpcourse.Loss("fragile", fragile, bpcourse.losses.sse_derivative),
                                  0.01, 10)
    np.testing.assert_array_equal(net.get_flat_parameters(), start)


def test_a_custom_loss_with_a_wrong_derivative_shape_is_named():
    net, X, y = dosage()
    bad = bpcourse.Loss("bad", bpcourse.sse, lambda p, t: np.zeros(3))
    with pytest.raises(ValueError, match=r"output_gradient .* shape \(3, 1\)"):
        bpcourse.gradient_descent(net, X, y, bad, 0.1, 3)
    listed = bpcourse.Loss("listed", bpcourse.sse, lambda p, t: [0.0] * 3)
    with pytest.raises(TypeError, match=r"the derivative of loss 'listed' must return an ndarray"):
        bpcourse.lr_range_test(net, X, y, listed)


def test_gradient_step_is_all_or_nothing():
    net, X, y = dosage()
    gw, gb = net.gradients(X, y, "sse")
    start = net.get_flat_parameters()
    gb[1][0] = np.nan
    assert bpcourse.gradient_step(net, gw, gb, 0.1) is False
    np.testing.assert_array_equal(net.get_flat_parameters(), start)
    gb[1][0] = 1.0
    assert bpcourse.gradient_step(net, gw, gb, 0.1) is True
    np.testing.assert_allclose(net.get_flat_parameters(), start - 0.1 * bpcourse.network.flatten(gw, gb))
    with pytest.raises(ValueError, match=r"bias_grads\[1\] must be an array of shape \(1,\)"):
        bpcourse.gradient_step(net, gw, [gb[0], np.zeros(2)], 0.1)


def test_snapshots_follow_the_parameters():
    net, X, y = dosage()
    start = net.get_flat_parameters()
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.1, 25, record_every=10)
    assert history.snapshot_epochs == [0, 10, 20, 25]
    np.testing.assert_array_equal(history.snapshots[0], start)
    np.testing.assert_array_equal(history.snapshots[-1], net.get_flat_parameters())


def test_descend_1d_on_a_parabola():
    path = bpcourse.descend_1d(lambda v: 2 * (v - 3), 0.0, 0.25, tol=1e-6)
    assert path.stop_reason == "converged"
    assert path.final_value == pytest.approx(3.0, abs=1e-5)
    np.testing.assert_allclose(path.values[1:], path.values[:-1] - path.step_sizes)
    blown = bpcourse.descend_1d(lambda v: 2 * (v - 3), 0.0, 1.5)
    assert blown.stop_reason == "diverged" and np.all(np.isfinite(blown.values))
    capped = bpcourse.descend_1d(lambda v: 2 * (v - 3), 0.0, 0.01, steps=5)
    assert capped.stop_reason == "completed" and capped.n_steps == 5
    with pytest.raises(TypeError, match=r"gradient\(0.0\) must return a real number"):
        bpcourse.descend_1d(lambda v: "steep", 0.0, 0.1)


def test_full_batch_size_is_full_batch_descent():
    X, y = bpcourse.lecture_data()
    a, b = bpcourse.lecture_network(), bpcourse.lecture_network()
    ha = bpcourse.gradient_descent(a, X, y, "half_sse", 0.1, 20)
    hb = bpcourse.gradient_descent(b, X, y, "half_sse", 0.1, 20, batch_size=len(X))
    np.testing.assert_allclose(b.get_flat_parameters(), a.get_flat_parameters(), rtol=1e-12)
    np.testing.assert_allclose(hb.losses, ha.losses, rtol=1e-12)
    assert ha.steps_run == 20 and hb.steps_run == 20


def test_one_mini_batch_epoch_is_one_step_per_shuffled_batch():
    X, y = bpcourse.lecture_data()
    X, y = X[:50], y[:50]
    net = bpcourse.lecture_network()
    by_hand = net.copy()
    order = np.random.default_rng(7).permutation(50)  # the same seeded shuffle
    for start in range(0, 50, 16):
        rows = order[start:start + 16]
        weight_grads, bias_grads = by_hand.gradients(X[rows], y[rows], "mse")
        for p, g in zip(by_hand.weights + by_hand.biases, weight_grads + bias_grads):
            p -= 0.5 * g
    history = bpcourse.gradient_descent(net, X, y, "mse", 0.5, 1, batch_size=16, seed=7)
    np.testing.assert_allclose(net.get_flat_parameters(), by_hand.get_flat_parameters(), rtol=1e-12)
    assert history.steps_per_epoch == 4 and history.steps_run == 4
    assert history.losses[-1] == pytest.approx(by_hand.loss(X, y, "mse"), rel=1e-12)


def test_mini_batch_runs_are_reproducible_and_seed_dependent():
    X, y = bpcourse.lecture_data()
    runs = []
    for seed in (3, 3, 4):
        net = bpcourse.lecture_network()
        bpcourse.gradient_descent(net, X, y, "mse", 1.0, 3, batch_size=32, seed=seed)
        runs.append(net.get_flat_parameters())
    np.testing.assert_array_equal(runs[0], runs[1])
    assert not np.allclose(runs[0], runs[2])


def test_mini_batch_settings_are_checked():
    X, y = bpcourse.dosage_data()
    with pytest.raises(ValueError, match="batch_size must be <= 3"):
        bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.1, 3, batch_size=4)
    with pytest.raises(TypeError, match="batch_size must be an integer"):
        bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.1, 3, batch_size=1.5)


@pytest.mark.parametrize("init, std", [("normal", lambda i, o: 1.0), ("glorot", lambda i, o: np.sqrt(2 / (i + o))),
                                       ("he", lambda i, o: np.sqrt(2 / i))])
def test_initialisations_have_the_published_scales(init, std):
    net = bpcourse.MLP((400, 300, 200), "relu", seed=0, init=init)
    for W in net.weights:
        n_in, n_out = W.shape
        assert W.std() == pytest.approx(std(n_in, n_out), rel=0.02)
        assert abs(W.mean()) < 0.05 * std(n_in, n_out)
    with pytest.raises(ValueError, match=r"init='xavier' is not known; allowed: \['glorot', 'he', 'normal'\]"):
        bpcourse.MLP((2, 2), "relu", init="xavier")


@pytest.mark.parametrize("learning_rate, batch_size, reason", [
    (5.0, None, "exceeded"),        # the loss blows up: the epoch whose loss passed last is kept
    (5.0, 2, "exceeded"),           # the same with mini-batches (two steps per epoch)
    (1.7e308, None, "non-finite"),  # the update itself overflows and is undone
    (1e308, 2, "non-finite"),       # the epoch's second step overflows: its first is undone too
])
def test_a_diverged_run_keeps_exactly_the_parameters_of_its_last_good_epoch(learning_rate, batch_size, reason):
    X, y = bpcourse.dosage_data()
    net = bpcourse.MLP((1, 3, 2, 1), ["tanh", "sigmoid", "identity"], seed=4)
    start = net.copy()
    history = bpcourse.gradient_descent(net, X, y, "sse", learning_rate, 1000, batch_size=batch_size)
    assert history.diverged and reason in history.message
    # an independent run stopped by its epoch count at the last good epoch must give the same numbers
    again = start.copy()
    if history.epochs_run:
        bpcourse.gradient_descent(again, X, y, "sse", learning_rate, history.epochs_run, batch_size=batch_size)
    np.testing.assert_array_equal(net.get_flat_parameters(), again.get_flat_parameters())
    assert history.final_loss == net.loss(X, y, "sse")
