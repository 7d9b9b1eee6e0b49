"""The whole-course PDF (``_build/html/bpcourse.pdf``, built by ``make book``): links and outline, read with pypdf."""

import re

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
    import subprocess

    require(subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0,
            "pdftotext is not installed (apt-get install poppler-utils)")
    return subprocess.run(["pdftotext", str(SITE / "bpcourse.pdf"), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_solutions_come_after_every_exercise_of_their_chapter_and_no_placeholder_prints(pdf):
    text = _pdf_text()
    for chapter in range(1, 9):
        exercises = [m.start() for m in re.finditer(rf"(?m)^[^\w\n]*Exercise {chapter}\.\d+\s*$", text)]
        first_solution = text.find(f"Solution to Exercise {chapter}.1")
        assert exercises and first_solution > 0, chapter
        assert first_solution > max(exercises), f"chapter {chapter}: a solution prints before the last exercise"
    assert "no answer yet" not in text


def test_wide_formulas_tables_and_outputs_fit_the_printed_page():
    """The page printed to PDF, at the printed text's width: after build_pdf's fitting, nothing is wider."""
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
        tab.emulate_media(media="print")
        tab.evaluate(build_pdf.FIT_TO_THE_PAGE)
        # every rendered formula, table body and output, measured where it ends on the page
        ends = tab.evaluate("""() => Array.from(document.querySelectorAll(
            'article .katex-html, article table tbody, article div.cell_output pre, article img'))
            .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName, e.textContent.slice(0, 50)])""")
        browser.close()
    assert len(ends) > 500
    assert [end for end in ends if end[0] > build_pdf.PRINT_WIDTH_PX] == []
