"""The dosage example's published numbers."""

import numpy as np
import pytest

import bpcourse
from bpcourse.losses import sse


def test_starting_predictions_and_ssr():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network()
    y_hat = net.forward(X)[:, 0]
    # by hand: w3*softplus(w1 x + b1) + w4*softplus(w2 x + b2) + b3
    softplus = lambda z: np.log(1 + np.exp(z))
    by_hand = [-1.22 * softplus(3.34 * x - 1.43) - 2.30 * softplus(-3.53 * x + 0.57) for x in (0.0, 0.5, 1.0)]
    np.testing.assert_allclose(y_hat, by_hand, rtol=1e-12)
    np.testing.assert_allclose(y_hat, [-2.60, -1.61, -2.61], atol=0.01)  # the rounded values of the example
    assert sse(net.forward(X), y) == pytest.approx(20.4, abs=0.05)


def test_gradient_for_b3_and_one_step():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network()
    _, bias_grads = net.gradients(X, y, "sse")
    dssr_db3 = bias_grads[1][0]
    residuals = (y - net.forward(X)).ravel()
    assert dssr_db3 == pytest.approx(np.sum(-2 * residuals), rel=1e-12)
    assert dssr_db3 == pytest.approx(-15.7, abs=0.1)
    new_b3 = 0.0 - 0.1 * dssr_db3
    assert new_b3 == pytest.approx(1.57, abs=0.01)


def test_one_step_of_gradient_descent_on_b3_alone():
    X, y = bpcourse.dosage_data()

    def slope(b3):
        return bpcourse.dosage_network(b3=b3).gradients(X, y, "sse")[1][1][0]

    path = bpcourse.descend_1d(slope, 0.0, 0.1, steps=1)
    assert path.step_sizes[0] == pytest.approx(-1.57, abs=0.01)
    assert path.final_value == pytest.approx(1.57, abs=0.01)
    full = bpcourse.descend_1d(slope, 0.0, 0.1, tol=1e-3)
    assert full.stop_reason == "converged"
    # the minimum of a quadratic in b3: b3 = mean residual at b3 = 0
    assert full.final_value == pytest.approx(np.mean(y - bpcourse.dosage_network().forward(X)), abs=2e-3)
    assert full.final_value == pytest.approx(2.61, abs=0.01)


def test_dosage_names_read_the_right_arrays():
    net = bpcourse.dosage_network(b3=1.57, w2=0.5)
    assert net.biases[1][0] == 1.57 and net.weights[0][0, 1] == 0.5
    named = bpcourse.dosage_parameters(net)
    assert named == pytest.approx({**bpcourse.DOSAGE_PARAMETERS, "b3": 1.57, "w2": 0.5})
    # the output, written with the names, is the network's output
    x = 0.7
    softplus = lambda z: np.log1p(np.exp(z))
    by_name = (named["w3"] * softplus(named["w1"] * x + named["b1"])
               + named["w4"] * softplus(named["w2"] * x + named["b2"]) + named["b3"])
    assert net.forward([[x]])[0, 0] == pytest.approx(by_name, rel=1e-12)
    with pytest.raises(ValueError, match=r"layer_sizes \(1, 2, 1\)"):
        bpcourse.dosage_parameters(bpcourse.MLP((2, 4, 1), "sigmoid", seed=0))
    with pytest.raises(TypeError, match="net must be a bpcourse.MLP"):
        bpcourse.dosage_parameters(None)
    with pytest.raises(ValueError, match="unknown dosage parameter"):
        bpcourse.dosage_network(b4=1.0)


def test_named_ssr_and_gradient_helpers_match_the_network():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network(w2=-3.0, b3=0.4)
    assert bpcourse.dosage_ssr(w2=-3.0, b3=0.4) == pytest.approx(sse(net.forward(X), y), rel=1e-15)
    gradient = bpcourse.dosage_ssr_gradient(w2=-3.0, b3=0.4)
    gw, gb = net.gradients(X, y, "sse")
    assert gradient == pytest.approx({"w1": gw[0][0, 0], "w2": gw[0][0, 1], "w3": gw[1][0, 0], "w4": gw[1][1, 0],
                                      "b1": gb[0][0], "b2": gb[0][1], "b3": gb[1][0]}, rel=1e-15)
    assert bpcourse.dosage_ssr_gradient()["b3"] == pytest.approx(-15.655, abs=1e-3)
