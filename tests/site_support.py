"""Shared helpers for the tests of the built website (``_build/html``).

The website tests need the site built by ``make book``; ``make test`` builds
it first. Run alone, they skip with a message when the site or the browser is
missing, except under CI (environment variable ``CI`` set), where a missing
piece fails the run: there these tests must never be skipped.
"""

import os
import shutil
import subprocess
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


def clean_export(target):
    """Copy what git tracks, plus new files git does not ignore, as they are in the work tree."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target
