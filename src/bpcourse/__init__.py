"""bpcourse: the small, tested package behind the backpropagation course.

Read it in this order: :mod:`~bpcourse.activations` and
:mod:`~bpcourse.losses` (each function beside its derivative),
:mod:`~bpcourse.network` (the forward pass and the one backpropagation),
:mod:`~bpcourse.training` (the gradient step and gradient descent),
:mod:`~bpcourse.lr_search`, :mod:`~bpcourse.gradcheck`, then
:mod:`~bpcourse.symbolic` (the same derivatives with SymPy).
:mod:`~bpcourse.data`, :mod:`~bpcourse.digits`, :mod:`~bpcourse.plots`, :mod:`~bpcourse.widgets`,
:mod:`~bpcourse.book`, :mod:`~bpcourse.checks` and
:mod:`~bpcourse.exercises` serve the chapters.
"""

from .activations import ACTIVATIONS, Activation, get_activation, identity, relu, sigmoid, softplus, tanh
from .activations import log_softmax, softmax
from .checks import check_array, check_expression, check_function, check_gradients, check_number, check_value_op
from .data import (
    DOSAGE_PARAMETERS,
    LECTURE_LEARNING_RATE,
    LECTURE_TEST_POINTS,
    MILESTONES,
    article_data,
    article_network,
    dosage_data,
    dosage_network,
    dosage_parameters,
    dosage_ssr,
    dosage_ssr_gradient,
    lecture_data,
    lecture_network,
    nudged,
)
from .digits import accuracy, confusion_matrix, digits_data, one_hot
from .exercises import check
from .gradcheck import gradient_check, numerical_gradients, relative_error
from .losses import LOSSES, Loss, cross_entropy, get_loss, half_sse, mse, sse
from .losses import categorical_cross_entropy, categorical_cross_entropy_from_logits
from .lr_search import lr_range_schedule, lr_range_test, lr_sweep
from .network import MLP, ForwardPass
from .training import History, descend_1d, gradient_descent, gradient_step

from . import autograd, book, digits, exercises, plots, symbolic, widgets  # noqa: E402, F401  (submodules the chapters use by name)

__version__ = "0.2.0"
"""The package's version; ``pyproject.toml`` reads it from here, so it is written once."""

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
    "cross_entropy",
    "MLP",
    "ForwardPass",
    "History",
    "gradient_step",
    "gradient_descent",
    "descend_1d",
    "gradient_check",
    "numerical_gradients",
    "relative_error",
    "lr_sweep",
    "lr_range_schedule",
    "lr_range_test",
    "DOSAGE_PARAMETERS",
    "LECTURE_LEARNING_RATE",
    "LECTURE_TEST_POINTS",
    "MILESTONES",
    "article_data",
    "article_network",
    "dosage_data",
    "dosage_network",
    "dosage_parameters",
    "dosage_ssr",
    "dosage_ssr_gradient",
    "lecture_data",
    "lecture_network",
    "nudged",
    "check",
    "check_array",
    "check_expression",
    "check_function",
    "check_gradients",
    "check_number",
    "check_value_op",
    "softmax",
    "log_softmax",
    "categorical_cross_entropy",
    "categorical_cross_entropy_from_logits",
    "digits_data",
    "one_hot",
    "accuracy",
    "confusion_matrix",
]
