"""The right answers to the chapters' exercises, computed by the package.

A chapter asks ``bpcourse.check("forward-dosage-half", my_answer)``; the
label is looked up here, the right answer is computed (never typed in) and
the matching ``check_*`` function gives feedback. The book shows worked
solutions in collapsed boxes; this module is where instructors can see every
answer in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import sympy as sp

from . import checks
from .activations import relu_derivative, sigmoid
from .data import dosage_data, dosage_network, dosage_ssr, dosage_ssr_gradient, lecture_data, lecture_network

__all__ = ["Exercise", "EXERCISES"]


@dataclass(frozen=True)
class Exercise:
    """One exercise: how to compute its answer and how to compare a learner's."""

    label: str
    kind: str  # "number", "array", "expression" or "function"
    solution: Callable
    options: dict = field(default_factory=dict)

    def __call__(self, answer):
        expected = self.solution()
        if self.kind == "number":
            return checks.check_number(answer, expected, **self.options)
        if self.kind == "array":
            return checks.check_array(answer, expected, **self.options)
        if self.kind == "expression":
            return checks.check_expression(answer, expected, **self.options)
        inputs = self.options.get("inputs", [-2.0, -0.5, 0.5, 3.0])
        return checks.check_function(answer, expected, inputs, name=self.options.get("name", "your function"))


_a = sp.Symbol("a", real=True)
_z = sp.Symbol("z", real=True)
_y, _y_hat = sp.symbols("y y_hat", real=True)

_LIST = [
    # chapter 1: the artificial neuron
    Exercise("neuron-output", "number",
             lambda: float(sigmoid(np.dot([2.0, 1.0], [0.5, -1.0]) + 0.2)), {"name": "the neuron's output"}),
    Exercise("neuron-relu-slope", "function", lambda: (lambda z: float(relu_derivative(z))),
             {"name": "relu_slope"}),
    Exercise("neuron-softplus-derivative", "expression",
             lambda: sp.exp(_z) / (1 + sp.exp(_z)), {"name": "the derivative of softplus"}),
    # chapter 2: the forward pass
    Exercise("forward-dosage-half", "number",
             lambda: float(dosage_network().forward([[0.5]])[0, 0]), {"name": "the output at dosage 0.5"}),
    Exercise("forward-lecture-hidden", "array",
             lambda: 1 / (1 + np.exp(-(lecture_data()[0][:5] @ lecture_network().weights[0]))),
             {"name": "the hidden activations"}),
    Exercise("forward-ssr-b3-1", "number", lambda: dosage_ssr(b3=1.0), {"name": "the SSR with b3 = 1"}),
    # chapter 3: the chain rule
    Exercise("chain-dssr-dw3", "number", lambda: dosage_ssr_gradient()["w3"], {"name": "dSSR/dw3"}),
    Exercise("chain-sigmoid-from-output", "expression", lambda: _a * (1 - _a),
             {"name": "the sigmoid's slope written with its output a"}),
    Exercise("chain-dssr-db1", "number", lambda: dosage_ssr_gradient()["b1"], {"name": "dSSR/db1"}),
    # chapter 4: the SSE gradient for b3
    Exercise("b3-ssr-start", "number", lambda: dosage_ssr(), {"name": "the SSR at b3 = 0"}),
    Exercise("b3-slope-at-1", "number", lambda: dosage_ssr_gradient(b3=1.0)["b3"],
             {"name": "dSSR/db3 at b3 = 1"}),
    Exercise("b3-optimum", "number",
             lambda: float(np.mean(dosage_data()[1] - dosage_network().forward(dosage_data()[0]))),
             {"name": "the best b3"}),
    # chapter 5: gradient descent
    Exercise("descent-second-step", "number",
             lambda: (lambda b: b - 0.1 * dosage_ssr_gradient(b3=b)["b3"])(0.0 - 0.1 * dosage_ssr_gradient()["b3"]),
             {"name": "b3 after two steps"}),
    Exercise("descent-mse-rate", "number", lambda: 0.1 * 500 / 2,
             {"name": "the learning rate for the MSE gradient"}),
    Exercise("descent-half-sse-slope", "expression", lambda: _y_hat - _y,
             {"name": "the derivative of (y - y_hat)**2 / 2 by y_hat"}),
    # chapter 6: learning-rate search
    Exercise("lr-b3-threshold", "number", lambda: 2 / 6, {"name": "the largest stable learning rate for b3"}),
    Exercise("lr-range-growth", "number", lambda: (10 / 1e-4) ** (1 / 99),
             {"name": "the growth factor per step"}),
    Exercise("lr-halve-curvature", "number", lambda: 2 * 2 / 6,
             {"name": "the threshold with half the curvature"}),
]

EXERCISES = {exercise.label: exercise for exercise in _LIST}
"""Every exercise by label."""
