"""Gradient descent: the update ``theta <- theta - learning_rate * gradient``.

:func:`gradient_descent` trains every parameter of an :class:`~bpcourse.MLP`
with full-batch backpropagation (chapter 5). :func:`descend_1d` follows one
scalar parameter and keeps every step, for the tables and animations of
chapters 4 and 5.

Neither prints anything: they return a history, and printing is the
chapter's job. A run that blows up stops at once and says so in its history
(``stop_reason == "diverged"``, with the epoch and the reason); the network
keeps the last parameters whose loss was finite, so no NaN escapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, List, Optional

import numpy as np

from ._validation import check_data, check_real
from .losses import get_loss
from .network import flatten

__all__ = ["History", "gradient_descent", "DescentPath", "descend_1d"]


@dataclass
class History:
    """What happened during :func:`gradient_descent`.

    Attributes
    ----------
    losses : ndarray of shape (epochs_run,)
        ``losses[t]`` is the loss before the update of epoch ``t`` (the
        lecture logs the same quantity).
    learning_rate : float
    epochs_run : int
        Updates the network keeps (after a divergence, the last update that
        still had a finite loss).
    stop_reason : str
        ``"completed"`` (all epochs), ``"converged"`` (every step smaller than
        ``tol``) or ``"diverged"``.
    message : str
        One sentence for people, e.g. ``"diverged at epoch 12: loss is
        not finite"``.
    final_loss : float
        Loss of the parameters the network holds after training.
    diverged_at : int or None
        The epoch whose loss was not finite or had exploded.
    snapshot_epochs : list of int
        Epochs at which parameters were recorded (``record_every``).
    snapshots : list of ndarray
        Flat parameter vectors (see :meth:`MLP.get_flat_parameters`) at
        ``snapshot_epochs``.
    """

    losses: np.ndarray
    learning_rate: float
    epochs_run: int
    stop_reason: str
    message: str
    final_loss: float
    diverged_at: Optional[int] = None
    snapshot_epochs: List[int] = field(default_factory=list)
    snapshots: List[np.ndarray] = field(default_factory=list)

    @property
    def diverged(self):
        return self.stop_reason == "diverged"



def gradient_descent(
    net,
    X,
    y,
    loss,
    learning_rate,
    epochs,
    *,
    tol=None,
    divergence_factor=1e4,
    record_every=None,
):
    """Train ``net`` in place by full-batch gradient descent.

    Parameters
    ----------
    net : MLP
        Updated in place.
    X : ndarray of shape (n_samples, n_in)
    y : ndarray of shape (n_samples, n_out) or (n_samples,)
    loss : {"sse", "half_sse", "mse"}
    learning_rate : float > 0
    epochs : int >= 1
        Maximum number of updates.
    tol : float > 0, optional
        Stop (``"converged"``) once the largest step ``|learning_rate * g|``
        over all parameters is below ``tol``.
    divergence_factor : float > 1
        Stop (``"diverged"``) when the loss exceeds this multiple of the
        starting loss (or stops being finite).
    record_every : int, optional
        Keep a copy of the parameters every ``record_every`` epochs (and the
        final ones), for plots of the path.

    Returns
    -------
    History
    """
    X, y = check_data(net, X, y)
    loss = get_loss(loss)
    lr = check_real(learning_rate, "learning_rate", positive=True)
    epochs = check_real(epochs, "epochs", integer=True, positive=True)
    if tol is not None:
        tol = check_real(tol, "tol", positive=True)
    factor = check_real(divergence_factor, "divergence_factor", minimum=1.0)
    if record_every is not None:
        record_every = check_real(record_every, "record_every", integer=True, positive=True)

    # Every loss in the registry is a multiple of the sum of squared
    # residuals: loss = scale * r.r, so dloss/dy_hat = 2 * scale * r.
    scale = loss.scale(y.size)
    step_scale = 2.0 * scale * lr

    weights = [W.copy() for W in net.weights]
    biases = [b.copy() for b in net.biases]
    # The step is written into a second set of arrays and the two sets are
    # swapped: the previous parameters stay at hand, at no extra cost, in
    # case the new ones turn out to diverge.
    spare_weights = [W.copy() for W in weights]
    spare_biases = [b.copy() for b in biases]
    functions = [a.function for a in net.activations]
    slopes_from_output = [a.derivative_from_output for a in net.activations]
    slopes = [a.derivative for a in net.activations]
    n_layers = len(weights)
    layers = range(n_layers - 1, -1, -1)
    ones = np.ones(X.shape[0])

    losses = []  # grows with the run: no allocation up front for a large `epochs`
    snapshot_epochs, snapshots = [], []
    stop_reason, message, diverged_at = "completed", f"completed {epochs} epochs", None
    limit = None
    epoch = 0

    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        while epoch < epochs:
            # forward pass, keeping what the backward walk needs
            outputs = [X]
            zs = []
            a = X
            for W, b, f in zip(weights, biases, functions):
                z = a @ W
                z += b
                a = f(z)
                zs.append(z)
                outputs.append(a)

            residual = a - y
            r = residual.ravel()
            value = scale * float(r @ r)
            if limit is None:
                limit = factor * value if value > 0 else np.inf
            if not value <= limit:  # also true for NaN
                diverged_at = epoch
                reason = "loss is not finite" if not np.isfinite(value) else (
                    f"loss {value:.3g} exceeded {factor:g} x the starting loss"
                )
                stop_reason, message = "diverged", f"diverged at epoch {epoch}: {reason}"
                weights, spare_weights = spare_weights, weights
                biases, spare_biases = spare_biases, biases
                break
            losses.append(value)
            if record_every is not None and epoch % record_every == 0:
                snapshot_epochs.append(epoch)
                snapshots.append(flatten(weights, biases))

            # Backward walk. delta is dloss/dz of the current layer, already
            # multiplied by the learning rate: every gradient below is linear
            # in delta, so they all come out as steps, one multiplication saved
            # per parameter array.
            residual *= step_scale
            delta = residual
            largest_step = 0.0
            for l in layers:
                slope = slopes_from_output[l]
                delta *= slope(outputs[l + 1]) if slope is not None else slopes[l](zs[l])
                step_W = outputs[l].T @ delta
                step_b = ones @ delta  # the sum over samples; much faster than delta.sum(axis=0)
                if l:
                    delta = delta @ weights[l].T
                np.subtract(weights[l], step_W, out=spare_weights[l])
                np.subtract(biases[l], step_b, out=spare_biases[l])
                if tol is not None:
                    largest_step = max(largest_step, np.abs(step_W).max(), np.abs(step_b).max())
            weights, spare_weights = spare_weights, weights
            biases, spare_biases = spare_biases, biases
            epoch += 1
            if tol is not None and largest_step < tol:
                stop_reason = "converged"
                message = f"converged after {epoch} epochs: largest step {largest_step:.3g} < tol={tol:g}"
                break

    if stop_reason == "diverged":
        epoch = max(diverged_at - 1, 0)  # the network keeps the parameters of the last finite loss
    losses = np.array(losses)
    net.weights = weights
    net.biases = biases
    final_loss = loss(net._predict(X), y) if len(losses) else float("nan")
    if record_every is not None and (not snapshot_epochs or snapshot_epochs[-1] != epoch):
        snapshot_epochs.append(epoch)
        snapshots.append(flatten(weights, biases))
    return History(
        losses=losses,
        learning_rate=lr,
        epochs_run=epoch,
        stop_reason=stop_reason,
        message=message,
        final_loss=final_loss,
        diverged_at=diverged_at,
        snapshot_epochs=snapshot_epochs,
        snapshots=snapshots,
    )



@dataclass
class DescentPath:
    """Every step of :func:`descend_1d`.

    ``values[k]`` is the parameter before step ``k``, ``gradients[k]`` the
    slope there and ``steps[k] = learning_rate * gradients[k]`` the step
    size, so ``values[k + 1] = values[k] - steps[k]``. ``values`` has one
    more entry than ``steps``: the final value.
    """

    values: np.ndarray
    gradients: np.ndarray
    steps: np.ndarray
    learning_rate: float
    stop_reason: str
    message: str

    @property
    def final_value(self):
        return float(self.values[-1])

    @property
    def n_steps(self):
        return len(self.steps)


def descend_1d(gradient, start, learning_rate, *, min_step=1e-3, max_steps=1000, divergence_limit=1e6):
    """Gradient descent on one scalar parameter.

    Parameters
    ----------
    gradient : callable float -> float
        The derivative of the loss at a value of the parameter.
    start : float
    learning_rate : float > 0
    min_step : float > 0
        Stop (``"small step"``) once ``|step| < min_step``; that last small
        step is still taken.
    max_steps : int >= 1
        Stop (``"max steps"``) after this many steps.
    divergence_limit : float > 0
        Stop (``"diverged"``) when ``|value|`` exceeds this or stops being finite.

    Returns
    -------
    DescentPath
    """
    if not callable(gradient):
        raise TypeError(f"gradient must be a function of one float; got {type(gradient).__name__}")
    value = check_real(start, "start")
    lr = check_real(learning_rate, "learning_rate", positive=True)
    min_step = check_real(min_step, "min_step", positive=True)
    max_steps = check_real(max_steps, "max_steps", integer=True, positive=True)
    limit = check_real(divergence_limit, "divergence_limit", positive=True)
    values, gradients, steps = [value], [], []
    stop_reason = "max steps"
    message = f"stopped after the maximum of {max_steps} steps"
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(max_steps):
            g = float(gradient(value))
            step = lr * g
            new_value = value - step
            if not (np.isfinite(new_value) and abs(new_value) <= limit):
                stop_reason = "diverged"
                message = f"diverged at step {k}: the value left [-{limit:g}, {limit:g}]"
                break
            gradients.append(g)
            steps.append(step)
            values.append(new_value)
            value = new_value
            if abs(step) < min_step:
                stop_reason = "small step"
                message = f"stopped after {k + 1} steps: |step| = {abs(step):.2g} < {min_step:g}"
                break
    return DescentPath(
        values=np.array(values),
        gradients=np.array(gradients),
        steps=np.array(steps),
        learning_rate=lr,
        stop_reason=stop_reason,
        message=message,
    )
