"""Interactive versions of two figures (needs ipywidgets and a running kernel).

The widgets are thin: sliders wired to the pure functions in
:mod:`bpcourse.plots`, :mod:`bpcourse.data` and :mod:`bpcourse.training`.
``ipywidgets`` is imported only when a widget is built, so the package
works without it. On the static website the sliders cannot move; every
chapter shows a static figure next to each widget that tells the same
story.
"""

from __future__ import annotations

import numpy as np

from .data import DOSAGE_PARAMETERS, dosage_data, dosage_network, dosage_ssr, dosage_ssr_gradient
from .training import descend_1d

__all__ = ["dosage_widget", "learning_rate_widget", "draw_dosage_fit", "draw_descent"]


def draw_dosage_fit(ax=None, **parameters):
    """The dosage network's curve for the given parameters, with its SSR in the title."""
    from .plots import plot_fit

    net = dosage_network(**parameters)
    X, y = dosage_data()
    ax = plot_fit(net, X, y, ax=ax)
    ax.set_ylim(-3.5, 2)
    ax.set_title(f"SSR = {dosage_ssr(**parameters):.3f}")
    return ax


def draw_descent(learning_rate, steps, ax=None):
    """Gradient descent on ``b3`` for ``steps`` steps, drawn on the SSR curve."""
    from .plots import plot_loss_vs_parameter

    def ssr_of(b3):
        return dosage_ssr(b3=b3)

    def slope_of(b3):
        return dosage_ssr_gradient(b3=b3)["b3"]

    path = descend_1d(slope_of, 0.0, learning_rate, min_step=1e-12, max_steps=steps, divergence_limit=50)
    ax = plot_loss_vs_parameter(ssr_of, np.linspace(-2, 7, 200), ax=ax)
    ax.plot(path.values, [ssr_of(v) for v in path.values], "o-", color="#d62728", ms=5)
    ax.set_ylim(0, 60)
    ax.set_title(f"learning rate {learning_rate:g}: b3 = {path.final_value:.3f} after {path.n_steps} steps")
    return ax


def dosage_widget():
    """Sliders for the seven dosage parameters; the curve and SSR follow."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    sliders = {
        name: widgets.FloatSlider(value=value, min=-5.0, max=5.0, step=0.01, description=name,
                                  continuous_update=False)
        for name, value in DOSAGE_PARAMETERS.items()
    }

    def show(**parameters):
        draw_dosage_fit(**parameters)
        plt.show()

    return widgets.interactive(show, **sliders)


def learning_rate_widget():
    """Sliders for the learning rate and the number of steps of gradient descent on ``b3``."""
    import ipywidgets as widgets
    import matplotlib.pyplot as plt

    def show(learning_rate, steps):
        draw_descent(learning_rate, steps)
        plt.show()

    return widgets.interactive(
        show,
        learning_rate=widgets.FloatLogSlider(value=0.1, base=10, min=-2, max=0, step=0.05,
                                             description="learning rate", continuous_update=False),
        steps=widgets.IntSlider(value=5, min=1, max=40, description="steps", continuous_update=False),
    )
