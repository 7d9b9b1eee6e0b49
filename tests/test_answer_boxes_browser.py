"""Answer boxes and the learner's progress in a real browser (Debian's Chromium driven by Playwright).

Two kinds of pages are opened. Pages made here, from the package's own
answer boxes and the site's script (``book/_static/course.js``), hold every
number and choice exercise: on them the page and ``bpcourse.check`` must give
the same verdict, and the same message, on a shared set of inputs (right
forms, each named mistake, near misses at the edges of every interval, junk),
and the progress must be stored, shown, kept across visits and reset, from
disk and over loopback HTTP. The built website's chapters and introduction
are then checked in light and dark mode. Nothing may be asked of another
host. Like the other browser tests, these skip locally without Chromium and
fail under CI.
"""

import base64
import html
import io
import json
import math
import re
import shutil
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from site_support import (CHAPTERS, ROOT, axe_source, chromium, page_path, require, require_site, serve_folder,
                          wait_for_transitions)

import bpcourse
from bpcourse import checks
from bpcourse.exercises import EXERCISES

SCRIPT = ROOT / "book" / "_static" / "course.js"
BOXED = sorted(label for label, e in EXERCISES.items() if e.kind in ("number", "choice"))
KEY = "bpcourse-progress-v1"
LOCAL = ("file:", "data:", "blob:", "about:", "http://127.0.0.1")
# What the page accepts as a typed number; anything else it calls "not a number" (and Python, given
# the text, calls it text). The Unicode minus sign counts as a minus.
NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


# ------------------------------------------------------------------ pages made here


def _page(title, body):
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,">'
            f'<title>{html.escape(title)}</title></head><body><main><article><section>'
            f'<h1>{html.escape(title)}</h1>{body}</section></article></main>'
            f'<script src="course.js"></script></body></html>')


def _numbered(label, number):
    """A box as the website shows it: in a cell, under its numbered exercise or its bold question number."""
    if label.startswith("recall-"):
        above = f"<p><strong>Question 9.{number}</strong> (<code>{label}</code>). A question.</p>"
    else:
        above = (f'<div class="exercise admonition" id="ex-{label}"><p class="admonition-title">'
                 f'<span class="caption-number">Exercise 9.{number} </span></p><section><p>Exercise '
                 f'{label}.</p></section></div>')
    box = bpcourse.book.answer_box(label)._repr_html_()
    return f'{above}<div class="cell"><div class="cell_output"><div class="output">{box}</div></div></div>'


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A chapter with every boxed exercise, a second chapter with two, and an introduction, in one folder."""
    folder = tmp_path_factory.mktemp("boxes")
    shutil.copy(SCRIPT, folder / "course.js")
    boxes = "".join(_numbered(label, number) for number, label in enumerate(BOXED, 1))
    (folder / "all_exercises.html").write_text(_page("All the exercises", boxes), encoding="utf-8")
    two = "".join(bpcourse.book.answer_box(label)._repr_html_() for label in ("neuron-output", "chain-find-bug"))
    (folder / "two_exercises.html").write_text(_page("Two exercises", two), encoding="utf-8")
    intro = '<div class="bp-course-progress" data-bp-progress="course"><p>placeholder</p></div>'
    (folder / "intro.html").write_text(_page("Introduction", intro), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def served(pages):
    """The same folder over HTTP, on the loopback address only."""
    with serve_folder(pages) as url:
        yield url


def _open(context, url, outside):
    page = context.new_page()
    errors = []
    page.on("request", lambda request: None if request.url.startswith(LOCAL) else outside.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_load_state("load")
    page.errors = errors
    return page


# ------------------------------------------------------------------ one rule: the page and bpcourse.check agree


def _inputs(exercise):
    """Typed texts for one number exercise: right forms, named mistakes, near misses, junk."""
    right = float(exercise.solution())
    digits = exercise.digits or 3
    texts = [f"{right:.{digits}g}", f"{right:.{digits + 2}g}", repr(right), f" {right:.{digits + 1}g} ",
             f"{right:.{digits}g}".replace("-", "\u2212"), f"{right:.{digits + 1}e}"]
    if right > 0:
        texts.append(f"+{right:.{digits + 1}g}")
    for value in [*exercise.typical_mistakes().values(), -right, 2 * right, right / 2, 1.7 * right + 0.3]:
        texts += [f"{value:.{digits}g}", repr(float(value))]
    for band in exercise.bands():  # the edges of every interval, and just outside them
        texts += [repr(band["low"]), repr(band["high"]), repr(math.nextafter(band["low"], -math.inf)),
                  repr(math.nextafter(band["high"], math.inf))]
    if exercise.integer:
        texts += [f"{right:.0f}", f"{right + 0.04:g}", f"{right + 0.5:g}", f"{right:.1f}"]
    texts += ["", "abc", "1,5", "0x10", "1e999", "-1e999", "Infinity", "NaN", "--1", "7.7.1", "1/2", ".5", "5.",
              "0", "-0", "1e-400"]
    return list(dict.fromkeys(texts))


def _python_side(exercise, text):
    """(verdict, message) of bpcourse.check for what the learner typed, given as a number when it is one."""
    cleaned = text.strip().replace("\u2212", "-")
    answer = float(cleaned) if exercise.kind == "number" and NUMBER.fullmatch(cleaned) else text
    out = io.StringIO()
    with redirect_stdout(out):
        ok = exercise(answer)
    return ok, out.getvalue().strip(), answer


_TRY_ALL = """([id, texts]) => {
  const box = document.getElementById(id);
  const field = box.querySelector("input[type=text]");
  const form = box.querySelector("form");
  return texts.map(text => {
    field.value = text;
    form.requestSubmit();
    return [box.dataset.verdict, box.dataset.rule, box.querySelector(".bp-answer-feedback").textContent];
  });
}"""


def test_the_page_and_bpcourse_check_give_the_same_verdicts(browser, pages):
    context = browser.new_context()
    outside = []
    page = _open(context, (pages / "all_exercises.html").as_uri(), outside)
    compared = 0
    for label in BOXED:
        exercise = EXERCISES[label]
        box_id = f"bpab-{label}"
        if exercise.kind == "number":
            texts = _inputs(exercise)
            seen = page.evaluate(_TRY_ALL, [box_id, texts])
            for text, (verdict, rule, message) in zip(texts, seen):
                ok, said, answer = _python_side(exercise, text)
                assert (verdict == "correct") == ok, (label, text, message, said)
                if isinstance(answer, float):
                    # the same message, but for how the number is echoed (as typed on the page)
                    cleaned = text.strip().replace("\u2212", "-")
                    shown = checks._number_text(answer)
                    name = exercise.name
                    page_said = message.replace(f"{name} = {cleaned}", "#", 1)
                    assert page_said == said.replace(f"{name} = {shown}", "#", 1), (label, text, message, said)
                else:
                    assert not ok and rule in ("empty", "not-a-number"), (label, text, rule)
                compared += 1
        else:
            box = page.locator(f"#{box_id}")
            box.locator("button").click()
            assert box.get_attribute("data-verdict") == "wrong"
            assert "pick one" in box.locator(".bp-answer-feedback").inner_text()
            for option in exercise.options:
                box.locator(f"input[type=radio][value={json.dumps(option, ensure_ascii=False)}]").check()
                box.locator("button").click()
                ok, said, _ = _python_side(exercise, option)
                assert (box.get_attribute("data-verdict") == "correct") == ok, (label, option)
                assert box.locator(".bp-answer-feedback").inner_text() == said, (label, option)
                compared += 1
    assert compared >= 500, compared
    assert outside == [] and page.errors == []
    context.close()


def test_the_boxes_say_the_precision_and_escape_author_text(browser, tmp_path):
    shutil.copy(SCRIPT, tmp_path / "course.js")
    spec = bpcourse.book.answer_box("neuron-output").spec
    spec = dict(spec, name='the <b>"output"</b> </script><script>window.hacked = 1</script>')
    nasty = bpcourse.book.AnswerBox('a" onclick="window.hacked = 1" x="</script><script>window.hacked=1</script>',
                                    spec)
    counted = bpcourse.book.answer_box("engine-fd-evaluations")
    unanswered = ('<div class="cell_output" id="unanswered"><p class="bp-unanswered">Not yet: no answer yet for '
                  'the output: replace None with your answer and run the cell again.</p></div>')
    (tmp_path / "nasty.html").write_text(_page("Escaping", nasty._repr_html_() + counted._repr_html_() + unanswered),
                                         encoding="utf-8")
    context = browser.new_context()
    outside = []
    page = _open(context, (tmp_path / "nasty.html").as_uri(), outside)
    assert page.evaluate("window.hacked === undefined")
    assert not page.locator("#unanswered").is_visible()  # nobody has answered on the website
    boxes = page.locator(".bp-answer-box")
    assert boxes.count() == 2
    assert "3 significant digits" in boxes.nth(0).locator("label").inner_text()
    assert "(a whole number)" in boxes.nth(1).locator("label").inner_text()
    boxes.nth(0).locator("input[type=text]").fill("0.525")
    boxes.nth(0).locator("button").click()
    assert boxes.nth(0).get_attribute("data-verdict") == "correct"
    assert page.evaluate("window.hacked === undefined")
    boxes.nth(1).locator("input[type=text]").fill("34.04")
    boxes.nth(1).locator("button").click()
    assert "not a whole number" in boxes.nth(1).locator(".bp-answer-feedback").inner_text()
    assert outside == [] and page.errors == []
    context.close()


def test_each_box_names_the_exercise_or_question_it_answers_never_its_label(browser, pages):
    context = browser.new_context()
    outside = []
    page = _open(context, (pages / "all_exercises.html").as_uri(), outside)
    for number, label in enumerate(BOXED, 1):
        box = page.locator(f"#bpab-{label}")
        choice = EXERCISES[label].kind == "choice"
        caption = box.locator("legend" if choice else "label[for]").inner_text()
        title = f"{'Question' if label.startswith('recall-') else 'Exercise'} 9.{number}"
        assert caption.startswith(f"Your answer to {title}"), (label, caption)
        assert label not in caption and EXERCISES[label].name not in caption, caption
        # what a screen reader announces: the radio group, or the text field, by that caption
        named = page.get_by_role("group" if choice else "textbox", name=caption, exact=True)
        assert named.count() == 1, (label, caption)
    # a box with nothing numbered right above it keeps the plain wording
    other = _open(context, (pages / "two_exercises.html").as_uri(), outside)
    assert other.locator("#bpab-chain-find-bug legend").inner_text() == "Your answer: pick one"
    assert other.locator("#bpab-neuron-output label").inner_text() == "Your answer (3 significant digits)"
    assert outside == [] and page.errors == [] and other.errors == []
    context.close()


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_websites_boxes_name_their_exercise_or_question(browser, name):
    require_site()
    require(_new_boxes(name), "the chapters were saved with an older answer box: re-run them (make notebooks)")
    context = browser.new_context()
    outside = []
    page = _open(context, page_path(name).as_uri(), outside)
    chapter = int(name[:2])
    for box in page.locator(".bp-answer-box").all():
        caption = box.locator("legend, label[for]").first.inner_text()
        assert re.match(rf"Your answer to (Exercise|Question) {chapter}\.\d+\b", caption), (name, caption)
        assert box.get_attribute("data-label") not in caption
    assert page.errors == []
    context.close()


# ------------------------------------------------------------------ progress in the browser


def _count(page, selector=".bp-progress-count"):
    return page.locator(selector).first.inner_text()


def _answer(page, label, typed):
    box = page.locator(f"#bpab-{label}")
    if EXERCISES[label].kind == "choice":
        box.locator(f"input[type=radio][value={json.dumps(typed, ensure_ascii=False)}]").check()
    else:
        box.locator("input[type=text]").fill(typed)
    box.locator("button").click()
    return box.get_attribute("data-verdict")


def _right_text(label):
    exercise = EXERCISES[label]
    right = exercise.solution()
    return right if exercise.kind == "choice" else f"{right:.{(exercise.digits or 3) + 1}g}"


@pytest.mark.parametrize("where", ["disk", "http"])
def test_progress_is_stored_shown_kept_and_reset(browser, pages, served, where):
    def url(name):
        return (pages / f"{name}.html").as_uri() if where == "disk" else f"{served}/{name}.html"

    context = browser.new_context()
    outside = []
    page = _open(context, url("all_exercises"), outside)
    total = len(BOXED)
    assert _count(page) == f"Questions answered correctly in this chapter: 0 of {total} (kept in this browser only)."
    assert _answer(page, "neuron-output", "0.1") == "wrong"
    assert _count(page).endswith(f": 0 of {total} (kept in this browser only).")
    assert _answer(page, "neuron-output", _right_text("neuron-output")) == "correct"
    assert _answer(page, "chain-find-bug", _right_text("chain-find-bug")) == "correct"
    assert _answer(page, "chain-find-bug", "all four") == "wrong"  # a later wrong answer takes nothing away
    assert f": 2 of {total} " in _count(page)
    stored = json.loads(page.evaluate(f"localStorage.getItem('{KEY}')"))
    assert sorted(stored["pages"]["all_exercises"]["correct"]) == ["chain-find-bug", "neuron-output"]
    assert stored["courseTotal"] == total and stored["pages"]["all_exercises"]["title"] == "All the exercises"

    again = _open(context, url("all_exercises"), outside)  # a later visit
    assert f": 2 of {total} " in _count(again)
    assert again.locator("#bpab-neuron-output").get_attribute("data-done") == "yes"
    assert "earlier visit" in again.locator("#bpab-neuron-output .bp-answer-feedback").inner_text()

    other = _open(context, url("two_exercises"), outside)
    assert ": 0 of 2 " in _count(other)
    assert _answer(other, "neuron-output", _right_text("neuron-output")) == "correct"

    intro = _open(context, url("intro"), outside)
    course = intro.locator("[data-bp-progress=course]")
    assert f"in the whole course: 3 of {total} " in course.inner_text()
    assert "All the exercises: 2 of " in course.inner_text() and "Two exercises: 1 of 2" in course.inner_text()

    again.locator("button.bp-progress-reset").click()
    assert f": 0 of {total} " in _count(again)
    assert again.locator(".bp-answer-box[data-done]").count() == 0
    intro.reload()
    assert f"in the whole course: 1 of {total} " in intro.locator("[data-bp-progress=course]").inner_text()
    intro.locator("button.bp-progress-reset").click()
    assert "No question answered yet" in intro.locator("[data-bp-progress=course]").inner_text()
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    for opened in (page, again, other, intro):
        assert opened.errors == []
    assert outside == []  # nothing is sent anywhere
    context.close()


def test_the_whole_course_on_one_page_counts_nothing(browser, tmp_path):
    """The single-page build (printed to the PDF) has no chapter: boxes work, no count, no stored progress."""
    shutil.copy(SCRIPT, tmp_path / "course.js")
    body = ('<script>const DOCUMENTATION_OPTIONS = {BUILDER: "singlehtml"};</script>'
            '<div class="bp-course-progress" data-bp-progress="course"><p>placeholder</p></div>'
            + bpcourse.book.answer_box("neuron-output")._repr_html_())
    (tmp_path / "index.html").write_text(_page("The whole course", body), encoding="utf-8")
    context = browser.new_context()
    outside = []
    page = _open(context, (tmp_path / "index.html").as_uri(), outside)
    assert page.locator(".bp-progress").count() == 0
    assert not page.locator("[data-bp-progress=course]").is_visible()
    assert _answer(page, "neuron-output", _right_text("neuron-output")) == "correct"
    assert page.evaluate(f"localStorage.getItem('{KEY}')") is None
    assert page.errors == [] and outside == []
    context.close()


def test_boxes_work_when_the_browser_refuses_storage(browser, pages):
    context = browser.new_context()
    context.add_init_script("""Object.defineProperty(window, 'localStorage', {get() {
        throw new DOMException('refused', 'SecurityError'); }});""")
    outside = []
    page = _open(context, (pages / "two_exercises.html").as_uri(), outside)
    assert "lasts this visit" in _count(page)
    assert _answer(page, "neuron-output", _right_text("neuron-output")) == "correct"
    assert ": 1 of 2 " in _count(page) and "lasts this visit" in _count(page)
    assert page.errors == [] and outside == []
    context.close()


# ------------------------------------------------------------------ the built website, light and dark


def _new_boxes(name):
    text = page_path(name).read_text(encoding="utf-8")
    blobs = re.findall(r'<script type="text/plain" class="bp-answer-spec">(.*?)</script>', text)
    return blobs and all("bands" in json.loads(base64.b64decode(b)) or
                         json.loads(base64.b64decode(b))["kind"] == "choice" for b in blobs)


@pytest.fixture(scope="module")
def axe_script():
    return axe_source()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_websites_boxes_and_progress(browser, axe_script, scheme):
    require_site()
    chapter = "01_neurons"
    require(_new_boxes(chapter), "the chapters were saved with an older answer box: re-run them (make notebooks)")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    outside = []
    page = _open(context, page_path(chapter).as_uri(), outside)
    # the theme follows the reader's colour scheme ("auto"), from the first paint
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    boxes = page.locator(".bp-answer-box")
    labels = [b.get_attribute("data-label") for b in boxes.all()]
    assert labels and f"0 of {len(labels)}" in _count(page)
    # the chapter's count sits right under its title, in the article (not the print-only copy of the title)
    assert page.evaluate("document.querySelector('.bp-progress').previousElementSibling.closest('article') "
                         "!== null && document.querySelector('.bp-progress').previousElementSibling.tagName") == "H1"
    assert _answer(page, labels[0], "-12345") == "wrong"
    assert _answer(page, labels[0], _right_text(labels[0])) == "correct"
    assert f"1 of {len(labels)}" in _count(page)
    assert page.errors == []
    wait_for_transitions(page)
    page.add_script_tag(content=axe_script)  # axe reads the stylesheets, which a page from disk may not
    page.errors.clear()
    result = page.evaluate("""() => axe.run({include: [['.bp-answer-box'], ['.bp-progress']]},
        {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    serious = [(v["id"], [(n["target"], n["failureSummary"][-160:]) for n in v["nodes"]][:3])
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
    intro = _open(context, page_path("intro").as_uri(), outside)
    assert "in the whole course: 1 of " in intro.locator("[data-bp-progress=course]").inner_text()
    assert intro.errors == [] and outside == []
    context.close()


def test_every_number_and_choice_exercise_has_a_box_on_the_website():
    """The course total the introduction shows is the number of boxes the chapters really have."""
    require_site()
    require(all(_new_boxes(name) for name in CHAPTERS),
            "the chapters were saved with an older answer box: re-run them (make notebooks)")
    found = []
    for name in CHAPTERS:
        found += re.findall(r'class="bp-answer-box" id="bpab-[^"]*" data-label="([^"]+)"',
                            page_path(name).read_text(encoding="utf-8"))
    assert sorted(found) == BOXED
