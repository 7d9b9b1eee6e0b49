"""The built website in a real browser (Debian's Chromium driven by Playwright).

Each page is opened from disk with every request recorded: a page must not
ask any other host for anything. The tests also check that math is typeset,
solutions stay folded until opened, widget snapshots and their static figures
show, every image has alt text, and search works offline. A screenshot of
every page (light and dark) is kept in ``_build/screenshots`` for review.
"""

import pytest

from site_support import CHAPTERS, CHROMIUM, CHROMIUM_ARGS, PAGES, SCREENSHOTS, SITE, page_path, require, require_site

LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
WIDGET_PAGES = ["02_forward_pass", "05_gradient_descent"]


@pytest.fixture(scope="module")
def browser():
    require_site()
    require(CHROMIUM is not None, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # under CI this fails instead of skipping (see site_support.require)
        sync_playwright = None
    require(sync_playwright is not None, "Playwright is not installed (pip install -r requirements-test.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, path, *, color_scheme="light"):
    """Open ``path`` and return (page, requests made to other hosts)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=color_scheme)
    page = context.new_page()
    outside = []
    page.on("request", lambda request: None if request.url.startswith(LOCAL_SCHEMES) else outside.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    # MathJax and the widget manager render after "load": wait for both to finish.
    page.evaluate("() => (window.MathJax && MathJax.startup && MathJax.startup.promise) || null")
    if page.locator("script[type='application/vnd.jupyter.widget-view+json']").count():
        page.wait_for_selector(".widget-slider", timeout=15_000)
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
    assert page.locator("mjx-container").count() >= 3
    text = page.evaluate(
        """() => { const a = document.querySelector('article').cloneNode(true);
                   a.querySelectorAll('.cell_input, pre, code, mjx-container').forEach(e => e.remove());
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


@pytest.mark.parametrize("name", WIDGET_PAGES)
def test_widget_snapshot_and_its_static_figure_show(opened, name):
    page, _ = opened[name]
    page.wait_for_selector(".widget-slider", timeout=5000)
    assert page.locator(".widget-slider").first.is_visible()
    assert page.locator("img[alt*='static figure']").count() + page.locator(".jupyter-widgets img").count() >= 1
    static = page.locator("img[alt*='panels']")
    assert static.count() >= 1 and static.first.is_visible()


def test_launch_buttons_offer_binder_colab_and_download(opened):
    page, _ = opened["03_chain_rule"]
    html = page.content()
    assert "mybinder.org/v2/gh/" in html and "urlpath=lab/tree/book/03_chain_rule.ipynb" in html
    assert "colab.research.google.com/github/" in html
    assert "_sources/book/03_chain_rule.ipynb" in html


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
