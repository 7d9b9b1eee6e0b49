"""A chapter in the local JupyterLab and Notebook 7, as a learner runs it: open, run every cell, move a slider.

Each front end is started from ``.venv`` (the README's ``.venv/bin/jupyter
lab`` and ``.venv/bin/jupyter notebook``) on the loopback address, without a
token, in a temporary folder holding a copy of one learner notebook, with its
own configuration and runtime folders. Debian's Chromium (through Playwright)
opens the notebook, runs all cells, and checks that no cell fails, that no
solution answers "Correct:", and that the live slider, reached with the Tab
key, moves with the arrow key and redraws its picture, sharp at its shown
size, with its label whole and its value said in the parameter's words.
Notebook 7 handles its keyboard shortcuts before the page sees a key (the
arrow keys move between cells), JupyterLab after it: the test runs in both.
Requests to any other host are refused and recorded. Like the site's browser
tests it skips without Chromium, except under CI.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from site_support import CHROMIUM, CHROMIUM_ARGS, ROOT, require

CHAPTER = "02_forward_pass"  # a quick chapter with the dosage network's seven sliders
JUPYTER = Path(sys.executable).with_name("jupyter")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# each front end: its command, its options, and the address of a notebook in it
FRONT_ENDS = {
    "lab": ("jupyter-lab", ["--LabApp.expose_app_in_browser=True", "--LabApp.news_url=None",
                            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"], "lab/tree"),
    "notebook": ("jupyter-notebook", ["--JupyterNotebookApp.expose_app_in_browser=True"], "notebooks"),
}


@pytest.fixture(scope="module", params=sorted(FRONT_ENDS))
def lab(request, tmp_path_factory):
    command, options, _ = FRONT_ENDS[request.param]
    require(shutil.which(command, path=str(JUPYTER.parent)) is not None,
            f"{command} is not installed in .venv (pip install -r requirements-test.txt)")
    home = tmp_path_factory.mktemp(request.param)
    work = home / "work"
    work.mkdir()
    shutil.copyfile(ROOT / "notebooks" / f"{CHAPTER}.ipynb", work / f"{CHAPTER}.ipynb")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BPCOURSE_WEBSITE", "MPLBACKEND")}
    env.update(HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_RUNTIME_DIR=str(home / "runtime"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), PYTHONHASHSEED="0")
    server = subprocess.Popen(
        [str(JUPYTER.with_name(command)), "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         "--IdentityProvider.token=", "--ServerApp.password=", f"--ServerApp.root_dir={work}", *options,
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "w"))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"{command} stopped: " + (home / "server.log").read_text()[-2000:])
                time.sleep(0.5)
        else:
            pytest.fail(f"{command} did not answer within 2 minutes")
        yield url, FRONT_ENDS[request.param][2]
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def page(lab):
    lab, notebooks = lab
    require(CHROMIUM is not None, "Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "Playwright is not installed (pip install -r requirements-test.txt)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        outside = []

        def route(request_route):
            if request_route.request.url.startswith((lab, "data:", "blob:")):
                request_route.continue_()
            else:
                outside.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.goto(f"{lab}/{notebooks}/{CHAPTER}.ipynb")
        page.wait_for_function("() => window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
                               timeout=120_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
        # wait for the kernel, then run every cell, as "Run > Run All Cells" does
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=120_000)
        page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(
            "() => { const prompts = Array.from(document.querySelectorAll('.jp-CodeCell .jp-InputPrompt'));"
            " return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent)); }",
            timeout=300_000)
        yield page, outside
        browser.close()


def test_the_chapter_runs_in_jupyterlab_without_error_or_answer(page):
    page, outside = page
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    said = "\n".join(outputs)
    assert "Traceback" not in said and "Error" not in said, said[:2000]
    assert "Correct:" not in said
    assert "Not yet" in said, "the check cells ran"
    assert not outside, f"Jupyter asked another host: {outside[:5]}"


def test_solutions_are_folded_and_the_markdown_is_rendered(page):
    page, _ = page
    folded = page.locator(".jp-MarkdownOutput details")
    assert folded.count() == 3, "chapter 2 has three folded solutions"
    assert all(not d.evaluate("e => e.open") for d in folded.all())
    assert folded.first.locator("summary").inner_text().startswith("Solution to exercise 2.1")
    rendered = "\n".join(page.locator(".jp-MarkdownOutput").all_inner_texts())
    assert "Exercise 2.1" in rendered and "{glue" not in rendered and "```" not in rendered


def test_the_slider_moves_with_the_keyboard_and_redraws_a_sharp_picture(page):
    page, _ = page
    widget = page.locator(".jp-OutputArea-output .widget-vbox").first
    widget.wait_for(timeout=60_000)
    sliders = widget.locator(".bp-live-slider input[type=range]")
    sliders.first.scroll_into_view_if_needed()  # JupyterLab lays out only the cells in view
    sliders.last.wait_for(state="visible", timeout=30_000)
    # each slider's accessible name (its label's words, as the page holds them) and what it says
    names = ["w1", "b1", "w2", "b2", "w3", "w4", "b3"]
    assert [sliders.nth(k).evaluate("e => e.labels[0].textContent") for k in range(7)] == names
    for k in range(sliders.count()):
        whole = sliders.nth(k).evaluate("e => e.labels[0].scrollWidth <= e.labels[0].clientWidth + 1")
        assert whole, f"the label {names[k]!r} is cut"
    assert sliders.first.get_attribute("aria-valuetext") == "w1 = 3.34"
    status = widget.locator("[role=status]")
    picture = widget.locator("img")
    before_status, before_picture = status.inner_text(), picture.get_attribute("src")
    assert "b3 = 0" in before_status and sliders.last.get_attribute("aria-valuetext") == "b3 = 0"
    natural, shown = picture.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
    assert natural >= 2 * shown - 2, f"a {natural}-pixel picture shown {shown} pixels wide is not sharp"
    # as a keyboard user: from the w4 slider, Tab reaches b3's (the last of the seven), ArrowRight moves it
    sliders.nth(5).focus()
    page.keyboard.press("Tab")
    assert sliders.last.evaluate("e => e === document.activeElement"), "Tab does not reach the b3 slider"
    page.keyboard.press("ArrowRight")
    # the status line is re-rendered and the picture's source replaced when the kernel has redrawn it
    assert _changes(lambda: status.inner_text(), before_status), "the slider did not move with the arrow key"
    assert "b3 = 0.25" in status.inner_text() and sliders.last.get_attribute("aria-valuetext") == "b3 = 0.25"
    assert sliders.last.evaluate("e => e === document.activeElement"), "the focus left the slider"
    assert _changes(lambda: picture.get_attribute("src"), before_picture), "the picture was not redrawn"


def _changes(read, before, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if read() != before:
            return True
        time.sleep(0.2)
    return False
