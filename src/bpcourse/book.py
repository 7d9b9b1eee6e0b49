"""Small helpers the chapters use to show results on the page.

:func:`glue` hands a computed number to the page's prose (myst-nb's
``{glue:text}`` role), so text and code cannot drift apart. Outside the book
toolchain, e.g. on Colab, myst-nb may be missing; then nothing is recorded
and the chapter still runs. :func:`equation` typesets SymPy results.
"""

from __future__ import annotations

__all__ = ["glue", "equation"]


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
