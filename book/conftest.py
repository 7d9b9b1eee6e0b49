"""Strict nbval on the chapters checks what the website shows.

The chapters are saved by ``make notebooks`` with ``BPCOURSE_WEBSITE=1``, so
their outputs hold the website's glued numbers and slider frames
(:func:`bpcourse.book.for_website`). nbval's kernels inherit this process's
environment: run them the same way, whoever starts pytest on ``book/``.
"""

import os

os.environ["BPCOURSE_WEBSITE"] = "1"
