"""Chapter 7's exercises on the autograd engine: softplus as one node, and gradients that accumulate.

The right answers are held against references computed another way (mpmath,
and the engine itself run twice), and each named mistake is written as code a
learner could write, so the feedback is tested on what it claims to name.
"""

import math

import mpmath
import pytest

import bpcourse
from bpcourse.autograd import Value
from bpcourse.exercises import EXERCISES
from learner_code import value_operation


def softplus_node(slope, assign=False, outgoing=True):
    """A softplus node as a learner writes it, with the local derivative ``slope``."""
    return value_operation(lambda x: math.log1p(math.exp(x)), slope, assign=assign, multiply=outgoing)


def sigmoid(x):
    return 1 / (1 + math.exp(-x))


def feedback(capsys, label, answer):
    verdict = EXERCISES[label](answer)
    return verdict, capsys.readouterr().out


@pytest.mark.parametrize("x", [-3.0, -1.3, 0.0, 0.4, 2.9])
def test_the_softplus_reference_is_log_one_plus_exp_and_its_slope(x):
    function, derivative = EXERCISES["engine-softplus-node"].solution()
    exact = mpmath.log(1 + mpmath.exp(mpmath.mpf(x)))
    slope = mpmath.diff(lambda t: mpmath.log(1 + mpmath.exp(t)), mpmath.mpf(x))
    assert function(x) == pytest.approx(float(exact), rel=1e-14)
    assert derivative(x) == pytest.approx(float(slope), rel=1e-12)


def test_a_right_softplus_node_passes_whether_its_slope_comes_from_the_input_or_the_output(capsys):
    assert feedback(capsys, "engine-softplus-node", softplus_node(sigmoid))[0]
    from_output = softplus_node(lambda x: 1 - math.exp(-math.log1p(math.exp(x))))
    verdict, text = feedback(capsys, "engine-softplus-node", from_output)
    assert verdict and text.startswith("Correct")


@pytest.mark.parametrize("slope, named", [
    (math.exp, "derivative of the inside alone"),
    (lambda x: 1 / (1 + math.exp(x)), "the log's derivative alone"),
    (lambda x: sigmoid(x) * (1 - sigmoid(x)), "second derivative"),
])
def test_each_wrong_chain_rule_for_softplus_is_named(capsys, slope, named):
    verdict, text = feedback(capsys, "engine-softplus-node", softplus_node(slope))
    assert not verdict and named in text


def test_an_assigned_gradient_and_a_forgotten_out_grad_are_named(capsys):
    verdict, text = feedback(capsys, "engine-softplus-node", softplus_node(sigmoid, assign=True))
    assert not verdict and "+=" in text
    verdict, text = feedback(capsys, "engine-softplus-node", softplus_node(sigmoid, outgoing=False))
    assert not verdict and "out.grad" in text


def test_softplus_from_the_engines_own_operations_is_not_one_node(capsys):
    verdict, text = feedback(capsys, "engine-softplus-node", lambda v: (1 + v.exp()).log())
    assert not verdict and "one new node" in text


def accumulated(x_value, calls):
    """x.grad of x * x after ``calls`` backward passes that add into grad, PyTorch's rule, on the engine."""
    x = Value(x_value)
    f = x * x
    total = 0.0
    for _ in range(calls):
        f.backward()  # this call's gradient alone (the engine resets first)
        total += x.grad
    return total


def test_two_accumulating_calls_give_what_the_engine_gives_twice(capsys):
    exercise = EXERCISES["engine-accumulate-twice"]
    assert exercise.solution() == accumulated(3.0, 2)
    assert feedback(capsys, "engine-accumulate-twice", accumulated(3.0, 2))[0]


def test_the_accumulation_mistakes_are_what_their_stories_compute(capsys):
    mistakes = EXERCISES["engine-accumulate-twice"].typical_mistakes()
    a, b = Value(3.0), Value(3.0)
    (a * b).backward()  # two different inputs: each receives one use's share, the other factor
    x = Value(3.0)
    stories = {
        "the gradient of one call": accumulated(3.0, 1),
        "what one input of the multiplication receives": a.grad,
        "multiplies the two calls' gradients": accumulated(3.0, 1) ** 2,
        "counts the two uses of x twice": 2 * accumulated(3.0, 2),
        "f = x * x itself": (x * x).data,
    }
    assert len(mistakes) == len(stories)
    for story, value in stories.items():
        text = next(text for text, wrong in mistakes.items() if wrong == value)
        assert story in text
        verdict, shown = feedback(capsys, "engine-accumulate-twice", value)
        assert not verdict and story in shown
