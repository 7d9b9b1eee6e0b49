"""Print the whole course to one PDF: _build/html/bpcourse.pdf (`make book` runs this).

Jupyter Book's own PDF builder downloads a browser of its own, which this
project's machines cannot fetch. Instead: build the book as one HTML page
(Sphinx's singlehtml builder), open it in Debian's Chromium through
Playwright and print it with a clickable outline. Every formula is already
HTML (KaTeX renders them when the site is built), so nothing waits for a
typesetter. The course's print stylesheet (book/_static/course.css)
hides the buttons, the answer boxes and the slider controls; every figure
and every solution stays.

Before printing, scripts run in the page: each chapter's solutions move to
the end of that chapter (the website keeps them folded under their
exercises; a reader on paper should not see an answer next to its question),
a check cell's "Not yet: ..." output (what a blank exercise answers) is left
out, and a formula, table or output wider than the printed text is scaled
down to fit it instead of being cut. The print stylesheet below (PRINT_CSS)
holds the rules that only paper needs: where pages break (a code box or an
output shorter than a third of a page is never split), and headings that
keep their spaces in the PDF's outline.

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

NO_PLACEHOLDERS = """() => {
  // A check cell run with the exercise left blank answers "Not yet: ...": in a notebook that tells the
  // learner what to do; on paper, under every exercise, it is clutter.
  let dropped = 0;
  document.querySelectorAll('div.cell').forEach(cell => {
    const input = cell.querySelector('div.cell_input');
    const output = cell.querySelector('div.cell_output');
    if (input && output && input.textContent.includes('bpcourse.check(')
        && output.textContent.trim().startsWith('Not yet:')) {
      output.remove();
      dropped += 1;
    }
  });
  return dropped;
}"""

# The printed page's height in CSS pixels: A4 minus the top and bottom margins below (15 mm each).
PRINT_HEIGHT_PX = round((297 - 2 * 15) / 25.4 * 96)

# Rules for paper only, added to the page just before it is printed.
PRINT_CSS = """
@media print {
  /* Each chapter starts on a new page; its solutions follow its last section without one, so that
     no page is left nearly blank between the two. */
  span[id^="document-book/"] + section { break-before: page; }
  /* A heading stays with the text under it. */
  h1, h2, h3, h4, .admonition-title, p.rubric { break-after: avoid; }
  /* A short code box, output or exercise moves whole to the next page instead of leaving its empty
     top at the foot of a page (KEEP_SHORT_BLOCKS_WHOLE marks them); a longer one breaks where the
     page ends, so that no page is left mostly empty. */
  .bp-keep-whole { break-inside: avoid !important; }
  /* The theme keeps every code box whole on paper, and a scrolling box (a code block's pre) or a flex
     box breaks badly: a box taller than what is left of a page then moves to the next one and leaves
     its empty frame behind. On paper they are plain blocks that break like text. */
  article div.cell_input, article div.cell_output, article div.highlight,
  article div[class*="highlight-"] { display: block !important; break-inside: auto; }
  article pre { overflow: visible !important; }
  /* The theme keeps every table whole on paper: a table nearly a page long then leaves the page
     before it blank. Tables break between rows instead. */
  article table { break-inside: auto !important; }
  article tr { break-inside: avoid; }
  /* Chromium writes a heading that wraps over two lines into the PDF's outline without the space at
     the wrap ("the perceptron" became "theperceptron"): a preserved space is kept. */
  h1, h2, h3, h4 { white-space: pre-wrap; }
}
"""

KEEP_SHORT_BLOCKS_WHOLE = """(pageHeight) => {
  let kept = 0;
  document.querySelectorAll('article div.cell_input, article div.cell_output, article div.admonition').forEach(block => {
    const height = block.getBoundingClientRect().height;
    if (height > 0 && height < pageHeight / 3) { block.classList.add('bp-keep-whole'); kept += 1; }
  });
  return kept;
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
    page = build_single_page()
    print_pdf(chromium, page, TARGET)
    print(f"The whole course as one PDF: {TARGET.relative_to(ROOT)} ({TARGET.stat().st_size / 1e6:.1f} MB)")


def build_single_page():
    """Build the course as one HTML page (Sphinx's singlehtml) and return the file to print."""
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
    return page


def prepare_for_print(tab):
    """Turn the single page open in ``tab`` into what is printed: print media, the paper's rules and scripts."""
    tab.emulate_media(media="print")
    tab.add_style_tag(content=PRINT_CSS)
    tab.evaluate(SOLUTIONS_AT_THE_END)
    tab.evaluate(NO_PLACEHOLDERS)
    tab.evaluate(FIT_TO_THE_PAGE)
    tab.evaluate(KEEP_SHORT_BLOCKS_WHOLE, PRINT_HEIGHT_PX)


def print_pdf(chromium, page, target):
    """Print the single page ``page`` to the PDF ``target`` with Chromium."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
        tab = browser.new_page(viewport={"width": PRINT_WIDTH_PX, "height": 1100})
        tab.goto(page.as_uri())
        tab.wait_for_load_state("load")
        tab.evaluate("() => document.fonts.ready.then(() => true)")  # KaTeX's fonts, from disk
        tab.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=30_000)
        prepare_for_print(tab)
        target.parent.mkdir(parents=True, exist_ok=True)
        tab.pdf(path=str(target), format="A4", outline=True, tagged=True, print_background=True,
                margin={"top": "15mm", "bottom": "15mm", "left": "14mm", "right": "14mm"})
        browser.close()


if __name__ == "__main__":
    main()
