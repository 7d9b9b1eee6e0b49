"""Interactive versions of two figures (needs ipywidgets and a running kernel).

The widgets are thin: sliders wired to the pure functions in
:mod:`bpcourse.plots`, :mod:`bpcourse.data` and :mod:`bpcourse.training`.
``ipywidgets`` is imported only when a widget is built, so the package
works without it. On the static website the sliders cannot move; every
chapter shows a static figure next to each widget that tells the same
story.
"""

from __future__ import annotations

from .data import DOSAGE_PARAMETERS
from .plots import draw_descent, draw_dosage_fit

__all__ = ["dosage_widget", "learning_rate_widget"]


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
