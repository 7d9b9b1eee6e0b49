"""Shared helpers for the tests of the built website (``_build/html``).

The website tests need the site built by ``make book``; ``make test`` builds
it first. Run alone, they skip with a message when the site or the browser is
missing, except under CI (environment variable ``CI`` set), where a missing
piece fails the run: there these tests must never be skipped.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
CHAPTERS = sorted(p.stem for p in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
PAGES = ["intro"] + CHAPTERS
CHROMIUM = os.environ.get("BPCOURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
# Flags that keep Chromium from calling home on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(condition, reason):
    """Skip locally, fail under CI."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


def require_site():
    require((SITE / "book" / "intro.html").exists(), "the website is not built: run `make book` first")


def page_path(page):
    return SITE / "book" / f"{page}.html"
