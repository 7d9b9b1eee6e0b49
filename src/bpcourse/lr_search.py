"""Two ways to search for a good learning rate (chapter 6).

:func:`lr_sweep`
    Train a fresh copy of the network with each of several *fixed* learning
    rates and compare the losses at the end.
:func:`lr_range_test`
    One single run in which the learning rate grows exponentially at every
    step; the loss is recorded against the learning rate in use, smoothed,
    and the run stops when the smoothed loss blows up.

Both return result objects that suggest a range and say plainly when
nothing diverged in the range tried.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validation import MAX_ITERATIONS, show_value, as_float_array, check_count, check_data, check_real
from .book import progress
from .losses import get_loss
from .network import check_network
from .training import _loss_value, _train_step, gradient_descent

__all__ = ["VERDICTS", "SweepResult", "lr_sweep", "RangeTestResult", "lr_range_schedule", "lr_range_test"]


VERDICTS = {
    "reached target": "the loss ended at or below the target",
    "still falling": "the loss was still falling at the end: more epochs may reach the target",
    "stuck": "the loss stopped falling above the target (a plateau, a saddle or dead units)",
    "oscillating": "the loss rose on many epochs and ended above the target",
    "diverged": "the loss blew up and the run stopped",
}
"""What each verdict of :func:`lr_sweep` measures."""


@dataclass
class SweepResult:
    """Losses after training with each fixed learning rate, and what each run did.

    Attributes
    ----------
    learning_rates : ndarray of shape (n_rates,)
    final_losses : ndarray of shape (n_rates,)
        Loss of the parameters at the end of each run (for a diverged run,
        of the last parameters with an acceptable loss).
    initial_loss : float
    target : float
        The loss a run must reach to count as ``"reached target"``.
    verdicts : list of str
        One of :data:`VERDICTS` per rate.
    diverged_at : list of int or None
    epochs : int
    final_parameters : list of ndarray
        Each run's final parameters, flat (see :meth:`MLP.get_flat_parameters`).
    """

    learning_rates: np.ndarray
    final_losses: np.ndarray
    initial_loss: float
    target: float
    verdicts: list
    diverged_at: list
    epochs: int
    final_parameters: list

    @property
    def reached_range(self):
        """``(smallest, largest)`` rate of the unbroken band of rates that reached the target.

        The band around the rate with the lowest final loss; ``None`` if no rate reached the target.
        """
        order = np.argsort(self.learning_rates)
        reached = np.array(self.verdicts)[order] == "reached target"
        if not reached.any():
            return None
        losses = np.where(reached, self.final_losses[order], np.inf)
        low = high = int(np.argmin(losses))
        while low > 0 and reached[low - 1]:
            low -= 1
        while high < len(reached) - 1 and reached[high + 1]:
            high += 1
        rates = self.learning_rates[order]
        return (float(rates[low]), float(rates[high]))

    @property
    def first_failure(self):
        """Smallest rate above the reached band that is stuck, oscillating or diverged (``None`` if none)."""
        failed = np.isin(self.verdicts, ["stuck", "oscillating", "diverged"])
        band = self.reached_range
        if band is not None:
            failed &= self.learning_rates > band[1]
        return float(self.learning_rates[failed].min()) if failed.any() else None

    @property
    def message(self):
        """One sentence for people."""
        band = self.reached_range
        text = (f"reached the target loss {self.target:.3g} in {self.epochs} epochs with rates "
                f"{band[0]:.3g} to {band[1]:.3g}" if band else
                f"no rate reached the target loss {self.target:.3g} in {self.epochs} epochs")
        if self.first_failure is None:
            return text + f"; no failure up to {self.learning_rates.max():.3g}"
        return text + f"; first failure ({self.verdicts[int(np.argmin(np.abs(self.learning_rates - self.first_failure)))]}) at {self.first_failure:.3g}"


def lr_sweep(net, X, y, loss, learning_rates, epochs, *, target=None, divergence_factor=1e4):
    """Train a copy of ``net`` once per learning rate and say what each run did.

    The verdicts (see :data:`VERDICTS`) describe the run, not the rate:

    ``"reached target"``
        the final loss is at most ``target``;
    ``"still falling"``
        otherwise, if the loss fell by more than 1 % over the last tenth of
        the epochs: the budget, not the rate, stopped it;
    ``"oscillating"``
        otherwise, if the loss rose on more than a tenth of the epochs;
    ``"stuck"``
        otherwise: a plateau above the target;
    ``"diverged"``
        the run stopped because the loss blew up.

    Parameters
    ----------
    net : MLP
        The common starting point (left unchanged).
    X, y, loss : as in :func:`~bpcourse.gradient_descent`
    learning_rates : sequence of float > 0, shape (n_rates,)
    epochs : int
        Epochs per run; the total over all rates is at most 1,000,000.
    target : float > 0, optional
        Default: a thousandth of the starting loss.
    divergence_factor : float >= 1
        As in :func:`~bpcourse.gradient_descent`.

    Returns
    -------
    SweepResult
    """
    check_network(net)
    X, y = check_data(net, X, y)
    loss = get_loss(loss)
    rates = as_float_array(learning_rates, "learning_rates", ndim=1)
    if np.any(rates <= 0):
        raise ValueError(f"learning_rates must all be > 0; got {show_value(rates.tolist())}")
    epochs = check_count(epochs, "epochs", maximum=MAX_ITERATIONS // len(rates))
    initial = net.loss(X, y, loss)
    if target is None:
        target = 1e-3 * initial if np.isfinite(initial) and initial > 0 else 0.0
    else:
        target = check_real(target, "target", positive=True)

    finals, verdicts, diverged_at, parameters = [], [], [], []
    step_done = progress(len(rates), f"sweep of {len(rates)} learning rates")  # a bar in a learner's kernel only
    for lr in rates:
        trained = net.copy()
        history = gradient_descent(trained, X, y, loss, lr, epochs, divergence_factor=divergence_factor)
        parameters.append(trained.get_flat_parameters())
        finals.append(history.final_loss)
        diverged_at.append(history.diverged_at)
        verdicts.append(_verdict(history, target))
        step_done()
    return SweepResult(
        learning_rates=rates,
        final_losses=np.array(finals),
        initial_loss=float(initial),
        target=float(target),
        verdicts=verdicts,
        diverged_at=diverged_at,
        epochs=epochs,
        final_parameters=parameters,
    )


def _verdict(history, target):
    losses = history.losses
    if history.diverged:
        return "diverged"
    if history.final_loss <= target:
        return "reached target"
    tail = losses[-max(2, len(losses) // 10):]
    if tail[-1] < 0.99 * tail[0]:
        return "still falling"
    rises = np.count_nonzero(np.diff(losses) > 1e-12 * max(abs(losses[0]), 1e-300))
    if rises > 0.1 * max(len(losses) - 1, 1):
        return "oscillating"
    return "stuck"


@dataclass
class RangeTestResult:
    """The learning-rate range test's record.

    Attributes
    ----------
    learning_rates : ndarray of shape (n_steps,)
        Learning rate used at each step.
    losses : ndarray of shape (n_steps,)
        Loss before each step.
    smoothed : ndarray of shape (n_steps,)
        Exponential moving average of ``losses``, bias-corrected.
    stopped : bool
        Whether the run stopped early because the smoothed loss blew up
        (exceeded ``divergence_factor`` times its lowest value, or stopped being finite).
    stop_lr : float
        The learning rate at which the run ended.
    lr_min, lr_max : float
        The range asked for.
    """

    learning_rates: np.ndarray
    losses: np.ndarray
    smoothed: np.ndarray
    stopped: bool
    stop_lr: float
    lr_min: float
    lr_max: float

    @property
    def steepest_lr(self):
        """Learning rate where the smoothed loss falls fastest per factor of learning rate (``None`` without data)."""
        if len(self.smoothed) == 0:
            return None
        if len(self.smoothed) < 3:
            return float(self.learning_rates[0])
        slope = np.gradient(self.smoothed, np.log(self.learning_rates))
        return float(self.learning_rates[int(np.argmin(slope))])

    @property
    def min_loss_lr(self):
        """Learning rate at the lowest smoothed loss (``None`` without data)."""
        if len(self.smoothed) == 0:
            return None
        return float(self.learning_rates[int(np.argmin(self.smoothed))])

    @property
    def suggested_range(self):
        """``(low, high)``: from the steepest descent to a tenth of the rate at the lowest loss.

        Two published rules of thumb (fastai's learning-rate finder): the
        point where the loss falls fastest, and a tenth of the rate at the
        lowest loss, which comes late because the loss at a step reflects
        the rates of the steps before it. When the steepest point lies above
        that upper end, the range is the factor of ten below it. Both ends are
        kept inside the rates the test tried. ``None`` when no loss was
        recorded, or when a tenth of the lowest-loss rate lies below the
        smallest rate tried (the test should then start lower).
        """
        if len(self.smoothed) == 0:
            return None
        tried_low, tried_high = float(self.learning_rates[0]), float(self.learning_rates[-1])
        if self.min_loss_lr / 10 < tried_low:
            return None
        high = min(self.min_loss_lr / 10, tried_high)
        low = self.steepest_lr if self.steepest_lr < high else high / 10
        return (max(low, tried_low), high)

    @property
    def message(self):
        """One sentence for people."""
        if len(self.smoothed) == 0:
            return f"the loss was not finite at the start (learning rate {self.stop_lr:.3g}): nothing to suggest"
        if self.suggested_range is None:
            return (f"the loss was lowest at learning rate {self.min_loss_lr:.3g}, too close to the start "
                    f"({self.lr_min:.3g}) to suggest a range: start the test at a smaller lr_min")
        low, high = self.suggested_range
        if self.stopped:
            return (
                f"the smoothed loss blew up near learning rate {self.stop_lr:.3g}; "
                f"suggested range {low:.3g} to {high:.3g}"
            )
        return (
            f"no blow-up up to learning rate {self.lr_max:.3g}; "
            f"the loss was lowest at {self.min_loss_lr:.3g} (suggested range {low:.3g} to {high:.3g}, "
            f"but no upper limit was found)"
        )


def lr_range_schedule(lr_min, lr_max, steps):
    """The range test's learning rates: ``lr_min * (lr_max / lr_min) ** (k / (steps - 1))``.

    Parameters
    ----------
    lr_min, lr_max : float > 0, ``lr_min < lr_max``
        Their ratio must be a finite float.
    steps : int, 3 to 1,000,000

    Returns
    -------
    ndarray of shape (steps,)
        Rates growing by the same factor at every step, from ``lr_min`` to ``lr_max``.
    """
    lr_min = check_real(lr_min, "lr_min", positive=True)
    lr_max = check_real(lr_max, "lr_max", positive=True)
    if lr_max <= lr_min:
        raise ValueError(f"lr_max must be greater than lr_min={lr_min!r}; got {lr_max!r}")
    steps = check_count(steps, "steps", minimum=3)
    if not np.isfinite(lr_max / lr_min):
        raise ValueError(f"lr_max / lr_min must be a finite number; got {lr_max!r} / {lr_min!r}, too large for "
                         f"a float (take lr_min >= {lr_max / np.finfo(float).max:.3g})")
    return lr_min * (lr_max / lr_min) ** (np.arange(steps) / (steps - 1))


def lr_range_test(net, X, y, loss, *, lr_min=1e-4, lr_max=10.0, steps=200, smoothing=0.9, divergence_factor=4.0):
    """Increase the learning rate exponentially over one run and watch the loss.

    Step ``k`` uses the rate ``lr_range_schedule(lr_min, lr_max, steps)[k]``
    and is one step of :func:`~bpcourse.gradient_descent`'s loop: the backward pass and the update.
    The run stops early when the smoothed loss exceeds ``divergence_factor``
    times its lowest value so far, or stops being finite.

    Parameters
    ----------
    net : MLP
        The starting point; left unchanged (the test trains a copy).
    X, y, loss : as in :func:`~bpcourse.gradient_descent`
    lr_min, lr_max : float > 0
    steps : int, 3 to 1,000,000
    smoothing : float in [0, 1)
        Weight of the past in the moving average.
    divergence_factor : float >= 1
        Stop when the smoothed loss exceeds this multiple of its lowest value.

    Returns
    -------
    RangeTestResult
    """
    check_network(net)
    X, y = check_data(net, X, y)
    loss = get_loss(loss)
    rates = lr_range_schedule(lr_min, lr_max, steps)
    smoothing = check_real(smoothing, "smoothing", non_negative=True)
    if smoothing >= 1:
        raise ValueError(f"smoothing must be in [0, 1); got {smoothing!r}")
    factor = check_real(divergence_factor, "divergence_factor", minimum=1.0)

    net = net.copy()
    losses, smoothed = [], []
    average, best, stopped = 0.0, np.inf, False
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        for k, lr in enumerate(rates):
            forward = net.forward_pass(X, check_input=False)  # checked above, guarded by errstate
            value = _loss_value(loss, forward.a[-1], y, check_input=k == 0)
            average = smoothing * average + (1 - smoothing) * value
            current = average / (1 - smoothing ** (k + 1))
            if not (np.isfinite(current) and current <= factor * best):
                stopped = True
                break
            losses.append(value)
            smoothed.append(current)
            best = min(best, current)
            # the same step as gradient_descent's; the test trains a copy, so a failed step needs no undoing
            if _train_step(net, forward, y, loss, lr, check_input=k == 0) is None:
                stopped = True
                break
    n = len(losses)
    return RangeTestResult(
        learning_rates=rates[:n],
        losses=np.array(losses),
        smoothed=np.array(smoothed),
        stopped=stopped,
        stop_lr=float(rates[min(n, len(rates) - 1)]),
        lr_min=float(rates[0]),
        lr_max=float(rates[-1]),
    )
