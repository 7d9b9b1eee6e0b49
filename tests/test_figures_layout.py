"""Figures laid out to be read: a timeline whose labels never overlap, rows of panels that a phone
can stack, and slider figures whose axes stay put from frame to frame."""

import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import bpcourse  # noqa: E402
from bpcourse import plots, widgets  # noqa: E402
from bpcourse.data import Milestone  # noqa: E402


@pytest.fixture(autouse=True)
def style():
    plots.use_course_style()
    yield
    plt.close("all")


# Two works of the 1960s that chapter 1 adds to its history; with them the 1958-1974 stretch holds seven labels.
EXTRA = [Milestone(1960, "Henry J. Kelley", "gradient theory of optimal flight paths", "adjoint gradients"),
         Milestone(1961, "Arthur E. Bryson", "a gradient method for optimizing multi-stage processes",
                   "derivatives passed backwards through stages")]


def _label_boxes(ax):
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in ax.texts if t.get_text()]


@pytest.mark.parametrize("milestones", [list(bpcourse.MILESTONES), list(bpcourse.MILESTONES) + EXTRA],
                         ids=["chapter 1", "with Kelley and Bryson"])
def test_timeline_labels_do_not_overlap_and_stay_in_the_figure(milestones):
    ax = plots.plot_timeline(milestones)
    boxes = _label_boxes(ax)
    assert len(boxes) == len(milestones)
    for k, (text, box) in enumerate(boxes):
        for other, other_box in boxes[k + 1:]:
            assert not box.overlaps(other_box), f"{text!r} overlaps {other!r}"
    figure_box = ax.figure.bbox
    for text, box in boxes:
        assert figure_box.x0 <= box.x0 and box.x1 <= figure_box.x1, text
        assert figure_box.y0 <= box.y0 and box.y1 <= figure_box.y1, text
    # every label names its year and sits straight above or below it
    for m in milestones:
        label = next(t for t in ax.texts if t.get_text().startswith(f"{m.year}\n"))
        assert label.xy == (m.year, 0)


def _row_of_panels(n, sharey=True):
    fig, axes = plt.subplots(1, n, figsize=(4 * n, 3.8), sharey=sharey)
    for k, ax in enumerate(axes):
        ax.plot(np.arange(10), np.arange(10) ** (1 + k / 4))
        ax.set_title(f"panel {k}")
        ax.set_xlabel("x")
    axes[0].set_ylabel("y")
    fig.tight_layout()
    return fig


def test_a_row_of_panels_becomes_panels_drawn_one_by_one_with_their_places_recorded():
    fig = _row_of_panels(4)
    data = plots.panel_row_png(fig)
    picture = Image.open(io.BytesIO(data))
    layout = json.loads(picture.text[plots.PANELS_KEY])
    panels = layout["panels"]
    assert [p["title"] for p in panels] == [f"panel {k}" for k in range(4)]
    boxes = [p["box"] for p in panels]
    assert boxes[0][0] == 0 and boxes[-1][2] == picture.width
    assert all(a[2] < b[0] for a, b in zip(boxes, boxes[1:])), "panels do not overlap"
    # each panel is about a quarter of the figure, at the figure's resolution
    for left, top, right, bottom in boxes:
        assert 300 < right - left < 480 and bottom <= picture.height
    # the tick labels' size in pixels: 11 points at 100 dots per inch (use_course_style)
    assert layout["tick_label_px"] == pytest.approx(11 / 72 * 100, abs=0.01)
    # a panel that shared its y axis gets tick labels of its own: ink left of its plot area
    pixels = np.asarray(picture.convert("L"))
    third = boxes[2]
    strip = pixels[third[1]:third[3], third[0]:third[0] + 25]
    assert (strip < 128).any(), "the third panel shows no y tick labels"
    # and the figure is left as it was
    assert all(ax.get_visible() for ax in fig.axes)
    assert not fig.axes[2].yaxis.get_tick_params().get("labelleft", True)


@pytest.mark.parametrize("make", [lambda: plt.subplots(1, 2)[0], lambda: plt.subplots(2, 3)[0],
                                  lambda: plt.subplots()[0]], ids=["two panels", "a grid", "one panel"])
def test_other_figures_stay_one_picture(make):
    assert plots.panel_row_png(make()) is None


def test_a_figure_wide_title_keeps_the_figure_whole():
    fig = _row_of_panels(3)
    fig.suptitle("one title for all")
    assert plots.panel_row_png(fig) is None


def test_panel_row_png_refuses_what_is_not_a_figure():
    with pytest.raises(TypeError, match="fig must be a Figure"):
        plots.panel_row_png("figure")


def _frames(figure):
    for name, values in figure.sliders.items():
        for value in values:
            fig, ax = plt.subplots(figsize=figure.figsize)
            figure.draw(ax, **{**figure.start, name: value})
            yield f"{name} = {value:g}", ax
            plt.close(fig)


@pytest.mark.parametrize("make", [widgets.dosage_widget, widgets.learning_rate_widget, widgets.curvature_widget],
                         ids=["chapter 2", "chapter 5", "chapter 6"])
def test_slider_frames_share_their_axes_and_show_the_whole_curve(make):
    limits = set()
    for where, ax in _frames(make()):
        (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
        limits.add((round(x0, 9), round(x1, 9), round(y0, 9), round(y1, 9), ax.get_yscale()))
        for line in ax.get_lines():
            x = np.asarray(line.get_xdata(), dtype=float)
            y = np.asarray(line.get_ydata(), dtype=float)
            shown = np.isfinite(x) & np.isfinite(y)
            if ax.get_yscale() == "log":
                shown &= y > 0
            assert np.all((x[shown] >= x0) & (x[shown] <= x1)), f"{where}: the curve leaves the x axis"
            assert np.all((y[shown] >= y0) & (y[shown] <= y1)), \
                f"{where}: the curve leaves the y axis ({y[shown].min():.3g} to {y[shown].max():.3g} in {y0:.3g} to {y1:.3g})"
    assert len(limits) == 1, f"the axes change between frames: {sorted(limits)}"
