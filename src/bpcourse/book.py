"""Small tools the chapters use to show results on the page.

:func:`glue` hands a computed number to the page's prose (myst-nb's
``{glue:text}`` role), so text and code cannot drift apart. It records
only when the chapter is run for the website (:func:`for_website`); in a
learner's kernel the numbers are already written into the learner
notebook's text, so it does nothing. :func:`equation` typesets SymPy results, and
:func:`answer_box` gives an exercise a box that the website checks in the
page, without a kernel.
"""

from __future__ import annotations

import os

__all__ = ["glue", "equation", "answer_box", "AnswerBox", "for_website", "progress"]

#: Set to "1" while a chapter is run to be saved for the website (``make notebooks``, and nbval
#: through ``book/conftest.py``); a learner's kernel does not have it.
WEBSITE_VARIABLE = "BPCOURSE_WEBSITE"


def for_website():
    """Whether the chapter is being run to be saved for the website, rather than by a learner.

    ``make notebooks`` runs the chapters with the environment variable
    ``BPCOURSE_WEBSITE=1`` and saves what they show; the website is built from
    those saved outputs. Work that only the website uses (the glued numbers,
    the slider frames) is done then and skipped in a learner's kernel, where
    nobody would see it.

    Returns
    -------
    bool
    """
    return os.environ.get(WEBSITE_VARIABLE) == "1"


def glue(name, value, display=False):
    """Record ``value`` under ``name`` for the page's text.

    Parameters
    ----------
    name : str
        The name the page's ``{glue:text}`` role uses.
    value : object
        A number (NumPy scalars are turned into Python ones) or any object myst-nb can show.
    display : bool
        Whether the cell shows the value too.

    Returns
    -------
    None
        So that a cell ending in ``glue(...)`` shows no output.
    """
    if not for_website():  # a learner's kernel: the numbers are already in the text, skip the toolchain's import
        return
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # not building the book: nothing to record
        return
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # np.float64(1.5) -> 1.5, so the page can format it
    myst_glue(name, value, display=display)


def progress(steps, description):
    """A progress bar for a long loop, shown only in a learner's kernel.

    Run for the website (:func:`for_website`), outside a Jupyter kernel, or
    without ``ipywidgets``, it shows nothing, so saved chapters and scripts
    are unchanged. In a kernel the bar fills as the loop advances and
    disappears when the last step is done.

    Parameters
    ----------
    steps : int
        How many steps the loop takes.
    description : str
        What the bar says, e.g. ``"learning-rate sweep"``.

    Returns
    -------
    callable
        Call it with no argument after each step.
    """
    def nothing():
        return None

    if for_website() or steps < 2:
        return nothing
    try:
        from IPython import get_ipython
        import ipywidgets as widgets
    except ImportError:
        return nothing
    shell = get_ipython()
    if shell is None or not getattr(shell, "kernel", None):  # a terminal or a script: no bar
        return nothing
    from IPython.display import display

    bar = widgets.IntProgress(value=0, min=0, max=steps, description=description,
                              style={"description_width": "initial"})
    display(bar)

    def step():
        bar.value += 1
        if bar.value >= steps:
            bar.close()

    return step


def equation(*sides):
    """Typeset ``side = side = ...`` in a notebook.

    Parameters
    ----------
    *sides : str or sympy.Basic
        LaTeX strings or SymPy expressions (turned into LaTeX with
        ``sympy.latex``), e.g. ``equation(r"\\hat{y}(x)", formula)``.

    Returns
    -------
    IPython.display.Math
    """
    import sympy as sp
    from IPython.display import Math

    return Math(" = ".join(side if isinstance(side, str) else sp.latex(side) for side in sides))


class AnswerBox:
    """An answer box for the static website, checked in the page with the exercise's own answer and tolerance.

    Made by :func:`answer_box`; shown in a notebook, it renders as HTML. The
    website's script (``book/_static/course.js``) makes it work: for a
    number it only compares the typed value with the intervals in ``spec``,
    which Python computed (:func:`bpcourse.checks.number_bands`), so the page
    and :func:`bpcourse.check` give the same verdict. Every piece of author
    text is escaped; the spec travels base64-encoded. The box's label reads
    "Your answer"; on the website the script adds which exercise or question
    it answers, as the page numbers it ("Your answer to Exercise 3.4"): the
    numbers are given by the book's build, after the chapter has run.

    Parameters
    ----------
    label : str
        The exercise's label.
    spec : dict
        What the page needs to check an answer (made by :func:`answer_box`).
    """

    def __init__(self, label, spec):
        self.label, self.spec = str(label), spec

    def _repr_html_(self):
        import base64
        import json
        import re
        from html import escape

        label = escape(self.label, quote=True)
        # an id the page can use: letters, digits and dashes only
        element = "bpab-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.label)
        spec = self.spec
        # The page needs the answer to check one, but it should not show it to a reader who scrolls
        # past: the exercise's data travel base64-encoded, and only the page's script decodes them.
        encoded = base64.b64encode(json.dumps(spec).encode("ascii")).decode("ascii")
        if spec["kind"] == "choice":
            choices = "".join(
                f'<label><input type="radio" name="{element}-choice" value="{escape(option, quote=True)}"> '
                f"{escape(option)}</label> " for option in spec["options"])
            field = f"<fieldset><legend>Your answer: pick one</legend>{choices}</fieldset>"
        else:
            field = (f'<label for="{element}-input">Your answer ({escape(spec["precision"])})</label> '
                     f'<input type="text" id="{element}-input" inputmode="decimal" autocomplete="off" size="14">')
        return (
            f'<div class="bp-answer-box" id="{element}" data-label="{label}">'
            f'<form>{field} <button type="submit">Check</button></form>'
            f'<p class="bp-answer-feedback" role="status" aria-live="polite"></p>'
            f'<p class="bp-answer-note">Checked in this page; in a running notebook, use the '
            f'<code>bpcourse.check</code> cell instead.</p>'
            f'<script type="text/plain" class="bp-answer-spec">{encoded}</script>'
            "</div>"
        )

    def __repr__(self):
        return f"AnswerBox({self.label!r})"


def answer_box(label):
    """An answer box for the exercise ``label``, for readers of the website.

    The right answer, the precision and the named mistakes come from
    :data:`bpcourse.exercises.EXERCISES`, the same source as
    :func:`bpcourse.check`: for a number, the box receives the intervals of
    :meth:`~bpcourse.exercises.Exercise.bands` (the right answer's, then
    each named mistake's) and the messages for a number outside them; for a
    choice, the options and what each wrong one means. The page also keeps
    the learner's progress (which boxes were answered correctly) in the
    browser's ``localStorage``; nothing is sent anywhere.

    Parameters
    ----------
    label : str
        A number or choice exercise's label.

    Returns
    -------
    AnswerBox

    Raises
    ------
    ValueError
        If ``label`` is unknown or its exercise needs code (an expression, a function, an array).
    """
    from .checks import number_otherwise
    from .exercises import EXERCISES

    exercise = EXERCISES.get(label) if isinstance(label, str) else None
    if exercise is None:
        shown = repr(label) if isinstance(label, str) else type(label).__name__
        raise ValueError(f"label={shown[:60]} is not an exercise; known: {', '.join(sorted(EXERCISES))}")
    boxed = sum(1 for e in EXERCISES.values() if e.kind in ("number", "choice"))
    if exercise.kind == "number":
        # The page checks to `digits` significant digits; five more are plenty, and fewer than 17 keep
        # the processor's last bits (which differ between machines) out of the saved page. The bands are
        # rounded the same way by number_bands itself, so the kernel's check uses the very same numbers.
        def kept(value):
            return float(f"{float(value):.{exercise.digits + 5}g}")

        spec = {"kind": "number", "label": label, "name": exercise.name, "right": kept(exercise.solution()),
                "digits": exercise.digits, "integer": exercise.integer, "precision": exercise.precision,
                "mistakes": [[text, kept(value)] for text, value in exercise.typical_mistakes().items()],
                "bands": exercise.bands(), "otherwise": number_otherwise(exercise.name, exercise.integer),
                "course_total": boxed}
    elif exercise.kind == "choice":
        spec = {"kind": "choice", "label": label, "name": exercise.name, "right": exercise.solution(),
                "options": list(exercise.options), "hints": dict(exercise.hints), "course_total": boxed}
    else:
        raise ValueError(f"exercise {label!r} is answered with code ({exercise.kind}); it has no answer box")
    return AnswerBox(label, spec)
