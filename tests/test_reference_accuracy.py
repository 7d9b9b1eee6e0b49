"""Every activation, derivative and loss against a high-precision reference.

mpmath (installed with SymPy) evaluates each function with 60 significant
digits at the very floating-point inputs the package receives; the package's
float64 result must lie within a stated number of units in the last place
(ulp) of that reference, rounded to float64. The grids reach into the tails:
``|z|`` from 1e-300 up to 745, where ``exp(-|z|)`` and results such as
``sigmoid(-720)`` are subnormal (an ulp there is the smallest subnormal,
5e-324), and on to 1e300 and infinity.

Every call runs with warnings turned into errors: no input may warn.

The bounds, measured maxima in brackets (on one x86-64 machine, under every
setting of ``NPY_DISABLE_CPU_FEATURES`` that limits NumPy's SIMD dispatch):

- activations and their derivatives as functions of ``z``: 4 ulp (2.5);
- derivatives from the stored output ``a``: 4 ulp as a function of ``a`` (1.5);
- losses and their derivatives, on three entries: 4 ulp (2.3);
- the softmax, row by row: 4 ulp plus ``|z_k - max(z)|`` ulp, the rounding of its shift.
"""

import math
import warnings

import mpmath as mp
import numpy as np
import pytest

import bpcourse
from bpcourse.activations import ACTIVATIONS
from bpcourse.autograd import Value
from bpcourse.losses import CROSS_ENTROPY_CLIP, LOSSES

mp.mp.dps = 60
ULP_BOUND = 4.0

_magnitudes = np.logspace(-300, np.log10(745.2), 601)
Z = np.unique(np.concatenate([-_magnitudes, [0.0], _magnitudes, np.linspace(-40, 40, 801),
                              [-1e300, -1e10, -746.0, 1e10, 1e300]]))


def ulp_errors(values, references):
    """Distance of each float from its mpmath reference, in ulp of the rounded reference."""
    values = np.asarray(values, dtype=float).ravel()
    errors = np.empty(values.size)
    for i, (value, reference) in enumerate(zip(values, references)):
        rounded = float(reference)
        if math.isinf(rounded):
            errors[i] = 0.0 if value == rounded else math.inf
            continue
        errors[i] = float(abs(mp.mpf(value) - reference) / np.spacing(abs(rounded)))
    return errors


def without_warnings(function, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return function(*args)


def assert_within_bound(values, references, inputs, what):
    errors = ulp_errors(values, references)
    worst = int(np.argmax(errors))
    assert errors[worst] <= ULP_BOUND, (
        f"{what}: {errors[worst]:.3g} ulp from the reference at input {inputs[worst]!r}, "
        f"bound {ULP_BOUND} ulp")


def _sigmoid(x):
    return 1 / (1 + mp.exp(-x))


# name: (f(z), f'(z)) written directly from the definitions, with mpmath's functions
REFERENCES = {
    "sigmoid": (_sigmoid, lambda x: mp.exp(-x) / (1 + mp.exp(-x)) ** 2),
    "relu": (lambda x: max(x, mp.mpf(0)), lambda x: mp.mpf(1) if x > 0 else mp.mpf(0)),
    "softplus": (lambda x: mp.log1p(mp.exp(x)), _sigmoid),
    "tanh": (mp.tanh, lambda x: 1 / mp.cosh(x) ** 2),
    "identity": (lambda x: x, lambda x: mp.mpf(1)),
}
# the derivative written with the output a = f(z)
FROM_OUTPUT = {
    "sigmoid": lambda a: a * (1 - a),
    "relu": lambda a: mp.mpf(1) if a > 0 else mp.mpf(0),
    "tanh": lambda a: 1 - a * a,
    "identity": lambda a: mp.mpf(1),
}


# The softmax is not elementwise: its reference takes a whole row of scores.
ROW_REFERENCES = {
    "softmax": lambda row: [mp.exp(v) / mp.fsum(mp.exp(u) for u in row) for v in row],
}


def test_every_activation_has_a_reference():
    missing = set(ACTIVATIONS) - set(REFERENCES) - set(ROW_REFERENCES)
    assert not missing, f"add an mpmath reference for {sorted(missing)} in this file"
    assert {n for n, a in ACTIVATIONS.items() if a.derivative_from_output} == set(FROM_OUTPUT) | set(ROW_REFERENCES)


def test_softmax_within_a_few_ulp_plus_the_rounding_of_its_shift():
    """``softmax`` computes ``exp(z_k - max(z))``; the difference is rounded first, and ``exp``
    turns its rounding error into a relative error of up to ``|z_k - max(z)|`` ulp of the result.
    So the bound per entry is 4 + ``|z_k - max(z)|`` ulp (measured: 2.7 ulp for scores of size 1,
    467 for scores of size 700, all within it); the Jacobian from the output, ``a_i (delta_ij - a_j)``,
    within 4 ulp of its reference as a function of ``a``.
    """
    rng = np.random.default_rng(21)
    rows = [scale * rng.normal(size=(1, 4)) for scale in (1e-300, 1e-8, 1.0, 10.0, 40.0, 700.0) for _ in range(20)]
    rows += [np.array([[-3.0, 700.0, 699.0, -800.0]]), np.array([[1e300, -1e300, 0.0, 1.0]])]
    for z in rows:
        with np.errstate(over="ignore"):
            shifts = np.abs(z[0] - z[0].max())
        values = without_warnings(ACTIVATIONS["softmax"].function, z)[0]
        references = ROW_REFERENCES["softmax"]([mp.mpf(float(v)) for v in z[0]])
        errors = ulp_errors(values, references)
        assert np.all(errors <= ULP_BOUND + shifts), f"softmax of {z[0]!r}: {errors} ulp"
        a = values
        jacobian = ACTIVATIONS["softmax"].slope(z, a[None, :])[0]
        exact = [mp.mpf(float(a[i])) * ((1 if i == j else 0) - mp.mpf(float(a[j]))) for i in range(4) for j in range(4)]
        assert_within_bound(jacobian.ravel(), exact, list(np.ndindex(4, 4)), f"softmax Jacobian at {z[0]!r}")


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_and_derivative_within_a_few_ulp(name):
    function, derivative = REFERENCES[name]
    z = Z[np.isfinite(Z)]
    act = ACTIVATIONS[name]
    assert_within_bound(without_warnings(act.function, z), [function(mp.mpf(x)) for x in z], z, name)
    assert_within_bound(without_warnings(act.derivative, z), [derivative(mp.mpf(x)) for x in z], z,
                        f"{name} derivative")


@pytest.mark.parametrize("name", sorted(FROM_OUTPUT))
def test_derivative_from_output_within_a_few_ulp_of_its_output(name):
    act = ACTIVATIONS[name]
    a = without_warnings(act.function, Z[np.isfinite(Z)])
    assert_within_bound(without_warnings(act.derivative_from_output, a),
                        [FROM_OUTPUT[name](mp.mpf(x)) for x in a], a, f"{name} derivative from its output")


def test_both_forms_of_the_sigmoid_within_a_few_ulp():
    """``sigmoid`` takes the textbook formula for an array whose entries are all at least -708 and
    the two-branch form otherwise (see its docstring): the grid above holds entries below -708, so
    it reaches only the latter. Here the same finite grid without them, as one array (the textbook
    formula), and the same numbers with one entry of -720 added (the two-branch form)."""
    z = Z[np.isfinite(Z) & (Z >= -708.0)]
    references = [_sigmoid(mp.mpf(x)) for x in z]
    textbook = without_warnings(bpcourse.sigmoid, z)
    two_branch = without_warnings(bpcourse.sigmoid, np.append(z, -720.0))[:-1]
    assert_within_bound(textbook, references, z, "sigmoid, textbook formula")
    assert_within_bound(two_branch, references, z, "sigmoid, two-branch form")
    # the forms are different computations: they round differently on part of the left half
    assert np.any(textbook[z < 0] != two_branch[z < 0])
    np.testing.assert_array_equal(textbook[z >= 0], two_branch[z >= 0])


def test_limits_at_infinity_are_exact():
    z = np.array([-np.inf, np.inf])
    s, ds = without_warnings(bpcourse.sigmoid, z), without_warnings(ACTIVATIONS["sigmoid"].derivative, z)
    assert s.tolist() == [0.0, 1.0] and ds.tolist() == [0.0, 0.0]
    assert without_warnings(ACTIVATIONS["tanh"].derivative, z).tolist() == [0.0, 0.0]
    assert without_warnings(bpcourse.softplus, z).tolist() == [0.0, np.inf]
    assert np.isnan(without_warnings(bpcourse.sigmoid, np.nan))


def test_the_left_tail_is_not_rounded_to_zero():
    # the former one-line form (1 + tanh(z / 2)) / 2 returned 0 for every z below about -38
    z = np.array([-40.0, -100.0, -700.0, -740.0])
    s = without_warnings(bpcourse.sigmoid, z)
    assert np.all(s > 0)
    np.testing.assert_allclose(s[:3], np.exp(z[:3]) / (1 + np.exp(z[:3])), rtol=1e-15)


def test_shapes_and_symmetry():
    z = np.linspace(-30, 30, 60).reshape(3, 4, 5)
    s = bpcourse.sigmoid(z)
    assert s.shape == z.shape
    np.testing.assert_array_equal(ACTIVATIONS["sigmoid"].derivative(z), ACTIVATIONS["sigmoid"].derivative(-z))
    # sigma(z) + sigma(-z) = 1, to rounding
    np.testing.assert_allclose(s + bpcourse.sigmoid(-z), 1.0, rtol=0, atol=2.3e-16)
    assert bpcourse.sigmoid(0.0) == 0.5 and ACTIVATIONS["sigmoid"].derivative(0.0) == 0.25
    assert ACTIVATIONS["tanh"].derivative(0.0) == 1.0


@pytest.mark.parametrize("name, reference", [("sigmoid", _sigmoid), ("tanh", mp.tanh)])
def test_autograd_activations_within_a_few_ulp(name, reference):
    z = Z[np.abs(Z) < 1e10]
    values = [getattr(Value(float(x)), name)().data for x in z]
    assert_within_bound(values, [reference(mp.mpf(float(x))) for x in z], z, f"Value.{name}")


# Losses: references written from the definitions, term by term, in mpmath.
def _rows(y_hat, y):
    return [(mp.mpf(float(p)), mp.mpf(float(t))) for p, t in zip(y_hat.ravel(), y.ravel())]


def _clip(p):
    low, high = mp.mpf(CROSS_ENTROPY_CLIP), mp.mpf(1 - CROSS_ENTROPY_CLIP)  # the float bounds the package uses
    return min(max(p, low), high)


def _cross_entropy_terms(y_hat, y):
    return [-(t * mp.log(_clip(p)) + (1 - t) * mp.log(1 - _clip(p))) for p, t in _rows(y_hat, y)]


LOSS_REFERENCES = {
    "sse": (lambda y_hat, y: mp.fsum((t - p) ** 2 for p, t in _rows(y_hat, y)),
            lambda y_hat, y: [-2 * (t - p) for p, t in _rows(y_hat, y)]),
    "half_sse": (lambda y_hat, y: mp.fsum((t - p) ** 2 for p, t in _rows(y_hat, y)) / 2,
                 lambda y_hat, y: [p - t for p, t in _rows(y_hat, y)]),
    "mse": (lambda y_hat, y: mp.fsum((t - p) ** 2 for p, t in _rows(y_hat, y)) / y.size,
            lambda y_hat, y: [2 * (p - t) / y.size for p, t in _rows(y_hat, y)]),
    "cross_entropy": (lambda y_hat, y: mp.fsum(_cross_entropy_terms(y_hat, y)) / y.size,
                      lambda y_hat, y: [(_clip(p) - t) / (_clip(p) * (1 - _clip(p)) * y.size)
                                        for p, t in _rows(y_hat, y)]),
    "categorical_cross_entropy": (
        lambda y_hat, y: mp.fsum(-t * mp.log(max(p, mp.mpf(CROSS_ENTROPY_CLIP))) for p, t in _rows(y_hat, y))
        / len(y),
        lambda y_hat, y: [-t / (max(p, mp.mpf(CROSS_ENTROPY_CLIP)) * len(y)) for p, t in _rows(y_hat, y)]),
}


def test_every_loss_has_a_reference():
    missing = set(LOSSES) - set(LOSS_REFERENCES)
    assert not missing, f"add an mpmath reference for {sorted(missing)} in this file"


def _loss_cases(name):
    """Pairs (y_hat, y) of shape (3, 1): small, large, tiny and mixed magnitudes; saturated probabilities."""
    rng = np.random.default_rng(16)
    if name == "cross_entropy":
        z = np.concatenate([np.linspace(-40, 40, 161), -_magnitudes[::20], _magnitudes[::20]])
        p = bpcourse.sigmoid(z)
        cases = []
        for target in (0.0, 1.0, 0.3):
            for k in range(0, p.size - 2, 3):
                cases.append((p[k:k + 3].reshape(3, 1), np.full((3, 1), target)))
        cases += [(rng.uniform(0, 1, (3, 1)), rng.uniform(0, 1, (3, 1))) for _ in range(50)]
        return cases
    if name == "categorical_cross_entropy":  # (3, 3): softmax outputs, from even to saturated; one-hot and soft targets
        cases = []
        for scale in (1e-8, 1.0, 10.0, 40.0, 700.0):
            for _ in range(10):
                p = bpcourse.softmax(scale * rng.normal(size=(3, 3)))
                cases += [(p, np.eye(3)[rng.integers(0, 3, 3)]), (p, bpcourse.softmax(rng.normal(size=(3, 3))))]
        return cases
    cases = []
    for scale in (1e-300, 1e-150, 1e-8, 1.0, 1e8, 1e150):
        for _ in range(20):
            cases.append((scale * rng.normal(size=(3, 1)), scale * rng.normal(size=(3, 1))))
    return cases


@pytest.mark.parametrize("name", sorted(LOSS_REFERENCES))
def test_loss_and_derivative_within_a_few_ulp(name):
    loss = LOSSES[name]
    value_reference, derivative_reference = LOSS_REFERENCES[name]
    for y_hat, y in _loss_cases(name):
        value = without_warnings(loss, y_hat, y)
        assert_within_bound([value], [value_reference(y_hat, y)], [(y_hat.ravel(), y.ravel())], name)
        assert_within_bound(without_warnings(loss.derivative, y_hat, y), derivative_reference(y_hat, y),
                            list(zip(y_hat.ravel(), y.ravel())), f"{name} derivative")


def test_cross_entropy_of_saturated_sigmoid_outputs_is_accurate():
    """The loss of ``sigmoid(z)`` against the exact loss of the exact sigmoid, for ``z <= 0``.

    There the prediction ``sigmoid(z)`` is at most 1/2 and accurate to a few
    ulp down to the clipping (``z = -27.6``), so both ``-log(sigmoid(z))``
    (target 1) and ``-log(1 - sigmoid(z))`` (target 0) are too. The former
    sigmoid, ``(1 + tanh(z / 2)) / 2``, carried a relative error of about
    1.5e-8 near ``z = -20`` into the loss (about 1e-9 relative, millions of
    ulp). For ``z > 0`` the prediction is close to 1 and its own rounding
    (up to 1.1e-16 absolute) bounds what any function of it can achieve; that
    side is tested above as a function of the stored prediction.
    """
    for x in np.linspace(-27.5, 0.0, 276):
        p = bpcourse.sigmoid(np.array([[x]]))
        for target, exact in ((1.0, -mp.log(_sigmoid(mp.mpf(x)))), (0.0, -mp.log(1 - _sigmoid(mp.mpf(x))))):
            value = without_warnings(bpcourse.losses.cross_entropy, p, np.array([[target]]))
            assert_within_bound([value], [exact], [x], f"cross-entropy of sigmoid({x}), target {target:g}")
