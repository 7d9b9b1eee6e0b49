"""The chapters' exercises: each one's right answer, computed by the package, and its checker.

A chapter asks ``bpcourse.check("forward-dosage-quarter", my_answer)``; the
label is looked up in :data:`EXERCISES`, the right answer is computed (never
typed in) and the exercise's checker from :mod:`bpcourse.checks`, with the
precision the exercise states and the typical mistakes it names, gives
feedback. This module is where instructors see every answer in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np
import sympy as sp

from .activations import relu_derivative, sigmoid, softmax
from .checks import check_array, check_choice, check_expression, check_function, check_number
from .data import (
    LECTURE_LEARNING_RATE,
    article_data,
    article_network,
    dosage_data,
    dosage_network,
    dosage_ssr,
    dosage_ssr_gradient,
    lecture_data,
    lecture_network,
)
from .gradcheck import numerical_gradients
from .losses import Loss, categorical_cross_entropy_from_logits, half_sse, half_sse_derivative
from .losses import softmax_cross_entropy_delta
from .lr_search import lr_range_schedule
from .network import INITIALISATIONS, flatten
from .training import gradient_descent

__all__ = ["Exercise", "EXERCISES", "check", "buggy_gradients", "buggy_lecture_backward"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its right answer and how to check a learner's.

    Parameters
    ----------
    label : str
        The name chapters pass to :func:`check`.
    solution : callable
        ``solution()`` computes the right answer with the package.
    kind : {"number", "array", "expression", "function", "choice"}
        Which checker of :mod:`bpcourse.checks` compares the answers.
    name : str
        How the feedback calls the answer.
    digits : int, optional
        For numbers: the significant digits the exercise asks for.
    mistakes : callable, optional
        ``mistakes(right_answer)`` returns ``{"what went wrong": wrong_answer}``
        for the typical mistakes the feedback should name.
    options : tuple of str
        For choices: the allowed answers.
    inputs : tuple of float
        For functions: where the learner's function is tried (kinks included).
    """

    label: str
    solution: Callable
    kind: str
    name: str
    digits: Optional[int] = None
    mistakes: Optional[Callable] = None
    options: tuple = ()
    inputs: tuple = ()
    hints: dict = field(default_factory=dict)

    def typical_mistakes(self):
        """``{"what went wrong": wrong_answer}`` for this exercise (empty if none are listed)."""
        return self.mistakes(self.solution()) if self.mistakes else {}

    def __call__(self, answer):
        """Check ``answer``; print feedback and return ``True`` or ``False``."""
        right = self.solution()
        if self.kind == "number":
            return check_number(answer, right, name=self.name, digits=self.digits,
                                mistakes=self.mistakes(right) if self.mistakes else None)
        if self.kind == "array":
            return check_array(answer, right, name=self.name)
        if self.kind == "expression":
            return check_expression(answer, right, name=self.name)
        if self.kind == "function":
            return check_function(answer, right, list(self.inputs), name=self.name)
        return check_choice(answer, right, self.options, name=self.name, hints=self.hints)


# ------------------------------------------------------------------ answers


def _neuron_output():
    return float(sigmoid(np.dot([1.0, -2.0], [0.8, 0.3]) - 0.1))


def _relu_slope():
    return lambda z: float(relu_derivative(z))


def _relu_test_points():
    """Random points and the boundary: the kink 0 and tiny values on either side."""
    rng = np.random.default_rng(1)
    return (0.0, 1e-9, -1e-9, 0.4, -0.4, 1.0, -1.0, *rng.uniform(-5, 5, 8).round(3).tolist())


def _b3_curvature(loss):
    """d²loss/db3² of the dosage network, derived by SymPy (a constant: the loss is quadratic in b3)."""
    from .symbolic import dosage_symbolic_network, dosage_symbols

    X, y = dosage_data()
    formula = dosage_symbolic_network().loss(X, y, loss)
    return float(sp.diff(formula, dosage_symbols()["b3"], 2))


def _best_b3(observed_medium=0.5):
    """The best b3 if the medium dose's observed effectiveness were ``observed_medium``: the mean residual."""
    X, y = dosage_data()
    y = y.copy()
    y[1, 0] = observed_medium
    return float(np.mean(y - dosage_network().forward(X)))


def _without_softplus(x):
    from .data import DOSAGE_PARAMETERS as p

    return p["w3"] * (p["w1"] * x + p["b1"]) + p["w4"] * (p["w2"] * x + p["b2"]) + p["b3"]


def _steps_on_b3(rate, steps):
    b3 = 0.0
    for _ in range(steps):
        b3 -= rate * dosage_ssr_gradient(b3=b3)["b3"]
    return b3


def _mse_learning_rate(n_points=200):
    """The rate that makes MSE steps equal the lecture's half-SSE steps on its first ``n_points`` points."""
    X, y = lecture_data()
    X, y = X[:n_points], y[:n_points]
    net = lecture_network()
    half = flatten(*net.gradients(X, y, "half_sse"))
    mean = flatten(*net.gradients(X, y, "mse"))
    return LECTURE_LEARNING_RATE * float(np.median(half / mean))


def _relative_errors(candidate, net, X, y):
    """Largest relative error of each gradient in ``candidate`` against finite differences."""
    (nW1, nW2), (nb1, nb2) = numerical_gradients(net, X, y, "half_sse")
    errors = {}
    for name, numeric in {"W1": nW1, "b1": nb1, "W2": nW2, "b2": nb2}.items():
        scale = np.maximum(np.abs(candidate[name]) + np.abs(numeric), 1e-12)
        errors[name] = float(np.max(np.abs(candidate[name] - numeric) / scale))
    return errors


def buggy_lecture_backward(net, X, y):
    """The lecture's backward pass with one planted mistake (exercise 3.4).

    Parameters
    ----------
    net : MLP
        A network with two sigmoid layers, e.g. :func:`bpcourse.lecture_network`.
    X : ndarray of shape (n_samples, n_in)
    y : ndarray of shape (n_samples, 1)

    Returns
    -------
    dict
        Half-SSE gradients ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``; some are wrong.
    """
    (W1, W2), (b1, b2) = net.weights, net.biases
    z1 = X @ W1 + b1
    hidden = 1 / (1 + np.exp(-z1))
    output = 1 / (1 + np.exp(-(hidden @ W2 + b2)))
    d_output = (output - y) * output * (1 - output)
    d_hidden = (d_output @ W2.T) * z1 * (1 - z1)
    return {"W1": X.T @ d_hidden, "b1": d_hidden.sum(axis=0),
            "W2": hidden.T @ d_output, "b2": d_output.sum(axis=0)}


def _wrong_groups_of_lecture_backward():
    X, y = lecture_data()
    net = lecture_network()
    errors = _relative_errors(buggy_lecture_backward(net, X[:20], y[:20]), net, X[:20], y[:20])
    wrong = sorted(name for name, error in errors.items() if error > 1e-4)
    return {("W1", "b1"): "W1 and b1", ("W2", "b2"): "W2 and b2"}.get(tuple(wrong), "all four")


def buggy_gradients(net, X, y):
    """Half-SSE gradients of a two-layer sigmoid network, with one planted mistake (exercise 7.3).

    Parameters
    ----------
    net : MLP
        A network with two sigmoid layers, e.g. :func:`bpcourse.lecture_network`.
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
    return {"W1": X.T @ d_hidden, "b1": d_hidden.mean(axis=0),
            "W2": hidden.T @ d_output, "b2": d_output.sum(axis=0)}


def _planted_bug():
    """The name of the gradient that :func:`buggy_gradients` gets wrong, found by a gradient check."""
    X, y = lecture_data()
    net = lecture_network()
    errors = _relative_errors(buggy_gradients(net, X[:20], y[:20]), net, X[:20], y[:20])
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


_x, _y_engine = sp.symbols("x y", real=True)


def _engine_dfdx():
    """df/dx of f = x**2 * y + y at x = 3, y = 2, derived by SymPy."""
    f = _x**2 * _y_engine + _y_engine
    return float(sp.diff(f, _x).subs({_x: 3, _y_engine: 2}))


def _mse_sigmoid_slope(z_value=-8.0, target=1.0):
    """dL/dz of L = (sigmoid(z) - y)**2 at z = -8, y = 1, derived by SymPy."""
    z = sp.Symbol("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    return float(sp.diff((sigma - target) ** 2, z).subs(z, z_value))


def _dead_units(learning_rate=10.0):
    """Hidden ReLU units of the article network that output 0 on every sample after 500 epochs."""
    X, y = article_data()
    net = article_network()
    gradient_descent(net, X, y, "sse", learning_rate, 500)
    return float(np.sum(np.all(net.forward_pass(X).z[0] <= 0, axis=0)))


_a = sp.Symbol("a", real=True)
_z = sp.Symbol("z", real=True)
_y, _y_hat = sp.symbols("y y_hat", real=True)


def _sigma(z):
    return float(sigmoid(z))


_LIST = [
    # chapter 1: the artificial neuron
    Exercise("neuron-output", _neuron_output, "number", "the neuron's output", digits=3,
             mistakes=lambda right: {"that is z, before the sigmoid": 0.1,
                                     "that is tanh(z); the exercise asks for the sigmoid": float(np.tanh(0.1)),
                                     "the bias was added with the wrong sign: z = 0.3": _sigma(0.3)}),
    Exercise("neuron-relu-slope", _relu_slope, "function", "relu_slope", inputs=_relu_test_points()),
    Exercise("neuron-softplus-derivative", lambda: sp.exp(_z) / (1 + sp.exp(_z)), "expression",
             "the derivative of softplus"),
    # chapter 2: the forward pass
    Exercise("forward-dosage-quarter", lambda: float(dosage_network().forward([[0.25]])[0, 0]), "number",
             "the output at dosage 0.25", digits=3,
             mistakes=lambda right: {"that is the output at dosage 0.5": float(dosage_network().forward([[0.5]])[0, 0]),
                                     "the softplus was left out: that is w3*z1 + w4*z2 + b3": _without_softplus(0.25)}),
    Exercise("forward-lecture-hidden", lambda: lecture_network().forward_pass(lecture_data()[0][:5]).a[1],
             "array", "the hidden activations"),
    Exercise("forward-ssr-b3-1", lambda: dosage_ssr(b3=1.0), "number", "the SSR with b3 = 1", digits=3,
             mistakes=lambda right: {"that is the SSR at b3 = 0": dosage_ssr(),
                                     "that is the sum of the residuals, not of their squares":
                                         float(np.sum(dosage_data()[1] - dosage_network(b3=1.0).forward(dosage_data()[0])))}),
    # chapter 3: the chain rule
    Exercise("chain-dssr-dw3", lambda: dosage_ssr_gradient(b3=1.0)["w3"], "number", "dSSR/dw3 at b3 = 1",
             digits=3, mistakes=lambda right: {"that is dSSR/dw3 at b3 = 0": dosage_ssr_gradient()["w3"],
                                               "that is dSSR/dw4: w3 multiplies a1, the top unit's output":
                                                   dosage_ssr_gradient(b3=1.0)["w4"]}),
    Exercise("chain-sigmoid-from-output", lambda: _a * (1 - _a), "expression",
             "the sigmoid's slope written with its output a"),
    Exercise("chain-dssr-db1", lambda: dosage_ssr_gradient(b3=1.0)["b1"], "number", "dSSR/db1 at b3 = 1",
             digits=3, mistakes=lambda right: {"that is dSSR/db1 at b3 = 0": dosage_ssr_gradient()["b1"],
                                               "that is dSSR/dw1: the bias's local derivative is 1, not x":
                                                   dosage_ssr_gradient(b3=1.0)["w1"]}),
    Exercise("chain-find-bug", _wrong_groups_of_lecture_backward, "choice", "the wrong gradients",
             options=("W1 and b1", "W2 and b2", "all four"),
             hints={"W2 and b2": "W2's and b2's relative errors are tiny; the bug is further back",
                    "all four": "two of the four agree with finite differences; compare each"}),
    # chapter 4: the SSE gradient for b3
    Exercise("b3-ssr-at-3", lambda: dosage_ssr(b3=3.0), "number", "the SSR at b3 = 3", digits=3,
             mistakes=lambda right: {"that is the SSR at b3 = 0": dosage_ssr(),
                                     "each residual y - y_hat shrinks by 3 when b3 grows by 3; the sign is off":
                                         float(np.sum((dosage_data()[1] - dosage_network().forward(dosage_data()[0]) + 3) ** 2))}),
    Exercise("b3-slope-at-1", lambda: dosage_ssr_gradient(b3=1.0)["b3"], "number", "dSSR/db3 at b3 = 1",
             digits=3, mistakes=lambda right: {"that is the slope at b3 = 0": dosage_ssr_gradient()["b3"],
                                               "that is the sum of the residuals: the 2 and the minus sign "
                                               "of the square's derivative are missing": -right / 2}),
    Exercise("b3-optimum", _best_b3, "number", "the best b3 with the new observation", digits=3,
             mistakes=lambda right: {"that is the best b3 for the original data": _best_b3(1.0),
                                     "that is the sum of the residuals; the best b3 is their mean": 3 * right}),
    # chapter 5: gradient descent
    Exercise("descent-two-steps", lambda: _steps_on_b3(0.05, 2), "number", "b3 after two steps", digits=3,
             mistakes=lambda right: {"that is b3 after one step": _steps_on_b3(0.05, 1),
                                     "that is two steps with the learning rate 0.1 of the text": _steps_on_b3(0.1, 2),
                                     "the second step used the slope at 0 again": 2 * _steps_on_b3(0.05, 1)}),
    Exercise("descent-mse-rate", _mse_learning_rate, "number", "the learning rate for the MSE", digits=3,
             mistakes=lambda right: {"that is the rate for all 500 points": _mse_learning_rate(500),
                                     "that is N times the rate: the MSE gradient is 2/N times the half-SSE "
                                     "gradient, not 1/N": 2 * right,
                                     "divide the rate by the factor, don't multiply":
                                         LECTURE_LEARNING_RATE ** 2 / right}),
    Exercise("descent-half-sse-slope", lambda: _y_hat - _y, "expression",
             "the derivative of (y - y_hat)**2 / 2 by y_hat"),
    # chapter 6: learning-rate search
    Exercise("lr-b3-threshold", lambda: 2 / _b3_curvature("sse"), "number",
             "the largest stable learning rate for b3", digits=3,
             mistakes=lambda right: {"that is 1/curvature; gradient descent on a parabola is stable up to "
                                     "2/curvature": right / 2,
                                     "that is the curvature itself; the limit is 2 divided by it": 2 / right}),
    Exercise("lr-range-growth", lambda: float(np.divide(*lr_range_schedule(1e-4, 10.0, 100)[1::-1])), "number",
             "the growth factor per step", digits=4,
             mistakes=lambda right: {"100 steps make only 99 multiplications: that is (1e5)**(1/100)":
                                     (10 / 1e-4) ** (1 / 100),
                                     "that is the total factor 10 / 1e-4 divided by 99, not its 99th root":
                                         (10 / 1e-4) / 99}),
    Exercise("lr-halve-curvature", lambda: 2 / _b3_curvature("half_sse"), "number",
             "the threshold with half the curvature", digits=3,
             mistakes=lambda right: {"that is the limit for the full SSR: half the loss has half the curvature":
                                     right / 2,
                                     "half the curvature doubles the limit; it does not halve it": right / 4}),
    # chapter 7: backpropagation for any network, and autograd
    Exercise("engine-dfdx", _engine_dfdx, "number", "df/dx at x = 3, y = 2", digits=3,
             mistakes=lambda right: {"that is df/dy (x**2 + 1), not df/dx": 10.0,
                                     "that is x*y: the derivative of x**2 is 2x": 6.0,
                                     "that is f itself, not its derivative": 20.0}),
    Exercise("engine-fd-evaluations", _loss_evaluations_of_numerical_gradients, "number",
             "the number of loss evaluations", digits=3,
             mistakes=lambda right: {"that is one per parameter; central differences need two (p + eps and "
                                     "p - eps)": right / 2,
                                     "that counts only the weights; the 5 biases are parameters too": right - 10,
                                     "that is one per parameter plus one: forward differences, not the central "
                                     "ones numerical_gradients uses": right / 2 + 1}),
    Exercise("engine-find-bug", _planted_bug, "choice", "the wrong gradient", options=("W1", "b1", "W2", "b2"),
             hints={"W1": "W1's relative error is tiny, so its gradient agrees with finite differences",
                    "W2": "W2's relative error is tiny; compare every group",
                    "b2": "b2's relative error is tiny; compare every group"}),
    # chapter 8: when gradients misbehave
    Exercise("misbehave-mse-slope", _mse_sigmoid_slope, "number", "dL/dz at z = -8", digits=3,
             mistakes=lambda right: {"that is sigmoid(z) - y, the cross-entropy's slope; the squared error "
                                     "keeps the factor sigmoid'(z)": _sigma(-8.0) - 1,
                                     "the square's 2 is missing": right / 2}),
    Exercise("misbehave-he-std", lambda: float(INITIALISATIONS["he"](32, 32)), "number", "the standard deviation",
             digits=3,
             mistakes=lambda right: {"that is Glorot's sqrt(2 / (fan_in + fan_out)) with fan_out = 32, or "
                                     "sqrt(1 / fan_in); He's rule is sqrt(2 / fan_in)": float(np.sqrt(1 / 32)),
                                     "that is the variance 2 / fan_in; take its square root": 2 / 32}),
    Exercise("misbehave-dead-units", _dead_units, "number", "the number of dead units", digits=1,
             mistakes=lambda right: {"a unit is dead only if its z is <= 0 for every sample, not for one": 0.0}),
]

EXERCISES = {exercise.label: exercise for exercise in _LIST}
"""Every exercise by label."""


def check(label, answer):
    """Check the answer to the exercise ``label`` and print the feedback.

    Parameters
    ----------
    label : str
        An exercise's label, e.g. ``"b3-slope-at-1"`` (see :data:`EXERCISES`).
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


# ------------------------------------------------- chapter 9: handwritten digits


def _softmax_of_shifted_scores():
    return float(softmax([1000.0, 999.0, 998.0])[0])


def _cross_entropy_gradient_first_class():
    return float(softmax_cross_entropy_delta([softmax([2.0, 1.0, 0.0])], [[1.0, 0.0, 0.0]])[0, 0])


def _two_class_loss():
    """The categorical cross-entropy of scores (z, 0) for a sample of the first class: softplus(-z)."""
    return lambda z: float(categorical_cross_entropy_from_logits([[z, 0.0]], [[1.0, 0.0]]))


_CHAPTER_9 = [
    Exercise("digits-softmax-shift", _softmax_of_shifted_scores, "number", "the first class's probability",
             digits=3,
             mistakes=lambda right: {"that is the second class's probability": float(softmax([1000.0, 999.0, 998.0])[1]),
                                     "that is exp(1000) / (exp(1000) + exp(999)): the third class is missing from "
                                     "the sum": float(softmax([1000.0, 999.0])[0])}),
    Exercise("digits-ce-gradient", _cross_entropy_gradient_first_class, "number", "dL/dz_1", digits=3,
             mistakes=lambda right: {"that is y_hat_1 itself; subtract the target y_1 = 1": right + 1,
                                     "the sign is reversed: the gradient is y_hat - y, not y - y_hat": -right,
                                     "that is the loss -log(y_hat_1), not its derivative": -float(np.log(right + 1))}),
    Exercise("digits-stable-loss", _two_class_loss, "function", "two_class_loss",
             inputs=(-1000.0, -800.0, -40.0, -1.0, 0.0, 0.5, 1.0, 40.0, 800.0, 1000.0)),
]

EXERCISES.update({exercise.label: exercise for exercise in _CHAPTER_9})
