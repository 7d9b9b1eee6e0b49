"""The learner notebooks (``notebooks/``): what Binder, Colab, JupyterHub and the download button open.

They are written from the chapters by ``scripts/learner_notebooks.py``. These
tests check that the committed ones are what the script makes of the saved
chapters, that no MyST markup is left in them, that every number the website
glues is written in their text (read from the built website, not from the
script), that solutions are folded and never run, that each one runs top to
bottom in a learner's kernel without an error and without printing
"Correct:", and that the built site's launch and download links lead to them.
"""

import importlib.util
import json
import os
import re
from html import unescape
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
from nbclient import NotebookClient

from site_support import CHAPTERS, ROOT, SITE, page_path, require_site

LEARNER = ROOT / "notebooks"

_spec = importlib.util.spec_from_file_location("learner_notebooks", ROOT / "scripts" / "learner_notebooks.py")
writer = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(writer)


def learner(chapter):
    return json.loads((LEARNER / f"{chapter}.ipynb").read_text())


def chapter_source(chapter):
    return json.loads((ROOT / "book" / f"{chapter}.ipynb").read_text())


def markdown_of(notebook):
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown"]


def test_there_is_one_learner_notebook_per_chapter_and_it_is_up_to_date():
    assert sorted(p.stem for p in LEARNER.glob("*.ipynb")) == CHAPTERS
    for chapter in CHAPTERS:
        made = writer.serialise(writer.learner_notebook(ROOT / "book" / f"{chapter}.ipynb"))
        assert (LEARNER / f"{chapter}.ipynb").read_text() == made, (
            f"notebooks/{chapter}.ipynb differs from what the chapter gives: run `make learner` and commit it")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_no_myst_markup_is_left(chapter):
    for text in markdown_of(learner(chapter)):
        assert "{glue" not in text, text[:300]
        assert not re.search(r"\{[a-z][\w:-]*\}`", text), f"a MyST role is left: {text[:300]}"
        assert not re.search(r"^\s*(`{3,}|:{3,})\s*\{", text, re.M), f"a MyST directive is left: {text[:300]}"
        assert not re.search(r"^:(label|class|name):", text, re.M), f"a directive option is left: {text[:300]}"
        assert not re.search(r"^\([\w-]+\)=\s*$", text, re.M), f"a MyST target is left: {text[:300]}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_number_the_website_glues_is_in_the_text(chapter):
    require_site()
    page = page_path(chapter).read_text(encoding="utf-8")
    pasted = [unescape(re.sub(r"<[^>]+>", "", s)) for s in re.findall(r'<span class="pasted-text">(.*?)</span>', page)]
    roles = sum(len(re.findall(r"\{glue(?::text)?\}`", "".join(c["source"])))
                for c in chapter_source(chapter)["cells"] if c["cell_type"] == "markdown")
    assert len(pasted) == roles, "the website shows one pasted number per glue role"
    text = "\n".join(markdown_of(learner(chapter)))
    missing = [number for number in pasted if number not in text]
    assert not missing, f"numbers on the website but not in notebooks/{chapter}.ipynb: {missing}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_exercises_are_markdown_and_solutions_are_folded_and_not_code(chapter):
    source = chapter_source(chapter)
    markdown = "\n".join("".join(c["source"]) for c in source["cells"] if c["cell_type"] == "markdown")
    exercises = len(re.findall(r"^`{3,}\{exercise\}", markdown, re.M))
    solutions = len(re.findall(r"^`{3,}\{solution-start\}", markdown, re.M))
    notebook = learner(chapter)
    texts = markdown_of(notebook)
    number = int(chapter[:2])
    assert [t.split("\n", 1)[0] for t in texts if t.startswith("**Exercise ")] == [
        f"**Exercise {number}.{k}**" for k in range(1, exercises + 1)]
    folded = [t for t in texts if t.startswith("<details>")]
    assert len(folded) == solutions and all(t.rstrip().endswith("</details>") for t in folded)
    assert all(re.search(r"^\*Run first:\* the set-up cell", t, re.M) for t in texts if t.startswith("**Exercise "))
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    for solution in folded:
        for block in re.findall(r"```python\n(.*?)```", solution, re.S):
            assert block.strip() not in code, "solution code must not be a code cell that 'Run all' runs"
    assert all(not c["outputs"] for c in notebook["cells"] if c["cell_type"] == "code")


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_the_install_cell_is_for_colab_only(chapter):
    cells = [c for c in learner(chapter)["cells"] if c["cell_type"] == "code"]
    installing = [c for c in cells if "pip install" in "".join(c["source"])]
    assert len(installing) == 1
    lines = "".join(installing[0]["source"]).split("\n")
    pip = next(k for k, line in enumerate(lines) if "%pip install" in line)
    assert any('if "google.colab" in sys.modules:' == line for line in lines[:pip])
    assert lines[pip].startswith("    "), "the install runs only inside the Colab test"


def _run_as_a_learner(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k not in ("BPCOURSE_WEBSITE", "MPLBACKEND")}
    env["PYTHONHASHSEED"] = "0"
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)  # passed on to the kernel's start
    return notebook


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Every learner notebook run top to bottom in a fresh kernel without the website's variable."""
    results = {}
    for chapter in CHAPTERS:
        folder = tmp_path_factory.mktemp(chapter)
        results[chapter] = _run_as_a_learner(LEARNER / f"{chapter}.ipynb", folder)
    return results


def _texts(cell):
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            yield output.text
        elif output.output_type == "error":
            yield "\n".join(output.traceback)
        else:
            yield str(output.get("data", {}).get("text/plain", ""))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_each_runs_top_to_bottom_without_error_or_a_correct_answer(executed, chapter):
    notebook = executed[chapter]
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors, errors[0]["ename"] if errors else ""
    said = "\n".join(t for c in notebook.cells if c.cell_type == "code" for t in _texts(c))
    assert "Correct:" not in said, "a solution ran: " + said[said.index("Correct:") - 200:][:400]
    assert "Not yet" in said, "the exercises' check cells ran and answered"
    glued = [o for c in notebook.cells for o in c.get("outputs", []) if o.get("metadata", {}).get("scrapbook")]
    assert not glued, "glue records values only for the website"


def test_sweeps_show_progress_in_a_learners_kernel(executed):
    bars = [o for c in executed["06_learning_rate_search"].cells if "lr_sweep(" in c.source
            for o in c.get("outputs", []) if str(o.get("data", {}).get("text/plain", "")).startswith("IntProgress(")]
    assert bars, "a learning-rate sweep shows a progress bar in a learner's kernel"


def test_sliders_in_a_learner_kernel_draw_one_picture_not_the_website_frames(executed):
    shown = 0
    for notebook in executed.values():
        for cell in notebook.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if str(data.get("text/plain", "")).startswith("SliderFigure("):
                    shown += 1
                    assert "application/vnd.jupyter.widget-view+json" in data
                    assert data["text/html"].count("data:image/png;base64,") == 1
                    assert "<script" not in data["text/html"]
    assert shown == 3, "chapters 2, 5 and 6 each show one slider figure"


@pytest.fixture(scope="module")
def site_links():
    require_site()
    links = {}
    for chapter in CHAPTERS:
        html = page_path(chapter).read_text(encoding="utf-8")
        links[chapter] = [unescape(h) for h in re.findall(r'<a[^>]+href="([^"]+)"', html)]
    return links


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_launch_and_download_buttons_open_the_learner_notebook(site_links, chapter):
    hrefs = site_links[chapter]
    binder = [h for h in hrefs if "mybinder.org" in h]
    colab = [h for h in hrefs if "colab.research.google.com" in h]
    assert len(binder) == 1 and len(colab) == 1
    urlpath = parse_qs(urlsplit(binder[0]).query)["urlpath"][0]
    assert urlpath == f"lab/tree/notebooks/{chapter}.ipynb"
    assert urlsplit(colab[0]).path.endswith(f"/notebooks/{chapter}.ipynb")
    assert (ROOT / urlpath.removeprefix("lab/tree/")).exists()
    downloads = [h for h in hrefs if h.endswith(".ipynb") and not urlsplit(h).scheme]
    assert downloads == [f"../notebooks/{chapter}.ipynb"]
    served = (page_path(chapter).parent / unquote(downloads[0])).resolve()
    assert served.read_bytes() == (LEARNER / f"{chapter}.ipynb").read_bytes()
    assert not any(f"book/{chapter}.ipynb" in h for h in hrefs), "no button opens the website's source"
