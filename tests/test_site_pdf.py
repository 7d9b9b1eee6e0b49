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
