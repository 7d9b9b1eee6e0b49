"""In a learner's kernel the chapters skip what only the website uses, and the live sliders are usable."""

import io
import subprocess
import sys

import pytest
from PIL import Image

import bpcourse
from bpcourse import widgets
from bpcourse.book import WEBSITE_VARIABLE, for_website


@pytest.fixture
def learner(monkeypatch):
    monkeypatch.delenv(WEBSITE_VARIABLE, raising=False)


@pytest.fixture
def website(monkeypatch):
    monkeypatch.setenv(WEBSITE_VARIABLE, "1")


def test_only_the_website_run_sets_the_variable(monkeypatch):
    for value, expected in ((None, False), ("0", False), ("", False), ("1", True)):
        if value is None:
            monkeypatch.delenv(WEBSITE_VARIABLE, raising=False)
        else:
            monkeypatch.setenv(WEBSITE_VARIABLE, value)
        assert for_website() is expected


def test_a_learners_kernel_draws_one_picture_the_website_every_frame(learner, monkeypatch):
    drawn = []
    figure = widgets.learning_rate_widget()
    original = figure._png
    monkeypatch.setattr(figure, "_png", lambda values, dpi: drawn.append(dpi) or original(values, dpi))
    bundle = figure._repr_mimebundle_()
    assert drawn == [figure._LIVE_DPI], "one live picture, no website frame"
    assert bundle["text/html"].count("data:image/png;base64,") == 1
    assert "application/vnd.jupyter.widget-view+json" in bundle
    monkeypatch.setenv(WEBSITE_VARIABLE, "1")
    drawn.clear()
    bundle = figure._repr_mimebundle_()
    assert drawn.count(figure.dpi) == len(figure.sliders["learning_rate"]), "the website gets every frame"
    assert 'type="range"' in bundle["text/html"]


def test_the_live_picture_is_drawn_at_twice_its_shown_size(learner):
    figure = widgets.dosage_widget()
    live = figure.live_widget()
    image = live.children[-2]
    shown = int(image.layout.width.removesuffix("px"))
    assert shown == round(figure.figsize[0] * 96) and image.layout.max_width == "100%"
    width, height = Image.open(io.BytesIO(image.value)).size
    assert width >= 2 * shown - 2, f"{width} pixels for {shown} CSS pixels: blurry"


def test_live_sliders_show_their_whole_name_and_say_their_value(learner):
    figure = widgets.dosage_widget()
    live = figure.live_widget()
    sliders, status = live.children[:-2], live.children[-1]
    assert [s.description for s in sliders] == list(figure.sliders)
    # what a screen reader says at each position (the range input's aria-valuetext): the figure's words
    assert sliders[0].words[sliders[0].index] == "w1 = 3.34"
    assert [len(s.words) for s in sliders] == [len(values) for values in figure.sliders.values()]
    assert sliders[-1].words == [f"b3 = {v:g}" for v in figure.sliders["b3"]]
    assert 'aria-live="polite"' in status.value and "w1 = 3.34" in status.value
    sliders[-1].value = 2.75
    assert "b3 = 2.75" in status.value
    ssr = bpcourse.dosage_ssr(b3=2.75)
    assert f"the SSR is {ssr:.2f}" in status.value, "the alt text of the shown figure is read out"
    rate = widgets.learning_rate_widget().live_widget()
    assert rate.children[0].description == "learning_rate" and "learning rate 0.1" in rate.children[-1].value


@pytest.mark.parametrize("website_run", [False, True])
def test_glue_imports_the_book_toolchain_only_for_the_website(website_run):
    code = ("import sys; from bpcourse.book import glue; glue('x', 1.5); "
            "print('myst_nb' in sys.modules)")
    env = {"PATH": "/usr/bin:/bin", "PYTHONHASHSEED": "0"}
    if website_run:
        env[WEBSITE_VARIABLE] = "1"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(website_run)


def test_progress_shows_nothing_outside_a_learners_kernel(monkeypatch, capsys):
    from bpcourse.book import progress

    for website_run in (False, True):  # pytest has no kernel; the website's run never shows one
        if website_run:
            monkeypatch.setenv(WEBSITE_VARIABLE, "1")
        step = progress(5, "a loop")
        for _ in range(5):
            assert step() is None
    assert capsys.readouterr().out == ""


def test_the_live_slider_moves_by_position_and_by_value(learner):
    slider = widgets.dosage_widget().live_widget().children[-3]  # b3
    positions = widgets.dosage_widget().sliders["b3"]
    assert slider.value == 0.0 and positions[slider.index] == 0.0
    slider.index += 1  # what the arrow key does in the browser
    assert slider.value == positions[positions.index(0.0) + 1]
    slider.value = positions[-1]
    assert slider.index == len(positions) - 1


def test_without_anywidget_the_sliders_are_ipywidgets_own_with_whole_labels(learner, monkeypatch):
    import ipywidgets

    monkeypatch.setitem(sys.modules, "anywidget", None)  # "import anywidget" raises ImportError
    monkeypatch.setattr(widgets, "_LIVE_SLIDER_CLASS", None)
    figure = widgets.dosage_widget()
    live = figure.live_widget()
    sliders, status = live.children[:-2], live.children[-1]
    assert all(isinstance(s, ipywidgets.SelectionSlider) for s in sliders)
    assert all(s.style.description_width == "initial" for s in sliders), "labels are never cut"
    sliders[-1].value = 2.75
    assert "b3 = 2.75" in status.value
