"""Print the whole course to one PDF: _build/html/bpcourse.pdf (`make book` runs this).

Jupyter Book's own PDF builder downloads a browser of its own, which this
project's machines cannot fetch. Instead: build the book as one HTML page
(Sphinx's singlehtml builder), open it in Debian's Chromium through
Playwright and print it with a clickable outline. Every formula is already
HTML (KaTeX renders them when the site is built), so nothing waits for a
typesetter. The course's print stylesheet (book/_static/course.css)
hides the buttons, the answer boxes and the slider controls; every figure
and every solution stays.

Before printing, two scripts run in the page: each chapter's solutions move
to the end of that chapter (the website keeps them folded under their
exercises; a reader on paper should not see an answer next to its question),
and a formula, table or output wider than the printed text is scaled down to
fit it instead of being cut.

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
# A4 minus the margins below (14 mm each side), in CSS pixels: the width every block must fit
PRINT_WIDTH_PX = round((210 - 2 * 14) / 25.4 * 96)

SOLUTIONS_AT_THE_END = """() => {
  let moved = 0;
  document.querySelectorAll('span[id^="document-book/"] + section').forEach(chapter => {
    const solutions = Array.from(chapter.querySelectorAll('div.solution'));
    if (!solutions.length) { return; }
    const end = document.createElement('section');
    end.className = 'bp-print-solutions';
    const heading = document.createElement('h3');
    heading.textContent = 'Solutions';
    end.appendChild(heading);
    solutions.forEach(solution => { end.appendChild(solution); moved += 1; });
    chapter.appendChild(end);
  });
  return moved;
}"""

FIT_TO_THE_PAGE = """() => {
  const wide = document.querySelectorAll(
    'article div.math, article .katex-display, article table, article div.cell_output pre, article .output_html');
  let scaled = 0;
  wide.forEach(block => {
    const need = block.scrollWidth, have = block.clientWidth;
    if (have > 0 && need > have + 1) { block.style.zoom = String(have / need); scaled += 1; }
  });
  return scaled;
}"""

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
        tab = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        tab.evaluate("() => document.fonts.ready.then(() => true)")  # KaTeX's fonts, from disk
        tab.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=30_000)
        tab.emulate_media(media="print")
        tab.evaluate(SOLUTIONS_AT_THE_END)
        tab.evaluate(FIT_TO_THE_PAGE)
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        tab.pdf(path=str(TARGET), format="A4", outline=True, tagged=True, print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"})
        browser.close()
    print(f"The whole course as one PDF: {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
