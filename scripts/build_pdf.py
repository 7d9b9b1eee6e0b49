"""Print the whole course to one PDF: _build/html/bpcourse.pdf (`make book` runs this).

Jupyter Book's own PDF builder downloads a browser of its own, which this
project's machines cannot fetch. Instead: build the book as one HTML page
(Sphinx's singlehtml builder), open it in Debian's Chromium through
Playwright and print it with a clickable outline. Every formula is already
HTML (KaTeX renders them when the site is built), so nothing waits for a
typesetter. The course's print stylesheet (book/_static/course.css)
hides the buttons, the answer boxes and the slider controls; every figure
and every solution stays.

Without Chromium the PDF is skipped with a message, except under CI
(environment variable CI set), where that is an error.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "_build" / "html" / "bpcourse.pdf"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


def main():
    chromium = os.environ.get("BPCOURSE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        message = "no PDF: Chromium is not installed (Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            sys.exit(message)
        print(message)
        return
    subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT), "--builder", "custom",
                    "--custom-builder", "singlehtml", "--warningiserror", "--keep-going", "--quiet"], check=True)
    # The root page, holding every chapter, is written to book/intro.html, but its links to
    # _static/ and _images/ are relative to the output folder: read it from there.
    built = ROOT / "_build" / "singlehtml"
    page = built / "whole-course.html"
    text = (built / "book" / "intro.html").read_text(encoding="utf-8")
    # Cross-references point at the page under its own name; in the PDF they are links inside it.
    text = text.replace('href="book/intro.html#', 'href="#')
    page.write_text(text, encoding="utf-8")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        tab = browser.new_page()
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        tab.evaluate("() => document.fonts.ready.then(() => true)")  # KaTeX's fonts, from disk
        tab.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=30_000)
        tab.emulate_media(media="print")
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        tab.pdf(path=str(TARGET), format="A4", outline=True, tagged=True, print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"})
        browser.close()
    print(f"The whole course as one PDF: {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
