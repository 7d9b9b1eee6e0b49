"""The course's three data sets and the networks that go with them.

* The **dosage** example (chapters 2-6): three observations, a 1-2-1 network
  with softplus hidden units and an identity output, and its published
  starting weights.
* The **lecture** example (chapters 2, 3, 5): 500 standard-normal points in
  2-D labelled by ``x0 + x1 > 0``, and a 2-4-1 sigmoid network, reproduced
  draw for draw from ``np.random.seed(42)``.
* The **article** example (chapters 2, 6): a 1-3-1 network with ReLU hidden
  units and a sigmoid output, on a small 1-D classification set made here.
"""

from __future__ import annotations

import numpy as np

from ._validation import check_real
from .losses import sse
from .network import MLP

__all__ = [
    "DOSAGE_PARAMETERS",
    "dosage_data",
    "dosage_network",
    "dosage_ssr",
    "dosage_ssr_gradient",
    "lecture_data",
    "lecture_network",
    "LECTURE_TEST_POINTS",
    "article_data",
    "article_network",
]

DOSAGE_PARAMETERS = {"w1": 3.34, "b1": -1.43, "w2": -3.53, "b2": 0.57, "w3": -1.22, "w4": -2.30, "b3": 0.0}
"""Published starting values of the dosage network (``b3`` starts at 0)."""


def dosage_data():
    """Dosages 0, 0.5, 1 (low, medium, high) and the observed effectiveness 0, 1, 0.

    Returns
    -------
    X : ndarray of shape (3, 1)
    y : ndarray of shape (3, 1)
    """
    X = np.array([[0.0], [0.5], [1.0]])
    y = np.array([[0.0], [1.0], [0.0]])
    return X, y


def dosage_network(**overrides):
    """The dosage network with its published parameters.

    Keyword arguments replace single parameters, e.g. ``dosage_network(b3=1.57)``.
    """
    unknown = set(overrides) - set(DOSAGE_PARAMETERS)
    if unknown:
        raise ValueError(
            f"unknown dosage parameter(s) {sorted(unknown)}; allowed: {sorted(DOSAGE_PARAMETERS)}"
        )
    p = {**DOSAGE_PARAMETERS, **{k: check_real(v, k) for k, v in overrides.items()}}
    return MLP.from_weights(
        weights=[[[p["w1"], p["w2"]]], [[p["w3"]], [p["w4"]]]],
        biases=[[p["b1"], p["b2"]], [p["b3"]]],
        activations=["softplus", "identity"],
    )


def dosage_ssr(**parameters):
    """Sum of squared residuals of the dosage network on its three observations.

    Keyword arguments replace published parameters, e.g. ``dosage_ssr(b3=1.57)``.
    """
    X, y = dosage_data()
    return sse(dosage_network(**parameters).forward(X), y)


def dosage_ssr_gradient(**parameters):
    """``{"w1": dSSR/dw1, ..., "b3": dSSR/db3}`` by backpropagation.

    Keyword arguments replace published parameters, e.g.
    ``dosage_ssr_gradient(b3=0.0)["b3"]`` is the slope of chapter 4.
    """
    X, y = dosage_data()
    net = dosage_network(**parameters)
    weight_grads, bias_grads = net.gradients(X, y, "sse")
    # The gradients have the parameters' shapes, so the named view reads them too.
    net.weights, net.biases = weight_grads, bias_grads
    return net.dosage.as_dict()


LECTURE_TEST_POINTS = np.array([[0.5, -0.5], [-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5]])
"""The four points the lecture classifies after training."""


def _lecture_stream(seed):
    # np.random.seed(s) followed by np.random.randn draws exactly what
    # RandomState(s).randn draws, without touching NumPy's global state.
    return np.random.RandomState(check_real(seed, "seed", integer=True, non_negative=True))


def lecture_data(seed=42):
    """The lecture's synthetic data set.

    Returns
    -------
    X : ndarray of shape (500, 2)
        Standard-normal points, the first 1000 draws of ``seed``'s stream.
    y : ndarray of shape (500, 1)
        1.0 where ``x0 + x1 > 0``, else 0.0.
    """
    X = _lecture_stream(seed).randn(500, 2)
    y = (X[:, 0] + X[:, 1] > 0).astype(float).reshape(-1, 1)
    return X, y


def lecture_network(seed=42):
    """The lecture's 2-4-1 sigmoid network with its exact initial weights.

    The lecture draws, from one stream seeded with ``seed``: the data
    (500 x 2), then ``W1`` (2 x 4), then ``W2`` (4 x 1); the biases start at
    zero. This function replays that order.
    """
    stream = _lecture_stream(seed)
    stream.randn(500, 2)  # the data come first in the lecture's stream
    W1 = stream.randn(2, 4)
    W2 = stream.randn(4, 1)
    return MLP.from_weights([W1, W2], [np.zeros(4), np.zeros(1)], ["sigmoid", "sigmoid"])


def article_data(n_samples=12, seed=0):
    """A 1-D set for the article's 1-3-1 network: class 1 inside ``|x| < 1``.

    Points are spread evenly over [-3, 3] with a little seeded jitter, so a
    bump made of ReLU pieces separates the classes.

    Returns
    -------
    X : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples, 1)
    """
    n_samples = check_real(n_samples, "n_samples", integer=True, minimum=2)
    rng = np.random.default_rng(check_real(seed, "seed", integer=True, non_negative=True))
    x = np.linspace(-3.0, 3.0, n_samples) + rng.uniform(-0.05, 0.05, n_samples)
    y = (np.abs(x) < 1.0).astype(float)
    return x.reshape(-1, 1), y.reshape(-1, 1)


def article_network(seed=3):
    """The article's network: 1 input, 3 ReLU hidden units, a sigmoid output.

    Weights are standard normal from ``seed``; with the default seed no
    hidden unit starts dead on :func:`article_data`.
    """
    return MLP((1, 3, 1), ["relu", "sigmoid"], seed=seed)
