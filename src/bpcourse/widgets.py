"""Figures with sliders that move in a running notebook and on the static website.

:class:`SliderFigure` draws one figure per slider position with a drawing
function from :mod:`bpcourse.plots`. Shown in a notebook, it offers two
versions of itself and the viewer picks:

* with a running kernel (Binder, Colab, a local Jupyter), the live version:
  sliders wired to the drawing function (``ipywidgets``, imported only
  then). Each slider is the course's own small widget (``anywidget``, a
  range input: the arrow keys move it in JupyterLab and Notebook 7 alike,
  and a screen reader says its value as "w1 = 3.34"); without ``anywidget``
  it is ipywidgets' ``SelectionSlider``;
* on the static website, where no kernel runs, the frames rendered when the
  notebook was executed, behind an HTML range input that a few lines of
  JavaScript in the page switch between. Mouse and keyboard both move it, a
  label and a live region tell screen readers the value, and every frame has
  its own alt text.

The website prefers the static version (``nb_mime_priority_overrides`` in
``_config.yml``), so a page never needs the widget JavaScript. Frames are
drawn by the package in Python; nothing is re-implemented in JavaScript.
The frames are drawn only when the chapter is run for the website
(:func:`bpcourse.book.for_website`); a learner's kernel draws the one live
figure it shows. Chapters 2, 5 and 6 use the three factories at the end of
this module.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re

import numpy as np

from ._validation import show_value
from .data import DOSAGE_PARAMETERS

__all__ = ["SliderFigure", "dosage_widget", "learning_rate_widget", "curvature_widget"]

_SCRIPT = """
(function () {
  var root = document.getElementById(%(id)s);
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "yes";
  var data = JSON.parse(root.querySelector("script[type='application/json']").textContent);
  var input = root.querySelector("input[type=range]");
  var select = root.querySelector("select");
  var image = root.querySelector("img");
  var shown = root.querySelector("output");
  function update() {
    var group = data.groups[select ? select.selectedIndex : 0];
    var k = Math.min(Number(input.value), group.frames.length - 1);
    input.max = String(group.frames.length - 1);
    image.src = group.frames[k];  // fetched only when shown: the website stores each frame as a file
    image.alt = group.alts[k];
    shown.textContent = group.texts[k];
    input.setAttribute("aria-valuetext", group.texts[k]);
  }
  input.addEventListener("input", update);
  if (select) {
    select.addEventListener("change", function () {
      input.value = String(data.groups[select.selectedIndex].start);
      update();
    });
  }
})();
"""


# The live slider's front end (anywidget runs it in the browser): a labelled range input over the
# slider's positions. The model holds the position (``index``), each position's number as shown
# (``labels``) and as a screen reader says it (``words``, the figure's ``label``: "w1 = 3.34").
_LIVE_SLIDER_JS = """
let count = 0;
function render({ model, el }) {
  count += 1;
  const id = "bp-live-slider-" + count + "-" + Math.random().toString(36).slice(2, 8);
  const label = document.createElement("label");
  const input = document.createElement("input");
  const shown = document.createElement("output");
  label.htmlFor = id;
  label.textContent = model.get("description");
  input.id = id;
  input.type = "range";
  input.min = "0";
  input.step = "1";
  // Notebook 7 runs its keyboard shortcuts before the page sees a key (ArrowRight moves to the next
  // heading); JupyterLab after it. This attribute asks both to leave the focused slider's keys alone.
  input.setAttribute("data-lm-suppress-shortcuts", "true");
  shown.htmlFor = id;
  function show() {
    const labels = model.get("labels"), k = model.get("index");
    input.max = String(labels.length - 1);
    input.value = String(k);
    input.setAttribute("aria-valuetext", model.get("words")[k]);
    shown.textContent = labels[k];
  }
  // "change" comes when the mouse lets go and at every key press: one redraw per position reached
  input.addEventListener("change", () => {
    model.set("index", Number(input.value));
    model.save_changes();
  });
  model.on("change:index", show);
  model.on("change:labels", show);
  show();
  el.classList.add("bp-live-slider");
  el.append(label, input, shown);
}
export default { render };
"""

_LIVE_SLIDER_CSS = """
.bp-live-slider { display: flex; align-items: center; gap: 0.6em; margin: 0.2em 0; }
.bp-live-slider label { min-width: 8em; }
.bp-live-slider input { width: min(60vw, 22em); }
"""

_LIVE_SLIDER_CLASS = None


def _live_slider_class():
    """The live slider widget class, made the first time (anywidget is imported only then)."""
    global _LIVE_SLIDER_CLASS
    if _LIVE_SLIDER_CLASS is None:
        import anywidget
        import traitlets

        class LiveSlider(anywidget.AnyWidget):
            """A slider over named positions; ``value`` is the number at the chosen position."""

            _esm = _LIVE_SLIDER_JS
            _css = _LIVE_SLIDER_CSS
            description = traitlets.Unicode().tag(sync=True)
            labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
            words = traitlets.List(traitlets.Unicode()).tag(sync=True)
            index = traitlets.Int(0).tag(sync=True)

            def __init__(self, options, value, description, words):
                self._values = [v for _, v in options]
                super().__init__(description=description, labels=[text for text, _ in options], words=words,
                                 index=int(np.argmin(np.abs(np.array(self._values) - value))))

            @property
            def value(self):
                return self._values[self.index]

            @value.setter
            def value(self, value):
                self.index = int(np.argmin(np.abs(np.array(self._values) - value)))

        _LIVE_SLIDER_CLASS = LiveSlider
    return _LIVE_SLIDER_CLASS


class SliderFigure:
    """A figure with one slider (or a choice of sliders), live in a kernel and pre-rendered for the website.

    Parameters
    ----------
    key : str
        A short name, unique on its page (letters, digits and ``-``); it makes the HTML ids.
    draw : callable
        ``draw(ax, **values)`` draws the figure on the matplotlib axes ``ax``
        for one value of each slider.
    sliders : dict
        ``{name: sequence of values}``: each slider's positions, e.g.
        ``{"b3": np.linspace(-1, 4, 11)}``. With several sliders the website
        lets the reader choose which one moves; the others keep their start values.
    start : dict
        ``{name: value}``, each slider's starting value (one of its positions).
    label : callable
        ``label(name, value)`` is the text that names a position, e.g. ``"b3 = 1.5"``.
    alt : callable
        ``alt(name, value)`` is the alt text of the frame at that position.
    figsize : (float, float)
    dpi : int
        Resolution of the website's frames (small, to keep pages light).

    Raises
    ------
    TypeError, ValueError
        For a bad key, a non-callable, or a start value that is not a slider position.
    """

    def __init__(self, key, draw, sliders, start, label, alt, figsize=(6.0, 3.6), dpi=64):
        if not isinstance(key, str) or not re.fullmatch(r"[a-z0-9-]+", key):
            raise ValueError(f"key must be lower-case letters, digits and '-'; got {show_value(key)}")
        for name, function in (("draw", draw), ("label", label), ("alt", alt)):
            if not callable(function):
                raise TypeError(f"{name} must be callable; got {show_value(function)}")
        if not isinstance(sliders, dict) or not sliders:
            raise TypeError(f"sliders must be a non-empty dict of name -> values; got {show_value(sliders)}")
        self.sliders = {name: [float(v) for v in values] for name, values in sliders.items()}
        for name, values in self.sliders.items():
            if not values or not np.all(np.isfinite(values)):
                raise ValueError(f"sliders[{name!r}] must hold finite numbers; got {show_value(values)}")
            if name not in start or not np.isclose(values, start[name]).any():
                raise ValueError(f"start[{name!r}] must be one of the slider's values; got {show_value(start.get(name))}")
        self.key, self.draw, self.start = key, draw, {k: float(v) for k, v in start.items()}
        self.label, self.alt, self.figsize, self.dpi = label, alt, figsize, dpi
        self._live = None

    # ------------------------------------------------------------ the figure
    def frame(self, **values):
        """The website's picture of the figure for some slider values.

        Parameters
        ----------
        **values : float
            Slider values by name; a slider not named keeps its starting value.

        Returns
        -------
        bytes
            The figure as a PNG image at the website's resolution (``dpi``).
        """
        return self._png(values, self.dpi)

    def _png(self, values, dpi):
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=self.figsize)
        self.draw(ax, **{**self.start, **values})
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        plt.close(fig)
        return buffer.getvalue()

    def static_html(self):
        """The website's version of the figure, which moves without a kernel.

        Every frame (one per position of each slider), an HTML range input
        with its label, a menu choosing the slider when there are several,
        an ``output`` that says the shown value (a live region for screen
        readers), the frame's alt text, and a few lines of script that switch
        between the frames. Frames are PNG data URIs here; the website's build
        (``book/_ext/course_site.py``) stores each as a file and puts its
        address in their place, so that a page loads the frame it shows first
        and each other frame only when the slider reaches it.

        Returns
        -------
        str
            The HTML, the same for the same figure in every run (no random
            ids), so that a saved chapter does not change when it is re-run.
        """
        groups = []
        for name, values in self.sliders.items():
            groups.append({
                "name": name,
                "start": int(np.argmin(np.abs(np.array(values) - self.start[name]))),
                "frames": ["data:image/png;base64," + base64.b64encode(self.frame(**{name: v})).decode("ascii")
                           for v in values],
                "texts": [self.label(name, v) for v in values],
                "alts": [self.alt(name, v) for v in values],
            })
        first = groups[0]
        element = f"bpsf-{self.key}"
        choose = ""
        if len(groups) > 1:
            options = "".join(f'<option value="{html.escape(g["name"])}">{html.escape(g["name"])}</option>'
                              for g in groups)
            choose = (f'<label for="{element}-choose">slider to move</label> '
                      f'<select id="{element}-choose">{options}</select> ')
        k = first["start"]
        # JSON inside <script>: "<" escaped, so that no label can close the block ("</script>")
        data = json.dumps({"groups": groups}).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        name = html.escape(self.key.replace("-", " "))
        return (
            f'<div class="bp-slider-figure" id="{element}">'
            f'<div class="bp-slider-controls">{choose}'
            f'<label for="{element}-range">{name}: move the slider</label> '
            f'<input type="range" id="{element}-range" min="0" max="{len(first["frames"]) - 1}" step="1" '
            f'value="{k}" aria-valuetext="{html.escape(first["texts"][k])}"> '
            f'<output for="{element}-range" aria-live="polite">{html.escape(first["texts"][k])}</output></div>'
            f'<img src="{first["frames"][k]}" alt="{html.escape(first["alts"][k])}">'
            f'<script type="application/json">{data}</script>'
            f"<script>{_SCRIPT % {'id': json.dumps(element)}}</script>"
            "</div>"
        )

    # In a kernel the figure is shown at its size in CSS pixels (96 per inch) and drawn
    # at twice that resolution, so that it stays sharp on high-density screens.
    _LIVE_PIXELS_PER_INCH = 96
    _LIVE_DPI = 2 * _LIVE_PIXELS_PER_INCH

    def live_frame(self, **values):
        """PNG bytes of the live figure (twice the pixels of its shown size) for slider values.

        Parameters
        ----------
        **values : float
            Slider values by name; a slider not named keeps its starting value.

        Returns
        -------
        bytes
            The figure as a PNG image.
        """
        return self._png(values, self._LIVE_DPI)

    def live_status(self, **values):
        """The text under the live figure, read out by screen readers.

        Parameters
        ----------
        **values : float
            Slider values by name; a slider not named keeps its starting value.

        Returns
        -------
        str
            Each value in the slider's words, then the alt text of the figure
            when one slider has moved from its start.
        """
        values = {**self.start, **values}
        moved = [name for name in self.sliders if not np.isclose(values[name], self.start[name])]
        said = "; ".join(self.label(name, values[name]) for name in self.sliders)
        if len(moved) > 1:  # the alt texts describe one slider moved from the start
            return said + "."
        name = moved[0] if moved else next(iter(self.sliders))
        return f"{said}. {self.alt(name, values[name])}"

    def live_widget(self):
        """The kernel's version: ipywidgets sliders above an image that is redrawn when one moves.

        Returns
        -------
        ipywidgets.VBox
            The sliders (one per entry of ``sliders``, labelled with their
            whole name, each position said in the slider's words, e.g.
            ``"w1 = 3.34"``; see the module's note), the ``Image`` (drawn at twice its
            shown size, so that it is sharp) and an ``HTML`` status line that
            screen readers announce when a slider moves.
        """
        import ipywidgets as widgets

        controls = {name: self._live_slider(name, values) for name, values in self.sliders.items()}
        width = f"{round(self.figsize[0] * self._LIVE_PIXELS_PER_INCH)}px"
        image = widgets.Image(value=self.live_frame(), format="png",
                              layout=widgets.Layout(width=width, max_width="100%", height="auto"))
        status = widgets.HTML()

        def say(values):
            status.value = f'<p role="status" aria-live="polite">{html.escape(self.live_status(**values))}</p>'

        def redraw(change):
            values = {name: control.value for name, control in controls.items()}
            image.value = self.live_frame(**values)
            say(values)

        say({})
        for control in controls.values():
            control.observe(redraw, names="index")  # the position; both kinds of slider have it
        return widgets.VBox([*controls.values(), image, status])

    def _live_slider(self, name, values):
        """One live slider: the course's (anywidget) when it is installed, else ipywidgets' SelectionSlider."""
        options = [(f"{v:g}", v) for v in values]
        try:
            return _live_slider_class()(options, self.start[name], name, [self.label(name, v) for v in values])
        except ImportError:
            import ipywidgets as widgets

            return widgets.SelectionSlider(options=options, value=self.start[name], description=name,
                                           continuous_update=False, style={"description_width": "initial"},
                                           layout=widgets.Layout(width="min(100%, 36em)"))

    def _kernel_bundle(self):
        """A learner's kernel: the live widget, and one picture for front ends without the widget manager."""
        try:
            self._live = self.live_widget()  # kept alive as long as this figure is
            picture, data = self._live.children[-2].value, self._live._repr_mimebundle_()
        except ImportError:  # no ipywidgets: the picture alone
            picture, data = self.live_frame(), {}
        data = data[0] if isinstance(data, tuple) else data
        width = round(self.figsize[0] * self._LIVE_PIXELS_PER_INCH)
        alt = html.escape(self.alt(*next(iter(self.start.items()))))
        encoded = base64.b64encode(picture).decode("ascii")
        bundle = {"text/html": f'<img src="data:image/png;base64,{encoded}" width="{width}" alt="{alt}">',
                  "text/plain": f"SliderFigure({self.key!r}, sliders {list(self.sliders)})"}
        bundle.update({k: v for k, v in data.items() if k != "text/plain"})
        return bundle

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .book import for_website

        if not for_website():  # nobody sees the website's frames in a kernel: don't draw them
            return self._kernel_bundle()
        bundle = {"text/html": self.static_html(),
                  "text/plain": f"SliderFigure({self.key!r}, sliders {list(self.sliders)})"}
        try:
            self._live = self.live_widget()  # kept alive as long as this figure is
        except ImportError:  # no ipywidgets: the static version is all there is
            return bundle
        live = self._live._repr_mimebundle_()
        data = live[0] if isinstance(live, tuple) else live
        bundle.update({k: v for k, v in data.items() if k != "text/plain"})
        return bundle


# ------------------------------------------------------------- the figures

# Each range stops where the curve would leave -6.2 to 4 (b1 past 1.25, b2 past 2.5, w3 below -2.5), so
# that fixed axes hold every frame's whole curve and the starting curve still fills a third of them.
_DOSAGE_RANGES = {
    "w1": np.linspace(0.0, 6.0, 9), "b1": np.linspace(-4.0, 1.25, 8), "w2": np.linspace(-6.0, 0.0, 9),
    "b2": np.linspace(-2.0, 2.5, 7), "w3": np.linspace(-2.5, 2.0, 7), "w4": np.linspace(-4.0, 2.0, 9),
    # b3 = 1 is left out on purpose: its SSR is the answer to exercise 2.3, further down the page
    "b3": np.arange(-1.25, 4.0, 0.5),
}


def _with_start(values, start):
    """``values`` with ``start`` added (sorted), so that the starting position is a slider position."""
    return sorted(set(np.round(values, 4)) | {start})


def _padded(low, high, share=0.05, log=False):
    """The range ``low`` to ``high`` widened by ``share`` of its span at each end (of its decades if ``log``)."""
    if log:
        low, high = np.log10(low), np.log10(high)
    pad = share * (high - low)
    low, high = low - pad, high + pad
    return (10.0 ** low, 10.0 ** high) if log else (low, high)


def dosage_widget():
    """The dosage network's curve and SSR as its seven parameters move (chapter 2).

    Returns
    -------
    SliderFigure
    """
    from .data import dosage_ssr
    from .plots import draw_dosage_fit

    from .data import dosage_data, dosage_network

    sliders = {name: _with_start(_DOSAGE_RANGES[name], DOSAGE_PARAMETERS[name]) for name in _DOSAGE_RANGES}
    # Fixed axes for every frame: the observations and every position's whole curve (over the
    # dosages draw_dosage_fit draws), so that moving the slider moves the curve, never the axes.
    X, y = dosage_data()
    dosages = np.linspace(X.min(), X.max(), 201).reshape(-1, 1)
    heights = [y.ravel()] + [dosage_network(**{name: v}).forward(dosages).ravel()
                             for name, values in sliders.items() for v in values]
    heights = np.concatenate(heights)
    x_limits = _padded(float(X.min()), float(X.max()))
    y_limits = _padded(float(heights.min()), float(heights.max()))

    def draw(ax, **values):
        draw_dosage_fit(ax=ax, **values)
        ax.set_xlim(*x_limits)
        ax.set_ylim(*y_limits)

    def alt(name, value):
        return (f"The dosage network's curve against the three observations with {name} = {value:g} and the "
                f"other parameters at their starting values; the SSR is {dosage_ssr(**{name: value}):.2f}.")

    return SliderFigure("dosage", draw, sliders, dict(DOSAGE_PARAMETERS), lambda n, v: f"{n} = {v:g}", alt)


def learning_rate_widget(steps=12):
    """Gradient descent on ``b3`` for a learning rate the slider chooses (chapter 5).

    Parameters
    ----------
    steps : int
        Steps drawn for every rate.

    Returns
    -------
    SliderFigure
    """
    from .data import dosage_ssr, dosage_ssr_gradient
    from .plots import draw_descent
    from .training import descend_1d

    # The axes are draw_descent's for b3 from -2 to 7 in every frame; the largest rate is the largest
    # whose 12 steps stay in that range (0.34 diverges slowly; at 0.36 the run leaves it after 5 steps).
    rates = [0.01, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3, 0.32, 0.34]

    def draw(ax, learning_rate):
        path = descend_1d(lambda b3: dosage_ssr_gradient(b3=b3)["b3"], 0.0, learning_rate, tol=1e-12, steps=steps)
        draw_descent(path, lambda b3: dosage_ssr(b3=b3), np.linspace(-2, 7, 200), ax=ax)

    def alt(name, value):
        return (f"The SSR parabola in b3 with the path of {steps} steps of gradient descent from b3 = 0 at "
                f"learning rate {value:g}.")

    return SliderFigure("learning-rate", draw, {"learning_rate": rates}, {"learning_rate": 0.1},
                        lambda n, v: f"learning rate {v:g}", alt)


def curvature_widget(epochs=300):
    """A dosage run's loss curve and the curvature where it ends, for a learning rate the slider chooses (chapter 6).

    Parameters
    ----------
    epochs : int
        Epochs of every run.

    Returns
    -------
    SliderFigure
    """
    from .data import dosage_data, dosage_network
    from .plots import draw_curvature_run
    from .symbolic import dosage_hessian_function
    from .training import gradient_descent

    rates = [0.02, 0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]
    hessian_at = dosage_hessian_function()
    runs = {}

    def run(rate):
        """The run at ``rate`` and the largest Hessian eigenvalue where it ends (None if it diverged)."""
        if rate not in runs:
            net = dosage_network()
            history = gradient_descent(net, *dosage_data(), "sse", rate, epochs)
            runs[rate] = (history, None if history.diverged else
                          np.linalg.eigvalsh(hessian_at(*net.get_flat_parameters()))[-1])
        return runs[rate]

    # every run first: the axes are fixed to hold all of them
    losses = np.concatenate([run(rate)[0].losses for rate in rates])
    losses = losses[np.isfinite(losses) & (losses > 0)]
    y_limits = _padded(float(losses.min()), float(losses.max()), log=True)

    def draw(ax, learning_rate):
        draw_curvature_run(*run(learning_rate), ax=ax)
        ax.set_xlim(0, epochs)  # a diverged run stops early: the epoch axis stays the same
        ax.set_ylim(*y_limits)

    def alt(name, value):
        return (f"The dosage network's SSR over {epochs} epochs at learning rate {value:g}, log scale. "
                f"The title gives the largest Hessian eigenvalue where the run ends and the limit 2 / {value:g}.")

    return SliderFigure("curvature", draw, {"learning_rate": rates}, {"learning_rate": 0.1},
                        lambda n, v: f"learning rate {v:g}", alt, figsize=(6.0, 3.4))
