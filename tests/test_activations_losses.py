"""Each activation and loss against central finite differences of itself."""

import warnings

import numpy as np
import pytest

import bpcourse
from bpcourse.activations import ACTIVATIONS
from bpcourse.losses import LOSSES


def central_difference(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


# Points away from ReLU's kink at 0, where its derivative is not defined.
Z = np.array([-7.3, -2.0, -0.4, 0.3, 1.1, 3.7, 8.2])
# The elementwise activations; the softmax, whose derivative is a Jacobian, is tested in test_digits.py.
ELEMENTWISE = sorted(n for n in ACTIVATIONS if n != "softmax")


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_activation_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    np.testing.assert_allclose(act.derivative(Z), central_difference(act.function, Z), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if ACTIVATIONS[n].derivative_from_output])
def test_derivative_from_output_agrees_with_derivative(name):
    act = ACTIVATIONS[name]
    np.testing.assert_allclose(act.derivative_from_output(act.function(Z)), act.derivative(Z), rtol=1e-12, atol=1e-15)


def test_sigmoid_and_softplus_are_stable_for_huge_inputs():
    z = np.array([-1e4, -800.0, -50.0, 0.0, 50.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = bpcourse.sigmoid(z)
        sp = bpcourse.softplus(z)
        ds = ACTIVATIONS["sigmoid"].derivative(z)
    assert np.all(np.isfinite(s)) and np.all(np.isfinite(sp)) and np.all(np.isfinite(ds))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    np.testing.assert_allclose(sp[-1], 1e4)
    assert sp[0] == 0.0
    # against the textbook formula where that one does not overflow
    moderate = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(bpcourse.sigmoid(moderate), 1 / (1 + np.exp(-moderate)), rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(bpcourse.softplus(moderate), np.log1p(np.exp(moderate)), rtol=1e-12)


def test_sigmoid_is_the_formulas_of_its_docstring_bit_for_bit():
    # The docstring's two forms, written out with their exponentials: the textbook 1 / (1 + exp(-z))
    # for an input whose entries are all at least -708, else exp(min(z, 0)) / (1 + exp(-|z|)), whose
    # numerator the package takes from the denominator's exp(-|z|). Each must give the same floats,
    # signed zeros, tails, infinities and NaN included, for arrays and for single numbers.
    rng = np.random.default_rng(1)
    z = np.concatenate([[-np.inf, -800.0, -745.0, -720.0, -708.0, -1e-300, -0.0, 0.0, 5e-324, 1e-300, 36.7, 800.0,
                         np.inf, np.nan], rng.normal(0, 5, 2000), rng.uniform(-760, 760, 1986)]).reshape(-1, 4)
    with np.errstate(under="ignore"):
        two_branch = np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))
    moderate = z[np.isfinite(z) & (z >= -708.0)]
    textbook = 1.0 / (1.0 + np.exp(-moderate))
    assert np.any(textbook[moderate < 0] != two_branch[np.isfinite(z) & (z >= -708.0)][moderate < 0])
    single = [two_branch.ravel()[k] if not (v >= -708.0 and np.isfinite(v)) else 1.0 / (1.0 + np.exp(-v))
              for k, v in enumerate(z.ravel()[:40])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(bpcourse.sigmoid(z), two_branch)
        np.testing.assert_array_equal(bpcourse.sigmoid(moderate), textbook)
        np.testing.assert_array_equal([bpcourse.sigmoid(float(v)) for v in z.ravel()[:40]], single)


def test_unknown_activation_lists_known_names():
    with pytest.raises(ValueError, match="allowed: .*'relu'.*'sigmoid'"):
        bpcourse.get_activation("leaky")
    with pytest.raises(TypeError, match="activation must be a name"):
        bpcourse.get_activation(3)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_derivative_matches_finite_differences(name):
    loss = LOSSES[name]
    rng = np.random.default_rng(1)
    y_hat, y = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    if name == "cross_entropy":  # probabilities and targets in (0, 1)
        y_hat, y = rng.uniform(0.05, 0.95, size=(4, 2)), rng.uniform(0, 1, size=(4, 2))
    if name == "categorical_cross_entropy":  # one probability distribution per row
        y_hat, y = rng.uniform(0.05, 0.95, size=(4, 2)), bpcourse.softmax(y)
    numeric = np.zeros_like(y_hat)
    for index in np.ndindex(y_hat.shape):
        step = np.zeros_like(y_hat)
        step[index] = 1e-6
        numeric[index] = (loss(y_hat + step, y) - loss(y_hat - step, y)) / 2e-6
    np.testing.assert_allclose(loss.derivative(y_hat, y), numeric, rtol=1e-6, atol=1e-9)


def test_losses_are_multiples_of_the_sum_of_squared_residuals():
    y_hat, y = np.array([[1.0], [2.0], [4.0]]), np.array([[0.0], [2.0], [1.0]])
    assert bpcourse.sse(y_hat, y) == 10.0
    assert bpcourse.half_sse(y_hat, y) == 5.0
    assert bpcourse.mse(y_hat, y) == pytest.approx(10 / 3)
    with pytest.raises(ValueError, match=r"y_hat and y must have the same shape; got \(3, 1\) and \(3,\)"):
        bpcourse.sse(y_hat, y.ravel())  # broadcasting would give 3 x 3 residuals


@pytest.mark.parametrize("bad", [None, "1.0", 1 + 2j, [1j], {"z": 1}])
def test_activations_refuse_what_is_not_real(bad):
    for act in ACTIVATIONS.values():
        with pytest.raises(TypeError, match="z must be"):
            act.function(bad)


def test_identity_returns_a_new_array():
    z = np.array([1.0, -2.0])
    out = bpcourse.identity(z)
    assert out is not z and np.array_equal(out, z)


def test_symbolic_and_numeric_registries_hold_the_same_names():
    assert set(bpcourse.symbolic.SYMBOLIC_ACTIVATIONS) == set(ACTIVATIONS)
    assert set(bpcourse.symbolic.SYMBOLIC_LOSSES) == set(LOSSES)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_symbolic_derivatives_equal_the_numeric_ones(name):
    import sympy as sp

    z = sp.Symbol("z", real=True)
    derivative = sp.diff(bpcourse.symbolic.SYMBOLIC_ACTIVATIONS[name](z), z)
    # evaluated with 30 digits: in float64, SymPy's 1 - tanh(z)**2 loses digits for large |z|
    exact = [float(derivative.subs(z, sp.Float(x, 30)).evalf(30)) for x in Z]
    np.testing.assert_allclose(ACTIVATIONS[name].derivative(Z), exact, rtol=1e-12)


def test_unknown_loss_is_refused():
    with pytest.raises(ValueError, match=r"loss='mae' is not known; allowed: \['categorical_cross_entropy', 'cross_entropy', 'half_sse', 'mse', 'sse'\]"):
        bpcourse.get_loss("mae")


def test_cross_entropy_against_sympy_and_its_limits():
    import sympy as sp

    p, t = sp.symbols("p t", real=True)
    term = bpcourse.symbolic.SYMBOLIC_LOSSES["cross_entropy"](p, t)
    derivative = sp.lambdify((p, t), sp.diff(term, p))
    value = sp.lambdify((p, t), term)
    y_hat = np.array([[0.2], [0.9], [0.6]])
    y = np.array([[0.0], [1.0], [1.0]])
    assert bpcourse.losses.cross_entropy(y_hat, y) == pytest.approx(np.mean(value(y_hat, y)), rel=1e-12)
    np.testing.assert_allclose(bpcourse.losses.cross_entropy_derivative(y_hat, y), derivative(y_hat, y) / 3, rtol=1e-12)
    # with the sigmoid's slope, the derivative by z is (y_hat - y) / N: the slope cancels
    slope = y_hat * (1 - y_hat)
    np.testing.assert_allclose(bpcourse.losses.cross_entropy_derivative(y_hat, y) * slope, (y_hat - y) / 3, rtol=1e-12)
    # a confident, wrong prediction: finite loss, no warning
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isfinite(bpcourse.losses.cross_entropy(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    with pytest.raises(ValueError, match="targets between 0 and 1"):
        bpcourse.losses.cross_entropy(y_hat, y + 2)


def _valid_pair(name, rng):
    """Predictions and targets that every check of the loss `name` accepts."""
    if name == "categorical_cross_entropy":
        y_hat = bpcourse.softmax(rng.normal(size=(6, 3)))
        return y_hat, bpcourse.one_hot(rng.integers(0, 3, size=6), 3)
    if name == "cross_entropy":
        return rng.uniform(0.01, 0.99, size=(6, 1)), rng.integers(0, 2, size=(6, 1)).astype(float)
    return rng.normal(size=(6, 2)), rng.normal(size=(6, 2))


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_a_loss_s_bare_formula_is_its_public_function_without_the_checks(name):
    # training calls .formula after its first step: on valid input it must give the very same numbers,
    # and only the public function refuses a bad argument or an overflow
    loss = LOSSES[name]
    y_hat, y = _valid_pair(name, np.random.default_rng(3))
    for function in (loss.function, loss.derivative):
        np.testing.assert_array_equal(function(y_hat, y), function.formula(y_hat, y))
        with pytest.raises(ValueError, match="same shape"):
            function(y_hat, y[:-1])
    if name in ("sse", "half_sse", "mse"):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with pytest.raises(ValueError, match=f"{name} is not finite although its inputs are"):
                loss.function([1e300], [-1e300])
        with np.errstate(over="ignore"):
            assert loss.function.formula(np.array([1e300]), np.array([-1e300])) == np.inf
