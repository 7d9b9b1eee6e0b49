"""bpcourse: the small, tested package behind the backpropagation course.

Read it in this order: :mod:`~bpcourse.activations` and
:mod:`~bpcourse.losses` (each function beside its derivative),
:mod:`~bpcourse.network` (forward pass and backpropagation),
:mod:`~bpcourse.training` (gradient descent), :mod:`~bpcourse.lr_search`,
then :mod:`~bpcourse.symbolic` (the same derivatives with SymPy).
:mod:`~bpcourse.data`, :mod:`~bpcourse.plots`, :mod:`~bpcourse.widgets` and
:mod:`~bpcourse.checks` serve the chapters.
"""

from .activations import ACTIVATIONS, Activation, get_activation, identity, relu, sigmoid, softplus, tanh
from .checks import check, check_array, check_expression, check_function, check_number
from .data import (
    DOSAGE_PARAMETERS,
    LECTURE_TEST_POINTS,
    article_data,
    article_network,
    dosage_data,
    dosage_network,
    dosage_ssr,
    dosage_ssr_gradient,
    lecture_data,
    lecture_network,
)
from .gradcheck import gradient_check, numerical_gradients
from .history import MILESTONES
from .losses import LOSSES, Loss, get_loss, half_sse, mse, sse, sum_squared_residuals
from .lr_search import lr_range_test, lr_sweep
from .network import MLP, DosageParameters
from .training import History, descend_1d, gradient_descent

from . import book, exercises, plots, symbolic, widgets  # noqa: E402  (submodules the chapters use by name)

__version__ = "0.1.0"

__all__ = [
    "ACTIVATIONS",
    "Activation",
    "get_activation",
    "identity",
    "relu",
    "sigmoid",
    "softplus",
    "tanh",
    "LOSSES",
    "Loss",
    "get_loss",
    "half_sse",
    "mse",
    "sse",
    "sum_squared_residuals",
    "MLP",
    "DosageParameters",
    "History",
    "gradient_descent",
    "descend_1d",
    "gradient_check",
    "numerical_gradients",
    "lr_sweep",
    "lr_range_test",
    "DOSAGE_PARAMETERS",
    "LECTURE_TEST_POINTS",
    "article_data",
    "article_network",
    "dosage_data",
    "dosage_network",
    "dosage_ssr",
    "dosage_ssr_gradient",
    "lecture_data",
    "lecture_network",
    "MILESTONES",
    "check",
    "check_array",
    "check_expression",
    "check_function",
    "check_number",
]
