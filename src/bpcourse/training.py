"""Gradient descent: ``parameter <- parameter - learning_rate * gradient``.

:func:`gradient_step` is that update, once, for every parameter of an
:class:`~bpcourse.MLP`. :func:`gradient_descent` repeats it: each epoch is
one forward pass over all the data (full batch), the loss, one backward pass
(:meth:`MLP.backward`, the package's only backpropagation) and the same
update, in one training step that the learning-rate range test
(:mod:`bpcourse.lr_search`) runs too. :func:`descend_1d` follows one scalar
parameter and keeps every step, for the tables and animations of chapters 4
and 5.

Neither prints anything: they return a history, and printing is the
chapter's job. The same words are used by both:

``"completed"``
    every epoch (or step) allowed was run;
``"converged"``
    the last step changed no parameter by more than ``tol``;
``"diverged"``
    the loss (or value) blew up or stopped being finite. The run stops at
    once and says where and why; the network keeps the last parameters whose
    loss was acceptable, so no NaN escapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from ._validation import MAX_ITERATIONS, NotFiniteError, all_finite, check_count, check_data, check_real, show_value
from .losses import get_loss
from .network import check_network

__all__ = ["gradient_step", "History", "gradient_descent", "DescentPath", "descend_1d"]


def gradient_step(net, weight_grads, bias_grads, learning_rate, check_input=True):
    """Move every parameter of ``net`` against its gradient, in place.

    ``W[l] <- W[l] - learning_rate * dL/dW[l]`` and the same for every bias.
    The update is all or nothing: if a new value would not be finite, no
    parameter changes.

    Parameters
    ----------
    net : MLP
    weight_grads, bias_grads : lists of ndarray
        Gradients shaped like ``net.weights`` and ``net.biases``, as returned
        by :meth:`MLP.gradients` or :meth:`MLP.backward`.
    learning_rate : float > 0
    check_input : bool
        ``False`` skips the checks of the arguments (not the all-or-nothing
        rule): for code that has checked them already.

    Returns
    -------
    bool
        ``True`` when the step was taken; ``False`` when it was refused
        because a new value would not be finite (the network is then unchanged).

    Raises
    ------
    TypeError, ValueError
        If ``net`` is not an :class:`MLP`, the gradients are not shaped like
        its parameters, or ``learning_rate`` is not a positive finite number.
    """
    if check_input:
        check_network(net)
        learning_rate = check_real(learning_rate, "learning_rate", positive=True)
        gradients = _check_gradients(weight_grads, bias_grads, net.weights + net.biases)
    else:
        gradients = weight_grads + bias_grads
    kept = net.get_flat_parameters()
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        if _apply_steps(net, [learning_rate * g for g in gradients]) is not None:
            return True
    net.set_flat_parameters(kept)
    return False


def _apply_steps(net, steps):
    """The update itself, ``p <- p - step`` for every parameter in place, and the check that it is allowed.

    ``steps`` are ``learning_rate * dL/dp``, shaped like the parameters
    (weights first). Returns every new value in one new flat array (the order
    of :meth:`MLP.get_flat_parameters`) when all are finite, else ``None``.
    The check needs that copy anyway (one sum over all of it), and the training
    loop keeps it as the point to go back to if a later step fails: so no
    separate copy of the parameters is made before a step. The callers keep
    such a point from before this call to go back to on ``None``, and guard
    floating point.
    """
    for p, step in zip(net.weights + net.biases, steps):
        p -= step
    new_values = net.get_flat_parameters()
    return new_values if all_finite(new_values) else None


def _train_step(net, forward, y, loss, learning_rate, check_input):
    """The body of every training loop here: backpropagate from a forward pass we have, then step.

    The loss's derivative by the output, :meth:`MLP.backward`, and the
    update of :func:`gradient_step`. Backpropagation is linear in the output
    gradient, so backpropagating ``learning_rate * dL/dy_hat`` gives the steps
    ``learning_rate * dL/dp`` themselves: one multiplication instead of one per
    parameter array. Returns the steps, shaped like the parameters (weights
    first), and the new parameter values as :func:`_apply_steps` gives them;
    or ``None`` when a parameter is no longer finite (a gradient that was not,
    or an update that overflowed): the callers keep the values from before,
    or train a copy, and go back to them. With ``check_input=False`` a
    built-in loss's derivative is its bare formula (see :func:`_formula`).
    """
    try:
        derivative = loss.derivative if check_input else _formula(loss.derivative)
        output_gradient = derivative(forward.a[-1], y)
        if check_input and not isinstance(output_gradient, np.ndarray):
            raise TypeError(f"the derivative of loss {loss.name!r} must return an ndarray shaped like y_hat "
                            f"{forward.a[-1].shape}; got {show_value(output_gradient)}")
        if net._fuses(loss):
            # a softmax output with the categorical cross-entropy: backward starts from the fused
            # (y_hat - y) / N and does not read the output gradient, so the gradients it returns
            # are multiplied by the learning rate here
            weight_grads, bias_grads = net.backward(forward, output_gradient, check_input=check_input,
                                                    loss=loss, y=y)
            weight_steps = [learning_rate * g for g in weight_grads]
            bias_steps = [learning_rate * g for g in bias_grads]
        else:
            weight_steps, bias_steps = net.backward(forward, learning_rate * output_gradient,
                                                    check_input=check_input)
    except NotFiniteError:  # a built-in derivative, or the first (checked) backward pass, overflowed
        return None
    steps = weight_steps + bias_steps
    new_values = _apply_steps(net, steps)
    return None if new_values is None else (steps, new_values)


@dataclass
class History:
    """What happened during :func:`gradient_descent`.

    Attributes
    ----------
    losses : ndarray of shape (epochs_run + 1,)
        ``losses[k]`` is the loss after ``k`` epochs: ``losses[0]`` at the
        start, ``losses[-1]`` of the parameters the network holds at the end.
    learning_rate : float
    epochs_run : int
        Updates the network keeps.
    stop_reason : str
        ``"completed"``, ``"converged"`` or ``"diverged"`` (see :mod:`bpcourse.training`).
    message : str
        One sentence for people, e.g. ``"diverged at epoch 12: loss is not finite"``.
    diverged_at : int or None
        The epoch whose loss was not finite or had exploded (its update is
        not kept).
    snapshot_epochs : list of int
        Epochs at which parameters were recorded (``record_every``).
    snapshots : list of ndarray
        Flat parameter vectors (see :meth:`MLP.get_flat_parameters`) at
        ``snapshot_epochs``.
    n_samples, batch_size : int
        The data's size and the mini-batch size (``batch_size == n_samples``
        for full batch).
    """

    losses: np.ndarray
    learning_rate: float
    epochs_run: int
    stop_reason: str
    message: str
    diverged_at: Optional[int] = None
    snapshot_epochs: List[int] = field(default_factory=list)
    snapshots: List[np.ndarray] = field(default_factory=list)
    n_samples: int = 1
    batch_size: int = 1

    @property
    def steps_per_epoch(self):
        """Gradient steps in one epoch: one per mini-batch (1 for full batch)."""
        return -(-self.n_samples // self.batch_size)

    @property
    def steps_run(self):
        """Gradient steps the network keeps, ``epochs_run * steps_per_epoch``."""
        return self.epochs_run * self.steps_per_epoch

    @property
    def final_loss(self):
        """Loss of the parameters the network holds after training, always a finite number."""
        return float(self.losses[-1])

    @property
    def diverged(self):
        """``True`` when the run stopped because the loss blew up."""
        return self.stop_reason == "diverged"


def gradient_descent(net, X, y, loss, learning_rate, epochs, *, tol=None, divergence_factor=1e4,
                     record_every=None, batch_size=None, seed=0):
    """Train ``net`` in place by gradient descent, full batch or in mini-batches.

    Full batch (the default, an *epoch* is one step): each epoch runs the
    forward pass on all of ``X``, computes the loss, backpropagates
    (:meth:`MLP.backward`) and takes one :func:`gradient_step`. With
    ``batch_size``, each epoch shuffles the samples (seeded) and takes one
    step per mini-batch of ``batch_size`` samples (the last may be smaller):
    stochastic gradient descent for ``batch_size=1``.

    Parameters
    ----------
    net : MLP
        Updated in place (the same arrays hold the new values).
    X : array_like of shape (n_samples, n_in)
    y : array_like of shape (n_samples, n_out), or (n_samples,) for one output
    loss : str or Loss
        A name in :data:`bpcourse.LOSSES` or a :class:`~bpcourse.Loss`, whose
        own derivative is used.
    learning_rate : float > 0
    epochs : int, 1 to 1,000,000
        Most epochs to run. With ``batch_size``, the steps of all the epochs
        together may be at most 1,000,000 too (about a minute).
    tol : float > 0, optional
        Stop (``"converged"``) once a step changes no parameter by more than ``tol``.
    divergence_factor : float >= 1
        Stop (``"diverged"``) when the loss exceeds this multiple of the
        starting loss (or stops being finite).
    record_every : int, optional
        Keep a copy of the parameters every ``record_every`` epochs (and the
        final ones), for plots of the path.
    batch_size : int, optional
        Samples per gradient step, 1 to ``n_samples``; ``None`` for full batch.
        The loss the gradient follows is the loss on the mini-batch: with a
        summed loss (``"sse"``) its gradient grows with the batch, with a mean
        (``"mse"``) it does not (chapter 8).
    seed : int
        Seed of the shuffles, so that a mini-batch run is reproducible.

    Returns
    -------
    History
        Its ``losses`` are always on all of ``X``, once per epoch.

    Raises
    ------
    TypeError, ValueError
        For bad arguments, before anything changes, and when the loss before
        training is not finite (data or parameters too large). If the loss itself
        raises (a faulty custom :class:`~bpcourse.Loss`), the network is
        restored to its starting parameters and the error is raised.

    Examples
    --------
    >>> import bpcourse
    >>> X, y = bpcourse.dosage_data()
    >>> history = bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.1, 5000, tol=1e-6)
    >>> history.stop_reason
    'converged'
    """
    check_network(net)
    X, y = check_data(net, X, y)
    loss = get_loss(loss)
    learning_rate = check_real(learning_rate, "learning_rate", positive=True)
    epochs = check_count(epochs, "epochs")
    if tol is not None:
        tol = check_real(tol, "tol", positive=True)
    divergence_factor = check_real(divergence_factor, "divergence_factor", minimum=1.0)
    if record_every is not None:
        record_every = check_count(record_every, "record_every")
    if batch_size is not None:
        batch_size = check_count(batch_size, "batch_size", maximum=len(X))
    if batch_size is not None and epochs * -(-len(X) // batch_size) > MAX_ITERATIONS:
        raise ValueError(f"epochs={epochs:,} with batch_size={batch_size} would take "
                         f"{epochs * -(-len(X) // batch_size):,} steps; at most {MAX_ITERATIONS:,} are allowed "
                         f"(about a minute)")
    seed = check_real(seed, "seed", integer=True, non_negative=True, maximum=2**63 - 1)
    rng = np.random.default_rng(seed)

    start = [p.copy() for p in net.weights + net.biases]
    try:
        with np.errstate(over="ignore", invalid="ignore", under="ignore", divide="ignore"):
            return _descend(net, X, y, loss, learning_rate, epochs, tol, divergence_factor, record_every,
                            batch_size, rng)
    except BaseException:
        # a failed call leaves the network as it was
        for p, kept in zip(net.weights + net.biases, start):
            p[...] = kept
        raise


def _descend(net, X, y, loss, learning_rate, epochs, tol, divergence_factor, record_every, batch_size, rng):
    # `kept` holds the parameters whose loss passed the last check, to go back to (flat, the order of
    # get_flat_parameters); `latest` the ones the network holds, as the last step returned them
    latest = kept = net.get_flat_parameters()
    losses, snapshot_epochs, snapshots = [], [], []
    stop_reason, message, diverged_at = "completed", f"completed {epochs} epochs", None
    limit = np.inf
    epoch, steps = 0, 0  # epochs and gradient steps taken so far
    while True:
        # gradient_descent checked X, y and the settings once and guards floating point for the
        # whole loop, hence check_input=False (the backward pass checks its input at the first step)
        forward = net.forward_pass(X, check_input=False)
        value = _loss_value(loss, forward.a[-1], y, check_input=epoch == 0)  # on all the data after `epoch` epochs
        if epoch == 0:
            if not math.isfinite(value):
                raise ValueError(f"the loss before training is {value}, not a finite number: X, y or the "
                                 f"network's parameters are too large for float64 (scale them down)")
            limit = divergence_factor * value if value > 0 else np.inf
        if not (math.isfinite(value) and value <= limit):
            reason = "loss is not finite" if not np.isfinite(value) else (
                f"loss {value:.3g} exceeded {divergence_factor:g} x the starting loss {losses[0]:.3g}")
            stop_reason, message, diverged_at = "diverged", f"diverged at epoch {epoch}: {reason}", epoch
            net.set_flat_parameters(kept)  # the parameters whose loss was losses[-1]
            epoch -= 1
            break
        losses.append(value)
        if record_every is not None and epoch % record_every == 0:
            snapshot_epochs.append(epoch)
            snapshots.append(net.get_flat_parameters())
        if epoch == epochs or stop_reason == "converged":
            break

        kept = latest  # their loss has just passed
        largest = 0.0
        for rows in _batches(len(X), batch_size, rng):
            # full batch: one step along the gradient of the forward pass we already have
            batch = forward if rows is None else net.forward_pass(X[rows], check_input=False)
            taken = _train_step(net, batch, y if rows is None else y[rows], loss, learning_rate,
                                check_input=steps == 0)
            if taken is None:
                stop_reason, diverged_at = "diverged", epoch + 1
                message = f"diverged at epoch {epoch + 1}: the update made a parameter non-finite (undone)"
                net.set_flat_parameters(kept)
                break
            taken_steps, latest = taken
            steps += 1
            if tol is not None:
                largest = max(largest, max(float(np.abs(step).max()) for step in taken_steps))
        if stop_reason == "diverged":
            break
        epoch += 1
        if tol is not None and largest < tol:
            stop_reason = "converged"
            message = f"converged after {epoch} epochs: largest step {largest:.3g} < tol={tol:g}"
    if record_every is not None and snapshot_epochs[-1:] != [epoch] and losses:
        snapshot_epochs.append(epoch)
        snapshots.append(net.get_flat_parameters())
    return History(
        losses=np.array(losses[: epoch + 1]),
        learning_rate=learning_rate,
        epochs_run=max(epoch, 0),
        stop_reason=stop_reason,
        message=message,
        diverged_at=diverged_at,
        snapshot_epochs=snapshot_epochs,
        snapshots=snapshots,
        n_samples=len(X),
        batch_size=len(X) if batch_size is None else batch_size,
    )


def _batches(n_samples, batch_size, rng):
    """The rows of each mini-batch of one epoch, in a fresh random order; ``[None]`` for full batch."""
    if batch_size is None:
        return [None]
    order = rng.permutation(n_samples)
    return [order[start:start + batch_size] for start in range(0, n_samples, batch_size)]


def _formula(function):
    """A built-in loss function's bare formula (its ``formula``, see :mod:`bpcourse.losses`), else ``function``.

    The training loops call the checked functions at their first step, which check ``y`` for the
    loss (targets between 0 and 1, one distribution per row, ...), and the bare formulas after that:
    the data do not change, the loop guards floating point and looks at every loss and update
    itself, and the checks, repeated at every epoch, would cost as much as the formula.
    """
    return getattr(function, "formula", function)


def _loss_value(loss, y_hat, y, check_input=True):
    """The loss as a float; ``inf`` where it overflowed (a diverging run).

    Also ``inf`` when the network's output ``y_hat`` is not finite: the cross-entropies clip their
    predictions, so an output that overflowed could otherwise still give a finite loss. With
    ``check_input=False`` a built-in loss is computed by its bare formula (see :func:`_formula`).
    """
    if not all_finite(y_hat):
        return math.inf
    try:
        value = (loss.function if check_input else _formula(loss.function))(y_hat, y)
    except NotFiniteError:
        return math.inf
    try:
        return float(value)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"loss {loss.name!r} must return a number; got {show_value(value)}") from None


def _check_gradients(weight_grads, bias_grads, parameters):
    """The gradients as one list (weights first), each shaped like its parameter in ``parameters``."""
    if not isinstance(weight_grads, (list, tuple)) or not isinstance(bias_grads, (list, tuple)):
        raise TypeError(f"weight_grads and bias_grads must be lists of arrays; got {show_value(weight_grads)} "
                        f"and {show_value(bias_grads)}")
    gradients = list(weight_grads) + list(bias_grads)
    if len(weight_grads) != len(bias_grads) or len(gradients) != len(parameters):
        raise ValueError(f"need one gradient per weight matrix and bias vector ({len(parameters) // 2} each); "
                         f"got {len(weight_grads)} and {len(bias_grads)}")
    for k, (g, p) in enumerate(zip(gradients, parameters)):
        if not isinstance(g, np.ndarray) or g.shape != p.shape:
            half = len(parameters) // 2
            name = f"weight_grads[{k}]" if k < half else f"bias_grads[{k - half}]"
            raise ValueError(f"{name} must be an array of shape {p.shape}; got {show_value(g)}")
    return gradients


@dataclass
class DescentPath:
    """Every step of :func:`descend_1d`.

    Attributes
    ----------
    values : ndarray of shape (n_steps + 1,)
        ``values[k]`` is the parameter after ``k`` steps; the last entry is the final value.
    gradients : ndarray of shape (n_steps,)
        The slope at ``values[k]``.
    step_sizes : ndarray of shape (n_steps,)
        ``learning_rate * gradients[k]``, so ``values[k + 1] = values[k] - step_sizes[k]``.
    learning_rate : float
    stop_reason : str
        ``"completed"``, ``"converged"`` or ``"diverged"``.
    message : str
    """

    values: np.ndarray
    gradients: np.ndarray
    step_sizes: np.ndarray
    learning_rate: float
    stop_reason: str
    message: str

    @property
    def final_value(self):
        """The value after the last step."""
        return float(self.values[-1])

    @property
    def n_steps(self):
        """Number of steps taken."""
        return len(self.step_sizes)


def descend_1d(gradient, start, learning_rate, *, tol=1e-3, steps=1000, divergence_factor=1e4):
    """Gradient descent on one scalar parameter, keeping every step.

    Parameters
    ----------
    gradient : callable float -> float
        The derivative of the loss at a value of the parameter.
    start : float
    learning_rate : float > 0
    tol : float > 0
        Stop (``"converged"``) once ``|step| < tol``; that last small step is
        still taken. This rule depends on the learning rate: a small rate
        takes small steps and stops early, short of the minimum.
    steps : int, 1 to 1,000,000
        Most steps to take (``"completed"`` when all are taken).
    divergence_factor : float >= 1
        Stop (``"diverged"``) before a step longer than this multiple of the
        first step, or one that would make the value not finite. Near a
        minimum the steps shrink; on a run that overshoots more and more they
        grow by the same factor every step (chapter 5).

    Returns
    -------
    DescentPath

    Raises
    ------
    TypeError, ValueError
        For bad arguments, or when ``gradient`` returns something that is not a real number.
    """
    if not callable(gradient):
        raise TypeError(f"gradient must be a function of one float; got {show_value(gradient)}")
    value = check_real(start, "start")
    learning_rate = check_real(learning_rate, "learning_rate", positive=True)
    tol = check_real(tol, "tol", positive=True)
    steps = check_count(steps, "steps")
    factor = check_real(divergence_factor, "divergence_factor", minimum=1.0)
    values, gradients, step_sizes = [value], [], []
    stop_reason, message = "completed", f"completed {steps} steps"
    longest = np.inf  # the longest step allowed, set by the first one
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(steps):
            g = gradient(value)
            try:
                g = float(g)
            except (TypeError, ValueError, OverflowError):
                raise TypeError(f"gradient({value!r}) must return a real number; got {show_value(g)}") from None
            step = learning_rate * g
            new_value = value - step
            if not (np.isfinite(g) and np.isfinite(new_value) and abs(step) <= longest):
                stop_reason = "diverged"
                message = (f"diverged at step {k}: the step {step:.3g} is not finite" if not np.isfinite(step)
                           else f"diverged at step {k}: the value would not be finite" if not np.isfinite(new_value)
                           else f"diverged at step {k}: the step {step:.3g} is more than {factor:g} x the first")
                break
            if k == 0 and step != 0:
                longest = factor * abs(step)
            gradients.append(g)
            step_sizes.append(step)
            values.append(new_value)
            value = new_value
            if abs(step) < tol:
                stop_reason = "converged"
                message = f"converged after {k + 1} steps: |step| = {abs(step):.2g} < tol={tol:g}"
                break
    return DescentPath(
        values=np.array(values),
        gradients=np.array(gradients),
        step_sizes=np.array(step_sizes),
        learning_rate=learning_rate,
        stop_reason=stop_reason,
        message=message,
    )
