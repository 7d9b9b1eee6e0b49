"""Small helpers the chapters share with the website build.

:func:`glue` hands a computed number to the page's prose (myst-nb's
``{glue:text}`` role), so text and code cannot drift apart. Outside the book
toolchain, e.g. on Colab, myst-nb may be missing; then nothing is recorded
and the chapter still runs.
"""

from __future__ import annotations

__all__ = ["glue"]


def glue(name, value, display=False):
    """Record ``value`` under ``name`` for the page's text.

    Returns nothing, so that a cell ending in ``glue(...)`` shows no output.
    """
    try:
        from myst_nb import glue as myst_glue
    except ImportError:  # not building the book: nothing to record
        return
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # np.float64(1.5) -> 1.5, so the page can format it
    myst_glue(name, value, display=display)
