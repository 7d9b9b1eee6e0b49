"""The chapters as files: saved executed, complete, accessible and wired to the package.

Strict nbval (``pytest --nbval``) re-runs every chapter and compares outputs;
these tests check what nbval does not: that figures have alt text, that
every chapter has its exercises with checks and hidden solutions, that
numbers reach the prose through glue, and that the Colab install line points
at the repository named in ``_config.yml``.
"""

import json
import re
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
TOC = (ROOT / "_toc.yml").read_text()
CONFIG = (ROOT / "_config.yml").read_text()


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_the_chapters_are_in_the_table_of_contents_in_order_and_in_their_parts():
    names = [p.stem for p in CHAPTERS]
    assert names == ["01_neurons", "02_forward_pass", "03_chain_rule", "04_sse_gradient_b3",
                     "05_gradient_descent", "06_learning_rate_search", "07_backprop_and_autograd",
                     "08_when_gradients_misbehave", "09_handwritten_digits"]
    positions = [TOC.index(f"book/{name}") for name in names]
    assert positions == sorted(positions)
    part_two = TOC.index("beyond the sources")
    assert positions[5] < part_two < positions[6]
    assert TOC.index("book/api") > positions[-1]


def test_cells_that_nbval_ignores_are_the_documented_few():
    # only the one timing measurement of chapter 7
    for path in CHAPTERS:
        for cell in load(path)["cells"]:
            if "nbval-ignore-output" in cell["metadata"].get("tags", []):
                assert "gradient_timings" in source(cell), source(cell)[:80]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_saved_as_one_clean_run_with_outputs(path):
    cells = [c for c in load(path)["cells"] if c["cell_type"] == "code" and source(c).strip()]
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    assert not any(o["output_type"] == "error" for c in cells for o in c["outputs"])
    # text outputs only: the slider figures' HTML carries base64 frames, where any letters may appear
    text = json.dumps([o.get("data", {}).get("text/plain", "") or o.get("text", "")
                       for c in cells for o in c["outputs"]])
    assert not re.search(r"0x[0-9a-f]{6,}", text), "a memory address in a saved output"
    assert not re.search(r"/tmp/|/home/|/root/", text), "a machine path in a saved output"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text_and_every_alt_text_a_figure(path):
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code":
            continue
        has_image = any(k.startswith("image/") for o in cell["outputs"] for k in o.get("data", {}))
        alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
        assert has_image == bool(alt), f"cell {source(cell)[:60]!r}: image {has_image}, alt {alt!r}"
        if alt:
            assert len(alt) > 40, "alt text should describe what the figure shows"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_uses_the_package_sympy_glue_and_has_checked_exercises(path):
    cells = load(path)["cells"]
    code = "\n".join(source(c) for c in cells if c["cell_type"] == "code")
    prose = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    assert "import bpcourse" in code
    assert "sp.diff" in code, "every chapter derives at least one derivative with SymPy"
    assert "glue(" in code and "{glue:text}`" in prose
    glued = {o["metadata"]["scrapbook"]["name"] for c in cells if c["cell_type"] == "code"
             for o in c["outputs"] if "scrapbook" in o.get("metadata", {})}
    used = set(re.findall(r"\{glue:text\}`(\w+)", prose))
    assert used <= glued, f"prose uses names never glued: {used - glued}"
    exercises = re.findall(r"\{exercise\}\n:label: (\S+)", prose)
    solutions = re.findall(r"\{solution-start\} (\S+)\n:class: dropdown", prose)
    assert len(exercises) >= 3 and sorted(exercises) == sorted(solutions)
    assert code.count("bpcourse.check(") >= 2 * len(exercises), "a check for the learner and one in the solution"
    def defines(c):
        return re.search(r"^(class|def) ", source(c), re.M) and "bpcourse" not in source(c)
    assert not any(defines(c) and len(source(c).splitlines()) > 25 for c in cells if c["cell_type"] == "code"), \
        "long definitions belong in the package"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_colab_cell_installs_from_the_configured_repository(path):
    first = next(c for c in load(path)["cells"] if c["cell_type"] == "code")
    url = re.search(r"^\s*url:\s*(\S+)", CONFIG, re.M).group(1)
    assert "remove-cell" in first["metadata"].get("tags", [])
    assert f"git+{url}" in source(first)
    assert first["outputs"] == []


def test_slider_figures_have_a_static_counterpart_and_are_compared_by_nbval():
    found = 0
    for path in CHAPTERS:
        cells = [c for c in load(path)["cells"] if c["cell_type"] == "code"]
        for k, cell in enumerate(cells):
            if "_widget()" in source(cell):
                found += 1
                assert "nbval-ignore-output" not in cell["metadata"].get("tags", [])
                html = "".join(next(o["data"]["text/html"] for o in cell["outputs"] if "text/html" in o.get("data", {})))
                assert 'type="range"' in html and "<label" in html and 'aria-live="polite"' in html
                neighbours = cells[max(k - 2, 0): k + 2]
                assert any(c["metadata"].get("mystnb", {}).get("image") for c in neighbours), path.name
    assert found >= 3


def _outputs_text(cell):
    """Everything a reader can see in a cell's outputs: text, and the HTML's words (alt texts, titles).

    Long base64 runs (the frames of a slider, an answer box's data) are left out: nobody reads them.
    """
    parts = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        for text in (output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")):
            parts.append("".join(text) if isinstance(text, list) else text)
    return re.sub(r"[A-Za-z0-9+/=]{200,}", " ", "\n".join(parts))


def _expression_forms(expression):
    """Ways an expression may be written on a page, squeezed: SymPy's text and LaTeX of a few equal forms."""
    import sympy as sp

    forms = set()
    for form in (expression, sp.simplify(expression), sp.factor(expression), sp.expand(expression)):
        forms |= {sp.sstr(form), sp.latex(form)}
    return {_squeezed(form) for form in forms}


def _squeezed(text):
    """Text without spaces, multiplication signs, LaTeX spacing and sizing: a (1 - a), a*(1-a) alike."""
    return re.sub(r"\\left|\\right|\\[,;!]|\s|\*|`", "", text)


def _glued_text(cell):
    """The values a cell glues into the prose."""
    return "\n".join("".join(o["data"].get("application/papermill.record/text/plain", ""))
                     for o in cell.get("outputs", []) if "data" in o)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_no_exercise_answer_is_printed_above_its_exercise(path):
    """Nothing above an exercise gives its answer away: outputs, glued values or (for expressions) the prose."""
    from bpcourse.exercises import EXERCISES

    seen, prose = "", ""
    for cell in load(path)["cells"]:
        if cell["cell_type"] != "code":
            prose += "\n" + source(cell)
            continue
        text = source(cell)
        asked = re.search(r'bpcourse\.check\("([^"]+)", (answer|my_\w+|H_mine|relu_slope)\)', text)
        if asked and ("= None" in text or "return None" in text):
            exercise = EXERCISES[asked.group(1)]
            right = exercise.solution()
            if exercise.kind == "number" and abs(right - round(right)) > 1e-9:
                forms = {f"{right:.{exercise.digits}g}", f"{right:.4f}", f"{right:.3f}"}
                printed = [form for form in forms if re.search(rf"(?<![\d.]){re.escape(form)}(?!\d)", seen)]
                assert not printed, f"{asked.group(1)}: {printed} printed above the exercise"
            if exercise.kind == "expression":
                page = _squeezed(seen + prose)
                shown = [form for form in _expression_forms(right) if form in page]
                assert not shown, f"{asked.group(1)}: {shown} shown above the exercise"
            if exercise.kind == "array":
                shown = [f"{value:.3f}" for value in np.ravel(right) if f"{value:.3f}" in seen]
                assert not shown, f"{asked.group(1)}: {shown} printed above the exercise"
        seen += "\n" + _outputs_text(cell) + "\n" + _glued_text(cell)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_links_the_notation_page_and_hides_its_glue_calls(path):
    cells = load(path)["cells"]
    assert any("{doc}`notation`" in source(c) for c in cells if c["cell_type"] == "markdown")
    for cell in cells:
        if cell["cell_type"] == "code" and re.search(r"^glue\(", source(cell), re.M):
            assert "remove-input" in cell["metadata"].get("tags", []) or \
                "nbval-ignore-output" in cell["metadata"].get("tags", []) or \
                all(line.startswith(("glue(", "for ", "    glue(", "#")) or not line.strip()
                    for line in source(cell).splitlines()[-3:]), source(cell)[:80]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_exercise_states_the_precision_it_wants(path):
    from bpcourse.exercises import EXERCISES

    cells = load(path)["cells"]
    prose = "\n".join(source(c) for c in cells if c["cell_type"] == "markdown")
    blocks = re.findall(r"````\{exercise\}(.*?)````", prose, re.S)
    labels = re.findall(r'bpcourse\.check\("([^"]+)", (?:answer|my_\w+|H_mine|relu_slope)\)\n?$',
                        "\n".join(source(c) for c in cells if c["cell_type"] == "code"
                                  and ("None" in source(c) or re.search(r"^    \.\.\.", source(c), re.M))),
                        re.M)
    for label, block in zip(labels, blocks):
        if EXERCISES[label].kind == "number":
            assert re.search(r"significant digit|whole number|exact", block), (label, block[:120])
