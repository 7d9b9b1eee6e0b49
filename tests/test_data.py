"""bpcourse.data.nudged: the copies chapters 6 and 8 start from to see which results survive the last digits."""

import re

import numpy as np
import pytest

import bpcourse
from bpcourse.data import nudged


def _arrays(net):
    return [W.copy() for W in net.weights], [b.copy() for b in net.biases]


def test_each_weight_moves_by_size_times_a_standard_normal_draw():
    net = bpcourse.MLP((40, 60, 30), ["tanh", "sigmoid"], seed=0)  # 4,200 weights
    size = 1e-3  # large enough that the difference is read back to 12 digits or more
    copy = nudged(net, seed=7, size=size)
    draws = np.concatenate([((C - W) / size).ravel() for C, W in zip(copy.weights, net.weights)])
    assert draws.size == 40 * 60 + 60 * 30 and np.all(draws != 0)
    # a standard normal sample of 4,200: mean within 4 standard errors of 0, spread within 5 % of 1
    assert abs(draws.mean()) < 4 / np.sqrt(draws.size)
    assert 0.95 < draws.std() < 1.05
    assert np.abs(draws).max() < 6
    # the size scales the change, and nothing else: the same seed with a size ten times smaller
    smaller = nudged(net, seed=7, size=size / 10)
    for C, S, W in zip(copy.weights, smaller.weights, net.weights):
        np.testing.assert_allclose(S - W, (C - W) / 10, rtol=1e-9, atol=0)


def test_the_original_biases_shape_and_activations_are_untouched():
    net = bpcourse.article_network()
    weights, biases = _arrays(net)
    copy = nudged(net, seed=1)
    for before, after in zip(weights, net.weights):
        assert np.array_equal(before, after)  # the original network is not changed
    for before, after in zip(biases, copy.biases):
        assert np.array_equal(before, after)  # only the weights move
    assert copy is not net and copy.layer_sizes == net.layer_sizes
    assert [a.name for a in copy.activations] == [a.name for a in net.activations]
    assert all(C is not W for C, W in zip(copy.weights, net.weights))


def test_a_default_nudge_is_about_a_trillionth_and_the_seed_decides_it():
    net = bpcourse.dosage_network()
    changes = [np.concatenate([(C - W).ravel() for C, W in zip(nudged(net, seed).weights, net.weights)])
               for seed in (1, 1, 2)]
    assert np.array_equal(changes[0], changes[1]) and not np.array_equal(changes[0], changes[2])
    assert 0 < np.abs(changes[0]).max() < 1e-11
    # so small that the loss at the start agrees to about 11 digits
    X, y = bpcourse.dosage_data()
    assert abs(nudged(net, 1).loss(X, y, "sse") - net.loss(X, y, "sse")) < 1e-9


def test_it_is_the_nudge_the_chapters_wrote_before():
    """Chapters 6 and 8 defined the nudge in a cell; their saved results depend on these exact copies."""
    net = bpcourse.lecture_network()
    rng = np.random.default_rng(3)
    expected = [W + 1e-12 * rng.standard_normal(W.shape) for W in net.weights]
    for W, E in zip(nudged(net, 3).weights, expected):
        assert np.array_equal(W, E)


@pytest.mark.parametrize("arguments, error, words", [
    (dict(net="a network", seed=1), TypeError, "net must be a bpcourse.MLP"),
    (dict(seed=-1), ValueError, "seed must be >= 0"),
    (dict(seed=1.5), TypeError, "seed must be an integer"),
    (dict(seed="1"), TypeError, "seed must be an integer"),
    (dict(seed=1, size=0.0), ValueError, "size must be > 0"),
    (dict(seed=1, size=-1e-12), ValueError, "size must be > 0"),
    (dict(seed=1, size=float("nan")), ValueError, "size must be finite"),
    (dict(seed=1, size=None), TypeError, "size must be a real number"),
    (dict(seed=1, size=1e308), ValueError, "size=1e+308 moves weights beyond the float range"),
])
def test_bad_arguments_are_refused_by_name_and_the_network_is_unchanged(arguments, error, words):
    net = bpcourse.MLP((40, 60, 30), ["tanh", "sigmoid"], seed=0)  # 4,200 draws: some are larger than 1.8
    weights, biases = _arrays(net)
    with pytest.raises(error, match=re.escape(words)):
        nudged(**{"net": net, **arguments})
    assert all(np.array_equal(a, b) for a, b in zip(weights + biases, net.weights + net.biases))
