"""The chapters' exercises: each one's right answer, computed by the package, and its checker.

A chapter asks ``bpcourse.check("forward-dosage-quarter", my_answer)``; the
label is looked up in :data:`EXERCISES`, the right answer is computed (never
typed in) and the exercise's checker from :mod:`bpcourse.checks`, with the
precision the exercise states and the typical mistakes it names, gives
feedback. This module is where instructors see every answer in one place.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Callable, Optional, Union

import numpy as np
import sympy as sp

from .activations import relu_derivative, sigmoid, softmax, softplus
from .checks import (
    check_array,
    check_choice,
    check_expression,
    check_function,
    check_gradients,
    check_number,
    check_value_op,
    number_bands,
    precision_text,
)
from .data import (
    LECTURE_LEARNING_RATE,
    article_data,
    article_network,
    dosage_data,
    dosage_network,
    dosage_parameters,
    dosage_ssr,
    dosage_ssr_gradient,
    lecture_data,
    lecture_network,
)
from .gradcheck import numerical_gradients, relative_error
from .losses import Loss, categorical_cross_entropy_from_logits, half_sse, half_sse_derivative
from .losses import softmax_cross_entropy_delta
from .lr_search import lr_range_schedule
from .network import INITIALISATIONS, flatten
from .training import descend_1d, gradient_descent

__all__ = ["Exercise", "EXERCISES", "check", "buggy_gradients", "buggy_lecture_backward"]


_KINDS = ("number", "array", "expression", "function", "choice", "gradients", "value_op")


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its right answer and how to check a learner's.

    Parameters
    ----------
    label : str
        The name chapters pass to :func:`check`.
    solution : callable
        ``solution()`` computes the right answer with the package. For the
        code exercises it returns what the learner's code is compared with:
        for ``"gradients"``, the right backward pass (a function with the
        learner's signature returning ``{parameter name: gradient}``); for
        ``"value_op"``, the pair ``(function, derivative)`` of float functions
        of the operation the learner adds to :class:`bpcourse.autograd.Value`.
    kind : {"number", "array", "expression", "function", "choice", "gradients", "value_op"}
        Which checker of :mod:`bpcourse.checks` compares the answers:
        :func:`~bpcourse.checks.check_number`, ``check_array``,
        ``check_expression``, ``check_function``, ``check_choice``,
        :func:`~bpcourse.checks.check_gradients` or
        :func:`~bpcourse.checks.check_value_op`.
    name : str
        How the feedback calls the answer.
    digits : int, optional
        For numbers: the significant digits the exercise asks for.
    mistakes : callable, optional
        ``mistakes(right_answer)`` returns ``{"what went wrong, and why": wrong_answer}``
        for the typical mistakes the feedback should name: what the answer
        is, why it is tempting, why it is wrong, what to look at. A wrong
        answer is a number for numbers, a function with the reference's
        signature for ``"gradients"``, and a derivative (or a pair
        ``(function, derivative)``) for ``"value_op"``.
    options : tuple of str
        For choices: the allowed answers.
    inputs : tuple of float, or callable
        For functions: where the learner's function is tried (kinks
        included). For ``"gradients"``: a function of no argument returning
        the list of test cases, each a tuple of arguments (data last, more
        than 2 points). For ``"value_op"``: the domain ``(low, high)`` the
        operation's input is drawn from (``(-3.0, 3.0)`` if empty).
    hints : dict
        For choices: ``{"wrong option": "why it is tempting, why it is wrong, what to look at"}``.
    integer : bool
        For numbers: the answer is a count, accepted only as the exact whole number.
    """

    label: str
    solution: Callable
    kind: str
    name: str
    digits: Optional[int] = None
    mistakes: Optional[Callable] = None
    options: tuple = ()
    inputs: Union[tuple, Callable] = ()
    hints: dict = field(default_factory=dict)
    integer: bool = False

    def __post_init__(self):
        if self.kind not in _KINDS:
            raise ValueError(f"kind={self.kind!r} is not a kind of exercise; allowed: {', '.join(_KINDS)}")
        if self.kind == "gradients" and not callable(self.inputs):
            raise ValueError(f"exercise {self.label!r}: inputs must be a function returning the test cases for "
                             f"kind='gradients'; got {type(self.inputs).__name__}")
        if self.kind == "value_op" and not (self.inputs == () or (
                isinstance(self.inputs, tuple) and len(self.inputs) == 2
                and all(isinstance(edge, numbers.Real) for edge in self.inputs) and self.inputs[0] < self.inputs[1])):
            raise ValueError(f"exercise {self.label!r}: inputs must be a domain (low, high) with low < high for "
                             f"kind='value_op'; got {self.inputs!r}")

    def typical_mistakes(self):
        """The typical mistakes this exercise names, each with its wrong answer.

        Returns
        -------
        dict
            ``{"what went wrong, and why": wrong_answer}``, computed from the
            right answer by ``mistakes``; empty if the exercise lists none.
            A wrong answer has the form of the right one (a number, or for
            code exercises a function; see :class:`Exercise`).
        """
        return self.mistakes(self.solution()) if self.mistakes else {}

    @property
    def precision(self):
        """How the exercise words the precision it asks for, e.g. ``"3 significant digits"`` or ``"a whole number"``."""
        return precision_text(self.digits, self.integer)

    def bands(self):
        """The accepted interval of the right answer and of each named mistake (numbers only).

        Returns
        -------
        list of dict
            See :func:`bpcourse.checks.number_bands`; the website's answer box
            receives exactly these.
        """
        if self.kind != "number":
            raise ValueError(f"exercise {self.label!r} is a {self.kind} exercise; only numbers have bands")
        return number_bands(self.solution(), digits=self.digits, integer=self.integer,
                            mistakes=self.typical_mistakes())

    def __call__(self, answer):
        """Check a learner's answer with this exercise's checker and print the feedback.

        Parameters
        ----------
        answer : any
            The learner's answer (a number, an expression, a function, ...);
            anything is accepted and explained, nothing raises.

        Returns
        -------
        bool
            ``True`` when the answer is right.
        """
        right = self.solution()
        mistakes = self.mistakes(right) if self.mistakes else None
        if self.kind == "number":
            return check_number(answer, right, name=self.name, digits=self.digits, integer=self.integer,
                                mistakes=mistakes)
        if self.kind == "array":
            return check_array(answer, right, name=self.name)
        if self.kind == "expression":
            return check_expression(answer, right, name=self.name, mistakes=mistakes)
        if self.kind == "function":
            return check_function(answer, right, list(self.inputs), name=self.name)
        if self.kind == "choice":
            return check_choice(answer, right, self.options, name=self.name, hints=self.hints)
        if self.kind == "gradients":
            return check_gradients(answer, right, list(self.inputs()), name=self.name, mistakes=mistakes)
        if self.kind == "value_op":
            function, derivative = right
            return check_value_op(answer, function, derivative, name=self.name,
                                  domain=tuple(self.inputs) or (-3.0, 3.0), mistakes=mistakes)
        raise ValueError(f"kind={self.kind!r} has no checker")  # not reached: __post_init__ checks the kind


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


def _lecture_hidden_columns(biases=(0.5, -0.5, 1.0, -1.0), rows=slice(5, 10)):
    """Exercise 2.2: the lecture's hidden activations for points 6 to 10, one column per sample.

    The lecture writes h = sigmoid(W1 x + b1) for a column x, with one row of W1 per hidden unit; the
    package stores W1 with one column per unit, so the lecture's matrix is its transpose.
    """
    X = lecture_data()[0][rows]
    W1 = lecture_network().weights[0]
    return sigmoid(W1.T @ X.T + np.asarray(biases)[:, None])


def _softplus_slope_from_output(a):
    """Exercise 3.2: softplus' slope sigmoid(z) written with its output a = log(1 + exp(z)), by SymPy.

    Solving a = log(1 + exp(z)) for z gives z = log(exp(a) - 1); the slope is sigmoid of that.
    """
    z = sp.log(sp.exp(a) - 1)
    return sp.simplify(1 / (1 + sp.exp(-z)))


def _without_softplus(x):
    from .data import DOSAGE_PARAMETERS as p

    return p["w3"] * (p["w1"] * x + p["b1"]) + p["w4"] * (p["w2"] * x + p["b2"]) + p["b3"]


def _steps_on_b3(rate, steps):
    """b3 after ``steps`` steps of gradient descent on the dosage SSR, from b3 = 0 (chapter 5's run)."""
    path = descend_1d(lambda b3: dosage_ssr_gradient(b3=b3)["b3"], 0.0, rate, tol=1e-12, steps=steps)
    return float(path.final_value)


def _dosage_residuals(**parameters):
    """The residuals y - y_hat of the dosage network, one per observation."""
    X, y = dosage_data()
    return (y - dosage_network(**parameters).forward(X))[:, 0]


def _dosage_point_gradients(name, **parameters):
    """dSSR/d(name) of each observation's term alone, one per observation."""
    from .data import _dosage_names

    X, y = dosage_data()
    net = dosage_network(**parameters)
    return np.array([_dosage_names(*net.gradients(X[i:i + 1], y[i:i + 1], "sse"))[name] for i in range(len(X))])


def _steps_on_one_point(rate, steps):
    """b3 after ``steps`` steps that each use one observation's slope only, one result per observation."""
    X, y = dosage_data()
    ends = []
    for i in range(len(X)):
        b3 = 0.0
        for _ in range(steps):
            b3 -= rate * float(dosage_network(b3=b3).gradients(X[i:i + 1], y[i:i + 1], "sse")[1][1][0])
        ends.append(b3)
    return np.array(ends)


def _one_point(what, values, total, phrasing="sum"):
    """The "forgot the sum over the observations" mistakes: one per observation, naming its dosage."""
    doses = dosage_data()[0][:, 0]
    total = total[0].upper() + total[1:]
    if phrasing == "steps":
        why = (f"{total} is a sum over all three observations, and it is easy to stop after one: add the terms "
               f"of all three")
    else:
        why = f"{total} adds up all three observations, and it is easy to stop after one: add the terms of all three"
    return {f"that is {what} at dosage {dose:g} alone. {why}": float(value) for dose, value in zip(doses, values)}


def _mse_learning_rate(n_points=200):
    """The rate that makes MSE steps equal the lecture's half-SSE steps on its first ``n_points`` points."""
    X, y = lecture_data()
    X, y = X[:n_points], y[:n_points]
    net = lecture_network()
    half = flatten(*net.gradients(X, y, "half_sse"))
    mean = flatten(*net.gradients(X, y, "mse"))
    return LECTURE_LEARNING_RATE * float(np.median(half / mean))


# chapter 4: the backward sweep and one hidden delta; chapter 5: one update of all seven parameters


def _medium_dose_delta2(b3=1.0):
    """delta_2 of the medium dose: dSSR/db2 of that observation's term alone, by the package's backpropagation.

    b2 adds to z2 with slope 1, so the gradient of one observation's squared
    residual by b2 is that observation's delta of the bottom hidden unit.
    """
    X, y = dosage_data()
    return float(dosage_network(b3=b3).gradients(X[1:2], y[1:2], "sse")[1][0][1])


def _medium_dose_sweep(b3=1.0):
    """The medium dose's hidden pre-activations z, activations a and output delta, for the exercise's mistakes."""
    X, y = dosage_data()
    forward = dosage_network(b3=b3).forward_pass(X[1:2])
    return forward.z[0][0], forward.a[1][0], float(-2 * (y[1, 0] - forward.a[2][0, 0]))


def _hidden_delta_mistakes(right):
    from .data import DOSAGE_PARAMETERS as p

    z, a, delta3 = _medium_dose_sweep()
    slope = sigmoid(z)  # softplus' slope is the sigmoid
    return {
        "that is delta_2 at b3 = 0, the value in the chapter's table. Raising b3 changes the prediction, so "
        "delta_3 = -2 (y - y_hat) changes too; only the hidden units' z and a stay as they were":
            _medium_dose_delta2(0.0),
        "that is delta_3 times w4, the derivative by the unit's output a2. delta is the derivative by its input "
        "z2, one link further back: multiply by the softplus slope sigma(z2)": delta3 * p["w4"],
        "that multiplies by softplus(z2) = a2, the unit's value. The chain rule needs its slope there, "
        "sigma(z2)": delta3 * p["w4"] * a[1],
        "that uses w3, the top unit's weight. The bottom unit reaches y_hat through w4 alone":
            delta3 * p["w3"] * slope[1],
        "that is delta_1, the top unit's delta (through w3 and sigma(z1)). The bottom unit is unit 2: w4 and "
        "sigma(z2)": delta3 * p["w3"] * slope[0],
        "the sign is reversed: delta_3 = dSSR/dy_hat = -2 (y - y_hat), and the prediction is below y, so "
        "delta_3 is negative here": -right,
        "that is half the answer: the 2 that the square brings down is missing from delta_3 = -2 (y - y_hat)":
            right / 2,
        "that is the sum over all three observations, dSSR/db2 at b3 = 1. A delta belongs to one "
        "observation; the gradient of b2 adds the three": dosage_ssr_gradient(b3=1.0)["b2"],
    }


def _ssr_after_full_step(rate=0.05, sign=1.0, one_at_a_time=False, order=None):
    """The SSR after one gradient-descent step on all seven dosage parameters from their starting values.

    ``sign=-1`` steps up the slope; ``one_at_a_time`` recomputes the gradient
    after each parameter's update (a mistake: every parameter should move by
    the gradient at the same point), visiting the parameters in ``order``
    (the order of ``DOSAGE_PARAMETERS`` unless given; the mistake's result
    depends on it).
    """
    from .data import DOSAGE_PARAMETERS

    parameters = dict(DOSAGE_PARAMETERS)
    gradient = dosage_ssr_gradient(**parameters)
    for name in order or DOSAGE_PARAMETERS:
        if one_at_a_time:
            gradient = dosage_ssr_gradient(**parameters)
        parameters[name] -= sign * rate * gradient[name]
    return dosage_ssr(**parameters)


def _dosage_backward():
    """The reference of the backward-pass exercise: the SSR's gradient by the package's backpropagation."""
    from .data import _dosage_names

    def backward(parameters, X, y):
        return _dosage_names(*dosage_network(**parameters).gradients(X, y, "sse"))

    return backward


def _dosage_backward_cases():
    """Where a learner's backward pass is tried: the course's network and data, then random ones of 4 to 6 points."""
    from .data import DOSAGE_PARAMETERS

    rng = np.random.default_rng(18)
    X, y = dosage_data()
    cases = [(dict(DOSAGE_PARAMETERS), X, y)]
    for n_points in (6, 4, 5):
        parameters = {name: float(value) for name, value in zip(DOSAGE_PARAMETERS, rng.normal(0.0, 1.5, 7))}
        cases.append((parameters, rng.uniform(-1.0, 2.0, (n_points, 1)), rng.uniform(-1.0, 1.0, (n_points, 1))))
    return cases


def _dosage_backward_with(slope="sigmoid", weights=("w3", "w4"), inputs=True):
    """A backward pass of the dosage network with one typical mistake in its hidden deltas.

    ``slope="softplus"`` multiplies by the activation's value instead of its
    slope, ``slope=None`` leaves the slope out; ``weights`` are the output
    weights that carry delta_3 back to the top and the bottom unit;
    ``inputs=False`` leaves the dose out of the gradients of w1 and w2.
    """
    from .activations import softplus

    def backward(parameters, X, y):
        p, x, target = parameters, X[:, 0], y[:, 0]
        z1, z2 = p["w1"] * x + p["b1"], p["w2"] * x + p["b2"]
        a1, a2 = softplus(z1), softplus(z2)
        delta3 = -2 * (target - (p["w3"] * a1 + p["w4"] * a2 + p["b3"]))
        factor = {"sigmoid": sigmoid, "softplus": softplus, None: np.ones_like}[slope]
        delta1 = delta3 * p[weights[0]] * factor(z1)
        delta2 = delta3 * p[weights[1]] * factor(z2)
        x = x if inputs else np.ones_like(x)
        return {"w1": np.sum(delta1 * x), "w2": np.sum(delta2 * x), "b1": np.sum(delta1), "b2": np.sum(delta2),
                "w3": np.sum(delta3 * a1), "w4": np.sum(delta3 * a2), "b3": np.sum(delta3)}

    return backward


def _relative_errors(candidate, net, X, y):
    """Largest relative error of each gradient in ``candidate`` against finite differences."""
    (nW1, nW2), (nb1, nb2) = numerical_gradients(net, X, y, "half_sse")
    errors = {}
    for name, numeric in {"W1": nW1, "b1": nb1, "W2": nW2, "b2": nb2}.items():
        errors[name] = float(relative_error(candidate[name], numeric, floor=1e-12).max())
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


def _tanh_network_gradients(W1, b1, W2, b2, X, y):
    """Exercise 3.5's reference: half-SSE gradients of a tanh hidden layer under a sigmoid output.

    The learner writes this backward pass by hand; the reference is the
    package's own backpropagation (:meth:`MLP.gradients`) on the same weights.

    Parameters
    ----------
    W1 : ndarray of shape (n_in, n_hidden)
    b1 : ndarray of shape (n_hidden,)
    W2 : ndarray of shape (n_hidden, 1)
    b2 : ndarray of shape (1,)
    X : ndarray of shape (n_samples, n_in)
    y : ndarray of shape (n_samples, 1)

    Returns
    -------
    dict
        ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``, each of its parameter's shape.
    """
    from .network import MLP

    net = MLP.from_weights([W1, W2], [b1, b2], ["tanh", "sigmoid"])
    (d_W1, d_W2), (d_b1, d_b2) = net.gradients(X, y, "half_sse")
    return {"W1": d_W1, "b1": d_b1, "W2": d_W2, "b2": d_b2}


def _tanh_network_cases():
    """Exercise 3.5's test cases ``(W1, b1, W2, b2, X, y)``.

    The lecture's starting network on its first 20 points, then two seeded
    random 2-4-1 networks with non-zero biases, on 7 points and on 3 points:
    different numbers of points tell a missing sum or a factor N apart.
    """
    X, y = lecture_data()
    start = lecture_network()
    cases = [(start.weights[0].copy(), start.biases[0].copy(), start.weights[1].copy(), start.biases[1].copy(),
              X[:20].copy(), y[:20].copy())]
    rng = np.random.default_rng(3)
    for n_points in (7, 3):
        cases.append((rng.normal(size=(2, 4)), rng.normal(size=4), rng.normal(size=(4, 1)), rng.normal(size=1),
                      rng.normal(size=(n_points, 2)), rng.integers(0, 2, size=(n_points, 1)).astype(float)))
    return cases


def _tanh_backward_with(hidden_slope, output_slope=True):
    """Exercise 3.5's backward pass written by hand, with a chosen hidden slope: its typical mistakes.

    Parameters
    ----------
    hidden_slope : callable
        The hidden layer's slope as a function of its output ``a``; ``1 - a**2`` is right for tanh.
    output_slope : bool
        Whether ``d_output`` includes the output sigmoid's slope (it must).

    Returns
    -------
    callable
        ``backward(W1, b1, W2, b2, X, y)`` returning ``{"W1": ..., "b1": ..., "W2": ..., "b2": ...}``.
    """
    def backward(W1, b1, W2, b2, X, y):
        hidden = np.tanh(X @ W1 + b1)
        output = sigmoid(hidden @ W2 + b2)
        d_output = (output - y) * (output * (1 - output) if output_slope else 1.0)
        d_hidden = (d_output @ W2.T) * hidden_slope(hidden)
        return {"W1": X.T @ d_hidden, "b1": d_hidden.sum(axis=0),
                "W2": hidden.T @ d_output, "b2": d_output.sum(axis=0)}

    return backward


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


def _softplus_operation():
    """Softplus and its derivative as float functions; the derivative derived by SymPy, not typed in."""
    t = sp.Symbol("t", real=True)
    slope = sp.lambdify(t, sp.diff(sp.log(1 + sp.exp(t)), t), "math")
    return (lambda x: float(softplus(x))), (lambda x: float(slope(x)))


def _softplus_mistakes(right):
    """Wrong local derivatives of softplus that a learner's chain rule typically produces."""
    return {
        "that is e^v, the derivative of the inside alone: softplus is log(1 + e^v), and the "
        "chain rule multiplies e^v by the log's derivative 1 / (1 + e^v)": math.exp,
        "that is 1 / (1 + e^v), the log's derivative alone: the chain rule multiplies it by "
        "the derivative of the inside, e^v (the two together are the sigmoid)": lambda x: 1 / (1 + math.exp(x)),
        "that is sigmoid(v) (1 - sigmoid(v)), the sigmoid's slope, which the course uses so often that it "
        "comes to mind first; here it is softplus's second derivative. The first derivative is the sigmoid "
        "itself":
            lambda x: float(sigmoid(x)) * (1 - float(sigmoid(x))),
    }


def _gradient_after_accumulating_calls(calls=2, x_value=3.0):
    """x.grad of f = x * x after ``calls`` backward passes that add into .grad (PyTorch's rule), by SymPy."""
    return calls * float(sp.diff(_x * _x, _x).subs(_x, x_value))


def _mse_sigmoid_slope(z_value=-8.0, target=1.0):
    """dL/dz of L = (sigmoid(z) - y)**2 at z = -8, y = 1, derived by SymPy."""
    z = sp.Symbol("z", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    return float(sp.diff((sigma - target) ** 2, z).subs(z, z_value))


def _dead_units(learning_rate=10.0, steps=500, seed=6, where=all):
    """Hidden ReLU units of ``article_network(seed)`` that are off after ``steps`` epochs of the SSR.

    With ``where=all`` a unit counts when its input is <= 0 on every sample (dead); with ``where=any``,
    when it is <= 0 on at least one. Chapter 8's table follows the default seed 3; the exercise asks
    about seed 6, whose count (1 at rates 8 and 10) is the same from 21 nudged starts, with NumPy's
    SIMD dispatch limited, and with OpenBLAS's Haswell, Nehalem and SkylakeX kernels.
    """
    X, y = article_data()
    net = article_network(seed=seed)
    if steps:
        gradient_descent(net, X, y, "sse", learning_rate, steps)
    off = net.forward_pass(X).z[0] <= 0
    return float(np.sum(np.all(off, axis=0) if where is all else np.any(off, axis=0)))


def _residual_backward(W1, b1, W2, b2, W3, b3, X, y, skip_path=True, output_input="h2", output_slope=True):
    """The gradients of chapter 8's code exercise: a sigmoid network whose middle layer has a skip connection.

    The forward pass: ``a1 = sigmoid(X W1 + b1)``, ``h2 = a1 + sigmoid(a1 W2 + b2)`` (the middle
    layer adds its input to its output), ``y_hat = sigmoid(h2 W3 + b3)``; the loss is the MSE,
    ``mean((y_hat - y)**2)``. ``skip_path=False``, ``output_input="s2"`` and ``output_slope=False``
    make the typical mistakes the exercise names.
    """
    a1 = sigmoid(X @ W1 + b1)
    s2 = sigmoid(a1 @ W2 + b2)
    h2 = a1 + s2  # the skip connection
    y_hat = sigmoid(h2 @ W3 + b3)
    delta3 = 2 * (y_hat - y) / y.size * (y_hat * (1 - y_hat) if output_slope else 1.0)  # dL/dz3
    d_h2 = delta3 @ W3.T
    delta2 = d_h2 * s2 * (1 - s2)  # dL/dz2
    # a1 reaches the loss along two paths, around the middle layer (d_h2 itself) and through it: they add
    d_a1 = d_h2 + delta2 @ W2.T if skip_path else delta2 @ W2.T
    delta1 = d_a1 * a1 * (1 - a1)  # dL/dz1
    return {"W1": X.T @ delta1, "b1": delta1.sum(axis=0), "W2": a1.T @ delta2, "b2": delta2.sum(axis=0),
            "W3": (h2 if output_input == "h2" else s2).T @ delta3, "b3": delta3.sum(axis=0)}


def _residual_cases():
    """Test cases (W1, b1, W2, b2, W3, b3, X, y) of the skip-connection exercise: 2 inputs, 3 or 4 hidden units."""
    cases = []
    for seed, n_points, width in ((0, 5, 3), (1, 7, 4), (2, 4, 3)):
        rng = np.random.default_rng(seed)
        X = rng.standard_normal((n_points, 2))
        y = (X[:, :1] + X[:, 1:] > 0).astype(float)  # the lecture's rule: class 1 where x0 + x1 > 0
        cases.append((rng.standard_normal((2, width)), rng.standard_normal(width),
                      rng.standard_normal((width, width)), rng.standard_normal(width),
                      rng.standard_normal((width, 1)), rng.standard_normal(1), X, y))
    return cases


_a = sp.Symbol("a", real=True)
_z = sp.Symbol("z", real=True)
_y, _y_hat = sp.symbols("y y_hat", real=True)


def _sigma(z):
    return float(sigmoid(z))


def _symbolic_sigmoid(x):
    """The sigmoid as a SymPy expression, for the mistakes of the expression exercises."""
    return 1 / (1 + sp.exp(-x))


_LIST = [
    # chapter 1: the artificial neuron
    Exercise("neuron-output", _neuron_output, "number", "the neuron's output", digits=3,
             mistakes=lambda right: {
                 "that is z = 0.1 itself, or tanh(z) = 0.0997, which is the same to 3 digits. The weighted sum "
                 "is only the first half of a neuron's work, and tanh is the other S-curve (from -1 to 1); this "
                 "neuron applies the sigmoid to z: 1 / (1 + exp(-z))": 0.1,
                 "that is the sigmoid of 0.3: the bias was added instead of subtracted. The neuron adds b, and "
                 "here b = -0.1, so z = 0.8 - 0.6 - 0.1": _sigma(0.3)}),
    Exercise("neuron-relu-slope", _relu_slope, "function", "relu_slope", inputs=_relu_test_points()),
    Exercise("neuron-silu-derivative", lambda: sp.diff(_z / (1 + sp.exp(-_z)), _z), "expression",
             "the derivative of the SiLU z * sigmoid(z)", mistakes=lambda right: {
                 "is the sigmoid's own slope, sigmoid(z) (1 - sigmoid(z)): the table's entry is tempting, but "
                 "the SiLU multiplies the sigmoid by z. The product rule gives two terms: (z)' sigmoid(z) + "
                 "z sigmoid'(z)": _symbolic_sigmoid(_z) * (1 - _symbolic_sigmoid(_z)),
                 "is only the second term of the product rule, z sigmoid'(z). The derivative of z itself, 1, "
                 "times sigmoid(z) is missing": _z * _symbolic_sigmoid(_z) * (1 - _symbolic_sigmoid(_z)),
                 "is only the first term of the product rule, sigmoid(z). The other factor, sigmoid(z), "
                 "depends on z too: add z times its slope": _symbolic_sigmoid(_z)}),
    # chapter 2: the forward pass
    Exercise("forward-dosage-quarter", lambda: float(dosage_network().forward([[0.25]])[0, 0]), "number",
             "the output at dosage 0.25", digits=3,
             mistakes=lambda right: {
                 "that is the output at dosage 0.5, the worked example above. Copying the example's inputs is "
                 "easy; put x = 0.25 into both hidden units": float(dosage_network().forward([[0.5]])[0, 0]),
                 "that is w3*z1 + w4*z2 + b3: the softplus was left out. The hidden units' inputs z1, z2 are "
                 "not their outputs; each passes through softplus, log(1 + exp(z)), first":
                     _without_softplus(0.25)}),
    Exercise("forward-lecture-hidden", _lecture_hidden_columns, "array", "your array of hidden activations"),
    Exercise("forward-ssr-b3-1", lambda: dosage_ssr(b3=1.0), "number", "the SSR with b3 = 1", digits=3,
             mistakes=lambda right: {
                 "that is the SSR at b3 = 0, the starting network. The exercise changes b3 to 1, which moves "
                 "every prediction up by 1: compute the predictions again": dosage_ssr(),
                 "that is the sum of the residuals, not of their squares. Positive and negative residuals "
                 "cancel in a plain sum, which is why the SSR squares each one before adding":
                     float(np.sum(_dosage_residuals(b3=1.0))),
                 **_one_point("the squared residual", _dosage_residuals(b3=1.0) ** 2, "the SSR")}),
    # chapter 3: the chain rule
    Exercise("chain-dssr-dw3", lambda: dosage_ssr_gradient(b3=1.0)["w3"], "number", "dSSR/dw3 at b3 = 1",
             digits=3, mistakes=lambda right: {
                 "that is dSSR/dw3 at b3 = 0, the chapter's worked value. The exercise sets b3 = 1, which "
                 "changes every residual, and so the slope": dosage_ssr_gradient()["w3"],
                 "that is dSSR/dw4. The two output weights look alike, but w3 multiplies a1, the top unit's "
                 "output, and w4 multiplies a2: use a1": dosage_ssr_gradient(b3=1.0)["w4"],
                 **_one_point("the term", _dosage_point_gradients("w3", b3=1.0), "dSSR/dw3")}),
    Exercise("chain-softplus-from-output", lambda: _softplus_slope_from_output(_a), "expression",
             "the softplus slope written with its output a", mistakes=lambda right: {
                 "is a (1 - a), the sigmoid's slope written with the sigmoid's output. That shortcut belongs to "
                 "the sigmoid: softplus' slope is sigmoid(z), so write z with a first (a = log(1 + exp(z)) "
                 "gives exp(z) = exp(a) - 1) and put it into sigmoid(z)": _a * (1 - _a),
                 "is the sigmoid of the output a. The slope is the sigmoid of the input z, and a is not z: "
                 "solve a = log(1 + exp(z)) for exp(z) and put that into sigmoid(z) = exp(z) / (1 + exp(z))":
                     _symbolic_sigmoid(_a)}),
    Exercise("chain-dssr-db1", lambda: dosage_ssr_gradient(b3=1.0)["b1"], "number", "dSSR/db1 at b3 = 1",
             digits=3, mistakes=lambda right: {
                 "that is dSSR/db1 at b3 = 0, the starting network. With b3 = 1 every residual changes, and "
                 "so does the slope": dosage_ssr_gradient()["b1"],
                 "that is dSSR/dw1. The paths to w1 and b1 are the same except the last link: z1 = w1*x + b1, "
                 "so dz1/dw1 = x but dz1/db1 = 1": dosage_ssr_gradient(b3=1.0)["w1"],
                 **_one_point("the term", _dosage_point_gradients("b1", b3=1.0), "dSSR/db1")}),
    Exercise("chain-find-bug", _wrong_groups_of_lecture_backward, "choice", "your choice",
             options=("W1 and b1", "W2 and b2", "all four"),
             hints={"W2 and b2": "the output layer is where a bug is easiest to imagine, because its formula is "
                                 "the longest, but W2's and b2's relative errors are tiny: they agree with finite "
                                 "differences. Look at the layer further back",
                    "all four": "a bug early in the backward pass would spoil everything after it, but the output "
                                "layer's gradients are computed before the hidden layer's and agree with finite "
                                "differences. Compare the four relative errors one by one"}),
    Exercise("chain-tanh-backward", lambda: _tanh_network_gradients, "gradients", "my_tanh_backward",
             inputs=_tanh_network_cases, mistakes=lambda right: {
                 "uses the sigmoid's slope a (1 - a) for the hidden layer, copied from the lecture's line. The "
                 "rest of the lecture's code carries over, which makes this easy to miss, but the hidden layer "
                 "is tanh now: its slope is 1 - tanh(z)**2, which is 1 - a**2 in its output a":
                     _tanh_backward_with(lambda a: a * (1 - a)),
                 "applies tanh twice: the slope 1 - tanh(z)**2 was written 1 - tanh(hidden)**2, but hidden "
                 "already holds tanh(z). Written with the layer's output a, the slope is 1 - a**2":
                     _tanh_backward_with(lambda a: 1 - np.tanh(a) ** 2),
                 "leaves out the output sigmoid's slope in d_output. d_output is dL/dz at the output: the "
                 "error y_hat - y times the sigmoid's slope y_hat (1 - y_hat), as in the lecture's first line":
                     _tanh_backward_with(lambda a: 1 - a**2, output_slope=False)}),
    # chapter 4: the SSE gradient for b3
    Exercise("b3-ssr-at-3", lambda: dosage_ssr(b3=3.0), "number", "the SSR at b3 = 3", digits=3,
             mistakes=lambda right: {
                 "that is the SSR at b3 = 0, before the change. Raising b3 by 3 moves every prediction, so "
                 "every residual changes: subtract 3 from each": dosage_ssr(),
                 "that is what you get by adding 3 to each residual y - y_hat. Raising the prediction y_hat "
                 "by 3 lowers y - y_hat by 3, so subtract it":
                     float(np.sum((_dosage_residuals() + 3) ** 2)),
                 **_one_point("the squared residual", _dosage_residuals(b3=3.0) ** 2, "the SSR")}),
    Exercise("b3-slope-at-1", lambda: dosage_ssr_gradient(b3=1.0)["b3"], "number", "dSSR/db3 at b3 = 1",
             digits=3, mistakes=lambda right: {
                 "that is the slope at b3 = 0, the chapter's worked value. The formula is the same, but the "
                 "predictions change with b3: compute them with b3 = 1": dosage_ssr_gradient()["b3"],
                 "that is the plain sum of the residuals: the -2 that the derivative of (y - y_hat)**2 "
                 "brings down is missing. Multiply each residual by -2": -right / 2,
                 **_one_point("the term", _dosage_point_gradients("b3", b3=1.0), "dSSR/db3")}),
    Exercise("b3-optimum", _best_b3, "number", "the best b3 with the new observation", digits=3,
             mistakes=lambda right: {
                 "that is the best b3 for the original data, where y2 = 1. The new observation changes one "
                 "residual, and the mean of the residuals with it": _best_b3(1.0),
                 "that is the sum of the residuals. Setting the slope to zero gives sum(r_i - b3) = 0, so b3 "
                 "is the sum divided by their number: the mean": 3 * right}),
    Exercise("sweep-hidden-delta", _medium_dose_delta2, "number", "delta_2 of the medium dose at b3 = 1",
             digits=3, mistakes=_hidden_delta_mistakes),
    # chapter 5: gradient descent
    Exercise("descent-two-steps", lambda: _steps_on_b3(0.05, 2), "number", "b3 after two steps", digits=3,
             mistakes=lambda right: {
                 "that is b3 after one step. The first step is the one the text shows; the second starts "
                 "from where the first ended": _steps_on_b3(0.05, 1),
                 "that is two steps with the learning rate 0.1 of the text. The exercise asks for 0.05, "
                 "which makes each step half as long": _steps_on_b3(0.1, 2),
                 "that is two steps with the slope at b3 = 0. The slope changes as b3 moves, so the second "
                 "step needs the slope at the new b3": 2 * _steps_on_b3(0.05, 1),
                 **_one_point("two steps with the slope of the observation", _steps_on_one_point(0.05, 2),
                              "each slope", phrasing="steps")}),
    Exercise("descent-mse-rate", _mse_learning_rate, "number", "the learning rate for the MSE", digits=3,
             mistakes=lambda right: {
                 "that is the rate for all 500 points. The MSE divides by the number of points, so the rate "
                 "depends on N: the exercise keeps only the first 200": _mse_learning_rate(500),
                 "that is N times the rate, as if the MSE gradient were 1/N times the half-SSE gradient. The "
                 "square's 2 does not cancel in the MSE, so it is 2/N times: the rate is 0.1 N / 2": 2 * right,
                 "that is the rate divided by the factor N/2 instead of multiplied. The MSE's gradient is "
                 "smaller, so it needs a larger rate for the same step": LECTURE_LEARNING_RATE ** 2 / right}),
    Exercise("descent-half-sse-slope", lambda: _y_hat - _y, "expression",
             "the derivative of (y - y_hat)**2 / 2 by y_hat"),
    Exercise("descent-split", lambda: "only the update: backpropagation gives the same gradients", "choice",
             "your choice", options=("only the update: backpropagation gives the same gradients",
                                     "the gradients: backpropagation scales them by the learning rate",
                                     "both: a smaller rate makes backpropagation more precise"), hints={
                "the gradients: backpropagation scales them by the learning rate":
                    "the rate and the gradient meet in one product, alpha times the gradient, which makes this "
                    "tempting, but that product is formed by the update, after backpropagation has finished: "
                    "the backward pass never sees alpha. Compare the gradients of the two steps",
                "both: a smaller rate makes backpropagation more precise":
                    "smaller steps feel more careful, but the gradient at the current parameters is exact "
                    "whatever the rate; the rate only decides how far the update moves along it"}),
    Exercise("descent-full-step", _ssr_after_full_step, "number", "the SSR after one step on all seven parameters",
             digits=3, mistakes=lambda right: {
                 "that is the SSR at the start, before the step. Compute the gradient, move every parameter by "
                 "-0.05 times its gradient, then run the forward pass again": dosage_ssr(),
                 "that is a step up the slope, to parameter + 0.05 * gradient. Gradient descent subtracts: the "
                 "SSR grows instead of falling": _ssr_after_full_step(sign=-1.0),
                 "that moves b3 alone, as the chapter's first section did. The step updates all seven "
                 "parameters, each by its own gradient": dosage_ssr(b3=_steps_on_b3(0.05, 1)),
                 "that recomputes the gradient after each parameter's update. Backpropagation runs once per "
                 "step: every parameter moves by its gradient at the same starting point":
                     _ssr_after_full_step(one_at_a_time=True),
                 "that recomputes the gradient after each parameter's update, visiting the weights first and "
                 "then the biases (the order of dosage_parameters()). Backpropagation runs once per step: every "
                 "parameter moves by its gradient at the same starting point, so the order cannot matter":
                     _ssr_after_full_step(one_at_a_time=True, order=("w1", "w2", "w3", "w4", "b1", "b2", "b3")),
                 "that is a step with the learning rate 0.1 of the chapter's run. The exercise asks for 0.05":
                     _ssr_after_full_step(0.1)}),
    Exercise("descent-backward", _dosage_backward, "gradients", "your backward pass", inputs=_dosage_backward_cases,
             mistakes=lambda right: {
                 "is what a hidden delta without the activation's slope gives. delta_3 times the weight is the "
                 "derivative by the unit's output a; delta is the derivative by its input z, one link further "
                 "back: multiply by the softplus slope, sigmoid(z)": _dosage_backward_with(slope=None),
                 "is what a hidden delta times softplus(z) gives: that is the unit's value, and the chain rule "
                 "needs its slope there, which for softplus is the sigmoid": _dosage_backward_with(slope="softplus"),
                 "is what a hidden delta with the other unit's weight gives: the top unit reaches y_hat through "
                 "w3, the bottom unit through w4": _dosage_backward_with(weights=("w4", "w3")),
                 "is the sum of the unit's deltas alone, the gradient of its bias: a weight's gradient multiplies "
                 "each point's delta by what the weight multiplies, the dose x for w1 and w2":
                     _dosage_backward_with(inputs=False)}),
    # chapter 6: learning-rate search
    Exercise("lr-b3-threshold", lambda: 2 / _b3_curvature("sse"), "number",
             "the largest stable learning rate for b3", digits=3,
             mistakes=lambda right: {
                 "that is 1/curvature, the rate that lands on the minimum in one step. Descent still "
                 "converges above it, overshooting less each time, up to 2/curvature": right / 2,
                 "that is the curvature itself. A steeper bowl needs a smaller rate, so the limit is 2 "
                 "divided by the curvature": 2 / right,
                 "that is 2 over the curvature of one observation's term, 2. The SSR adds three squared "
                 "residuals, and each adds 2 to the curvature: use the sum, 6": 2 / 2}),
    Exercise("lr-range-growth", lambda: float(np.divide(*lr_range_schedule(1e-4, 10.0, 100)[1::-1])), "number",
             "the growth factor per step", digits=4,
             mistakes=lambda right: {
                 "that is (1e5)**(1/100). 100 rates, from the first to the last, are 99 steps apart, so the "
                 "total factor 1e5 is the 99th power of the step's factor": (10 / 1e-4) ** (1 / 100),
                 "that is the total factor 1e5 divided by 99. The rate is multiplied at each step, not "
                 "increased by a fixed amount, so take the 99th root": (10 / 1e-4) / 99}),
    Exercise("lr-halve-curvature", lambda: 2 / _b3_curvature("half_sse"), "number",
             "the threshold with half the curvature", digits=3,
             mistakes=lambda right: {
                 "that is the limit for the full SSR, from the exercise before. Halving the loss halves its "
                 "curvature, and the limit 2/curvature grows": right / 2,
                 "that is a quarter of the answer: half the curvature was taken to halve the limit. The "
                 "limit is 2 divided by the curvature, so half the curvature doubles it": right / 4,
                 "that is 2 over the curvature of one observation's half-squared term, 1. The loss adds three "
                 "terms, and their curvatures add up to 3": 2 / 1}),
    # chapter 7: backpropagation for any network, and autograd
    Exercise("engine-dfdx", _engine_dfdx, "number", "df/dx at x = 3, y = 2", digits=3,
             mistakes=lambda right: {
                 "that is df/dy = x**2 + 1. With two inputs it is easy to differentiate by the wrong one: hold "
                 "y fixed and vary x": 10.0,
                 "that is x*y: the derivative of x**2 was taken as x. The power rule brings the exponent "
                 "down: d(x**2)/dx = 2x": 6.0,
                 "that is f itself, the value the forward pass computes. backward() leaves the value as it "
                 "is and fills x.grad with the derivative: read x.grad, not f.data": 20.0}),
    Exercise("engine-fd-evaluations", _loss_evaluations_of_numerical_gradients, "number",
             "the number of loss evaluations", digits=3, integer=True,
             mistakes=lambda right: {
                 "that is one per parameter. A central difference looks on both sides, at p + eps and at "
                 "p - eps: two evaluations per parameter": right / 2,
                 "that counts only the weights (2 times 4, plus 4 times 1, twice). The 4 hidden biases and the "
                 "output bias are parameters too": right - 10,
                 "that is one per parameter plus one, the count of a forward difference, which reuses the "
                 "loss at p. numerical_gradients uses central differences, which do not": right / 2 + 1}),
    Exercise("engine-find-bug", _planted_bug, "choice", "your choice", options=("W1", "b1", "W2", "b2"),
             hints={"W1": "W1 is the gradient furthest from the output, so it is where a slip seems most "
                          "likely, but its relative error is tiny: it agrees with finite differences. Compare "
                          "every group's error",
                    "W2": "the output layer's formula is the one written first, which makes it suspect, but "
                          "W2's relative error is tiny. Compare every group's error",
                    "b2": "a bias sum is an easy place for a slip, but b2's relative error is tiny. Look at the "
                          "other bias, and at how it is summed over the samples"}),
    Exercise("engine-softplus-node", _softplus_operation, "value_op", "my_softplus", inputs=(-3.0, 3.0),
             mistakes=_softplus_mistakes),
    Exercise("engine-accumulate-twice", _gradient_after_accumulating_calls, "number",
             "x.grad after two accumulating calls", digits=3,
             mistakes=lambda right: {
                 "that is the gradient of one call, what Value.backward() gives however often it runs (it "
                 "resets every grad first) and what PyTorch gives right after zero_grad(). Without "
                 "zero_grad() the second call adds its gradient to what the first left in .grad":
                     _gradient_after_accumulating_calls(calls=1),
                 "that is what one input of the multiplication receives in one call, the other factor. Both "
                 "inputs are x, so x receives two contributions per call, which add (a _backward that "
                 "assigns with = would keep only the last); then the second call adds to the first":
                     _gradient_after_accumulating_calls(calls=1) / 2,
                 "that multiplies the two calls' gradients. .grad adds what each call computes; products "
                 "belong along one path of the chain rule, not between calls":
                     _gradient_after_accumulating_calls(calls=1) ** 2,
                 "that counts the two uses of x twice. One call's gradient, 2x, already holds both uses' "
                 "contributions (x each); the second call adds one more such gradient":
                     2 * _gradient_after_accumulating_calls(calls=2),
                 "that is f = x * x itself, the value of the forward pass. backward() leaves the value as it "
                 "is and writes derivatives into .grad": 3.0 * 3.0}),
    # chapter 8: when gradients misbehave
    Exercise("misbehave-mse-slope", _mse_sigmoid_slope, "number", "dL/dz at z = -8", digits=3,
             mistakes=lambda right: {
                 "that is sigmoid(z) - y, the slope of the cross-entropy. The two losses are easy to mix up, "
                 "but the squared error keeps the factor sigmoid'(z), which is tiny at z = -8":
                     _sigma(-8.0) - 1,
                 "that is half the answer: the 2 from the derivative of the square is missing. "
                 "d/dz (s - y)**2 = 2 (s - y) s'": right / 2}),
    Exercise("misbehave-he-std", lambda: float(INITIALISATIONS["he"](32, 32)), "number", "the standard deviation",
             digits=3, mistakes=lambda right: {
                 "that is sqrt(1/32), the rule for tanh and sigmoid layers (Glorot's with fan-out = fan-in "
                 "gives the same). ReLU zeroes half its inputs, so He doubles the variance: sqrt(2 / fan_in)":
                     float(np.sqrt(1 / 32)),
                 "that is the variance 2/32. The rule gives the variance; the standard deviation is its "
                 "square root": 2 / 32}),
    Exercise("misbehave-dead-units", _dead_units, "number", "the number of dead units", digits=1, integer=True,
             mistakes=lambda right: {
                 "that is the count at the start, before training: then every unit is active for some "
                 "point. It is tempting to think a unit that works cannot die, but 500 large steps at rate 10 "
                 "push one unit's input below 0 on every point. Count after training": _dead_units(steps=0),
                 "that is what the table's network (seed 3) does at its largest rates, or the units that are off "
                 "on at least one point. Seed 6 starts from other weights, and where training ends moves with the "
                 "start (chapter 6); a dead unit is off on every point. Run the training and count":
                     _dead_units(where=any),
                 "that is the number of units still alive, the ones whose input is above 0 on some point. The "
                 "question counts the dead ones: 3 minus that": 3 - right}),
    Exercise("misbehave-skip-backward", lambda: _residual_backward, "gradients", "residual_backward",
             inputs=_residual_cases, mistakes=lambda right: {
                 "leaves out the path around the middle layer. With the skip, a1 reaches the loss twice, "
                 "through the layer and around it, and as for a value used twice in chapter 7 the two "
                 "gradients add: the gradient by a1 is the gradient by h2 plus what comes back through W2":
                     lambda *case: _residual_backward(*case, skip_path=False),
                 "uses the middle layer's own output sigmoid(z2) as the output layer's input. With the skip, "
                 "that input is h2 = a1 + sigmoid(z2): a weight's gradient is its input times delta (BP4)":
                     lambda *case: _residual_backward(*case, output_input="s2"),
                 "leaves out the output sigmoid's slope y_hat (1 - y_hat). The loss's derivative by y_hat is "
                 "2 (y_hat - y) / N, and delta at the output is that times the slope at z3; only the "
                 "cross-entropy would cancel it (the cross-entropy section above)":
                     lambda *case: _residual_backward(*case, output_slope=False)}),
]

# ------------------------------------------------------------------ retrieval questions at the end of each chapter


def _relu_neuron(weights=(0.5, -1.0), inputs=(3.0, 1.0), bias=0.3, activation="relu"):
    from .activations import get_activation

    return float(get_activation(activation)(np.dot(weights, inputs) + bias))


def _sigmoid_slope(z):
    from .activations import sigmoid_derivative

    return float(sigmoid_derivative(z))


_RESIDUALS = np.array([1.0, -2.0, 4.0])  # residuals y - y_hat of a made-up three-point fit


def _choice(label, name, options, right, hints):
    return Exercise(label, lambda: right, "choice", name, options=options, hints=hints)


_RECALL = [
    # after chapter 1
    _choice("recall-1-1", "your choice", ("between 0 and 1", "between -1 and 1", "0 or more, without limit"),
            "between 0 and 1", {
                "between -1 and 1": "that is the range of tanh, the sigmoid's S-shaped cousin. The sigmoid "
                                    "1 / (1 + exp(-z)) is a fraction with a positive denominator larger than 1, so "
                                    "it stays strictly between 0 and 1",
                "0 or more, without limit": "that is ReLU's range. ReLU passes every positive input through "
                                            "unchanged, while the sigmoid flattens out: look at its formula as z "
                                            "grows large"}),
    Exercise("recall-1-2", lambda: _sigmoid_slope(0.0), "number", "the sigmoid's slope at z = 0", digits=2,
             mistakes=lambda right: {
                 "that is the sigmoid's value at 0, not its slope. The two are easy to confuse because the "
                 "slope formula uses the value: slope = sigma(z) (1 - sigma(z)) = 0.5 * 0.5": 0.5,
                 "that is the slope of tanh (or of the line y = z) at 0. The sigmoid is flatter: its slope "
                 "sigma(z) (1 - sigma(z)) is at most a quarter": 1.0}),
    _choice("recall-1-3", "your choice", ("ReLU", "softplus", "sigmoid"), "ReLU", {
        "softplus": "softplus looks like a rounded ReLU, which makes it tempting, but its slope is the sigmoid, "
                    "which is small yet never exactly 0 for negative inputs",
        "sigmoid": "the sigmoid does flatten for very negative inputs, but its slope sigma(z) (1 - sigma(z)) "
                   "is positive everywhere; only ReLU is exactly flat below 0"}),
    Exercise("recall-1-4", _relu_neuron, "number", "the neuron's output", digits=2,
             mistakes=lambda right: {
                 "that is the weighted sum without the bias, 1.5 - 1. The bias is easy to forget because it "
                 "multiplies no input, but the neuron always adds it: z = w . x + b": 0.5,
                 "that is the sigmoid of z, not ReLU. Both are common activations; this neuron uses ReLU, "
                 "which passes a positive z through unchanged": _relu_neuron(activation="sigmoid")}),
    Exercise("recall-1-5", lambda: float(np.log(2.0)), "number", "softplus(0)", digits=3,
             mistakes=lambda right: {
                 "that is ReLU at 0. Softplus is a smoothed ReLU, so the two look alike far from 0, but near 0 "
                 "softplus stays above it: log(1 + exp(0)) = log 2": 0.0,
                 "that is exp(0), the term inside the logarithm without the rest. Softplus is log(1 + exp(z)): "
                 "add 1, then take the natural logarithm": 1.0,
                 "that is the sigmoid at 0, which is softplus's slope, not its value. The derivative of "
                 "log(1 + exp(z)) is the sigmoid": 0.5}),
    # after chapter 2
    Exercise("recall-2-1", lambda: float(dosage_network().forward([[0.0]])[0, 0]), "number",
             "the output at dosage 0", digits=3,
             mistakes=lambda right: {
                 "that is the output at dosage 0.5, the worked example. Every input gives its own output: put "
                 "x = 0 into both hidden units": float(dosage_network().forward([[0.5]])[0, 0]),
                 "that is w3*z1 + w4*z2 + b3, without the softplus. At x = 0 the hidden inputs are just the "
                 "biases, and each still passes through softplus before the output layer": _without_softplus(0.0)}),
    _choice("recall-2-2", "your choice", ("5 rows, 4 columns", "4 rows, 5 columns", "5 rows, 2 columns"),
            "5 rows, 4 columns", {
                "4 rows, 5 columns": "that is the transpose. The course stores one sample per row, so the hidden "
                                     "activations have one row per sample (5) and one column per hidden unit "
                                     "(4): X (5 by 2) times W1 (2 by 4)",
                "5 rows, 2 columns": "that is the shape of the input X. The first layer maps 2 inputs to 4 hidden "
                                     "units, so the number of columns changes from 2 to 4"}),
    Exercise("recall-2-3", lambda: float(lecture_network().get_flat_parameters().size), "number",
             "the number of parameters", digits=2, integer=True,
             mistakes=lambda right: {
                 "that counts only the weights, 2 × 4 + 4 × 1. Biases are learned too, one per hidden unit and "
                 "one for the output, so they are parameters as well": 12.0,
                 "that forgets the output unit's bias. Every unit that computes a weighted sum has its own bias, "
                 "the output unit included": 16.0,
                 "that counts the units (2 + 4 + 1), not the parameters. Each connection between layers carries "
                 "a weight, and each unit after the input has a bias": 7.0}),
    Exercise("recall-2-4", lambda: _sigma(2.0), "number", "sigma(2)", digits=3,
             mistakes=lambda right: {
                 "that is tanh(2). Both are S-shaped, but the sigmoid is 1 / (1 + exp(-z)) and stays between 0 "
                 "and 1, approaching 1 more slowly": float(np.tanh(2.0)),
                 "that is exp(-2) / (1 + exp(-2)), the sigmoid of -2. Check the sign inside the exponential: "
                 "sigma(z) = 1 / (1 + exp(-z))": _sigma(-2.0)}),
    _choice("recall-2-5", "your choice", ("the sigmoid", "ReLU", "tanh"), "the sigmoid", {
        "ReLU": "ReLU is where softplus ends up far from 0, which makes it tempting, but the derivative of "
                "log(1 + exp(z)) is exp(z) / (1 + exp(z)): divide top and bottom by exp(z)",
        "tanh": "tanh is S-shaped like the answer, but it runs from -1 to 1, while softplus's slope runs from 0 "
                "to 1: differentiate log(1 + exp(z)) with the chain rule"}),
    # after chapter 3
    _choice("recall-3-1", "your choice", ("the outer slope at g(x) times the inner slope",
                                          "the outer slope at x times the inner slope",
                                          "the outer slope taken at the inner slope"),
            "the outer slope at g(x) times the inner slope", {
                "the outer slope at x times the inner slope": "multiplying the two slopes is the right idea, but "
                                                              "the outer function f acts on g(x), not on x, so its "
                                                              "slope is taken there. Write u = g(x): dy/dx = dy/du "
                                                              "times du/dx",
                "the outer slope taken at the inner slope": "this nests the slopes the way the functions are "
                                                            "nested, which looks natural, but the chain rule "
                                                            "multiplies the outer slope (at g(x)) by the inner "
                                                            "slope"}),
    Exercise("recall-3-2", lambda: 0.7 * (1 - 0.7), "number", "the sigmoid's slope where its output is 0.7",
             digits=2, mistakes=lambda right: {
                 "that is 1 - a. The slope written with the output is a (1 - a): it needs both factors, so it "
                 "is small near 0 and near 1": 0.3,
                 "that is a squared. The slope is a times (1 - a), not a times a; at a = 0.7 the second factor "
                 "is 0.3": 0.49}),
    Exercise("recall-3-3", lambda: float(len(dosage_parameters(dosage_network()))), "number",
             "the number of parameters of the dosage network", digits=1, integer=True,
             mistakes=lambda right: {
                 "that counts only the weights w1 to w4. The biases b1, b2 and b3 are learned too, and the "
                 "chapter differentiates the SSR by every one of them": 4.0,
                 "that counts only the biases. The four weights, w1 and w2 into the hidden units and w3 and w4 "
                 "out of them, are parameters as well": 3.0}),
    _choice("recall-3-4", "your choice", ("b3", "b1", "w4"), "b3", {
        "b1": "b1 does shift something, but only the top hidden unit's input; after the softplus and the weight "
              "w3 its effect on the output differs from dosage to dosage",
        "w4": "w4 scales the bottom unit's output, so its effect grows with that output and differs between "
              "dosages; only the output bias adds the same amount to every prediction"}),
    _choice("recall-3-5", "your choice", ("at z = 0", "as z grows without limit", "at z = 1"), "at z = 0", {
        "as z grows without limit": "the sigmoid's value keeps rising there, which makes it tempting, but it "
                                    "flattens towards 1, so its slope falls towards 0",
        "at z = 1": "z = 1 is where the value is 0.73, a tempting round number, but the slope a (1 - a) is "
                    "largest where a = 0.5, which is z = 0"}),
    # after chapter 4
    _choice("recall-4-1", "your choice", ("-2 times the sum of the residuals", "the sum of the residuals",
                                          "-2 times the mean of the residuals"),
            "-2 times the sum of the residuals", {
                "the sum of the residuals": "the residuals are the heart of it, but the derivative of each square "
                                            "(y - y_hat)**2 by b3 brings down a 2 and the minus sign of -y_hat",
                "-2 times the mean of the residuals": "the mean belongs to the MSE; the SSR is a sum, so its "
                                                      "derivative is a sum too, with no division by N"}),
    Exercise("recall-4-2", lambda: float(-2 * _RESIDUALS.sum()), "number", "dSSR/db3 for residuals 1, -2, 4",
             digits=2, mistakes=lambda right: {
                 "that is the plain sum of the residuals. Each squared residual's derivative by b3 is "
                 "-2 (y - y_hat): multiply the sum by -2": float(_RESIDUALS.sum()),
                 "that is -2 times the first residual alone. dSSR/db3 adds the terms of all three points": -2.0,
                 "that is the SSR itself, the sum of the squared residuals: the value of the loss, not how fast it "
                 "changes with b3":
                     float(np.sum(_RESIDUALS ** 2))}),
    Exercise("recall-4-3", lambda: float(np.sum(_RESIDUALS ** 2)), "number", "the SSR for residuals 1, -2, 4",
             digits=2, mistakes=lambda right: {
                 "that is the sum of the residuals, not of their squares. The -2 and the 4 partly cancel in a "
                 "plain sum; squaring first makes every residual count": float(_RESIDUALS.sum()),
                 "that is the sum of the absolute residuals. The SSR squares them, which weighs the large "
                 "residual 4 much more": float(np.abs(_RESIDUALS).sum()),
                 "that is the largest squared residual alone. The SSR adds the squares of all three points":
                     16.0}),
    _choice("recall-4-4", "your choice", ("1", "x", "w"), "1", {
        "x": "x is the local derivative by w, the weight it multiplies. The bias is added on its own, so "
             "changing b by a little changes z by exactly as much",
        "w": "w is the derivative of z by x, the input. In z = w x + b, b is added with the factor 1"}),
    Exercise("recall-4-5", lambda: dosage_ssr(), "number", "the SSR of the dosage network at the start",
             digits=3, mistakes=lambda right: {
                 "that is the sum of the residuals at the start, not of their squares. Square each residual "
                 "y - y_hat, then add": float(np.sum(_dosage_residuals())),
                 **_one_point("the squared residual", _dosage_residuals() ** 2, "the SSR")}),
    # after chapter 5
    Exercise("recall-5-1", lambda: _steps_on_b3(0.1, 1), "number", "b3 after one step", digits=3,
             mistakes=lambda right: {
                 "that is the slope with its sign flipped, without the learning rate. A step moves by the "
                 "learning rate times the slope, 0.1 times -15.66": -dosage_ssr_gradient()["b3"],
                 "that is a step up the slope. Gradient descent subtracts the learning rate times the slope; "
                 "a negative slope means b3 grows": -_steps_on_b3(0.1, 1)}),
    _choice("recall-5-2", "your choice", ("the learning rate times the slope", "the learning rate", "the slope"),
            "the learning rate times the slope", {
                "the learning rate": "the learning rate sets the scale, which is why it is tempting, but the "
                                     "step also shrinks as the slope flattens: that is why descent slows near "
                                     "the minimum",
                "the slope": "the slope gives the direction and the steepness, but a step of the raw slope is "
                             "usually far too long: it is multiplied by the learning rate first"}),
    _choice("recall-5-3", "your choice", ("many small steps: slow but steady", "it diverges",
                                          "it jumps over the minimum"), "many small steps: slow but steady", {
        "it diverges": "divergence comes from a rate that is too large, where each step overshoots further; a "
                       "tiny rate only makes the steps short",
        "it jumps over the minimum": "overshooting happens when the step is longer than the distance to the "
                                     "minimum, which needs a large rate, not a small one"}),
    Exercise("recall-5-4", lambda: _best_b3(1.0), "number", "the best b3 for the dosage data", digits=3,
             mistakes=lambda right: {
                 "that is the sum of the residuals at b3 = 0. Setting the slope -2 sum(r_i - b3) to zero gives "
                 "b3 = the mean of the residuals, the sum divided by 3": float(np.sum(_dosage_residuals()))}),
    _choice("recall-5-5", "your choice", ("the gradient of the loss", "the updated weights", "the loss"),
            "the gradient of the loss", {
                "the updated weights": "many texts call the whole training step backpropagation, which makes "
                                       "this tempting, but backpropagation only computes the gradient; gradient "
                                       "descent then uses it to update the weights",
                "the loss": "the loss comes from the forward pass; backpropagation starts from it and walks "
                            "backwards to get the derivative of the loss by every parameter"}),
    # after chapter 6
    Exercise("recall-6-1", lambda: 2 / 10, "number", "the largest stable rate for f(b) = 5 b**2", digits=2,
             mistakes=lambda right: {
                 "that is 1 over the curvature, the rate that lands on the minimum in one step. Descent still "
                 "converges above it, up to 2 over the curvature": 1 / 10,
                 "that is the curvature 10 itself, the second derivative of 5 b**2. The limit is 2 divided by "
                 "it": 10.0,
                 "that is 2 divided by 5, the coefficient, not by the curvature. The second derivative of "
                 "5 b**2 is 10": 2 / 5}),
    _choice("recall-6-2", "your choice", ("it diverges: each step overshoots further", "it converges more slowly",
                                          "it stops at once"), "it diverges: each step overshoots further", {
        "it converges more slowly": "slower convergence is what a small rate does. Above the limit each step "
                                    "lands further from the minimum than the last, on the other side",
        "it stops at once": "descent stops only where the slope is 0; above the limit the slope grows at each "
                            "step, so the steps grow too"}),
    _choice("recall-6-3", "your choice", ("by the same factor at each step", "by the same amount at each step",
                                          "at random"), "by the same factor at each step", {
        "by the same amount at each step": "equal steps are the simplest schedule, but rates worth trying span "
                                           "several powers of 10; a constant factor spends as many steps on "
                                           "1e-4 to 1e-3 as on 1 to 10",
        "at random": "random search is a real method for other settings, but a range test sweeps the rates "
                     "in order, so the loss curve can be read from left to right"}),
    Exercise("recall-6-4", lambda: 1.0, "number", "b after two steps", digits=2,
             mistakes=lambda right: {
                 "that is b after one step. The second step starts at b = 2, where the slope is 4": 2.0,
                 "that is two steps with the slope at the start, 8, both times. The slope of b**2 is 2b, so it "
                 "halves when b halves": 0.0,
                 "that is two steps up the slope, to 6 and then 9. Descent subtracts the rate times the slope": 9.0}),
    _choice("recall-6-5", "your choice", ("it lowers the SSR", "it raises the SSR", "it leaves the SSR as it is"),
            "it lowers the SSR", {
                "it raises the SSR": "raising b3 raises every prediction, which sounds like more error, but "
                                     "positive residuals y - y_hat mean every prediction is too low: raising "
                                     "them shrinks each residual",
                "it leaves the SSR as it is": "only at the minimum is the slope 0; with every residual positive "
                                              "the slope -2 sum(r) is negative, so moving b3 up lowers the SSR"}),
    # after chapter 7
    _choice("recall-7-1", "your choice", ("the sum of what each use sends back", "what the last use sends back",
                                          "the product of what the uses send back"),
            "the sum of what each use sends back", {
                "what the last use sends back": "a reverse pass visits each use in turn, so keeping the last "
                                                "value is tempting, but the node influences the output along "
                                                "every path: the multivariate chain rule adds the paths",
                "the product of what the uses send back": "products belong along one path (the chain rule's "
                                                          "factors); separate paths from the same node are "
                                                          "added"}),
    Exercise("recall-7-2", lambda: 3.0 + 1.0, "number", "df/dx of f = x*y + x at x = 2, y = 3", digits=2,
             mistakes=lambda right: {
                 "that is what the first use of x sends back, y = 3, alone. x appears twice, in x*y and in + x, "
                 "and the gradients of both uses add up": 3.0,
                 "that is what the second use sends back, 1, alone. Add the first use's y": 1.0,
                 "that is f itself, the value of the forward pass. backward() fills x.grad with the "
                 "derivative": 8.0}),
    _choice("recall-7-3", "your choice", ("dL/dz of a unit", "dL/da of a unit", "dL/dw of a weight"),
            "dL/dz of a unit", {
                "dL/da of a unit": "the derivative by the output a is one step away: delta multiplies it by "
                                   "the activation's slope at z, so that it is the derivative by the unit's input",
                "dL/dw of a weight": "the weight gradients are made from delta, as delta times the input the "
                                     "weight multiplies, but delta itself belongs to a unit, not to a weight"}),
    Exercise("recall-7-4", lambda: 2 / 4, "number", "the largest stable rate for curvature 4", digits=2,
             mistakes=lambda right: {
                 "that is 1 over the curvature, the rate that reaches the minimum in one step. Descent "
                 "converges up to twice that": 1 / 4,
                 "that is the curvature itself. A larger curvature needs a smaller rate: the limit is 2 "
                 "divided by it": 4.0}),
    Exercise("recall-7-5", lambda: float(np.mean([2.0, 2.0, -1.0])), "number",
             "the best shift of b3 for residuals 2, 2, -1", digits=2,
             mistakes=lambda right: {
                 "that is the sum of the residuals. The best shift sets sum(r_i - shift) to zero, so it is "
                 "the sum divided by the number of points: the mean": 3.0,
                 "that is the median residual. The squared error is minimised by the mean, which the "
                 "negative residual pulls down": 2.0}),
    # after chapter 8
    _choice("recall-8-1", "your choice", ("its input is 0 or less for every sample, so no gradient reaches its weights",
                                          "it outputs 0 for some samples", "its weights are very large"),
            "its input is 0 or less for every sample, so no gradient reaches its weights", {
                "it outputs 0 for some samples": "every ReLU unit outputs 0 for some samples, which is normal "
                                                 "and useful; a unit is dead only when it outputs 0 for all of "
                                                 "them, so its slope is 0 everywhere",
                "its weights are very large": "large weights cause exploding activations or saturation, a "
                                              "different fault; a dead unit's trouble is the sign of its input, "
                                              "not the size of its weights"}),
    Exercise("recall-8-2", lambda: float(INITIALISATIONS["he"](8, 8)), "number",
             "He's standard deviation for 8 inputs", digits=2,
             mistakes=lambda right: {
                 "that is sqrt(1/8), the rule for tanh and sigmoid layers. ReLU zeroes about half its inputs, "
                 "so He doubles the variance: sqrt(2 / fan_in)": float(np.sqrt(1 / 8)),
                 "that is the variance 2/8, not the standard deviation. He's rule gives the variance 2 / fan_in; "
                 "the standard deviation is its square root": 2 / 8}),
    _choice("recall-8-3", "your choice", ("the slope of the sigmoid is tiny there", "the loss is already small there",
                                          "the learning rate shrinks there"), "the slope of the sigmoid is tiny there", {
        "the loss is already small there": "a confidently wrong output has a large error, so the loss is "
                                           "large; it is the factor sigma'(z) in the gradient that is small",
        "the learning rate shrinks there": "plain gradient descent keeps its rate fixed; the gradient itself "
                                           "shrinks, because the squared error keeps the factor sigma'(z)"}),
    Exercise("recall-8-4", lambda: 20.0, "number", "the number of loss evaluations for 10 parameters", digits=2,
             integer=True, mistakes=lambda right: {
                 "that is one per parameter. A central difference evaluates the loss on both sides, at p + eps "
                 "and at p - eps": 10.0,
                 "that is a forward difference's count, one per parameter plus the loss at the start. Central "
                 "differences do not reuse that value": 11.0}),
    Exercise("recall-8-5", lambda: _sigmoid_slope(0.0), "number", "the largest slope of the sigmoid", digits=2,
             mistakes=lambda right: {
                 "that is the sigmoid's value where its slope is largest, at z = 0. The slope there is "
                 "0.5 (1 - 0.5)": 0.5,
                 "that is the largest slope of tanh. The sigmoid is flatter: its slope a (1 - a) is at most "
                 "a quarter, one reason deep sigmoid networks pass small gradients": 1.0}),
    # after chapter 9
    Exercise("recall-9-1", lambda: float(softmax([2.0, 0.0, 0.0])[0]), "number",
             "the first class's probability for the scores (2, 0, 0)", digits=3,
             mistakes=lambda right: {
                 "that is the sigmoid of 2, e**2 / (e**2 + 1), as if there were one other class. With three "
                 "classes the denominator adds the exponential of every score: e**2 + e**0 + e**0":
                     float(sigmoid(2.0)),
                 "that is the score divided by the sum of the scores, 2 / (2 + 0 + 0). The softmax divides "
                 "exponentials, and a score of 0 still counts: e**0 = 1": 1.0,
                 "that is one third, as if the scores did not matter. Equal probabilities come from equal "
                 "scores; here the first score is 2 larger, so its exponential is e**2 times the others'":
                     1 / 3}),
    _choice("recall-9-2", "your choice", ("the two-step product loses the gradient once a probability is tiny",
                                          "it is faster", "the softmax has no derivative of its own"),
            "the two-step product loses the gradient once a probability is tiny", {
                "it is faster": "fusing does save a little arithmetic, which makes this tempting, but the "
                                "chapter's reason is accuracy: from a score gap of about 28 the two-step entry "
                                "shrinks towards 0 while the fused one stays -1. Look at the table of gaps",
                "the softmax has no derivative of its own": "it has one, a matrix: each probability depends on "
                                                            "every score, y_hat_k (delta_kj - y_hat_j). The "
                                                            "two-step route multiplies by it, and that product "
                                                            "is what breaks down in floating point"}),
    Exercise("recall-9-3", lambda: float(-(-1347 // 32)), "number",
             "the gradient steps in one epoch of 1,347 images in mini-batches of 32", digits=2, integer=True,
             mistakes=lambda right: {
                 "that is the full batches only, 1347 // 32. The 3 images left over make one more, smaller "
                 "batch at the end of each epoch, and a step on it too: the step behind the spikes": 42.0,
                 "that is one step per image, stochastic gradient descent with batches of 1. With batches of "
                 "32 a step averages 32 images, so an epoch takes about 1347 / 32 steps": 1347.0,
                 "that is one step per epoch, full-batch gradient descent. Mini-batches take one step per "
                 "batch, many per pass over the data": 1.0}),
    Exercise("recall-9-4", lambda: float(64 * 16 + 16 + 16 * 10 + 10), "number",
             "the number of parameters of a 64-16-10 network", digits=4, integer=True,
             mistakes=lambda right: {
                 "that is the weights alone, 64 * 16 + 16 * 10. Every hidden and output unit has a bias too: "
                 "add 16 + 10": float(64 * 16 + 16 * 10),
                 "that is the product of the layer sizes, 64 * 16 * 10. A weight joins one unit to one unit "
                 "of the next layer, so each pair of neighbouring layers adds its own product": float(64 * 16 * 10),
                 "that is the number of units, 64 + 16 + 10. Parameters are the weights between the layers "
                 "and the biases of the units after the input": float(64 + 16 + 10)}),
    _choice("recall-9-5", "your choice", ("the last mini-batch of each epoch, of only 3 images",
                                          "a learning rate above 2 over the largest curvature",
                                          "overfitting to the training images"),
            "the last mini-batch of each epoch, of only 3 images", {
                "a learning rate above 2 over the largest curvature": "too large a rate does make a loss jump "
                    "(chapter 6), but the chapter kept the rate and dropped the 3-image batch, and the jumps "
                    "almost vanished: look at the count with and without that batch",
                "overfitting to the training images": "overfitting shows as a gap between the training and "
                    "the test loss, which the curves do show, but the jumps are in the training loss itself, "
                    "and they come from one small, noisy step per epoch"}),
    _choice("recall-9-6", "your choice", ("a softmax with the categorical cross-entropy",
                                          "a sigmoid with the squared error", "a softmax with the squared error"),
            "a softmax with the categorical cross-entropy", {
                "a sigmoid with the squared error": "chapter 8 derived this pair: its delta keeps the factor "
                    "sigma'(z), which is why it learns slowly from a confident mistake. The sigmoid's partner "
                    "for y_hat - y is the binary cross-entropy",
                "a softmax with the squared error": "the softmax's matrix of slopes stays in that gradient; only "
                    "the cross-entropy's 1 / y_hat cancels it, as SymPy showed for three classes"}),
]

EXERCISES = {exercise.label: exercise for exercise in (*_LIST, *_RECALL)}
"""Every exercise by label."""


def check(label, answer):
    """Check the answer to the exercise ``label`` and print the feedback.

    Parameters
    ----------
    label : str
        An exercise's label, e.g. ``"b3-slope-at-1"`` (see :data:`EXERCISES`).
    answer : any
        The learner's answer (for a code exercise, the learner's function);
        anything is accepted and explained, nothing raises.

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
             mistakes=lambda right: {"that is the second class's probability, the share of exp(999): the question asks for the "
                                     "first class, whose score 1000 is the largest, so its share is the largest of the three": float(softmax([1000.0, 999.0, 998.0])[1]),
                                     "that is exp(1000) / (exp(1000) + exp(999)): the third class is missing from "
                                     "the sum": float(softmax([1000.0, 999.0])[0])}),
    Exercise("digits-ce-gradient", _cross_entropy_gradient_first_class, "number", "dL/dz_1", digits=3,
             mistakes=lambda right: {"that is y_hat_1 itself, the first half of the fused gradient: the sample belongs to the first "
                                     "class, so subtract its target y_1 = 1 (the gradient is y_hat - y)": right + 1,
                                     "the sign is reversed: the gradient is y_hat - y, not y - y_hat; raising the right class's score "
                                     "lowers the loss, so its gradient is negative": -right,
                                     "that is the loss -log(y_hat_1), not its derivative: the question asks how fast the loss "
                                     "changes with the score z_1, which is y_hat_1 - y_1": -float(np.log(right + 1))}),
    Exercise("digits-stable-loss", _two_class_loss, "function", "two_class_loss",
             inputs=(-1000.0, -800.0, -40.0, -1.0, 0.0, 0.5, 1.0, 40.0, 800.0, 1000.0)),
]

EXERCISES.update({exercise.label: exercise for exercise in _CHAPTER_9})
