"""The faults an outside fuzz of the public API found, each checked against what the maths says."""

import math
import warnings
from pathlib import Path

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import bpcourse
from bpcourse import plots, symbolic
from bpcourse.autograd import Value

ROOT = Path(__file__).resolve().parents[1]
SQUARE = [[1.0, 2.0], [3.0, 4.0]]


# ---------------------------------------------------------------- conversion


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_a_matrix_is_read_entry_by_entry_not_as_a_matrix_product():
    # 1 + 4 + 9 + 16 = 30; a matrix product would give r @ r summed: 7 + 10 + 15 + 22 = 54
    assert bpcourse.sse(np.asmatrix(SQUARE), np.zeros((2, 2))) == 30.0
    assert bpcourse.mse(np.asmatrix(SQUARE), np.zeros((2, 2))) == 7.5
    net = bpcourse.MLP((2, 2, 2), ["tanh", "identity"], seed=1)
    X, y = np.array(SQUARE), np.array([[0.5, -0.5], [1.0, 0.0]])
    assert net.loss(np.asmatrix(X), np.asmatrix(y), "sse") == net.loss(X, y, "sse")
    for a, b in zip(sum(net.gradients(np.asmatrix(X), np.asmatrix(y), "mse"), []),
                    sum(net.gradients(X, y, "mse"), [])):
        np.testing.assert_array_equal(a, b)
    sym = symbolic.dosage_symbolic_network()
    dose_X, dose_y = bpcourse.dosage_data()
    assert sym.loss(np.asmatrix(dose_X), dose_y) == sym.loss(dose_X, dose_y)


def test_masked_arrays_are_read_when_nothing_is_masked_and_refused_otherwise():
    assert bpcourse.sse(np.ma.masked_array([1.0, 2.0]), [0.0, 0.0]) == 5.0
    with pytest.raises(ValueError, match=r"y_hat has 1 masked entries; fill them first"):
        bpcourse.sse(np.ma.masked_array([1.0, 2.0], mask=[False, True]), [0.0, 0.0])


def test_symbolic_network_takes_the_layer_sizes_mlp_takes():
    sizes = np.array([2, 3, 1])
    assert bpcourse.MLP(sizes, "sigmoid").layer_sizes == (2, 3, 1)
    sym = symbolic.SymbolicNetwork.from_layer_sizes(sizes, "sigmoid")
    assert len(sym.parameters) == bpcourse.MLP(sizes, "sigmoid").n_parameters == 13


def test_a_duration_is_not_a_number_of_epochs():
    X, y = bpcourse.dosage_data()
    with pytest.raises(TypeError, match=r"epochs must be an integer; got np.timedelta64\(5\)"):
        bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.1, np.timedelta64(5))


# ------------------------------------------------------- huge and tiny values


def test_a_finite_input_whose_loss_overflows_is_refused_with_the_reason():
    with pytest.raises(ValueError, match=r"sse is not finite although its inputs are: float64 overflows"):
        bpcourse.sse([1e300], [0.0])
    with pytest.raises(ValueError, match="not finite although its inputs are"):
        bpcourse.losses.sse_derivative([1e308], [-1e308])
    net = bpcourse.MLP.from_weights([[[1e200]]], [[0.0]], ["identity"])
    with pytest.raises(ValueError, match="the network's output is not finite"):
        net.forward([[1e200]])
    start = net.get_flat_parameters()
    with pytest.raises(ValueError, match="the loss before training is inf"):
        bpcourse.gradient_descent(net, [[1e120]], [0.0], "sse", 0.1, 5)
    np.testing.assert_array_equal(net.get_flat_parameters(), start)
    # NaN in, NaN out, as in NumPy: only finite inputs promise a finite answer
    assert math.isnan(bpcourse.sse([np.nan], [0.0]))


def test_a_diverged_run_reports_a_finite_final_loss():
    X, y = bpcourse.dosage_data()
    history = bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.5, 100)
    assert history.diverged and history.diverged_at == 7
    assert np.isfinite(history.final_loss) and np.all(np.isfinite(history.losses))


def test_the_range_test_refuses_a_schedule_a_float_cannot_hold():
    X, y = bpcourse.dosage_data()
    with pytest.raises(ValueError, match=r"lr_max / lr_min must be a finite number"):
        bpcourse.lr_range_test(bpcourse.dosage_network(), X, y, "sse", lr_min=5e-324)
    result = bpcourse.lr_range_test(bpcourse.dosage_network(), X, y, "sse", lr_min=1e-300, lr_max=1e-290, steps=5)
    assert np.isfinite(result.stop_lr) and not result.stopped


def test_mini_batch_work_is_capped_at_a_million_steps():
    X, y = bpcourse.dosage_data()
    with pytest.raises(ValueError, match=r"would take 3,000,000 steps; at most 1,000,000"):
        bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.1, 10**6, batch_size=1)


# ------------------------------------------------------------------ autograd


def test_value_division_is_computed_directly():
    # 0 / 1e-310 is 0, and x / x is 1 with gradient 1/x - x/x^2 = 0, though 1/x^2 overflows for x = 1e-160
    assert (Value(0.0) / 1e-310).data == 0.0
    x = Value(1e-160)
    (x / x).backward()
    assert x.grad == 0.0
    a, b = Value(3.0), Value(-4.0)
    (a / b).backward()
    assert a.grad == -0.25 and b.grad == pytest.approx(-3.0 / 16.0, rel=1e-15)


def test_value_reflected_power_and_its_gradient():
    x = Value(3.0)
    out = 2 ** x
    out.backward()
    assert out.data == 8.0 and x.grad == pytest.approx(8.0 * math.log(2.0), rel=1e-15)
    with pytest.raises(ValueError, match="positive base"):
        (-2) ** x


@pytest.mark.parametrize("make", [lambda: Value(10.0) ** 400, lambda: Value(10**400), lambda: Value(710.0).exp(),
                                  lambda: 10 ** Value(400.0)])
def test_value_overflow_is_a_value_error(make):
    with pytest.raises(ValueError, match="finite|overflows"):
        make()


def test_value_exp_reaches_the_largest_float():
    assert Value(709.5).exp().data == pytest.approx(math.exp(709.5), rel=1e-15)


def test_a_failed_backward_leaves_every_gradient_as_it_was():
    x = Value(0.0, "x")
    out = x.relu() * 1e300 * 1e300  # forward 0; backward 1e300 * 1e300 overflows
    x.grad = 5.0
    with pytest.raises(ValueError, match="not finite"):
        out.backward()
    assert x.grad == 5.0 and out.grad == 0.0
    y = Value(2.0)
    z = y * y
    z.backward()
    assert y.grad == 4.0


@settings(max_examples=200, deadline=None, derandomize=True)
@given(a=st.floats(-1e300, 1e300), b=st.floats(-1e300, 1e300),
       op=st.sampled_from(["+", "-", "*", "/", "**2", "exp", "tanh", "sigmoid", "relu", "log"]))
def test_value_never_lets_out_anything_but_finite_numbers_or_value_error(a, b, op):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x, w = Value(a), Value(b)
        try:
            out = {"+": lambda: x + w, "-": lambda: x - w, "*": lambda: x * w * x, "/": lambda: x / w,
                   "**2": lambda: (x * w) ** 2, "exp": lambda: (x * w).exp(), "tanh": lambda: (x * w).tanh(),
                   "sigmoid": lambda: (x * w).sigmoid(), "relu": lambda: (x * w).relu() * w,
                   "log": lambda: (x * x).log()}[op]()
        except ValueError:
            return
        assert math.isfinite(out.data)
        try:
            out.backward()
        except ValueError:
            assert x.grad == 0.0 and w.grad == 0.0  # as they were before the call
            return
        assert math.isfinite(x.grad) and math.isfinite(w.grad)


# ---------------------------------------------------------------- plots


@pytest.mark.parametrize("call, error, message", [
    (lambda: plots.draw_dosage_graph("B3"), ValueError, r"highlight='B3' is not known"),
    (lambda: plots.draw_network(None), TypeError, "net must be a bpcourse.MLP; got None"),
    (lambda: plots.plot_decision_boundary(bpcourse.lecture_network(), *bpcourse.lecture_data(),
                                          reference_line=(0, 0, 1)), ValueError, "a0 and a1 not both 0"),
    (lambda: plots.plot_decision_boundary(bpcourse.dosage_network(), *bpcourse.dosage_data()), ValueError,
     "two inputs and one output"),
    (lambda: plots.plot_fit(bpcourse.lecture_network(), *bpcourse.lecture_data()), ValueError,
     "one input and one output"),
    (lambda: plots.plot_activations(["relu", "swish"]), ValueError, r"names\[1\]='swish' is not known"),
    (lambda: plots.plot_timeline([]), TypeError, "milestones must be a non-empty sequence of Milestone"),
    (lambda: plots.plot_loss_curve("loss"), TypeError, "history must be a number or an array"),
    (lambda: plots.plot_lr_sweep(None), TypeError, "result must be a SweepResult"),
    (lambda: plots.plot_lr_range_test([1, 2]), TypeError, "result must be a RangeTestResult"),
    (lambda: plots.draw_descent(None, abs, [0.0, 1.0]), TypeError, "path must be a DescentPath"),
    (lambda: plots.draw_curvature_run("run", 1.0), TypeError, "history must be a History"),
    (lambda: plots.plot_loss_vs_parameter(abs, [0.0, 1.0], tangents_at=[0.5]), ValueError, "slope_of is needed"),
    (lambda: plots.plot_loss_vs_parameter(abs, [0.0, 1.0], ax="left"), TypeError, "ax must be matplotlib Axes"),
    (lambda: plots.plot_loss_vs_parameter(lambda v: "high", [0.0, 1.0]), TypeError,
     "loss_of must return real numbers"),
])
def test_plots_check_their_arguments(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_draw_curvature_run_draws_the_run_it_is_given():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network()
    history = bpcourse.gradient_descent(net, X, y, "sse", 0.1, 30)
    ax = plots.draw_curvature_run(history, 12.5)
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), history.losses)
    assert ax.get_title() == "rate 0.1: ends with lambda_max 12.5; 2/rate = 20.0"


def test_plots_do_not_train_or_derive():
    import ast

    tree = ast.parse((ROOT / "src" / "bpcourse" / "plots.py").read_text())
    called = {node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
              for node in ast.walk(tree) if isinstance(node, ast.Call)}
    assert not called & {"gradient_descent", "descend_1d", "lr_sweep", "lr_range_test", "hessian", "to_function",
                         "dosage_hessian_function", "diff", "lambdify"}
    imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names]
    assert not [name for name in imported if name.startswith("_")], imported
    assert "sympy" not in {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_the_dosage_hessian_at_the_start_is_the_one_sympy_derives_by_hand():
    hessian = symbolic.dosage_hessian_function()(*bpcourse.dosage_network().get_flat_parameters())
    assert hessian.shape == (7, 7) and np.allclose(hessian, hessian.T)
    assert hessian[-1, -1] == 6.0  # d2 SSR / db3^2 = 2 per observation, 3 observations


# ---------------------------------------------------------------- symbolic


def test_to_function_says_what_is_wrong():
    x, y = sp.symbols("x y", real=True)
    with pytest.raises(ValueError, match=r"symbols that are not in parameters: \['y'\]"):
        symbolic.to_function(x + y, [x])
    with pytest.raises(TypeError, match="parameters must be a list of sympy Symbols"):
        symbolic.to_function(x, "x")
    f = symbolic.to_function(sp.exp(x), [x])
    assert f(1.0) == pytest.approx(math.e)
    with pytest.raises(TypeError, match=r"values\[0\] must be a real number"):
        f("one")
    with pytest.raises(TypeError, match="takes 1 values"):
        f(1.0, 2.0)
    with pytest.raises(ValueError, match="not finite although its inputs are"):
        f(1000.0)


# -------------------------------------------------------------- the package's face


def test_the_package_exports_every_loss_and_has_one_version():
    import importlib.metadata

    for name in bpcourse.LOSSES:
        assert getattr(bpcourse, name) is bpcourse.LOSSES[name].function
    assert importlib.metadata.version("bpcourse") == bpcourse.__version__
    assert "version =" not in (ROOT / "pyproject.toml").read_text().split("[project]")[1].split("[")[0]


def test_one_name_for_the_blow_up_factor():
    import inspect

    for function in (bpcourse.gradient_descent, bpcourse.lr_sweep, bpcourse.lr_range_test, bpcourse.descend_1d):
        assert "divergence_factor" in inspect.signature(function).parameters, function.__name__
    source = "".join(p.read_text() for p in (ROOT / "src" / "bpcourse").glob("*.py"))
    assert "stop_factor" not in source and "divergence_limit" not in source


def test_learners_requirements_hold_no_test_tools():
    learners = (ROOT / "requirements.txt").read_text().lower()
    assert "pytest" not in learners and "nbval" not in learners and "hypothesis" not in learners
    tests = (ROOT / "requirements-test.txt").read_text()
    assert "-r requirements.txt" in tests and "pytest==" in tests and "nbval==" in tests
