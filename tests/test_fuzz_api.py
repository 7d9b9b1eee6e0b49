"""Every public function and method of the numeric modules, fed odd values: only ValueError/TypeError escape.

Each required argument in turn gets each odd value while the others hold
valid ones (the dosage network and data, the loss "sse", 1.0). No other
exception, no warning, and a network passed in is unchanged after a refusal.
"""

import inspect
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpcourse  # noqa: E402
from bpcourse import activations, data, digits, gradcheck, losses, lr_search, network, plots, symbolic, training  # noqa: E402
from bpcourse.autograd import Value  # noqa: E402


class RaisingArray:
    """An array-like whose every conversion fails."""

    def __array__(self, *args, **kwargs):
        raise RuntimeError("conversion failed")

    def __len__(self):
        raise RuntimeError("len failed")

    def __iter__(self):
        raise RuntimeError("iteration failed")


ODD = [None, True, -1, 0, 2.5, float("nan"), 1e300, 5e-324, "b3", [], [[1.0, 2.0]],
       np.ma.masked_array([1.0, 2.0], mask=[False, True]), RaisingArray(), np.timedelta64(3), 10**400, (0, 0, 1),
       {"a": 1}, Value(2.0)]
MODULES = [activations, losses, network, training, lr_search, gradcheck, symbolic, data, digits, plots]


def _valid(name):
    X, y = bpcourse.dosage_data()
    return {"net": bpcourse.dosage_network(), "X": X, "y": y, "loss": "sse"}.get(name, 1.0)


def _calls(function, skip_self=False):
    parameters = [p for p in inspect.signature(function).parameters.values()
                  if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    if skip_self:
        parameters = parameters[1:]
    for k in range(max(1, len(parameters))):
        for odd in ODD:
            yield [odd if i == k else _valid(p.name) for i, p in enumerate(parameters)]


def _only_clear_errors(call, nets):
    starts = [net.get_flat_parameters() for net in nets]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            call()
    except (ValueError, TypeError) as error:
        assert str(error)
        for net, start in zip(nets, starts):
            np.testing.assert_array_equal(net.get_flat_parameters(), start)
    finally:
        plt.close("all")


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_public_functions_raise_only_clear_errors(module):
    for name in module.__all__:
        function = getattr(module, name)
        if not inspect.isfunction(inspect.unwrap(function)):
            continue
        for args in _calls(inspect.unwrap(function)):
            nets = [a for a in args if isinstance(a, bpcourse.MLP)]
            _only_clear_errors(lambda: function(*args), nets)


@pytest.mark.parametrize("make", [bpcourse.dosage_network, symbolic.dosage_symbolic_network, lambda: Value(3.0),
                                  lambda: bpcourse.LOSSES["sse"], lambda: bpcourse.ACTIVATIONS["relu"]],
                         ids=["MLP", "SymbolicNetwork", "Value", "Loss", "Activation"])
def test_public_methods_raise_only_clear_errors(make):
    kind = type(make())
    operators = ("__add__", "__sub__", "__mul__", "__truediv__", "__pow__", "__radd__", "__rsub__", "__rmul__",
                 "__rtruediv__", "__rpow__", "__call__")
    for name, member in inspect.getmembers(kind):
        if (name.startswith("_") and name not in operators) or not inspect.isfunction(member):
            continue
        for args in _calls(member, skip_self=True):
            obj = make()
            nets = [a for a in args if isinstance(a, bpcourse.MLP)] + ([obj] if isinstance(obj, bpcourse.MLP) else [])
            _only_clear_errors(lambda: getattr(obj, name)(*args), nets)
