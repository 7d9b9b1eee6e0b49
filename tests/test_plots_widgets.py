"""Plots return their axes with readable labels; widgets are sliders wired to pure functions."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import bpcourse  # noqa: E402
from bpcourse import plots, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    plots.use_course_style()
    yield
    plt.close("all")


def labelled(ax):
    return ax.get_xlabel() and ax.get_ylabel()


def test_plot_functions_draw_on_given_axes_and_label_them():
    X, y = bpcourse.dosage_data()
    net = bpcourse.dosage_network()
    _, ax = plt.subplots()
    assert plots.plot_fit(net, X, y, ax=ax) is ax and labelled(ax)
    assert len(ax.lines) == 2
    ax = plots.plot_loss_vs_parameter(lambda b: bpcourse.dosage_ssr(b3=b), np.linspace(0, 4, 20), tangents_at=[1.0],
                                      slope_of=lambda b: bpcourse.dosage_ssr_gradient(b3=b)["b3"])
    assert labelled(ax) and any("slope" in t.get_text() for t in ax.texts)
    history = bpcourse.gradient_descent(net.copy(), X, y, "sse", 0.1, 20)
    ax = plots.plot_loss_curve(history)
    assert labelled(ax) and ax.get_yscale() == "log"
    Xl, yl = bpcourse.lecture_data()
    ax = plots.plot_decision_boundary(bpcourse.lecture_network(), Xl, yl, points=bpcourse.LECTURE_TEST_POINTS)
    assert labelled(ax)
    sweep = bpcourse.lr_sweep(net, X, y, "sse", [0.001, 0.01, 0.1, 0.5], 30)
    ax = plots.plot_lr_sweep(sweep)
    assert labelled(ax) and ax.get_xscale() == "log"
    ax = plots.plot_lr_range_test(bpcourse.lr_range_test(net, X, y, "sse", steps=40))
    assert labelled(ax) and ax.get_xscale() == "log"
    assert plots.plot_activations(["relu", "sigmoid"]).shape == (2, 2)
    assert plots.draw_network(net).get_title() == "network 1-2-1"
    assert "w1" in plots.draw_dosage_graph("w1").get_title()
    assert plots.plot_timeline(bpcourse.MILESTONES).get_xlabel() == "year"


def test_text_in_figures_is_readable():
    ax = plots.draw_network(bpcourse.dosage_network())
    sizes = [t.get_fontsize() for t in ax.texts]
    assert min(sizes) >= 9
    assert plt.rcParams["font.size"] >= 11


def test_descent_animation_renders_a_gif():
    path = bpcourse.descend_1d(lambda b: bpcourse.dosage_ssr_gradient(b3=b)["b3"], 0.0, 0.1, steps=3)
    animation = plots.descent_animation(path, lambda b: bpcourse.dosage_ssr(b3=b))
    data = plots.animation_gif(animation, fps=2, dpi=40)
    assert data[:6] in (b"GIF87a", b"GIF89a")


def test_slider_figures_move_in_a_kernel_and_on_the_page():
    dosage = widgets.dosage_widget()
    live = dosage.live_widget()
    sliders, image = live.children[:-2], live.children[-2]
    assert [s.description for s in sliders] == ["w1", "b1", "w2", "b2", "w3", "w4", "b3"]
    assert [s.value for s in sliders] == list(bpcourse.DOSAGE_PARAMETERS.values())
    before = image.value
    sliders[-1].value = 2.75  # b3, one of its positions
    assert image.value != before and image.value == dosage.live_frame(b3=2.75)
    rate = widgets.learning_rate_widget()
    page = rate.static_html()
    assert page == widgets.learning_rate_widget().static_html(), "the website's frames must not change between runs"
    assert 'type="range"' in page and '<label for="bpsf-learning-rate-range">' in page
    rates = len(rate.sliders["learning_rate"])
    assert rates >= 10 and page.count("iVBORw0KGgo") == rates + 1  # one PNG per rate, and the first in the <img>
    bundle = widgets.curvature_widget()._repr_mimebundle_()
    assert "text/html" in bundle and "application/vnd.jupyter.widget-view+json" in bundle
    path = bpcourse.descend_1d(lambda b3: bpcourse.dosage_ssr_gradient(b3=b3)["b3"], 0.0, 0.1, steps=3)
    ax = plots.draw_descent(path, lambda b3: bpcourse.dosage_ssr(b3=b3), np.linspace(-2, 7, 50))
    assert "after 3 steps" in ax.get_title()
    np.testing.assert_allclose(ax.lines[-1].get_xdata(), path.values)  # the points drawn are the run's
    ax = plots.draw_dosage_fit(b3=2.61)
    assert ax.get_title().startswith("SSR = 0.000")
    with pytest.raises(ValueError, match=r"start\['b3'\] must be one of the slider's values"):
        widgets.SliderFigure("x", lambda ax, b3: None, {"b3": [0.0, 1.0]}, {"b3": 0.5}, str, str)
