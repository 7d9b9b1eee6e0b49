"""Small helpers the chapters use to show results on the page.

:func:`glue` hands a computed number to the page's prose (myst-nb's
``{glue:text}`` role), so text and code cannot drift apart. Outside the book
toolchain, e.g. on Colab, myst-nb may be missing; then nothing is recorded
and the chapter still runs. :func:`equation` typesets SymPy results, and
:func:`answer_box` gives an exercise a box that the website checks in the
page, without a kernel.
"""

from __future__ import annotations

__all__ = ["glue", "equation", "answer_box", "AnswerBox"]


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
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # not building the book: nothing to record
        return
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # np.float64(1.5) -> 1.5, so the page can format it
    myst_glue(name, value, display=display)


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


_ANSWER_SCRIPT = """
(function () {
  var root = document.getElementById(%(id)s);
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "yes";
  var spec = JSON.parse(atob(root.querySelector("script.bp-answer-spec").textContent));
  var field = root.querySelector("input[type=text]");
  var said = root.querySelector("[aria-live]");
  function tolerance(value, digits) {
    if (value === 0) { return 0.5 * Math.pow(10, -digits); }
    var last = Math.floor(Math.log10(Math.abs(value))) - digits + 1;
    return 0.5 * Math.pow(10, last) * (1 + 1e-9) + 1e-12 * Math.abs(value);
  }
  function judge(text) {
    var cleaned = text.trim().replace(/\\u2212/g, "-");
    if (spec.kind === "choice") {
      var picked = root.querySelector("input[type=radio]:checked");
      if (!picked) { return [false, "Not yet: pick one of the options."]; }
      if (picked.value === spec.right) { return [true, "Correct: " + spec.name + " is " + spec.right + "."]; }
      return [false, "Not yet: " + spec.name + " is not " + picked.value + ": " +
              (spec.hints[picked.value] || "look at the numbers again") + "."];
    }
    if (cleaned === "") { return [false, "Not yet: type a number first."]; }
    if (!/^[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?$/.test(cleaned)) {
      return [false, "Not yet: \\u201c" + text + "\\u201d is not a number; type digits, e.g. -1.23 or 4.5e-3."];
    }
    var value = Number(cleaned), right = spec.right, tol = tolerance(right, spec.digits);
    if (Math.abs(value - right) <= tol) { return [true, "Correct: " + spec.name + " = " + cleaned + "."]; }
    var best = null;
    spec.mistakes.forEach(function (m) {
      var gap = Math.abs(value - m[1]);
      if (gap <= tolerance(m[1], spec.digits) && (best === null || gap < best[0])) { best = [gap, m[0]]; }
    });
    if (best) { return [false, "Not yet: " + spec.name + " = " + cleaned + ": " + best[1] + "."]; }
    if (spec.digits > 1 && Math.abs(value - right) <= tolerance(right, spec.digits - 1)) {
      return [false, "Not yet: " + cleaned + " is close, but not right to " + spec.digits + " significant digits."];
    }
    if (right !== 0 && Math.abs(value + right) <= tol) {
      return [false, "Not yet: " + cleaned + " has the right size but the wrong sign."];
    }
    if (right !== 0 && (Math.abs(value - 2 * right) <= 2 * tol || Math.abs(2 * value - right) <= tol)) {
      return [false, "Not yet: " + cleaned + " is off by a factor of 2."];
    }
    return [false, "Not yet: " + cleaned + " is not what we get; check each step again."];
  }
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var verdict = judge(field ? field.value : "");
    said.textContent = verdict[1];
    root.dataset.verdict = verdict[0] ? "correct" : "wrong";
  });
})();
"""


class AnswerBox:
    """An answer box for the static website, checked in the page with the exercise's own answer and tolerance.

    Made by :func:`answer_box`; shown in a notebook, it renders as HTML.
    """

    def __init__(self, label, spec):
        self.label, self.spec = label, spec

    def _repr_html_(self):
        import base64
        import html as html_text
        import json

        element = f"bpab-{self.label}"
        spec = self.spec
        # The page needs the answer to check one, but it should not show it to a reader who scrolls
        # past: the exercise's data travel base64-encoded, and only the page's script decodes them.
        encoded = base64.b64encode(json.dumps(spec).encode("ascii")).decode("ascii")
        if spec["kind"] == "choice":
            choices = "".join(
                f'<label><input type="radio" name="{element}-choice" value="{html_text.escape(option)}"> '
                f"{html_text.escape(option)}</label> " for option in spec["options"])
            field = f'<fieldset><legend>Your answer to exercise {self.label}</legend>{choices}</fieldset>'
        else:
            field = (f'<label for="{element}-input">Your answer ({spec["digits"]} significant digits)</label> '
                     f'<input type="text" id="{element}-input" inputmode="decimal" autocomplete="off" size="14">')
        return (
            f'<div class="bp-answer-box" id="{element}">'
            f'<form>{field} <button type="submit">Check</button></form>'
            f'<p class="bp-answer-feedback" role="status" aria-live="polite"></p>'
            f'<p class="bp-answer-note">Checked in this page; in a running notebook, use the '
            f'<code>bpcourse.check</code> cell instead.</p>'
            f'<script type="text/plain" class="bp-answer-spec">{encoded}</script>'
            f"<script>{_ANSWER_SCRIPT % {'id': json.dumps(element)}}</script>"
            "</div>"
        )

    def __repr__(self):
        return f"AnswerBox({self.label!r})"


def answer_box(label):
    """An answer box for the exercise ``label``, for readers of the website.

    The right answer, the precision and the named mistakes come from
    :data:`bpcourse.exercises.EXERCISES`, the same source as
    :func:`bpcourse.check`, and the page checks typed answers with the same
    rules: within half a unit of the last significant digit asked for, the
    exercise's typical mistakes named, a wrong sign or a factor of 2 pointed
    out.

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
    from .exercises import EXERCISES

    exercise = EXERCISES.get(label) if isinstance(label, str) else None
    if exercise is None:
        raise ValueError(f"label={label!r} is not an exercise; known: {sorted(EXERCISES)}")
    if exercise.kind == "number":
        # The page checks to `digits` significant digits; five more are plenty, and fewer than 17 keep
        # the processor's last bits (which differ between machines) out of the saved page.
        def kept(value):
            return float(f"{float(value):.{exercise.digits + 5}g}")

        spec = {"kind": "number", "name": exercise.name, "right": kept(exercise.solution()),
                "digits": exercise.digits,
                "mistakes": [[text, kept(value)] for text, value in exercise.typical_mistakes().items()]}
    elif exercise.kind == "choice":
        spec = {"kind": "choice", "name": exercise.name, "right": exercise.solution(),
                "options": list(exercise.options), "hints": dict(exercise.hints)}
    else:
        raise ValueError(f"exercise {label!r} is answered with code ({exercise.kind}); it has no answer box")
    return AnswerBox(label, spec)
