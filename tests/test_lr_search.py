"""Learning-rate sweep and range test."""

import numpy as np
import pytest

import bpcourse


def test_sweep_on_b3_finds_the_theoretical_threshold():
    # With every other parameter frozen the SSR is a parabola in b3 with second derivative 2 * 3 = 6
    # (three observations), so descent on b3 converges for alpha < 2/6 = 1/3 and diverges above.
    # A network whose only free parameter is b3: one identity unit with weight 0 on a constant input,
    # its bias playing b3 and the targets the dosage residuals at b3 = 0.
    X, y = bpcourse.dosage_data()
    residuals = y - bpcourse.dosage_network().forward(X)
    net = bpcourse.MLP.from_weights([[[0.0]]], [[0.0]], ["identity"])
    zeros = np.zeros((3, 1))  # the weight sees only zeros, so its gradient is 0 and it never moves
    lowest = float(np.sum((residuals - residuals.mean()) ** 2))  # the SSR at the best b3, the mean residual
    rates = np.array([0.2, 0.3, 0.33, 0.334, 0.34, 0.4])
    result = bpcourse.lr_sweep(net, zeros, residuals, "sse", rates, 3000, target=lowest * (1 + 1e-9))
    stable = rates < 1 / 3
    assert all(v == "reached target" for v, s in zip(result.verdicts, stable) if s)
    assert all(v == "diverged" for v, s in zip(result.verdicts, stable) if not s)
    assert result.first_failure == pytest.approx(0.334)
    # and descend_1d on the real network's b3 agrees on either side of 1/3
    def slope(b3):
        return bpcourse.dosage_network(b3=b3).gradients(X, y, "sse")[1][1][0]

    assert bpcourse.descend_1d(slope, 0.0, 0.33, tol=1e-9, steps=5000).stop_reason == "converged"
    assert bpcourse.descend_1d(slope, 0.0, 0.34, tol=1e-9, steps=5000).stop_reason == "diverged"


def test_sweep_sorts_rates_into_verdicts():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network()
    start = net.get_flat_parameters()
    rates = np.logspace(-4, 0.5, 10)
    result = bpcourse.lr_sweep(net, X, y, "sse", rates, 1000)
    np.testing.assert_array_equal(net.get_flat_parameters(), start)  # untouched
    assert result.target == pytest.approx(1e-3 * result.initial_loss)
    assert result.verdicts[0] == "still falling"
    assert result.verdicts[-1] == "diverged"
    assert "reached target" in result.verdicts
    low, high = result.reached_range
    assert low <= high < result.first_failure
    assert np.all(np.isfinite(result.final_losses))
    assert "reached the target loss" in result.message
    # each verdict says what its run did
    for rate, verdict, final in zip(rates, result.verdicts, result.final_losses):
        history = bpcourse.gradient_descent(net.copy(), X, y, "sse", rate, 1000)
        assert history.final_loss == final
        if verdict == "reached target":
            assert final <= result.target
        if verdict == "still falling":
            assert final > result.target and history.losses[-1] < 0.99 * history.losses[-100]
        if verdict == "diverged":
            assert history.diverged


def test_a_plateau_is_called_stuck_not_unstable():
    # a ReLU unit that is dead on every sample never moves, and the output bias already sits at its
    # best value (the mean target): the loss 0.5 is a plateau, whatever the rate
    net = bpcourse.MLP.from_weights([[[1.0]], [[1.0]]], [[-10.0], [1.5]], ["relu", "identity"])
    result = bpcourse.lr_sweep(net, [[0.0], [1.0]], [1.0, 2.0], "sse", [0.01, 0.1], 50)
    assert result.verdicts == ["stuck", "stuck"]


def test_range_test_on_the_dosage_network_diverges_and_suggests_a_range():
    X, y = bpcourse.dosage_data()
    result = bpcourse.lr_range_test(bpcourse.dosage_network(), X, y, "sse", lr_min=1e-4, lr_max=10, steps=200)
    assert result.stopped
    assert result.stop_lr < 10
    low, high = result.suggested_range
    assert result.learning_rates[0] <= low < high <= result.stop_lr
    assert "blew up near learning rate" in result.message
    growth = result.learning_rates[1:] / result.learning_rates[:-1]
    np.testing.assert_allclose(growth, growth[0])


def test_range_test_says_so_when_nothing_diverges():
    X, y = bpcourse.dosage_data()
    result = bpcourse.lr_range_test(bpcourse.dosage_network(), X, y, "sse", lr_min=1e-5, lr_max=1e-2, steps=50)
    assert not result.stopped
    assert "no blow-up up to learning rate 0.01" in result.message
    assert len(result.losses) == 50


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"lr_min": 1.0, "lr_max": 0.5}, "lr_max must be greater than lr_min"),
        ({"steps": 2}, "steps must be >= 3"),
        ({"smoothing": 1.0}, r"smoothing must be in \[0, 1\)"),
    ],
)
def test_range_test_rejects_bad_settings(kwargs, message):
    X, y = bpcourse.dosage_data()
    with pytest.raises(ValueError, match=message):
        bpcourse.lr_range_test(bpcourse.dosage_network(), X, y, "sse", **kwargs)


def test_sweep_rejects_non_positive_rates():
    X, y = bpcourse.dosage_data()
    with pytest.raises(ValueError, match="learning_rates must all be > 0"):
        bpcourse.lr_sweep(bpcourse.dosage_network(), X, y, "sse", [0.1, 0.0], 10)
