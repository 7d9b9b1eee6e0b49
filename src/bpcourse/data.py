"""The course's three data sets and the networks that go with them.

* The **dosage** example (chapters 2-6): three observations, a 1-2-1 network
  with softplus hidden units and an identity output, and its published
  starting weights.
* The **lecture** example (chapters 2, 3, 5): 500 standard-normal points in
  2-D labelled by ``x0 + x1 > 0``, and a 2-4-1 sigmoid network, reproduced
  draw for draw from ``np.random.seed(42)``.
* The **article** example (chapters 2, 6): a 1-3-1 network with ReLU hidden
  units and a sigmoid output, on a small 1-D classification set made here.

It also holds :data:`MILESTONES`, the dated steps from the neuron to
backpropagation that chapter 1 tells and draws, and :func:`nudged`, the
copies of a network that chapters 6 and 8 start from to see which results
survive a change in the last digits.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import check_count, check_real
from .losses import sse
from .network import MLP, check_network

__all__ = [
    "DOSAGE_PARAMETERS",
    "dosage_data",
    "dosage_network",
    "dosage_parameters",
    "dosage_ssr",
    "dosage_ssr_gradient",
    "LECTURE_LEARNING_RATE",
    "lecture_data",
    "lecture_network",
    "LECTURE_TEST_POINTS",
    "article_data",
    "article_network",
    "Milestone",
    "MILESTONES",
    "nudged",
]

DOSAGE_PARAMETERS = {"w1": 3.34, "b1": -1.43, "w2": -3.53, "b2": 0.57, "w3": -1.22, "w4": -2.30, "b3": 0.0}
"""Starting values of the dosage network, as the source notebook gives them (``b3`` starts at 0).

The notebook takes them from a network trained beforehand and then forgets
``b3``; the course uses them as given.
"""

# Where each named dosage parameter lives in a 1-2-1 network: the picture of
# the network names them
#     top hidden unit:     x * w1 + b1  -> softplus -> times w3
#     bottom hidden unit:  x * w2 + b2  -> softplus -> times w4
#     output:              sum + b3
_DOSAGE_LAYOUT = {
    "w1": ("weights", 0, (0, 0)),
    "w2": ("weights", 0, (0, 1)),
    "w3": ("weights", 1, (0, 0)),
    "w4": ("weights", 1, (1, 0)),
    "b1": ("biases", 0, (0,)),
    "b2": ("biases", 0, (1,)),
    "b3": ("biases", 1, (0,)),
}


def _dosage_names(weights, biases):
    """``{"w1": ..., "b3": ...}`` from lists shaped like a 1-2-1 network's parameters (or gradients)."""
    arrays = {"weights": weights, "biases": biases}
    return {name: float(arrays[kind][layer][index]) for name, (kind, layer, index) in _DOSAGE_LAYOUT.items()}


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


def dosage_network(**parameters):
    """The dosage network (softplus hidden units, identity output) with its starting parameters.

    Parameters
    ----------
    **parameters : float
        Replace starting parameters by name, e.g. ``dosage_network(b3=1.57)``.

    Returns
    -------
    MLP
        A (1, 2, 1) network.

    Raises
    ------
    ValueError
        For a name that is not one of ``w1 ... w4, b1 ... b3``.
    """
    unknown = set(parameters) - set(DOSAGE_PARAMETERS)
    if unknown:
        raise ValueError(
            f"unknown dosage parameter(s) {sorted(unknown)}; allowed: {sorted(DOSAGE_PARAMETERS)}"
        )
    p = {**DOSAGE_PARAMETERS, **{k: check_real(v, k) for k, v in parameters.items()}}
    return MLP.from_weights(
        weights=[[[p["w1"], p["w2"]]], [[p["w3"]], [p["w4"]]]],
        biases=[[p["b1"], p["b2"]], [p["b3"]]],
        activations=["softplus", "identity"],
    )


def dosage_parameters(net):
    """The dosage example's names for the parameters of a (1, 2, 1) network.

    Parameters
    ----------
    net : MLP
        A network with layer sizes (1, 2, 1), e.g. a trained dosage network.

    Returns
    -------
    dict
        ``{"w1": ..., "w2": ..., "w3": ..., "w4": ..., "b1": ..., "b2": ..., "b3": ...}``.

    Raises
    ------
    TypeError, ValueError
        If ``net`` is not an :class:`MLP` of layer sizes (1, 2, 1).
    """
    check_network(net)
    if net.layer_sizes != (1, 2, 1):
        raise ValueError(f"net must have layer_sizes (1, 2, 1) to carry the dosage names; got {net.layer_sizes}")
    return _dosage_names(net.weights, net.biases)


def dosage_ssr(**parameters):
    """Sum of squared residuals of the dosage network on its three observations.

    Parameters
    ----------
    **parameters : float
        Replace starting parameters by name, e.g. ``dosage_ssr(b3=1.57)``.

    Returns
    -------
    float
    """
    X, y = dosage_data()
    return sse(dosage_network(**parameters).forward(X), y)


def dosage_ssr_gradient(**parameters):
    """The gradient of the SSR by backpropagation, under the dosage names.

    Parameters
    ----------
    **parameters : float
        Replace starting parameters by name; ``dosage_ssr_gradient(b3=0.0)["b3"]``
        is the slope of chapter 4.

    Returns
    -------
    dict
        ``{"w1": dSSR/dw1, ..., "b3": dSSR/db3}``.
    """
    X, y = dosage_data()
    weight_grads, bias_grads = dosage_network(**parameters).gradients(X, y, "sse")
    return _dosage_names(weight_grads, bias_grads)


LECTURE_LEARNING_RATE = 0.1
"""The learning rate of the lecture's training loop (it follows the half-SSE gradient)."""

LECTURE_TEST_POINTS = np.array([[0.5, -0.5], [-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5]])
"""The four points the lecture classifies after training."""


def _lecture_stream(seed):
    # np.random.seed(s) followed by np.random.randn draws exactly what
    # RandomState(s).randn draws, without touching NumPy's global state.
    return np.random.RandomState(check_real(seed, "seed", integer=True, non_negative=True, maximum=2**32 - 1))


def lecture_data(seed=42):
    """The lecture's synthetic data set, draw for draw.

    Parameters
    ----------
    seed : int
        The seed of the lecture's ``np.random.seed`` (42).

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

    Parameters
    ----------
    seed : int
        The seed of the lecture's ``np.random.seed`` (42).

    Returns
    -------
    MLP
        A (2, 4, 1) network with sigmoid layers.
    """
    stream = _lecture_stream(seed)
    stream.randn(500, 2)  # the data come first in the lecture's stream
    W1 = stream.randn(2, 4)
    W2 = stream.randn(4, 1)
    return MLP.from_weights([W1, W2], [np.zeros(4), np.zeros(1)], ["sigmoid", "sigmoid"])


def article_data(n_samples=12, seed=0):
    """A 1-D set for the article's 1-3-1 network: class 1 inside ``|x| < 1``.

    The article does not publish its data; this set is made here. Points are
    spread evenly over [-3, 3] with a little seeded jitter, so a bump made of
    ReLU pieces separates the classes.

    Parameters
    ----------
    n_samples : int, 2 to 1,000,000
    seed : int
        Seed of the jitter.

    Returns
    -------
    X : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples, 1)
    """
    n_samples = check_count(n_samples, "n_samples", minimum=2)
    rng = np.random.default_rng(check_real(seed, "seed", integer=True, non_negative=True, maximum=2**63 - 1))
    x = np.linspace(-3.0, 3.0, n_samples) + rng.uniform(-0.05, 0.05, n_samples)
    y = (np.abs(x) < 1.0).astype(float)
    return x.reshape(-1, 1), y.reshape(-1, 1)


def article_network(seed=3):
    """The article's network: 1 input, 3 ReLU hidden units, a sigmoid output.

    The article does not publish its weights; these are standard normal from
    ``seed``. With the default seed no hidden unit starts dead on
    :func:`article_data`.

    Parameters
    ----------
    seed : int

    Returns
    -------
    MLP
        A (1, 3, 1) network.
    """
    return MLP((1, 3, 1), ["relu", "sigmoid"], seed=seed)


@dataclass(frozen=True)
class Milestone:
    """One dated step of chapter 1's history.

    Attributes
    ----------
    year : int
    who : str
    what : str
        The work, in a few words.
    added : str
        What this step gave to the next one.
    """

    year: int
    who: str
    what: str
    added: str


MILESTONES = (
    Milestone(1888, "Santiago Ramón y Cajal",
              "drawings of nerve tissue stained by Golgi's method (Nobel Prize 1906, shared with Golgi)",
              "the neuron doctrine: the brain is made of separate cells that signal to each other"),
    Milestone(1943, "Warren McCulloch and Walter Pitts", "a logical calculus of nervous activity",
              "a neuron as a threshold unit on binary inputs, with absolute inhibition: logic from neurons"),
    Milestone(1949, "Donald Hebb", "The Organization of Behavior",
              "learning as the strengthening of connections between cells that fire together"),
    Milestone(1958, "Frank Rosenblatt", "the perceptron",
              "real-valued weights learned from examples instead of set by hand"),
    Milestone(1960, "Henry J. Kelley", "gradient theory of optimal flight paths",
              "how a final result depends on every earlier control, computed backwards in time"),
    Milestone(1961, "Arthur E. Bryson", "a gradient method for multi-stage allocation processes",
              "the same backward pass of sensitivities, stage by stage, through discrete steps"),
    Milestone(1967, "Shun'ichi Amari", "a theory of adaptive pattern classifiers",
              "stochastic gradient descent on a network with a hidden layer"),
    Milestone(1969, "Marvin Minsky and Seymour Papert", "the book Perceptrons",
              "a proof of what one layer cannot compute (parity, XOR), and the question of training hidden layers"),
    Milestone(1970, "Seppo Linnainmaa", "master's thesis on rounding errors",
              "reverse-mode automatic differentiation: the algorithm inside backpropagation"),
    Milestone(1974, "Paul Werbos", "PhD thesis (1974); applied to neural networks in 1982",
              "reverse-mode derivatives for training multilayer models"),
    Milestone(1986, "David Rumelhart, Geoffrey Hinton and Ronald Williams",
              "learning representations by back-propagating errors",
              "hidden units that learn useful internal representations; backpropagation becomes widely known"),
    Milestone(1998, "Yann LeCun, Léon Bottou, Yoshua Bengio and Patrick Haffner",
              "gradient-based learning applied to document recognition",
              "a convolutional network trained end to end by backpropagation, read cheques in practice"),
)
"""The dated steps chapter 1 tells, oldest first."""


def nudged(net, seed, size=1e-12):
    """A copy of ``net`` whose every weight is moved by a tiny random amount; the biases are left as they are.

    Chapters 6 and 8 train a network from its seeded start and from a few
    nudged copies. No measurement could tell the copies apart, and another
    processor's arithmetic differs from ours by even less, but at every step:
    a result the copies do not agree on is a fact about one run, not about
    the network and the learning rate.

    Parameters
    ----------
    net : MLP
        The start; it is not changed.
    seed : int, 0 to 2**63 - 1
        Seed of the random changes: the same seed gives the same copy.
    size : float, > 0
        The scale of the changes: each weight gets ``size`` times a
        standard-normal draw, so it moves by about ``size``.

    Returns
    -------
    MLP
        A new network with the same layer sizes, activations and biases.

    Raises
    ------
    TypeError
        If ``net`` is not an :class:`MLP`, ``seed`` not an integer or ``size`` not a real number.
    ValueError
        If ``seed`` is negative or too large, ``size`` is not finite and > 0, or so large
        that a weight would leave the float range.

    Examples
    --------
    >>> start = article_network()
    >>> copy = nudged(start, seed=1)
    >>> bool(0 < abs(copy.weights[0] - start.weights[0]).max() < 1e-11)
    True
    """
    check_network(net)
    seed = check_real(seed, "seed", integer=True, non_negative=True, maximum=2**63 - 1)
    size = check_real(size, "size", positive=True)
    rng = np.random.default_rng(seed)
    copy = net.copy()
    with np.errstate(over="ignore"):  # an overflow is refused just below, with its own message
        for W in copy.weights:  # layer by layer, from the input: the order fixes which draw moves which weight
            W += size * rng.standard_normal(W.shape)
    if not all(np.isfinite(W).all() for W in copy.weights):
        raise ValueError(f"size={size!r} moves weights beyond the float range; use a small size such as 1e-12")
    return copy
