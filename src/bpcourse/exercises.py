"""The chapters' exercises: each one's right answer, computed by the package, and its checker.

A chapter asks ``bpcourse.check("forward-dosage-half", my_answer)``; the
label is looked up in :data:`EXERCISES`, the right answer is computed (never
typed in) and the exercise's own checker from :mod:`bpcourse.checks` gives
feedback. This module is where instructors see every answer in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Callable

import numpy as np
import sympy as sp

from .activations import relu_derivative, sigmoid
from .checks import check_array, check_choice, check_expression, check_function, check_number
from .data import (
    LECTURE_LEARNING_RATE,
    dosage_data,
    dosage_network,
    dosage_ssr,
    dosage_ssr_gradient,
    lecture_data,
    lecture_network,
)
from .gradcheck import numerical_gradients
from .losses import Loss, half_sse, half_sse_derivative
from .lr_search import lr_range_schedule
from .network import flatten

__all__ = ["Exercise", "EXERCISES", "check", "buggy_gradients"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its right answer and how to check a learner's.

    Parameters
    ----------
    label : str
        The name chapters pass to :func:`check`.
    solution : callable
        ``solution()`` computes the right answer with the package.
    checker : callable
        ``checker(answer, right_answer)`` prints feedback and returns a bool,
        e.g. a :func:`~bpcourse.checks.check_number` with its options bound.
    """

    label: str
    solution: Callable
    checker: Callable

    def __call__(self, answer):
        """Check ``answer``; print feedback and return ``True`` or ``False``."""
        return self.checker(answer, self.solution())


def _b3_curvature(loss):
    """d²loss/db3² of the dosage network, derived by SymPy (a constant: the loss is quadratic in b3)."""
    from .symbolic import dosage_symbolic_network, dosage_symbols

    X, y = dosage_data()
    formula = dosage_symbolic_network().loss(X, y, loss)
    return float(sp.diff(formula, dosage_symbols()["b3"], 2))


def _mse_learning_rate():
    """The rate that makes MSE gradient steps equal the lecture's half-SSE steps."""
    X, y = lecture_data()
    net = lecture_network()
    half = flatten(*net.gradients(X, y, "half_sse"))
    mean = flatten(*net.gradients(X, y, "mse"))
    return LECTURE_LEARNING_RATE * float(np.median(half / mean))


def _two_steps_on_b3(rate=0.1):
    b3 = 0.0
    for _ in range(2):
        b3 -= rate * dosage_ssr_gradient(b3=b3)["b3"]
    return b3


def _relu_test_points():
    """Random points and the boundary: the kink 0 and tiny values on either side."""
    rng = np.random.default_rng(1)
    return [0.0, 1e-9, -1e-9, 0.4, -0.4, 1.0, -1.0, *rng.uniform(-5, 5, 8).round(3).tolist()]


def buggy_gradients(net, X, y):
    """Half-SSE gradients of a two-layer sigmoid network, with one planted mistake (exercise 7.3).

    Parameters
    ----------
    net : MLP
        A network with two layers, e.g. :func:`bpcourse.lecture_network`.
    X : ndarray of shape (n_samples, n_in)
    y : ndarray of shape (n_samples, 1)

    Returns
    -------
    dict
        ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``, one of them wrong.
    """
    (W1, W2), (b1, b2) = net.weights, net.biases
    hidden = 1 / (1 + np.exp(-(X @ W1 + b1)))
    output = 1 / (1 + np.exp(-(hidden @ W2 + b2)))
    d_output = (output - y) * output * (1 - output)
    d_hidden = (d_output @ W2.T) * hidden * (1 - hidden)
    return {
        "W1": X.T @ d_hidden,
        "b1": d_hidden.mean(axis=0),
        "W2": hidden.T @ d_output,
        "b2": d_output.sum(axis=0),
    }


def _planted_bug():
    """The name of the gradient that :func:`buggy_gradients` gets wrong, found by a gradient check."""
    X, y = lecture_data()
    X, y = X[:20], y[:20]
    net = lecture_network()
    buggy = buggy_gradients(net, X, y)
    (nW1, nW2), (nb1, nb2) = numerical_gradients(net, X, y, "half_sse")
    errors = {}
    for name, numeric in {"W1": nW1, "b1": nb1, "W2": nW2, "b2": nb2}.items():
        scale = np.maximum(np.abs(buggy[name]) + np.abs(numeric), 1e-12)
        errors[name] = float(np.max(np.abs(buggy[name] - numeric) / scale))
    return max(errors, key=errors.get)


def _loss_evaluations_of_numerical_gradients():
    """How often numerical_gradients evaluates the loss on the lecture's network, counted."""
    calls = []

    def counted(y_hat, y):
        calls.append(1)
        return half_sse(y_hat, y)

    X, y = lecture_data()
    numerical_gradients(lecture_network(), X[:5], y[:5], Loss("counted", counted, half_sse_derivative))
    return float(len(calls))


_a = sp.Symbol("a", real=True)
_z = sp.Symbol("z", real=True)
_y, _y_hat = sp.symbols("y y_hat", real=True)

_LIST = [
    # chapter 1: the artificial neuron
    Exercise("neuron-output", lambda: float(sigmoid(np.dot([2.0, 1.0], [0.5, -1.0]) + 0.2)),
             partial(check_number, name="the neuron's output", digits=3,
                     mistakes={"that is z, before the sigmoid": 0.2})),
    Exercise("neuron-relu-slope", lambda: (lambda z: float(relu_derivative(z))),
             lambda answer, right: check_function(answer, right, _relu_test_points(), name="relu_slope")),
    Exercise("neuron-softplus-derivative", lambda: sp.exp(_z) / (1 + sp.exp(_z)),
             partial(check_expression, name="the derivative of softplus")),
    # chapter 2: the forward pass
    Exercise("forward-dosage-half", lambda: float(dosage_network().forward([[0.5]])[0, 0]),
             partial(check_number, name="the output at dosage 0.5", digits=3)),
    Exercise("forward-lecture-hidden", lambda: lecture_network().forward_pass(lecture_data()[0][:5]).a[1],
             partial(check_array, name="the hidden activations")),
    Exercise("forward-ssr-b3-1", lambda: dosage_ssr(b3=1.0),
             partial(check_number, name="the SSR with b3 = 1", digits=3)),
    # chapter 3: the chain rule
    Exercise("chain-dssr-dw3", lambda: dosage_ssr_gradient()["w3"],
             partial(check_number, name="dSSR/dw3", digits=3)),
    Exercise("chain-sigmoid-from-output", lambda: _a * (1 - _a),
             partial(check_expression, name="the sigmoid's slope written with its output a")),
    Exercise("chain-dssr-db1", lambda: dosage_ssr_gradient()["b1"],
             partial(check_number, name="dSSR/db1", digits=3)),
    # chapter 4: the SSE gradient for b3
    Exercise("b3-ssr-start", lambda: dosage_ssr(), partial(check_number, name="the SSR at b3 = 0", digits=3)),
    Exercise("b3-slope-at-1", lambda: dosage_ssr_gradient(b3=1.0)["b3"],
             partial(check_number, name="dSSR/db3 at b3 = 1", digits=3)),
    Exercise("b3-optimum",
             lambda: float(np.mean(dosage_data()[1] - dosage_network().forward(dosage_data()[0]))),
             partial(check_number, name="the best b3", digits=3)),
    # chapter 5: gradient descent
    Exercise("descent-second-step", _two_steps_on_b3,
             lambda answer, right: check_number(answer, right, name="b3 after two steps", digits=3,
                                                mistakes={"that is b3 after one step": -0.1 * dosage_ssr_gradient()["b3"]})),
    Exercise("descent-mse-rate", _mse_learning_rate,
             lambda answer, right: check_number(
                 answer, right, name="the learning rate for the MSE", digits=3,
                 mistakes={"that is N times the rate: the MSE gradient is 2/N times the half-SSE gradient, "
                           "not 1/N": 2 * right,
                           "that rate is too small by the factor N/2 squared; divide, don't multiply":
                           LECTURE_LEARNING_RATE ** 2 / right})),
    Exercise("descent-half-sse-slope", lambda: _y_hat - _y,
             partial(check_expression, name="the derivative of (y - y_hat)**2 / 2 by y_hat")),
    # chapter 6: learning-rate search
    Exercise("lr-b3-threshold", lambda: 2 / _b3_curvature("sse"),
             lambda answer, right: check_number(
                 answer, right, name="the largest stable learning rate for b3", digits=3,
                 mistakes={"that is 1/curvature; gradient descent on a parabola is stable up to 2/curvature":
                           right / 2})),
    Exercise("lr-range-growth", lambda: float(np.divide(*lr_range_schedule(1e-4, 10.0, 100)[1::-1])),
             lambda answer, right: check_number(
                 answer, right, name="the growth factor per step", digits=5,
                 mistakes={"100 steps make only 99 multiplications: that is (1e5)**(1/100)":
                           (10 / 1e-4) ** (1 / 100)})),
    Exercise("lr-halve-curvature", lambda: 2 / _b3_curvature("half_sse"),
             lambda answer, right: check_number(
                 answer, right, name="the threshold with half the curvature", digits=3,
                 mistakes={"that is the limit for the full SSR: half the loss has half the curvature":
                           right / 2})),
]

_x, _y_engine = sp.symbols("x y", real=True)


def _engine_dfdx():
    """df/dx of f = x**2 * y + y at x = 3, y = 2, derived by SymPy."""
    f = _x**2 * _y_engine + _y_engine
    return float(sp.diff(f, _x).subs({_x: 3, _y_engine: 2}))


_LIST += [
    # chapter 7: backpropagation for any network, and autograd
    Exercise("engine-dfdx", _engine_dfdx,
             lambda answer, right: check_number(
                 answer, right, name="df/dx at x = 3, y = 2", digits=3,
                 mistakes={"that is df/dy (x**2 + 1), not df/dx": 10.0,
                           "that is x*y: the derivative of x**2 is 2x": 6.0,
                           "that is f itself, not its derivative": 20.0})),
    Exercise("engine-fd-evaluations", _loss_evaluations_of_numerical_gradients,
             lambda answer, right: check_number(
                 answer, right, name="the number of loss evaluations", digits=3,
                 mistakes={"that is one per parameter; central differences need two (p + eps and p - eps)":
                           right / 2,
                           "that counts only the weights; the 5 biases are parameters too": right - 10,
                           "that is one per parameter plus one: forward differences, not the central ones "
                           "numerical_gradients uses": right / 2 + 1})),
    Exercise("engine-find-bug", _planted_bug,
             lambda answer, right: check_choice(
                 answer, right, ["W1", "b1", "W2", "b2"], name="the wrong gradient",
                 hints={"W1": "W1's relative error is tiny, so its gradient agrees with finite differences",
                        "W2": "W2's relative error is tiny; compare every group",
                        "b2": "b2's relative error is tiny; compare every group"})),
]

def _mse_sigmoid_slope(z_value=-8.0, target=1.0):
    """dL/dz of L = (sigmoid(z) - y)**2 at z = -8, y = 1, derived by SymPy."""
    z = sp.Symbol("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    return float(sp.diff((sigma - target) ** 2, z).subs(z, z_value))


def _he_std(fan_in=32):
    from .network import INITIALISATIONS

    return float(INITIALISATIONS["he"](fan_in, fan_in))


def _dead_units(learning_rate=10.0):
    """Hidden ReLU units of the article network that output 0 on every sample after 500 epochs."""
    from .data import article_data, article_network
    from .training import gradient_descent

    X, y = article_data()
    net = article_network()
    gradient_descent(net, X, y, "sse", learning_rate, 500)
    return float(np.sum(np.all(net.forward_pass(X).z[0] <= 0, axis=0)))


_LIST += [
    # chapter 8: when gradients misbehave
    Exercise("misbehave-mse-slope", _mse_sigmoid_slope,
             lambda answer, right: check_number(
                 answer, right, name="dL/dz at z = -8", digits=3,
                 mistakes={"that is sigmoid(z) - y, the cross-entropy's slope; the squared error keeps the "
                           "factor sigmoid'(z)": float(1 / (1 + np.exp(8.0)) - 1),
                           "the square's 2 is missing": right / 2})),
    Exercise("misbehave-he-std", _he_std,
             lambda answer, right: check_number(
                 answer, right, name="the standard deviation", digits=3,
                 mistakes={"that is Glorot's sqrt(2 / (fan_in + fan_out)) with fan_out = 32, or sqrt(1 / fan_in); "
                           "He's rule is sqrt(2 / fan_in)": float(np.sqrt(1 / 32)),
                           "that is the variance 2 / fan_in; take its square root": 2 / 32})),
    Exercise("misbehave-dead-units", _dead_units,
             lambda answer, right: check_number(
                 answer, right, name="the number of dead units", digits=1,
                 mistakes={"a unit is dead only if its z is <= 0 for every sample, not for one": 0.0})),
]

EXERCISES = {exercise.label: exercise for exercise in _LIST}
"""Every exercise by label."""


def check(label, answer):
    """Check the answer to the exercise ``label`` and print the feedback.

    Parameters
    ----------
    label : str
        An exercise's label, e.g. ``"b3-ssr-start"`` (see :data:`EXERCISES`).
    answer : any
        The learner's answer; anything is accepted and explained, nothing raises.

    Returns
    -------
    None
        The notebook shows only the feedback line; call ``EXERCISES[label](answer)``
        for the ``True``/``False`` verdict.
    """
    exercise = EXERCISES.get(label) if isinstance(label, str) else None
    if exercise is None:
        shown = repr(label) if isinstance(label, str) else type(label).__name__
        print(f"Not yet: there is no exercise {shown[:40]}; known: {', '.join(sorted(EXERCISES))}.")
        return
    exercise(answer)
