"""relative_error, the measure of a gradient check, against exact rational arithmetic."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bpcourse

finite = st.floats(allow_nan=False, allow_infinity=False)


def exact_relative_error(a, b, floor=1e-8):
    """|a - b| / max(|a| + |b|, floor) with fractions: no rounding until the end."""
    a, b, floor = Fraction(a), Fraction(b), Fraction(floor)
    return abs(a - b) / max(abs(a) + abs(b), floor)


@settings(max_examples=300, deadline=None)
@given(a=finite, b=finite, floor=st.sampled_from([1e-8, 1e-12, 1.0]))
def test_relative_error_matches_exact_arithmetic(a, b, floor):
    computed = float(bpcourse.relative_error([a], [b], floor=floor)[0])
    exact = exact_relative_error(a, b, floor)
    assert 0.0 <= computed <= 1.0
    # three roundings (the difference, the sum, the quotient) of a ratio of at most 1; halving a
    # subnormal can lose its last bit, which matters only against a floor far larger than it
    assert abs(Fraction(computed) - exact) <= Fraction(4 * np.finfo(float).eps) * max(exact, Fraction(1, 10**300))


def test_relative_error_on_values_whose_difference_or_sum_overflows():
    got = bpcourse.relative_error([1.5e308, 1.7e308, -1.7e308], [1.0e308, -1.7e308, -1.7e308])
    np.testing.assert_allclose(got, [float(exact_relative_error(1.5e308, 1.0e308)), 1.0, 0.0], rtol=1e-15)


def test_relative_error_reads_like_its_formula_on_small_cases():
    # same numbers 0, opposite signs 1, one of them zero 1, tiny slopes measured against the floor
    got = bpcourse.relative_error([[2.0, -3.0], [0.0, 4e-9]], [[2.0, 3.0], [7.0, 0.0]])
    np.testing.assert_allclose(got, [[0.0, 1.0], [1.0, 0.4]], rtol=1e-15)
    assert got.shape == (2, 2)


def test_max_rel_error_is_the_largest_relative_error_of_the_check():
    X, y = bpcourse.dosage_data()
    check = bpcourse.gradient_check(bpcourse.dosage_network(), X, y, "sse")
    exact = max(exact_relative_error(a, b) for a, b in zip(check.backprop, check.numerical))
    assert check.max_rel_error == pytest.approx(float(exact), rel=1e-14)
    assert check.max_rel_error < 1e-6


@pytest.mark.parametrize("call, error, message", [
    (lambda: bpcourse.relative_error([1.0, 2.0], [1.0]), ValueError,
     r"computed and reference must have the same shape; got \(2,\) and \(1,\)"),
    (lambda: bpcourse.relative_error([np.nan], [1.0]), ValueError, "computed must contain only finite numbers"),
    (lambda: bpcourse.relative_error([1.0], "1.0"), TypeError, "reference must be a number or an array"),
    (lambda: bpcourse.relative_error([1.0], [1.0], floor=0.0), ValueError, "floor must be > 0; got 0.0"),
])
def test_relative_error_names_a_bad_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()
