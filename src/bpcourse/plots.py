"""Figures for the chapters (matplotlib).

Every function takes ``ax=None`` (a new figure is made when it is ``None``)
and returns the axes, so a chapter can put several plots side by side.
Labels use a readable size and colours that keep their meaning in the
site's dark mode (each figure has its own white background).

A row of three or more panels (``plt.subplots(1, n)``) is too wide to read
on a phone. When a chapter is run for the website, :func:`use_course_style`
has such a figure shown as its panels drawn one by one and set side by side
(:func:`panel_row_png`); the picture records where each panel is, and the
website's build cuts it into one image per panel, which a narrow screen
stacks.
"""

from __future__ import annotations

import numpy as np

from ._validation import as_float_array, check_count, check_data, check_name, check_real, show_value
from .activations import get_activation
from .network import check_network

__all__ = [
    "use_course_style",
    "panel_row_png",
    "plot_timeline",
    "draw_dosage_graph",
    "plot_activations",
    "draw_network",
    "plot_loss_vs_parameter",
    "plot_fit",
    "plot_loss_curve",
    "plot_decision_boundary",
    "plot_lr_sweep",
    "plot_lr_range_test",
    "descent_animation",
    "animation_gif",
    "draw_dosage_fit",
    "draw_descent",
    "draw_graph",
    "draw_curvature_run",
]

VERDICT_COLOURS = {"still falling": "#4c72b0", "reached target": "#2ca02c", "stuck": "#9467bd",
                   "oscillating": "#ff7f0e", "diverged": "#d62728"}
VERDICT_MARKERS = {"still falling": "v", "reached target": "o", "stuck": "s", "oscillating": "D", "diverged": "X"}


def _axes(ax, figsize=(6, 4)):
    """``ax``, or the axes of a new figure when it is ``None``."""
    import matplotlib.pyplot as plt
    from matplotlib.axes import Axes

    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be matplotlib Axes or None; got {show_value(ax)} of type {type(ax).__name__}")
    return ax


def _check_callable(function, argument):
    if not callable(function):
        raise TypeError(f"{argument} must be a function of one float; got {show_value(function)}")
    return function


def _check_text(value, argument):
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{argument} must be a str or None; got {show_value(value)} of type {type(value).__name__}")
    return value


def _check_instance(value, kind, argument):
    if not isinstance(value, kind):
        raise TypeError(f"{argument} must be a {kind.__name__}; got {show_value(value)} of type "
                        f"{type(value).__name__}")
    return value


def use_course_style():
    """Readable defaults for every chapter: larger text, white figure background, PNG output.

    Returns
    -------
    None
        Matplotlib's ``rcParams`` are updated.
    """
    import matplotlib as mpl

    mpl.rcParams.update({
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.labelsize": 11,
        "figure.facecolor": "white",
        "axes.facecolor": "white",
        "savefig.facecolor": "white",
        "figure.dpi": 100,
        "axes.grid": False,
    })
    from .book import for_website

    if for_website():
        _show_panel_rows_panel_by_panel()


#: The PNG text entry in which :func:`panel_row_png` records its panels (read by the website's build).
PANELS_KEY = "bpcourse-panels"


#: The fewest panels in a row that :func:`panel_row_png` cuts apart. Two panels stay one picture:
#: the chapters' captions call them "left" and "right", which a phone's stacked panels would not be.
FEWEST_PANELS = 3


def _panel_row(fig):
    """The axes of a figure made as one row of FEWEST_PANELS or more panels, left to right; None otherwise."""
    axes = [ax for ax in fig.axes if ax.get_visible()]
    specs = [ax.get_subplotspec() for ax in axes]
    if len(axes) < FEWEST_PANELS or None in specs or fig.texts or fig.legends or getattr(fig, "_suptitle", None):
        return None  # a figure-wide title or legend belongs to no panel: keep such a figure whole
    grid = specs[0].get_gridspec()
    if grid.nrows != 1 or any(spec.get_gridspec() is not grid for spec in specs):
        return None
    return sorted(axes, key=lambda ax: ax.get_subplotspec().colspan.start)


def panel_row_png(fig, dpi=None):
    """A row of panels as one PNG in which each panel was drawn on its own, with their places recorded.

    Each panel is drawn with the other panels hidden and cut to its own
    labels, so that no panel carries a piece of its neighbour; a panel that
    shares its y axis with the first one gets that axis's tick labels and
    label back. The panels are set side by side on white, and the PNG's
    text entry ``bpcourse-panels`` (:data:`PANELS_KEY`) lists, as JSON, each
    panel's box ``[left, top, right, bottom]`` in pixels and its title, and
    the tick labels' font size in pixels. The website's build
    (``book/_ext/course_site.py``) cuts the picture there, so that a phone
    shows the panels one under the other at a readable size.

    Parameters
    ----------
    fig : matplotlib Figure
        A figure made as one row of panels, e.g. by ``plt.subplots(1, 4)``.
    dpi : float, optional
        Resolution; the figure's own when ``None``.

    Returns
    -------
    bytes or None
        The PNG, or ``None`` when ``fig`` is not one row of at least
        :data:`FEWEST_PANELS` panels (fewer panels, a grid, a colour bar, a
        figure-wide title or legend).
    """
    import io
    import json

    from matplotlib.figure import Figure
    from PIL import Image, PngImagePlugin

    _check_instance(fig, Figure, "fig")
    axes = _panel_row(fig)
    if axes is None:
        return None
    dpi = fig.dpi if dpi is None else check_real(dpi, "dpi", positive=True)
    first = axes[0]
    size, places = fig.get_size_inches().copy(), [ax.get_position() for ax in axes]
    width = min(PANEL_INCHES, size[0] / len(axes))
    pictures, titles, tick_sizes = [], [], []
    for ax in axes:
        shares_y = ax is not first and first.get_shared_y_axes().joined(first, ax)
        restore = (ax.yaxis.get_tick_params().get("labelleft", True), ax.get_ylabel())
        if shares_y:  # plt.subplots(sharey=True) hides the inner panels' y tick labels: a lone panel needs them
            ax.tick_params(axis="y", labelleft=True)
            if not ax.get_ylabel():
                ax.set_ylabel(first.get_ylabel())
        for other in axes:
            other.set_visible(other is ax)
        fig.set_size_inches(width, size[1])
        _fill_figure(fig, ax)
        box = ax.get_tightbbox(fig.canvas.get_renderer()).transformed(fig.dpi_scale_trans.inverted())
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, bbox_inches=box.padded(0.1))
        pictures.append(Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"))
        titles.append(ax.get_title())
        labels = ax.get_xticklabels() + ax.get_yticklabels()
        tick_sizes.extend(label.get_fontsize() for label in labels if label.get_text())
        if shares_y:
            ax.tick_params(axis="y", labelleft=restore[0])
            ax.set_ylabel(restore[1])
    fig.set_size_inches(*size)
    for ax, place in zip(axes, places):
        ax.set_position(place)
        ax.set_visible(True)
    gap = round(0.1 * dpi)
    width = sum(p.width for p in pictures) + gap * (len(pictures) - 1)
    row = Image.new("RGB", (width, max(p.height for p in pictures)), "white")
    panels, left = [], 0
    for picture, title in zip(pictures, titles):
        row.paste(picture, (left, 0))
        panels.append({"box": [left, 0, left + picture.width, picture.height], "title": title})
        left += picture.width + gap
    info = PngImagePlugin.PngInfo()
    smallest = min(tick_sizes, default=0.0)  # points
    info.add_text(PANELS_KEY, json.dumps({"panels": panels, "tick_label_px": round(smallest * dpi / 72, 2)}))
    buffer = io.BytesIO()
    row.save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


#: The widest a panel of :func:`panel_row_png` is drawn, in inches: at 100 dots per inch and the
#: 342 CSS pixels of a phone's column (390 px wide), its 11-point tick labels show at 14.9 px.
PANEL_INCHES = 3.5


def _fill_figure(fig, ax, pad=0.05):
    """Place ``ax`` so that it and its labels fill ``fig`` (one axes' tight layout), ``pad`` inches free."""
    ax.set_position([0, 0, 1, 1])
    for _ in range(3):  # tick labels change with the size: settle in a few rounds
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        outer, inner = ax.get_tightbbox(renderer), ax.get_window_extent(renderer)
        width, height = fig.bbox.width, fig.bbox.height
        margin = pad * fig.dpi
        left = (inner.x0 - outer.x0 + margin) / width
        bottom = (inner.y0 - outer.y0 + margin) / height
        right = (outer.x1 - inner.x1 + margin) / width
        top = (outer.y1 - inner.y1 + margin) / height
        ax.set_position([left, bottom, max(0.05, 1 - left - right), max(0.05, 1 - bottom - top)])


def _show_panel_rows_panel_by_panel():
    """In IPython, show a row of panels as :func:`panel_row_png` draws it; any other figure as before."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    if "inline" in plt.get_backend():
        # matplotlib loads the inline backend with the first figure, and that import registers the
        # backend's own PNG printer, replacing any other: load it now, so that ours comes after it
        import matplotlib_inline.backend_inline  # noqa: F401
    formatter = shell.display_formatter.formatters["image/png"]
    previous = formatter.lookup_by_type(Figure) if Figure in formatter.type_printers else None
    if previous is None or getattr(previous, "panel_by_panel", False):
        return

    def png(fig):
        return panel_row_png(fig) or previous(fig)

    png.panel_by_panel = True
    formatter.for_type(Figure, png)


def draw_dosage_graph(highlight=None, ax=None):
    """The dosage network as a computation graph, one observation.

    Parameters
    ----------
    highlight : str, optional
        A parameter name such as ``"b3"`` or ``"w1"``: the path from the loss
        back to it is drawn in red, the factors of its chain rule (see
        :func:`bpcourse.symbolic.dosage_chain`).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.

    Returns
    -------
    matplotlib Axes
    """
    from .symbolic import DOSAGE_PATHS, node_tex

    if highlight is not None:
        check_name(highlight, DOSAGE_PATHS, "highlight")
    ax = _axes(ax, figsize=(9, 4))
    where = {
        "x": (0, 0), "w1": (0.6, 1.7), "b1": (1.4, 1.7), "w2": (0.6, -1.7), "b2": (1.4, -1.7),
        "z1": (1.4, 0.8), "z2": (1.4, -0.8), "a1": (2.8, 0.8), "a2": (2.8, -0.8),
        "w3": (3.6, 1.7), "w4": (3.6, -1.7), "b3": (4.5, 1.2), "y_hat": (4.5, 0), "y": (5.7, 1.2), "s": (5.7, 0),
    }
    edges = [("x", "z1"), ("w1", "z1"), ("b1", "z1"), ("x", "z2"), ("w2", "z2"), ("b2", "z2"),
             ("z1", "a1"), ("z2", "a2"), ("a1", "y_hat"), ("a2", "y_hat"), ("w3", "y_hat"), ("w4", "y_hat"),
             ("b3", "y_hat"), ("y_hat", "s"), ("y", "s")]
    path = ["s"] + DOSAGE_PATHS[highlight] if highlight else []
    on_path = {(path[k + 1], path[k]) for k in range(len(path) - 1)}
    for start, end in edges:
        colour, width = ("#d62728", 2.5) if (start, end) in on_path else ("0.55", 1.2)
        (x0, y0), (x1, y1) = where[start], where[end]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color=colour, lw=width, shrinkA=14, shrinkB=14))
    operations = {"z1": "x·w1 + b1", "z2": "x·w2 + b2", "a1": "softplus", "a2": "softplus",
                  "y_hat": "w3·a1 + w4·a2 + b3", "s": "(y − ŷ)²"}
    for name, (x, y) in where.items():
        parameter = name in ("w1", "w2", "w3", "w4", "b1", "b2", "b3")
        face = "#fde0c5" if parameter else ("#dbe9f6" if name in ("x", "y") else "white")
        edge = "#d62728" if name in path else "0.3"
        ax.text(x, y, f"${node_tex(name)}$", ha="center", va="center", fontsize=13, zorder=3,
                bbox=dict(boxstyle="circle,pad=0.3", fc=face, ec=edge, lw=2 if name in path else 1))
        if name in operations:
            ax.text(x, y - 0.42, operations[name], ha="center", va="top", fontsize=9, color="0.25")
    ax.set_xlim(-0.5, 6.2)
    ax.set_ylim(-2.3, 2.3)
    ax.axis("off")
    title = "computation graph of the dosage network"
    ax.set_title(title + (f": the path from s back to {highlight}" if highlight else ""))
    return ax


def plot_timeline(milestones, ax=None):
    """A timeline of :data:`bpcourse.MILESTONES`, each label placed where it overlaps no other.

    The milestones are taken in order of year. Each label (the year and who)
    goes above or below the line, at the smallest height where its box
    overlaps none of the labels already placed, on the side where that
    height is smaller; a thin stem joins it to its year. Labels sit on a
    white plate over the stems, so a stem that passes behind a label does
    not cross its text. The axes grow to hold the highest labels (the
    figure too, when this function makes it).

    Parameters
    ----------
    milestones : sequence of Milestone
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.

    Returns
    -------
    matplotlib Axes
    """
    import textwrap

    from .data import Milestone

    if not isinstance(milestones, (list, tuple)) or not milestones or not all(
            isinstance(m, Milestone) for m in milestones):
        raise TypeError(f"milestones must be a non-empty sequence of Milestone, e.g. bpcourse.MILESTONES; got "
                        f"{show_value(milestones)}")
    made_here = ax is None
    ax = _axes(ax, figsize=(9, 4.5))
    fig = ax.figure
    years = [m.year for m in milestones]
    ax.set_xlim(min(years) - 8, max(years) + 8)
    ax.axhline(0, color="0.3", lw=1.5)
    renderer = fig.canvas.get_renderer()
    gap = 3 * fig.dpi / 72  # pixels kept free around every label
    placed, reach = [], {1: 0.0, -1: 0.0}  # label boxes in pixels; points used above and below the line
    for k, m in enumerate(sorted(milestones, key=lambda m: m.year)):
        label = f"{m.year}\n" + "\n".join(textwrap.wrap(m.who, 20))
        choices = []
        for side in ((1, -1) if k % 2 == 0 else (-1, 1)):
            text = ax.annotate(label, (m.year, 0), xytext=(0, 0), textcoords="offset points", ha="center",
                               va="bottom" if side > 0 else "top", fontsize=9, zorder=3,
                               bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none"))
            for lift in np.arange(12.0, 1000.0, 3.0):  # points from the line
                text.xyann = (0, side * lift)
                box = text.get_window_extent(renderer).padded(gap)
                if not any(box.overlaps(other) for other in placed):
                    break
            choices.append((lift, side, text, text.get_window_extent(renderer)))
        lift, side, text, box = min(choices, key=lambda choice: choice[0])  # the lower of the two sides wins
        for other in choices:
            if other[2] is not text:
                other[2].remove()
        placed.append(box)
        reach[side] = max(reach[side], lift + box.height * 72 / fig.dpi)
        ax.annotate("", (m.year, 0), xytext=(0, side * lift), textcoords="offset points", zorder=1,
                    arrowprops=dict(arrowstyle="-", color="0.6", lw=1, shrinkA=0, shrinkB=0))
        ax.plot(m.year, 0, "o", color="#4c72b0", ms=7, zorder=2)
    above, below = reach[1] + 6, reach[-1] + 6  # points
    if made_here:  # room for the labels, the year axis and the title
        # rounded up to a tenth of an inch: the figure's size is printed with it (<Figure size 900x430 ...>)
        fig.set_size_inches(fig.get_size_inches()[0], np.ceil(((above + below) / 72 + 1.1) * 10) / 10)
        fig.subplots_adjust(bottom=0.7 / fig.get_size_inches()[1], top=1 - 0.4 / fig.get_size_inches()[1])
    # the line sits where the heights above and below need it; offsets in points scale with the axes' height
    ax.set_ylim(-below, above)
    ax.set_yticks([])
    ax.set_xlabel("year")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_title("From the neuron doctrine to backpropagation")
    return ax


def plot_activations(names=("relu", "sigmoid", "softplus", "tanh", "identity"), derivatives=True, z=None,
                     axes=None):
    """Each activation in a panel of its own, with its derivative in the panel below, on its own scale.

    Parameters
    ----------
    names : sequence of str
        Registry names (see :data:`bpcourse.ACTIVATIONS`).
    derivatives : bool
        Whether to draw the row of derivatives.
    z : array_like, optional
        Where to evaluate; -4 to 4 by default.
    axes : array of matplotlib Axes, optional
        ``(2, len(names))`` axes (one row without derivatives); a new figure when ``None``.

    Returns
    -------
    ndarray of matplotlib Axes
    """
    import matplotlib.pyplot as plt

    if isinstance(names, str) or not isinstance(names, (list, tuple)) or not names:
        raise TypeError(f"names must be a non-empty list of activation names; got {show_value(names)}")
    functions = [get_activation(name, f"names[{k}]") for k, name in enumerate(names)]
    if not isinstance(derivatives, bool):
        raise TypeError(f"derivatives must be True or False; got {show_value(derivatives)}")
    z = np.linspace(-4, 4, 401) if z is None else as_float_array(z, "z", ndim=1)
    rows = 2 if derivatives else 1
    if axes is None:
        _, axes = plt.subplots(rows, len(names), figsize=(2.9 * len(names), 2.6 * rows), squeeze=False)
    axes = np.asarray(axes, dtype=object)
    if axes.size != rows * len(names):
        raise ValueError(f"axes must hold {rows} x {len(names)} Axes for these names; got {axes.size}")
    axes = axes.reshape(rows, len(names))
    for ax in axes.flat:
        _axes(ax)
    for k, (name, act) in enumerate(zip(names, functions)):
        curves = [(act.function(z), f"{name}(z)", "-")]
        if derivatives:
            curves.append((act.derivative(z), f"{name}'(z)", "--"))
        for row, (values, label, style) in enumerate(curves):
            ax = axes[row, k]
            ax.plot(z, values, style, lw=2, color="#4c72b0" if row == 0 else "#d62728")
            ax.axhline(0, color="0.7", lw=0.8)
            ax.axvline(0, color="0.7", lw=0.8)
            ax.set_title(label)
            ax.set_xlabel("z")
            ax.grid(True, color="0.9")
    return axes


def draw_network(net, ax=None, input_names=None, show_weights=True, title=None, decimals=2):
    """Circles for units, arrows for weights (labelled), biases under the units.

    Parameters
    ----------
    net : MLP
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    input_names : list of str, optional
    show_weights : bool
    title : str, optional
    decimals : int
        Decimals of the weights written on the arrows.

    Returns
    -------
    matplotlib Axes
    """
    from matplotlib.patches import Circle

    check_network(net)
    sizes = net.layer_sizes
    if input_names is not None and (not isinstance(input_names, (list, tuple)) or len(input_names) != sizes[0]
                                    or not all(isinstance(n, str) for n in input_names)):
        raise TypeError(f"input_names must be a list of {sizes[0]} str (one per input); got {show_value(input_names)}")
    decimals = check_count(decimals, "decimals", minimum=0, maximum=10)
    _check_text(title, "title")
    ax = _axes(ax, figsize=(7, 4))
    positions = []
    for l, n in enumerate(sizes):
        ys = np.linspace(0.5 * (n - 1), -0.5 * (n - 1), n) if n > 1 else np.array([0.0])
        positions.append([(float(l), float(y)) for y in ys])
    for l, W in enumerate(net.weights):
        for i, (x0, y0) in enumerate(positions[l]):
            for j, (x1, y1) in enumerate(positions[l + 1]):
                ax.annotate("", xy=(x1 - 0.09, y1), xytext=(x0 + 0.09, y0),
                            arrowprops=dict(arrowstyle="->", color="0.45", lw=1))
                if show_weights:
                    t = 0.3 if len(positions[l + 1]) > 1 else 0.5
                    ax.text(x0 + t * (x1 - x0), y0 + t * (y1 - y0), f"{W[i, j]:.{decimals}f}",
                            fontsize=10, ha="center", va="center",
                            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"))
    for l, layer in enumerate(positions):
        for j, (x, y) in enumerate(layer):
            if l == 0:
                face, text = "#dbe9f6", (input_names[j] if input_names else f"x{j + 1}")
            else:
                face, text = "#fde0c5", net.activations[l - 1].name
            ax.add_patch(Circle((x, y), 0.09, fc=face, ec="0.2", zorder=3))
            ax.text(x, y + 0.15, text, ha="center", va="bottom", fontsize=10, zorder=4)
            if l > 0 and show_weights:
                ax.text(x, y - 0.15, f"b={net.biases[l - 1][j]:.{decimals}f}", ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.4, len(sizes) - 0.6)
    span = max(sizes) * 0.5
    ax.set_ylim(-span - 0.2, span + 0.2)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title or f"network {'-'.join(map(str, sizes))}")
    return ax


def plot_loss_vs_parameter(loss_of, values, tangents_at=(), slope_of=None, ax=None, name="b3",
                           loss_name="SSR", tangent_half_width=0.4):
    """A loss curve as one parameter varies, with labelled tangent lines.

    Parameters
    ----------
    loss_of : callable float -> float
    values : ndarray of shape (n,)
        Where to evaluate the curve.
    tangents_at : sequence of float
        Points where a tangent is drawn and its slope written.
    slope_of : callable float -> float
        The derivative (e.g. from backpropagation); needed for tangents.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    name, loss_name : str
        Axis labels.
    tangent_half_width : float

    Returns
    -------
    matplotlib Axes
    """
    _check_callable(loss_of, "loss_of")
    values = as_float_array(values, "values", ndim=1)
    tangents_at = _sequence(tangents_at, "tangents_at")
    if tangents_at.size and slope_of is None:
        raise ValueError("slope_of is needed to draw tangents; got None")
    if slope_of is not None:
        _check_callable(slope_of, "slope_of")
    half_width = check_real(tangent_half_width, "tangent_half_width", positive=True)
    curve = _numbers([loss_of(v) for v in values], "loss_of")
    ax = _axes(ax)
    ax.plot(values, curve, lw=2, color="#4c72b0", label=loss_name)
    for v in tangents_at:
        f, s = _numbers([loss_of(v), slope_of(v)], "loss_of and slope_of")
        xs = np.array([v - half_width, v + half_width])
        ax.plot(xs, f + s * (xs - v), color="#d62728", lw=1.5)
        ax.plot(v, f, "o", color="#d62728")
        ax.annotate(f"slope {s:.2f}", (v, f), textcoords="offset points", xytext=(6, 8), fontsize=9)
    ax.set_xlabel(name)
    ax.set_ylabel(loss_name)
    return ax


def plot_fit(net, X, y, ax=None, grid=None, label="network", xlabel="dosage", ylabel="effectiveness"):
    """A 1-input network's output curve and the observations.

    Parameters
    ----------
    net : MLP
        A network with one input and one output.
    X, y : ndarray of shape (n_samples, 1)
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    grid : array_like, optional
        Inputs where the curve is drawn.
    label, xlabel, ylabel : str

    Returns
    -------
    matplotlib Axes
    """
    check_network(net)
    if net.layer_sizes[0] != 1 or net.layer_sizes[-1] != 1:
        raise ValueError(f"net must have one input and one output to be drawn as a curve; got layer sizes "
                         f"{net.layer_sizes}")
    X, y = check_data(net, X, y)
    grid = np.linspace(X.min(), X.max(), 201) if grid is None else as_float_array(grid, "grid", ndim=1)
    ax = _axes(ax)
    ax.plot(grid, net.forward(grid.reshape(-1, 1))[:, 0], lw=2, label=label)
    ax.plot(np.ravel(X), np.ravel(y), "o", ms=8, color="#2ca02c", label="observations")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=9)
    return ax


def plot_loss_curve(history, ax=None, label=None, log=True):
    """Loss per epoch of a :class:`~bpcourse.training.History` (or an array of losses).

    Parameters
    ----------
    history : History or array_like
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    label : str, optional
    log : bool
        Logarithmic loss axis.

    Returns
    -------
    matplotlib Axes
    """
    from .training import History

    losses = history.losses if isinstance(history, History) else as_float_array(history, "history", ndim=1)
    ax = _axes(ax)
    ax.plot(np.arange(len(losses)), losses, lw=2, label=label)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    if label:
        ax.legend(fontsize=9)
    return ax


def plot_decision_boundary(net, X, y, ax=None, points=None, reference_line=None, resolution=200):
    """Class regions of a 2-input network (output > 0.5) with the data on top.

    Parameters
    ----------
    net : MLP
        A network with two inputs and one output.
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples, 1)
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    points : ndarray of shape (n, 2), optional
        Marked as stars.
    reference_line : (a0, a1, c), optional
        Draws the line ``a0 * x0 + a1 * x1 = c`` dotted, e.g. the rule that made the labels.
    resolution : int

    Returns
    -------
    matplotlib Axes
    """
    check_network(net)
    if net.layer_sizes[0] != 2 or net.layer_sizes[-1] != 1:
        raise ValueError(f"net must have two inputs and one output to draw its decision boundary; got layer "
                         f"sizes {net.layer_sizes}")
    X, y = check_data(net, X, y)
    if points is not None:
        points = as_float_array(points, "points", ndim=2)
        if points.shape[1] != 2:
            raise ValueError(f"points must have shape (n, 2); got {points.shape}")
    if reference_line is not None:
        reference_line = _sequence(reference_line, "reference_line")
        if reference_line.shape != (3,) or not np.isfinite(reference_line).all() or not reference_line[:2].any():
            raise ValueError(f"reference_line must be three finite numbers (a0, a1, c), a0 and a1 not both 0; "
                             f"got {show_value(reference_line.tolist())}")
    resolution = check_count(resolution, "resolution", minimum=2, maximum=2000)
    ax = _axes(ax, figsize=(7.5, 5))
    pad = 0.5
    x0 = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, resolution)
    x1 = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, resolution)
    g0, g1 = np.meshgrid(x0, x1)
    p = net.forward(np.column_stack([g0.ravel(), g1.ravel()]))[:, 0].reshape(g0.shape)
    ax.contourf(g0, g1, p, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35)
    ax.contour(g0, g1, p, levels=[0.5], colors="k", linewidths=2)
    ax.plot([], [], color="k", lw=2, label="network output = 0.5")
    labels = np.ravel(y) > 0.5
    ax.scatter(X[labels, 0], X[labels, 1], s=10, c="#d62728", label="label 1")
    ax.scatter(X[~labels, 0], X[~labels, 1], s=10, c="#1f77b4", marker="s", label="label 0")
    if reference_line is not None:
        a0, a1, c = reference_line
        if a1 != 0:
            ax.plot(x0, (c - a0 * x0) / a1, ":", color="0.2", lw=1.5, label=f"{a0:g}·x0 + {a1:g}·x1 = {c:g}")
        else:
            ax.axvline(c / a0, ls=":", color="0.2", lw=1.5, label=f"x0 = {c / a0:g}")
    if points is not None:
        ax.scatter(points[:, 0], points[:, 1], s=120, marker="*", c="gold", edgecolors="k", zorder=5,
                   label="test points")
    ax.set_xlim(x0[0], x0[-1])
    ax.set_ylim(x1[0], x1[-1])
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.set_aspect("equal")
    ax.legend(fontsize=9, loc="upper left", bbox_to_anchor=(1.02, 1.0))
    return ax


def plot_lr_sweep(result, ax=None, title=None):
    """Final loss against learning rate (log axis), coloured by verdict.

    Parameters
    ----------
    result : SweepResult
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    from .lr_search import SweepResult

    _check_instance(result, SweepResult, "result")
    _check_text(title, "title")
    ax = _axes(ax)
    ax.plot(result.learning_rates, result.final_losses, color="0.6", lw=1, zorder=1)
    for verdict, colour in VERDICT_COLOURS.items():
        mask = np.array(result.verdicts) == verdict
        if mask.any():
            ax.scatter(result.learning_rates[mask], result.final_losses[mask], c=colour, s=40, zorder=2,
                       marker=VERDICT_MARKERS[verdict], label=verdict)
    ax.axhline(result.initial_loss, color="0.4", ls=":", lw=1, label="starting loss")
    ax.axhline(result.target, color="#2ca02c", ls="--", lw=1, label="target")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel(f"loss after {result.epochs} epochs")
    ax.legend(fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def plot_lr_range_test(result, ax=None, title=None):
    """Loss (raw and smoothed) against the growing learning rate, with the suggested range shaded.

    Parameters
    ----------
    result : RangeTestResult
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    from .lr_search import RangeTestResult

    _check_instance(result, RangeTestResult, "result")
    _check_text(title, "title")
    ax = _axes(ax)
    ax.plot(result.learning_rates, result.losses, color="0.7", lw=1, label="loss")
    ax.plot(result.learning_rates, result.smoothed, color="#4c72b0", lw=2, label="smoothed")
    if result.suggested_range is not None:
        low, high = result.suggested_range
        ax.axvspan(low, high, color="#2ca02c", alpha=0.2, label="suggested range")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate (grows every step)")
    ax.set_ylabel("loss")
    ax.legend(fontsize=9)
    if title:
        ax.set_title(title)
    return ax


def descent_animation(path, loss_of, values=None, name="b3", loss_name="SSR", interval=400):
    """A matplotlib animation of a point rolling down a 1-D loss curve.

    Parameters
    ----------
    path : DescentPath
        Each frame shows one of its values, and the step taken from it.
    loss_of : callable float -> float
    values : array_like, optional
        Where the curve is drawn.
    name, loss_name : str
        Axis labels.
    interval : int
        Milliseconds per frame.

    Returns
    -------
    matplotlib.animation.FuncAnimation
    """
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation

    from .training import DescentPath

    _check_instance(path, DescentPath, "path")
    _check_callable(loss_of, "loss_of")
    interval = check_count(interval, "interval", maximum=60_000)
    v = path.values
    if values is not None:
        values = as_float_array(values, "values", ndim=1)
    else:
        lo, hi = float(v.min()), float(v.max())
        values = np.linspace(lo - 0.5 - 0.2 * (hi - lo), hi + 0.5 + 0.2 * (hi - lo), 200)
    fig, ax = plt.subplots(figsize=(6, 4))
    curve = _numbers([loss_of(x) for x in values], "loss_of")
    ax.plot(values, curve, lw=2, color="#4c72b0")
    trail, = ax.plot([], [], "o-", color="0.6", ms=4, lw=1)
    point, = ax.plot([], [], "o", color="#d62728", ms=10)
    text = ax.text(0.03, 0.95, "", transform=ax.transAxes, va="top", fontsize=10)
    ax.set_xlabel(name)
    ax.set_ylabel(loss_name)
    ax.set_title(f"gradient descent on {name}, learning rate {path.learning_rate:g}")
    losses = _numbers([loss_of(x) for x in v], "loss_of")

    def draw(k):
        trail.set_data(v[: k + 1], losses[: k + 1])
        point.set_data([v[k]], [losses[k]])
        step = f", next step {path.step_sizes[k]:+.3f}" if k < path.n_steps else " (stopped)"
        text.set_text(f"step {k}: {name} = {v[k]:.3f}{step}")
        return trail, point, text

    animation = FuncAnimation(fig, draw, frames=len(v), interval=interval, blit=False)
    plt.close(fig)
    return animation


def animation_gif(animation, fps=3, dpi=80):
    """Render an animation to GIF bytes (Pillow), to show in a page without a kernel.

    Parameters
    ----------
    animation : matplotlib.animation.Animation
    fps : int
    dpi : int

    Returns
    -------
    bytes
    """
    import os
    import tempfile

    from matplotlib.animation import Animation, PillowWriter

    _check_instance(animation, Animation, "animation")
    fps = check_count(fps, "fps", maximum=100)
    dpi = check_count(dpi, "dpi", maximum=600)
    with tempfile.TemporaryDirectory() as folder:
        target = os.path.join(folder, "animation.gif")
        animation.save(target, writer=PillowWriter(fps=fps), dpi=dpi)
        with open(target, "rb") as handle:
            return handle.read()


def draw_dosage_fit(ax=None, **parameters):
    """The dosage network's curve for the given parameters, with its SSR in the title.

    Chapter 2's slider widget redraws this figure.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    **parameters : float
        Replace starting parameters by name (see :func:`bpcourse.dosage_network`).

    Returns
    -------
    matplotlib Axes
    """
    from .data import dosage_data, dosage_network, dosage_ssr

    net = dosage_network(**parameters)  # checks the names and values
    X, y = dosage_data()
    ax = plot_fit(net, X, y, ax=ax)
    ax.set_ylim(-3.5, 2)
    ax.set_title(f"SSR = {dosage_ssr(**parameters):.3f}")
    return ax


def draw_descent(path, loss_of, values, ax=None, name="b3", loss_name="SSR"):
    """A run of :func:`~bpcourse.descend_1d` drawn as points on the loss curve (chapter 5).

    Parameters
    ----------
    path : DescentPath
        The run, e.g. ``bpcourse.descend_1d(slope, 0.0, 0.1, steps=12)``.
    loss_of : callable float -> float
        The loss as a function of the parameter.
    values : array_like of shape (n,)
        Where the curve is drawn; the axes show this range and the curve's
        height over it, so points of a run that leaves it fall outside.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    name, loss_name : str
        Axis labels.

    Returns
    -------
    matplotlib Axes
    """
    from .training import DescentPath

    _check_instance(path, DescentPath, "path")
    values = as_float_array(values, "values", ndim=1)
    ax = plot_loss_vs_parameter(loss_of, values, ax=ax, name=name, loss_name=loss_name)
    curve = _numbers([loss_of(v) for v in values], "loss_of")
    ax.plot(path.values, _numbers([loss_of(v) for v in path.values], "loss_of"), "o-", color="#d62728", ms=5)
    ax.set_xlim(values.min(), values.max())
    ax.set_ylim(min(0.0, float(np.min(curve))), float(np.max(curve)))
    ax.set_title(f"learning rate {path.learning_rate:g}: {name} = {path.final_value:.3f} after {path.n_steps} steps")
    return ax


def draw_graph(output, ax=None, title=None):
    """The computation graph an :class:`~bpcourse.autograd.Value` recorded, inputs left, output right.

    Each node shows its label (or operation), its value and its gradient;
    call ``output.backward()`` first to see the gradients.

    Parameters
    ----------
    output : bpcourse.autograd.Value
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.
    title : str, optional

    Returns
    -------
    matplotlib Axes
    """
    from .autograd import Value

    if not isinstance(output, Value):
        raise TypeError(f"output must be a bpcourse.autograd.Value; got {type(output).__name__}")
    order = output.graph()
    if len(order) > 60:
        raise ValueError(f"the graph has {len(order)} nodes; draw_graph draws at most 60")
    depth = {}
    for node in order:  # inputs come first, so every parent already has its depth
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    for node in reversed(order):  # a leaf sits just left of the first node that uses it
        for parent in node.parents:
            if not parent.parents:
                depth[id(parent)] = min(depth[id(parent)] or depth[id(node)] - 1, depth[id(node)] - 1)
    columns = {}
    for node in order:
        columns.setdefault(depth[id(node)], []).append(node)
    where = {}
    for d, nodes in columns.items():
        for k, node in enumerate(nodes):
            where[id(node)] = (d * 2.4, (len(nodes) - 1) / 2 - k)
    ax = _axes(ax, figsize=(2.2 * (max(columns) + 1) + 1, 1.3 * max(len(n) for n in columns.values()) + 1))
    for node in order:
        for parent in node.parents:
            (x0, y0), (x1, y1) = where[id(parent)], where[id(node)]
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                        arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.2, shrinkA=32, shrinkB=34))
    for node in order:
        x, y = where[id(node)]
        name = node.label or node.operation or "constant"
        leaf = not node.parents
        ax.text(x, y, f"{name}\ndata {node.data:.4g}\ngrad {node.grad:.4g}", ha="center", va="center",
                fontsize=10, zorder=3,
                bbox=dict(boxstyle="round,pad=0.4", fc="#fde0c5" if leaf else "#dbe9f6", ec="0.3"))
    xs = [p[0] for p in where.values()]
    ys = [p[1] for p in where.values()]
    ax.set_xlim(min(xs) - 1.2, max(xs) + 1.2)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.axis("off")
    ax.set_title(title or "computation graph: inputs (orange) to output, with values and gradients")
    return ax


def draw_curvature_run(history, largest_eigenvalue, ax=None):
    """A run's loss per epoch, titled with the curvature where it ends and the rate's limit (chapter 6).

    Parameters
    ----------
    history : History
        A run of :func:`~bpcourse.gradient_descent` (the dosage network's, in chapter 6).
    largest_eigenvalue : float or None
        The largest eigenvalue of the loss's Hessian at the parameters where
        the run ended (see :func:`bpcourse.symbolic.dosage_hessian_function`);
        ``None`` for a run that diverged.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when ``None``.

    Returns
    -------
    matplotlib Axes
    """
    from .training import History

    _check_instance(history, History, "history")
    if largest_eigenvalue is not None:
        largest_eigenvalue = check_real(largest_eigenvalue, "largest_eigenvalue")
    elif not history.diverged:
        raise ValueError("largest_eigenvalue is needed for a run that did not diverge; got None")
    ax = plot_loss_curve(history, ax=ax)
    ax.set_ylabel("SSR")
    ax.set_ylim(1e-12, 1e6)
    rate = history.learning_rate
    end = "diverged" if history.diverged else f"ends with lambda_max {largest_eigenvalue:.1f}"
    ax.set_title(f"rate {rate:g}: {end}; 2/rate = {2 / rate:.1f}")
    return ax


def _sequence(value, argument):
    """A few numbers (tangent points, a line's coefficients) as a 1-D float array; ``()`` gives an empty one."""
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return np.zeros(0)
    return as_float_array(value, argument, ndim=1)


def _numbers(values, argument):
    """What a caller's function returned, as a float array, or a clear error."""
    try:
        array = np.array(values, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"{argument} must return real numbers; got {show_value(values)}") from None
    return array
