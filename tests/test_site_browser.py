"""The built website in a real browser (Debian's Chromium driven by Playwright).

Each page is opened from disk and over HTTP (a server on this machine's
loopback address) with every request and console message recorded: a page
must not ask any other host for anything and must log no error. The tests
also check that math is typeset, solutions stay folded until opened, sliders
move with the keyboard, answer boxes accept the right answer and name a
wrong one, every image has alt text, search works offline, pages pass
axe-core's WCAG 2.1 A/AA rules with no serious or critical violation, fit a
390 px phone screen, need no sideways scrolling for code at desktop width,
weigh at most 4 MB, and that the whole-course PDF has every chapter. A
screenshot of every page (light and dark) is kept in ``_build/screenshots``.
"""

import base64
import json
import math
import re
import subprocess
from pathlib import Path

import pytest

from site_support import (
    CHAPTERS,
    PAGES,
    ROOT,
    SCREENSHOTS,
    SITE,
    axe_source,
    chromium,
    page_path,
    require,
    require_site,
    serve_folder,
    wait_for_transitions,
)

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
SLIDER_PAGES = ["02_forward_pass", "05_gradient_descent", "06_learning_rate_search"]
ALL_PAGES = PAGES + ["notation", "references", "api"]
# first visit of a page, over HTTP: without a slider figure, and with one
MAX_PAGE_BYTES = 1_500_000
MAX_SLIDER_PAGE_BYTES = 2_500_000


@pytest.fixture(scope="module")
def browser():
    require_site()
    with chromium() as launched:
        yield launched


def open_page(browser, path, *, color_scheme="light"):
    """Open ``path`` and return (page, requests made to other hosts)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme)
    page = context.new_page()
    outside = []
    page.on("request", lambda request: None if request.url.startswith(LOCAL_SCHEMES) else outside.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # figures load lazily on the website (course_site): these tests look at every one of them
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    # every image decoded before anyone looks at it
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=15_000)
    return page, outside


@pytest.fixture(scope="module")
def opened(browser):
    """Every page opened once; a screenshot of each is kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = {}
    for name in PAGES:
        page, outside = open_page(browser, page_path(name))
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        pages[name] = (page, outside)
    yield pages
    for page, _ in pages.values():
        page.context.close()


@pytest.mark.parametrize("name", PAGES)
def test_page_makes_no_request_to_another_host(opened, name):
    _, outside = opened[name]
    assert outside == []


@pytest.mark.parametrize("name", PAGES)
def test_every_image_has_alt_text_and_loads(opened, name):
    page, _ = opened[name]
    images = page.evaluate(
        "Array.from(document.images).map(i => ({src: i.src.slice(0, 80), alt: i.alt, ok: i.complete && i.naturalWidth > 0}))"
    )
    assert [i for i in images if not i["alt"].strip()] == []
    assert [i for i in images if not i["ok"]] == []


@pytest.mark.parametrize("name", CHAPTERS)
def test_chapter_has_figures_and_typeset_math(opened, name):
    page, _ = opened[name]
    assert page.locator("img").count() >= 1
    assert page.locator(".katex").count() >= 3
    text = page.evaluate(
        """() => { const a = document.querySelector('article').cloneNode(true);
                   a.querySelectorAll('.cell_input, pre, code, .katex').forEach(e => e.remove());
                   return a.textContent; }"""
    )
    for raw in ("$$", "\\frac", "\\partial", "\\begin{"):
        assert raw not in text, f"untypeset TeX {raw!r} on the page"


@pytest.mark.parametrize("name", CHAPTERS)
def test_solutions_are_folded_until_opened(opened, name):
    page, _ = opened[name]
    solutions = page.locator("div.solution")
    assert solutions.count() >= 3
    first = solutions.first
    body = first.locator("section").first
    assert not body.is_visible(), "a solution is visible before it is opened"
    first.locator(".admonition-title").click()
    body.wait_for(state="visible", timeout=5000)  # raises if the solution does not open
    assert body.is_visible(), "the solution does not open"
    first.locator(".admonition-title").click()  # fold it again for the screenshot of other tests


@pytest.mark.parametrize("name", CHAPTERS)
def test_exercises_are_numbered_and_linked_from_their_solutions(opened, name):
    page, _ = opened[name]
    exercises = page.locator("div.exercise")
    assert exercises.count() >= 3
    assert page.locator("div.solution .admonition-title a").count() == page.locator("div.solution").count()


@pytest.mark.parametrize("name", SLIDER_PAGES)
def test_sliders_move_with_the_keyboard_and_change_the_figure(opened, name):
    page, _ = opened[name]
    figures = page.locator(".bp-slider-figure")
    assert figures.count() >= 1
    for k in range(figures.count()):
        figure = figures.nth(k)
        slider = figure.locator("input[type=range]")
        assert figure.locator(f"label[for='{slider.get_attribute('id')}']").count() == 1
        before = (figure.locator("img").get_attribute("src"), figure.locator("output").inner_text())
        slider.focus()
        page.keyboard.press("ArrowRight")
        after = (figure.locator("img").get_attribute("src"), figure.locator("output").inner_text())
        assert after[0] != before[0] and after[1] != before[1], "the figure did not change"
        assert figure.locator("img").get_attribute("alt")
        assert slider.get_attribute("aria-valuetext") == after[1]
        page.keyboard.press("ArrowLeft")  # back to the start for the other tests


def _typed(value, digits):
    return f"{value:.{digits + 1}g}"


@pytest.mark.parametrize("name", CHAPTERS)
def test_answer_boxes_accept_the_right_answer_and_name_a_wrong_one(opened, name):
    page, _ = opened[name]
    boxes = page.locator(".bp-answer-box")
    assert boxes.count() >= 1, "every chapter has answer boxes for its number and choice exercises"
    for k in range(boxes.count()):
        box = boxes.nth(k)
        spec = json.loads(base64.b64decode(box.locator("script.bp-answer-spec").text_content()))
        feedback = box.locator("[aria-live]")
        if spec["kind"] == "number":
            field = box.locator("input[type=text]")
            assert box.locator(f"label[for='{field.get_attribute('id')}']").count() == 1
            right = spec["right"]
            for typed, verdict, phrase in [(_typed(right, spec["digits"]), "correct", "Correct"),
                                           (f"{right:.{spec['digits']}g}", "correct", "Correct"),
                                           ("abc", "wrong", "not a number"),
                                           (_typed(right * 1.7 + 0.3, spec["digits"]), "wrong", "Not yet")]:
                field.fill(typed)
                box.locator("button").click()
                assert box.get_attribute("data-verdict") == verdict, (spec["name"], typed, feedback.inner_text())
                assert phrase in feedback.inner_text()
            if right != 0 and not any(math.isclose(-right, m[1], rel_tol=1e-6) for m in spec["mistakes"]):
                field.fill(_typed(-right, spec["digits"]))
                box.locator("button").click()
                assert "wrong sign" in feedback.inner_text()
            for description, wrong in spec["mistakes"]:
                field.fill(_typed(wrong, spec["digits"]))
                box.locator("button").click()
                assert box.get_attribute("data-verdict") == "wrong"
        else:
            for option in spec["options"]:
                box.locator(f"input[type=radio][value='{option}']").check()
                box.locator("button").click()
                expected = "correct" if option == spec["right"] else "wrong"
                assert box.get_attribute("data-verdict") == expected, option


def test_answer_boxes_carry_the_packages_answers():
    """The pages' answers are the package's, not typed in (bpcourse.book.answer_box at notebook run time)."""
    require_site()
    from bpcourse.exercises import EXERCISES

    found = 0
    for name in CHAPTERS:
        html = page_path(name).read_text(encoding="utf-8")
        for label, blob in re.findall(
                r'id="bpab-([a-z0-9-]+)".*?<script type="text/plain" class="bp-answer-spec">(.*?)</script>', html):
            spec = json.loads(base64.b64decode(blob))
            right = EXERCISES[label].solution()
            if spec["kind"] == "number":  # the page keeps digits + 5 significant digits (bpcourse.book)
                assert spec["right"] == pytest.approx(float(right), rel=10.0 ** -(spec["digits"] + 4)), label
            else:
                assert spec["right"] == right, label
            found += 1
    assert found >= 20


def test_launch_buttons_offer_binder_colab_and_download(opened):
    page, _ = opened["03_chain_rule"]
    html = page.content()
    assert "mybinder.org/v2/gh/" in html and "urlpath=lab/tree/notebooks/03_chain_rule.ipynb" in html
    assert "colab.research.google.com/github/" in html
    assert "../notebooks/03_chain_rule.ipynb" in html  # the learner notebook (tests/test_learner_notebooks.py)


def test_search_works_offline(browser):
    page, outside = open_page(browser, SITE / "search.html")
    page.goto((SITE / "search.html").as_uri() + "?q=gradient")
    page.wait_for_selector("#search-results li", timeout=10_000)
    results = page.locator("#search-results li").all_inner_texts()
    page.screenshot(path=str(SCREENSHOTS / "search.png"), full_page=True)
    assert any("descent" in r.lower() or "gradient" in r.lower() for r in results)
    assert outside == []
    page.context.close()


@pytest.mark.parametrize("name", ["03_chain_rule", "06_learning_rate_search"])
def test_dark_mode_keeps_figures_on_their_own_white_background(browser, name):
    page, outside = open_page(browser, page_path(name), color_scheme="dark")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    page.wait_for_function("getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'", timeout=5000)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-dark.png"), full_page=True)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    # Our PNG figures carry an opaque white background, so their labels stay
    # readable on the dark page, and the theme must not invert them.
    from urllib.parse import unquote, urlsplit

    from PIL import Image

    sources = page.evaluate("Array.from(document.images).filter(i => i.src.endsWith('.png') && i.closest('.cell_output')).map(i => i.src)")
    assert sources
    for source in sources:
        with Image.open(unquote(urlsplit(source).path)) as picture:
            assert picture.convert("RGBA").getpixel((2, 2)) == (255, 255, 255, 255), source
    filters = page.evaluate("Array.from(document.images).map(i => getComputedStyle(i).filter)")
    assert not any("invert" in f for f in filters)
    assert outside == []
    page.context.close()


# ------------------------------------------------------------------ site faults


@pytest.fixture(scope="module")
def served():
    """The built site over HTTP, on the loopback address only, for as long as the module's tests run."""
    require_site()
    with serve_folder(SITE) as url:
        yield url


def _visit(browser, url, *, width=1280, height=900):
    """Open ``url``; return (page, console errors, bytes received over the network)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    errors, sizes = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))

    def count(response):
        try:
            sizes.append(len(response.body()))
        except Exception:  # redirects have no body
            pass

    page.on("response", count)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    return page, errors, sum(sizes)


def _url(base, name):
    return f"{base}/book/{name}.html"


@pytest.mark.parametrize("name", ALL_PAGES)
def test_no_console_error_from_disk_or_over_http_and_a_light_first_visit(browser, served, name):
    limit = MAX_SLIDER_PAGE_BYTES if name in SLIDER_PAGES else MAX_PAGE_BYTES
    for url in (page_path(name).as_uri(), _url(served, name)):
        page, errors, received = _visit(browser, url)
        assert errors == [], f"{url}: {errors}"
        if url.startswith("http"):
            assert received <= limit, f"{name}: {received / 1e6:.2f} MB on first visit"
        page.context.close()


@pytest.fixture(scope="module")
def axe_script():
    """axe-core, fetched once from the npm registry (see ``site_support.axe_source``)."""
    return axe_source()


def _serious_violations(page, axe_script):
    wait_for_transitions(page)  # colours, not a frame of a fade between them
    page.add_script_tag(content=axe_script)
    result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    # each with what axe measured (for a contrast: the two colours and their ratio)
    return [(v["id"], v["impact"], [(n["target"], n["failureSummary"][-200:]) for n in v["nodes"]][:3])
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def _answer_every_box(page):
    """Answer each box once wrongly and once rightly, so that both verdicts' colours are on the page."""
    boxes = page.locator(".bp-answer-box")
    for k in range(boxes.count()):
        box = boxes.nth(k)
        spec = json.loads(base64.b64decode(box.locator("script.bp-answer-spec").text_content()))
        if spec["kind"] == "number":
            box.locator("input[type=text]").fill(_typed(spec["right"] * 1.7 + 0.3, spec["digits"]))
            box.locator("button").click()
            if k % 2:
                box.locator("input[type=text]").fill(_typed(spec["right"], spec["digits"]))
                box.locator("button").click()
        else:
            wrong = [o for o in spec["options"] if o != spec["right"]]
            box.locator(f"input[type=radio][value='{(wrong if k % 2 == 0 and wrong else [spec['right']])[0]}']").check()
            box.locator("button").click()
    return boxes.count()


@pytest.mark.parametrize("name", ALL_PAGES)
def test_no_serious_accessibility_violation(browser, served, axe_script, name):
    page, _, _ = _visit(browser, _url(served, name))
    serious = _serious_violations(page, axe_script)
    page.context.close()
    assert serious == []


@pytest.mark.parametrize("name", ALL_PAGES)
def test_dark_mode_has_no_serious_violation_before_or_after_answering(browser, served, axe_script, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(_url(served, name))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert _serious_violations(page, axe_script) == []
    if _answer_every_box(page):
        assert page.locator(".bp-answer-box[data-verdict]").count() >= 1
        assert _serious_violations(page, axe_script) == [], "after answering"
    if name == "intro":  # search results with their highlighted words
        page.goto(f"{served}/search.html?q=gradient")
        page.wait_for_selector("#search-results li", timeout=10_000)
        assert _serious_violations(page, axe_script) == [], "search results"
    context.close()


@pytest.mark.parametrize("name", ALL_PAGES)
def test_pages_fit_a_phone_and_code_needs_no_sideways_scrolling(browser, served, name):
    page, _, _ = _visit(browser, _url(served, name), width=390, height=844)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-phone.png"), full_page=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    page.context.close()
    page, _, _ = _visit(browser, _url(served, name))
    wide = page.evaluate("""() => Array.from(document.querySelectorAll(
        'div.cell_input pre, div.cell_output pre, div.highlight pre'))
        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.slice(0, 60))""")
    page.context.close()
    assert wide == []


def test_the_whole_course_pdf_has_every_chapter_and_no_raw_tex():
    require_site()
    pdf = SITE / "bpcourse.pdf"
    require(pdf.exists(), "no PDF: make book builds it when Chromium is installed")
    require(subprocess.run(["which", "pdftotext"], capture_output=True).returncode == 0,
            "pdftotext is not installed (apt-get install poppler-utils)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    words_of_the_pdf = " ".join(re.findall(r"[A-Za-z]+", text))
    for name in CHAPTERS:
        heading = json.loads((ROOT / "book" / f"{name}.ipynb").read_text())["cells"][0]["source"][0]
        words = re.findall(r"[A-Za-z]+", heading)
        assert " ".join(words[:5]) in words_of_the_pdf, heading
    # TeX inside Python strings (code cells that build formulas) is fine; in prose it means a formula was not rendered
    prose = [line for line in text.splitlines() if '"' not in line and "'" not in line]
    for raw in ("\\frac", "\\partial", "$$", "\\begin{", "\\hat{"):
        assert not [line for line in prose if raw in line], f"untypeset TeX {raw!r} in the PDF"
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) > 40


# ------------------------------------------------------------------ navigation


def _dialog_open(page, dialog_id):
    return page.evaluate(f"(() => {{ const d = document.getElementById('{dialog_id}'); return !!(d && d.open); }})()")


def test_phone_drawer_opens_and_a_chapter_link_in_it_works(browser, served):
    page, errors, _ = _visit(browser, _url(served, "03_chain_rule"), width=390, height=844)
    toggle = page.locator(".primary-toggle:visible")
    assert toggle.count() == 1, "one visible button opens the chapters on a phone"
    toggle.click()
    page.wait_for_function("document.getElementById('pst-primary-sidebar-modal').open", timeout=5000)
    drawer = page.locator("#pst-primary-sidebar-modal")
    box = drawer.bounding_box()
    assert box is not None and box["x"] >= 0 and box["width"] > 200, f"the drawer is off-screen: {box}"
    link = drawer.locator("a[href*='05_gradient_descent']").first
    assert link.is_visible()
    link.click()
    page.wait_for_url("**/05_gradient_descent.html*", timeout=10_000)
    assert "Gradient descent" in page.locator("h1").first.inner_text()
    assert errors == []
    page.context.close()


def test_phone_page_contents_open(browser, served):
    page, _, _ = _visit(browser, _url(served, "03_chain_rule"), width=390, height=844)
    page.locator(".secondary-toggle:visible").click()
    page.wait_for_function("document.getElementById('pst-secondary-sidebar-modal').open", timeout=5000)
    links = page.locator("#pst-secondary-sidebar-modal nav a:visible")
    assert links.count() >= 5, "the page's contents list its sections"
    target = links.nth(1).get_attribute("href")
    links.nth(1).click()
    assert page.evaluate("location.hash") == target
    page.context.close()


def test_desktop_sidebar_toggle_hides_and_shows_the_chapters(browser, served):
    page, _, _ = _visit(browser, _url(served, "03_chain_rule"))
    sidebar = page.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    toggle = page.locator(".primary-toggle:visible")
    assert toggle.count() == 1
    toggle.click()
    page.wait_for_function("document.getElementById('pst-primary-sidebar').getBoundingClientRect().right <= 0",
                           timeout=5000)
    assert not _dialog_open(page, "pst-primary-sidebar-modal"), "on a desktop the toggle hides the sidebar, no dialog"
    toggle.click()
    page.wait_for_function("document.getElementById('pst-primary-sidebar').getBoundingClientRect().left >= 0",
                           timeout=5000)
    assert sidebar.is_visible()
    page.context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_one_search_bar(browser, served, width):
    page, _, _ = _visit(browser, _url(served, "03_chain_rule"), width=width, height=844)
    visible = page.locator(".search-button:visible, .search-button-field:visible, form.bd-search:visible")
    assert visible.count() == 1
    visible.first.click()
    field = page.locator("#pst-search-dialog input[type=search], .search-button__search-container input").first
    field.wait_for(state="visible", timeout=5000)
    page.context.close()


# ------------------------------------------------------------------ math rendered when the site is built


@pytest.mark.parametrize("name", ALL_PAGES)
def test_math_is_in_the_served_html_and_no_typesetter_loads(browser, served, name):
    page, errors, _ = _visit(browser, _url(served, name))
    requested = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
    assert not [u for u in requested if "mathjax" in u.lower() or u.endswith(".js") and "katex" in u.lower()]
    assert not page.evaluate("!!window.MathJax")
    assert page.locator(".katex-error").count() == 0
    # formulas are text, not tab stops
    focusable = page.evaluate("""Array.from(document.querySelectorAll('.katex, .katex *'))
        .filter(e => e.tabIndex >= 0 || e.hasAttribute('tabindex')).length""")
    assert focusable == 0
    page.context.close()
    html = page_path(name).read_text(encoding="utf-8")
    if name in CHAPTERS:
        assert html.count('class="katex"') >= 3, "every chapter's formulas arrive as HTML"
    assert "katex-error" not in html


def test_no_raw_tex_in_titles_sidebars_or_the_search_index():
    require_site()
    tex = re.compile(r"\\\(|\\\)|\$|\\[a-z]+\{|\b[a-zA-Z]_\{?\d")
    for page in [*SITE.glob("book/*.html"), SITE / "search.html", SITE / "genindex.html"]:
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert not tex.search(title), (page.name, title)
        sidebar = re.search(r'<nav class="bd-links bd-docs-nav.*?</nav>', html, re.S).group(0)
        assert not tex.search(re.sub(r"<[^>]+>", "", sidebar)), page.name
    index = (SITE / "searchindex.js").read_text(encoding="utf-8")
    titles = json.loads(index[index.index("(") + 1:index.rindex(")")])
    for title in [*titles["titles"], *titles["alltitles"]]:
        assert not tex.search(re.sub(r"<[^>]+>", "", title)), title
    assert "b₃" in " ".join(titles["titles"])


# ------------------------------------------------------------------ keyboard and structure


def test_every_header_button_shows_keyboard_focus(browser, served):
    page, _, _ = _visit(browser, _url(served, "03_chain_rule"))
    seen = {}
    page.locator("body").click(position={"x": 5, "y": 5})
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement;
            if (!e || !e.closest('.bd-header-article, .bd-header')) return null;
            const s = getComputedStyle(e);
            return {name: e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent.trim(),
                    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                    ring: s.boxShadow !== 'none'}; }""")
        if info:
            seen[info["name"]] = info["outline"] or info["ring"]
    for button in ("Toggle primary sidebar", "Launch interactive content", "Source repository", "Download this page"):
        assert button in seen, f"{button} is not reached with Tab: {sorted(seen)}"
        assert seen[button], f"{button} shows no focus indicator"
    page.context.close()


@pytest.mark.parametrize("name", CHAPTERS)
def test_exercise_titles_are_headings(opened, name):
    page, _ = opened[name]
    exercises = page.locator("div.exercise")
    headings = page.get_by_role("heading", name=re.compile(r"^Exercise \d+\.\d+"))
    assert exercises.count() >= 3
    assert headings.count() == exercises.count()


def test_no_empty_table_header():
    require_site()
    empty = []
    for page in SITE.glob("book/*.html"):
        for cell in re.findall(r"<th\b[^>]*>(.*?)</th>", page.read_text(encoding="utf-8"), re.S):
            if not re.sub(r"<[^>]+>", "", cell).strip():
                empty.append(page.name)
    assert empty == []


@pytest.mark.parametrize("name", SLIDER_PAGES)
def test_slider_frames_are_files_loaded_when_shown(browser, served, name):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    frames = []
    page.on("request", lambda request: frames.append(request.url) if "/_images/frame-" in request.url else None)
    page.goto(_url(served, name))
    page.wait_for_load_state("networkidle")
    html = page_path(name).read_text(encoding="utf-8")
    assert "data:image/png;base64" not in html, "slider frames are inline in the page"
    figures = page.locator(".bp-slider-figure")
    assert len(frames) == figures.count(), "only the first frame of each slider figure loads with the page"
    slider = figures.first.locator("input[type=range]")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("Array.from(document.querySelectorAll('.bp-slider-figure img')).every(i => i.complete)")
    assert len(frames) == figures.count() + 1, "the next frame is fetched when the slider reaches it"
    assert figures.first.locator("img").evaluate("i => i.naturalWidth") > 0
    context.close()


def test_slider_figures_have_distinct_accessible_names(browser, served):
    names = []
    for name in SLIDER_PAGES:
        page, _, _ = _visit(browser, _url(served, name))
        for k in range(page.locator(".bp-slider-figure input[type=range]").count()):
            slider = page.locator(".bp-slider-figure input[type=range]").nth(k)
            names.append(page.evaluate("e => e.labels[0].textContent", slider.element_handle()))
        page.context.close()
    assert len(names) >= 3
    assert len(set(names)) == len(names), names


def test_the_animation_plays_only_when_asked_and_pauses(browser, served):
    page, errors, _ = _visit(browser, _url(served, "05_gradient_descent"))
    assert page.get_by_role("button", name="Play the animation").count() == 1
    button = page.locator("button.bp-play-animation")
    image = page.locator("img[data-animation]")
    assert image.get_attribute("src").endswith("-still.png"), "the animation starts still"
    button.click()
    assert image.get_attribute("src").endswith(".gif")
    assert button.get_attribute("aria-pressed") == "true" and button.inner_text() == "Pause the animation"
    button.click()
    assert image.get_attribute("src").endswith("-still.png")
    page.wait_for_function("document.querySelector('img[data-animation]').naturalWidth > 0")
    assert errors == []
    page.context.close()


# ------------------------------------------------------------------ figures, code and tables on a phone

PHONE = {"width": 390, "height": 844}
# rows of three or more panels (bpcourse.plots.panel_row_png), by chapter and figure name
PANEL_FIGURES = {"02_forward_pass": ["fig-three-networks", "fig-dosage-b3"],
                 "05_gradient_descent": ["fig-learning-rates"],
                 "08_when_gradients_misbehave": ["fig-08-gradient-norms"]}


def _all_images_loaded(page):
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=15_000)


def _footnote_px(page):
    """The theme's size for footnote-sized body text (--pst-font-size-milli), in CSS pixels."""
    return page.evaluate("""() => { const e = document.createElement('span');
        e.style.fontSize = 'var(--pst-font-size-milli)'; e.textContent = 'x';
        document.querySelector('article').append(e);
        const size = parseFloat(getComputedStyle(e).fontSize); e.remove(); return size; }""")


@pytest.mark.parametrize("name", sorted(PANEL_FIGURES))
def test_rows_of_panels_stack_on_a_phone_with_tick_labels_as_large_as_footnotes(browser, served, name):
    from PIL import Image

    page, _, _ = _visit(browser, _url(served, name), **PHONE)
    _all_images_loaded(page)
    footnote = _footnote_px(page)
    assert footnote >= 12
    for figure in PANEL_FIGURES[name]:
        panels = page.evaluate(f"""Array.from(document.querySelectorAll('#{figure} .bp-panels img')).map(i => {{
            const r = i.getBoundingClientRect();
            return {{src: i.getAttribute('src'), alt: i.alt, top: r.top, bottom: r.bottom, left: r.left,
                     right: r.right, width: r.width, natural: i.naturalWidth}}; }})""")
        assert len(panels) >= 3, f"{figure}: the row of panels is one picture"
        for upper, lower in zip(panels, panels[1:]):
            assert lower["top"] >= upper["bottom"] - 1, f"{figure}: panels side by side on a phone"
        assert all(p["right"] <= 391 and p["left"] >= 0 for p in panels)
        assert panels[0]["alt"].count("Panel 1 of") == 1 and all(p["alt"] for p in panels)
        row = SITE / "_images" / (panels[0]["src"].rsplit("/", 1)[1].split("-panel-")[0] + ".png")
        with Image.open(row) as picture:
            tick_px = json.loads(picture.text["bpcourse-panels"])["tick_label_px"]
        for p in panels:
            shown = tick_px * p["width"] / p["natural"]
            assert shown >= footnote, f"{figure}: tick labels at {shown:.1f} px, footnotes at {footnote:.1f} px"
    page.context.close()
    page, _, _ = _visit(browser, _url(served, name))
    _all_images_loaded(page)
    figure = PANEL_FIGURES[name][0]
    tops = page.evaluate(f"Array.from(document.querySelectorAll('#{figure} .bp-panels img')).map(i => i.getBoundingClientRect().top)")
    assert tops[0] == pytest.approx(tops[1], abs=2), "on a desktop two panels sit side by side"
    page.context.close()


def test_wrapped_code_lines_hang_under_their_first_line_on_a_phone(browser, served):
    page, _, _ = _visit(browser, _url(served, "05_gradient_descent"), **PHONE)
    lines = page.evaluate("""() => {
        const found = [];
        for (const pre of document.querySelectorAll('div.cell_input pre')) {
            const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
            let previous = '\\n', lastTop = null, lineLeft = null;
            const range = document.createRange();
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                for (let k = 0; k < node.length; k++) {
                    const c = node.data[k];
                    if (c === '\\n') { previous = c; continue; }
                    range.setStart(node, k); range.setEnd(node, k + 1);
                    const box = range.getClientRects()[0];
                    if (!box) { previous = c; continue; }
                    if (previous === '\\n') { lineLeft = box.left; lastTop = box.top; }
                    else if (box.top > lastTop + 2) {  // a new visual line without a line break: a wrap
                        found.push(box.left - lineLeft);
                        lastTop = box.top;
                    }
                    previous = c;
                }
            }
        }
        return found; }""")
    chars = page.evaluate("""() => { const s = document.createElement('span'); s.textContent = '0000';
        document.querySelector('div.cell_input pre').append(s); const w = s.getBoundingClientRect().width;
        s.remove(); return w; }""")
    page.context.close()
    assert lines, "no code line wraps on a phone: the test sees nothing"
    least = min(lines)  # how far right of its statement's first character a wrapped line starts
    assert least >= 0.95 * chars, f"a wrapped line starts {least:.0f} px in; four columns are {chars:.0f} px"


def test_the_notation_table_fits_a_phone(browser, served):
    page, _, _ = _visit(browser, _url(served, "notation"), **PHONE)
    tables = page.evaluate("""Array.from(document.querySelectorAll('article table')).map(t => {
        const r = t.getBoundingClientRect(); const box = t.parentElement;
        return {right: r.right, columns: t.rows[0].cells.length,
                lastRight: t.rows[0].cells[t.rows[0].cells.length - 1].getBoundingClientRect().right,
                scrolls: t.scrollWidth > t.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1}; })""")
    page.screenshot(path=str(SCREENSHOTS / "notation-phone-table.png"), full_page=True)
    page.context.close()
    assert tables
    for table in tables:
        assert table["lastRight"] <= 390 and table["right"] <= 390, table
        assert not table["scrolls"], table


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_part_of_a_page_is_in_a_landmark(browser, served, axe_script, name):
    """axe's region rule (a best practice, outside the WCAG tags the other audit runs), in both modes."""
    for scheme, size in [("light", {"width": 1280, "height": 900}), ("dark", {"width": 1280, "height": 900}),
                         ("dark", PHONE)]:
        context = browser.new_context(viewport=size, color_scheme=scheme)
        page = context.new_page()
        page.goto(_url(served, name))
        page.wait_for_load_state("networkidle")
        wait_for_transitions(page)
        page.add_script_tag(content=axe_script)
        result = page.evaluate("axe.run(document, {runOnly: {type: 'rule', values: ['region']}})")
        context.close()
        assert [n["target"] for v in result["violations"] for n in v["nodes"]] == [], (scheme, size["width"])
