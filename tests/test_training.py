"""Gradient descent: it lowers the loss, stops when asked, and reports divergence cleanly."""

import warnings

import numpy as np
import pytest

import bpcourse


def dosage():
    X, y = bpcourse.dosage_data()
    return bpcourse.dosage_network(), X, y


def test_training_lowers_the_loss_and_updates_in_place():
    net, X, y = dosage()
    before = bpcourse.sse(net.forward(X), y)
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.05, 2000)
    assert history.stop_reason == "completed" and history.epochs_run == 2000
    assert len(history.losses) == 2000 and history.losses[0] == pytest.approx(before)
    assert history.final_loss == pytest.approx(bpcourse.sse(net.forward(X), y))
    assert history.final_loss < 0.05 * before


def test_one_epoch_is_one_backprop_step():
    net, X, y = dosage()
    gw, gb = net.gradients(X, y, "mse")
    expected = [W - 0.3 * g for W, g in zip(net.weights, gw)], [b - 0.3 * g for b, g in zip(net.biases, gb)]
    bpcourse.gradient_descent(net, X, y, "mse", 0.3, 1)
    for got, want in zip(net.weights + net.biases, expected[0] + expected[1]):
        np.testing.assert_allclose(got, want, rtol=1e-14)


def test_small_step_rule_stops_early():
    net, X, y = dosage()
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.05, 100_000, tol=1e-4)
    assert history.stop_reason == "converged"
    assert history.epochs_run < 100_000
    assert "converged after" in history.message
    # one more step would indeed be small
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
    assert np.isfinite(history.final_loss)
    assert all(np.all(np.isfinite(p)) for p in net.weights + net.biases)


def test_snapshots_follow_the_parameters():
    net, X, y = dosage()
    start = net.get_flat_parameters()
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.1, 25, record_every=10)
    assert history.snapshot_epochs == [0, 10, 20, 25]
    np.testing.assert_array_equal(history.snapshots[0], start)
    np.testing.assert_array_equal(history.snapshots[-1], net.get_flat_parameters())


def test_descend_1d_on_a_parabola():
    path = bpcourse.descend_1d(lambda v: 2 * (v - 3), 0.0, 0.25, min_step=1e-6)
    assert path.stop_reason == "small step"
    assert path.final_value == pytest.approx(3.0, abs=1e-5)
    np.testing.assert_allclose(path.values[1:], path.values[:-1] - path.steps)
    blown = bpcourse.descend_1d(lambda v: 2 * (v - 3), 0.0, 1.5)
    assert blown.stop_reason == "diverged" and np.all(np.isfinite(blown.values))
    capped = bpcourse.descend_1d(lambda v: 2 * (v - 3), 0.0, 0.01, max_steps=5)
    assert capped.stop_reason == "max steps" and capped.n_steps == 5
