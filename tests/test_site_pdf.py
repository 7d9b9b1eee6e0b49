"""The whole-course PDF (``_build/html/bpcourse.pdf``, built by ``make book``).

Links and the outline are read with pypdf; the text with poppler's
``pdftotext``; the pages' ink with poppler's ``pdftoppm`` (rendered in grey,
read with Pillow and NumPy).
"""

import json
import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from site_support import SITE, require, require_site


@pytest.fixture(scope="module")
def pdf():
    require_site()
    path = SITE / "bpcourse.pdf"
    require(path.exists(), "no PDF: make book builds it when Chromium is installed")
    from pypdf import PdfReader

    return PdfReader(path)


def _links(pdf):
    external, internal = [], 0
    for page in pdf.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                external.append(str(action["/URI"]))
            else:
                internal += 1
    return external, internal


def _outline(entries, depth=0):
    for entry in entries:
        if isinstance(entry, list):
            yield from _outline(entry, depth + 1)
        else:
            yield depth, str(entry.title)


def test_every_link_is_inside_the_pdf_or_a_web_address(pdf):
    external, internal = _links(pdf)
    assert [u for u in external if not u.startswith(("https://", "http://"))] == []
    assert internal >= 20, "each solution links back to its exercise inside the PDF"


def test_outline_has_every_chapter_once_with_its_math_as_text(pdf):
    titles = [title for _, title in _outline(pdf.outline)]
    doubled = [t for t in titles if re.fullmatch(r"(.+?)\s*\1", t) or re.match(r"(\d+(?:\.\d+)*\.) \1", t)]
    assert doubled == []
    chapters = [t for t in titles if re.match(r"\d+\. \S", t)]
    assert len(chapters) == len(set(chapters)) >= 8
    chapter_4 = next(t for t in chapters if t.startswith("4. "))
    assert chapter_4.rstrip().endswith("b₃"), chapter_4
    assert not [t for t in titles if "\\" in t or "$" in t]


def _pdf_text():
    require(subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0,
            "pdftotext is not installed (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", str(SITE / "bpcourse.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_solutions_come_after_every_exercise_of_their_chapter_and_no_placeholder_prints(pdf):
    text = _pdf_text()
    for chapter in range(1, 10):
        exercises = [m.start() for m in re.finditer(rf"(?m)^[^\w\n]*Exercise {chapter}\.\d+\s*$", text)]
        first_solution = text.find(f"Solution to Exercise {chapter}.1")
        assert exercises and first_solution > 0, chapter
        assert first_solution > max(exercises), f"chapter {chapter}: a solution prints before the last exercise"
    assert "no answer yet" not in text
    # a function exercise's check cell, run with the stub in place, answers "Not yet: ... returned None"
    assert not re.search(r"(?m)^Not yet:", text), "a check cell's placeholder output is printed"


def test_wide_formulas_tables_and_outputs_fit_the_printed_page():
    """The page printed to PDF, at the printed text's width: prepared as build_pdf prints it, nothing is wider."""
    import importlib.util

    from site_support import CHROMIUM, CHROMIUM_ARGS, ROOT

    page_file = ROOT / "_build" / "singlehtml" / "whole-course.html"
    require(page_file.exists() and CHROMIUM is not None, "no single-page build or no Chromium: run make book")
    spec = importlib.util.spec_from_file_location("build_pdf", ROOT / "scripts" / "build_pdf.py")
    build_pdf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_pdf)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": build_pdf.PRINT_WIDTH_PX, "height": 1100})
        tab.goto(page_file.as_uri())
        tab.wait_for_load_state("load")
        build_pdf.prepare_for_print(tab)  # print media, the paper's rules, solutions moved, wide blocks fitted
        # every rendered formula, table body and output, measured where it ends on the page
        ends = tab.evaluate("""() => Array.from(document.querySelectorAll(
            'article .katex-html, article table tbody, article div.cell_output pre, article img'))
            .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName, e.textContent.slice(0, 50)])""")
        browser.close()
    assert len(ends) > 500
    assert [end for end in ends if end[0] > build_pdf.PRINT_WIDTH_PX] == []


def _chapter_headings():
    """Every heading (#, ## and ###) of every chapter notebook, as written in its Markdown."""
    headings = []
    for notebook in sorted((Path(__file__).resolve().parents[1] / "book").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                headings += re.findall(r"(?m)^#{1,3} (.+)$", "".join(cell["source"]))
    return headings


def test_outline_titles_have_the_headings_words(pdf):
    """Each outline entry reads as its heading, word for word (a heading that wraps on the page once
    lost its space at the wrap: "theperceptron")."""
    # the site prints typographic apostrophes (Sphinx's smart quotes)
    outline = {tuple(re.sub(r"^\d+(?:\.\d+)*\.\s+", "", title).replace("\u2019", "'").split())
               for _, title in _outline(pdf.outline)}
    plain = [h for h in _chapter_headings() if not re.search(r"[$`{*\\]", h)]
    assert len(plain) > 60
    missing = [h for h in plain if tuple(h.split()) not in outline]
    assert missing == [], f"headings whose words differ in the PDF's outline: {missing}"


def _pages_in_grey(dpi=50):
    """Each page of the PDF as a NumPy array of grey levels (0 black, 255 white)."""
    import numpy as np
    from PIL import Image

    require(subprocess.run(["which", "pdftoppm"], capture_output=True).returncode == 0,
            "pdftoppm is not installed (apt-get install poppler-utils)")
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(SITE / "bpcourse.pdf"), f"{folder}/page"],
                       check=True)
        return [np.asarray(Image.open(path), dtype=int) for path in sorted(Path(folder).glob("page-*.pgm"))]


def _ink_blocks(page):
    """The page's runs of rows holding anything not white, top to bottom, as (first row, row after)."""
    inked = list((page < 252).any(axis=1)) + [False]
    blocks, start = [], None
    for row, ink in enumerate(inked):
        if ink and start is None:
            start = row
        elif not ink and start is not None:
            blocks.append((start, row))
            start = None
    return blocks


def test_no_page_ends_or_starts_with_an_empty_box_and_no_page_is_nearly_blank(pdf):
    """A grey code box split where only its frame fits leaves an empty box at the foot of a page; a box
    that cannot break leaves its frame and a blank page. Neither may print. A page less than 15 %
    filled (the share of its rows holding ink) is allowed only as the last page of a chapter or part."""
    pages = _pages_in_grey()
    assert len(pages) == len(pdf.pages)
    # The first page of each document: the book's title page, then every chapter, the glossary, the
    # references and the package reference (the entries of the outline's first level from chapter 1 on;
    # before it come the introduction's own sections).
    book, parts = pdf.outline[0], pdf.outline[1]
    entries = [entry for entry in parts if not isinstance(entry, list)]
    first_chapter = next(k for k, entry in enumerate(entries) if str(entry.title).startswith("1. "))
    starts = {pdf.get_destination_page_number(e) for e in [book, *entries[first_chapter:]]}
    assert len(starts) >= 12, "the outline names the chapters"
    empty_boxes, nearly_blank = [], []
    for number, page in enumerate(pages):
        blocks = _ink_blocks(page)
        for where, (first, after) in (("foot", blocks[-1]), ("top", blocks[0])) if blocks else ():
            # text draws dark pixels in many columns; a box's frame has at most its coloured left edge
            if after - first > 3 and (page[first:after] < 160).any(axis=0).sum() < 5:
                empty_boxes.append((number + 1, where))
        filled = sum(after - first for first, after in blocks) / page.shape[0]
        if filled < 0.15 and number + 1 not in starts and number + 1 != len(pages):  # the next page starts none
            nearly_blank.append((number + 1, round(filled, 2)))
    assert empty_boxes == [], f"pages (1-based) with an empty box at their foot or top: {empty_boxes}"
    assert nearly_blank == [], f"nearly blank pages that end no chapter (page, share filled): {nearly_blank}"
