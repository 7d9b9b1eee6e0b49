"""Write the learner notebooks: each chapter as a notebook written for Jupyter, Binder and Colab.

The chapters in ``book/`` are the website's source: their Markdown is MyST
(exercise and solution directives, ``{glue:text}`` roles that paste computed
numbers, ``{doc}`` links) and some cells exist only for the website. A
learner who opens them in Jupyter sees raw markup and unfolded answers. This
script turns every chapter into ``notebooks/NN_name.ipynb``, the notebook
that the launch buttons (Binder, Colab, JupyterHub) and the download button
of the website open:

* each ``{glue:text}`` role becomes the number itself, read from the
  chapter's saved outputs and formatted as the website formats it; each
  ``{numref}`` becomes the figure's number ("Fig. 6.2", numbered as the
  website numbers them) and each ``{cite}`` the work's authors and year
  (from ``book/references.bib``);
* each exercise becomes plain Markdown ("Exercise 5.1"), followed by a line
  that says which earlier cells its code needs after a fresh start (found by
  reading which names its cells use and which earlier cells define them);
* each solution, its text and its code, is folded into one HTML
  ``<details>`` block of a Markdown cell: it shows in every Jupyter front
  end and on GitHub, and "Run all" does not run it (a learner can still copy
  its code into a cell);
* cells for the website only (tagged ``remove-cell``, the answer boxes, the
  cells that only glue numbers) are dropped, and outputs are cleared;
* the Colab install cell is replaced by one that installs the package on
  Colab only and does nothing anywhere else.

The notebooks are committed, so that Binder and Colab, which open files from
the repository, find them; ``make notebooks`` rewrites them after running
the chapters, and ``tests/test_learner_notebooks.py`` fails when they differ
from what this script makes of the chapters. Never edit them by hand.

    python scripts/learner_notebooks.py           # write notebooks/
    python scripts/learner_notebooks.py --check   # exit 1 if notebooks/ is out of date
"""

from __future__ import annotations

import ast
import builtins
import json
import re
import sys
from pathlib import Path

from myst_nb.core.variables import format_plain_text  # how the website formats a {glue:text}

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LEARNER = ROOT / "notebooks"
GLUE_MIME = "application/papermill.record/text/plain"

ROLE = re.compile(r"\{(?P<role>[a-z][a-z:\-]*)\}`(?P<content>[^`]*)`")
FENCE_OPEN = re.compile(r"^(?P<fence>`{3,}|:{3,})\{(?P<name>[a-z\-:]+)\}[ \t]*(?P<argument>.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$", re.M)


class MarkupError(ValueError):
    """A chapter uses MyST markup this script does not know how to write for Jupyter."""


# ------------------------------------------------------------------ reading the chapter

def chapter_paths():
    return sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))


def glued_values(notebook):
    """``{name: text/plain}`` of every value the chapter glues, from its saved outputs."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook")
            if record and GLUE_MIME in output.get("data", {}):
                values[record["name"]] = "".join(output["data"][GLUE_MIME])
    return values


def page_title(docname):
    """The first heading of a page of the book (a chapter notebook or a Markdown page)."""
    notebook = BOOK / f"{docname}.ipynb"
    if notebook.exists():
        text = "".join(json.loads(notebook.read_text())["cells"][0]["source"])
    else:
        text = (BOOK / f"{docname}.md").read_text()
    match = HEADING.search(text)
    return match.group(2).strip() if match else docname


def chapter_number(path):
    return int(path.name[:2])


_FIGURE_NUMBERS = {}


def figure_numbers():
    """``{name: "6.2"}`` for every named figure of every chapter, numbered in order as the website does."""
    if not _FIGURE_NUMBERS:
        for path in chapter_paths():
            cells = json.loads(path.read_text())["cells"]
            named = [cell["metadata"].get("mystnb", {}).get("figure", {}).get("name") for cell in cells]
            for k, name in enumerate([name for name in named if name], start=1):
                _FIGURE_NUMBERS[name] = f"{chapter_number(path)}.{k}"
    return _FIGURE_NUMBERS


_BIB_ENTRY = re.compile(r"@\w+\{(?P<key>[^,\s]+),(?P<body>.*?)\n\}", re.S)
_BIB_FIELD = re.compile(r"(?P<field>\w+)\s*=\s*\{(?P<value>(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*)\}", re.S)


def _bib_text(value):
    """A BibTeX value as plain text: accents and braces dropped (the citations name authors only)."""
    value = re.sub(r"\\['`^\"~]\{?(\w)\}?", r"\1", value)
    return re.sub(r"[{}]", "", value).strip()


def citation(key, where):
    """How a citation reads in a learner notebook: "(McCulloch and Pitts, 1943)", or the title of an untitled-author work."""
    text = (BOOK / "references.bib").read_text(encoding="utf-8")
    for entry in _BIB_ENTRY.finditer(text):
        if entry["key"] == key:
            fields = {m["field"].lower(): _bib_text(m["value"]) for m in _BIB_FIELD.finditer(entry["body"])}
            if "author" not in fields:
                return f"(*{fields.get('title', key)}*)"
            names = [name.split(",")[0].strip() for name in fields["author"].split(" and ")]
            who = names[0] if len(names) == 1 else (f"{names[0]} and {names[1]}" if len(names) == 2
                                                     else f"{names[0]} et al.")
            return f"({who}, {fields['year']})" if "year" in fields else f"({who})"
    raise MarkupError(f"{where}: no entry {key!r} in book/references.bib")


# ------------------------------------------------------------------ Markdown

def replace_roles(text, glue, where):
    def one(match):
        role, content = match["role"], match["content"]
        if role in ("glue:text", "glue"):
            key, _, spec = content.partition(":") if role == "glue:text" else (content, "", "")
            if key not in glue:
                raise MarkupError(f"{where}: no saved glue output named {key!r}; run `make notebooks`")
            return format_plain_text(glue[key], spec if role == "glue:text" else "")
        if role == "doc":
            label, target = content, content
            explicit = re.fullmatch(r"(.*?)\s*<(.+)>", content)
            if explicit:
                label, target = explicit.groups()
            target = target.lstrip("/").removeprefix("book/")
            title = label if explicit else page_title(target)
            if (BOOK / f"{target}.ipynb").exists():
                return f"[{title}]({target}.ipynb)"
            return f"[{title}](../book/{target}.md)"
        if role == "math":
            return f"${content}$"
        if role == "numref":
            explicit = re.fullmatch(r"(.*?)\s*<(.+)>", content)
            name = explicit.group(2) if explicit else content
            if name not in figure_numbers():
                raise MarkupError(f"{where}: no figure named {name!r} for {{numref}}")
            number = figure_numbers()[name]
            return explicit.group(1).replace("%s", number) if explicit else f"Fig. {number}"
        if role in ("cite", "cite:p", "cite:t"):
            return "; ".join(citation(key.strip(), where) for key in content.split(","))
        raise MarkupError(f"{where}: the role {{{role}}} has no Jupyter form yet (scripts/learner_notebooks.py)")

    return ROLE.sub(one, text)


def split_directives(text, where):
    """Split MyST Markdown into pieces: ("text", str) and (directive name, argument, options, body)."""
    lines = text.split("\n")
    pieces, plain, k = [], [], 0
    while k < len(lines):
        opened = FENCE_OPEN.match(lines[k])
        if not opened:
            plain.append(lines[k])
            k += 1
            continue
        if plain:
            pieces.append(("text", "\n".join(plain)))
            plain = []
        fence, body, options = opened["fence"], [], {}
        k += 1
        while k < len(lines) and lines[k].rstrip() != fence:
            body.append(lines[k])
            k += 1
        if k == len(lines):
            raise MarkupError(f"{where}: the {{{opened['name']}}} block is never closed")
        k += 1
        while body and re.match(r"^:[\w-]+:", body[0]):
            name, _, value = body.pop(0)[1:].partition(":")
            options[name] = value.strip()
        pieces.append((opened["name"], opened["argument"].strip(), options, "\n".join(body).strip("\n")))
    if plain:
        pieces.append(("text", "\n".join(plain)))
    return pieces


# ------------------------------------------------------------------ which cells an exercise needs

def _code_without_magics(source):
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))


def names_of(source):
    """(names the code defines, names it uses from elsewhere), read from its syntax tree."""
    tree = ast.parse(_code_without_magics(source))
    defined, used = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (defined if isinstance(node.ctx, (ast.Store, ast.Del)) else used).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            defined.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
    return defined, used - defined - set(dir(builtins))


def needed_cells(cells, indices, before):
    """The earlier code cells (positions < ``before``) that define what the cells ``indices`` use, and their own needs.

    Names that the cells ``indices`` define themselves (the exercise's own
    cells, run in order) need nothing earlier.
    """
    own = set().union(*(names_of(cells[k]["source"])[0] for k in indices)) if indices else set()
    needed, names_from, todo = set(), {}, list(indices)
    while todo:
        k = todo.pop()
        _, used = names_of(cells[k]["source"])
        if k in indices:
            used = used - own
        for name in sorted(used):
            limit = min(k, before)
            source_cell = next((j for j in range(limit - 1, -1, -1)
                                if cells[j]["kind"] == "code" and name in names_of(cells[j]["source"])[0]), None)
            if source_cell is None:
                continue
            names_from.setdefault(source_cell, set()).add(name)
            if source_cell not in needed:
                needed.add(source_cell)
                todo.append(source_cell)
    return needed, names_from


def needs_sentence(cells, exercise_cells, before, setup):
    needed, names_from = needed_cells(cells, exercise_cells, before)
    sections = {}
    for k in sorted(needed - {setup}):
        sections.setdefault(cells[k]["section"], set()).update(names_from.get(k, set()))
    if not sections:
        return ("*Run first:* the set-up cell at the top of the notebook; "
                "this exercise's cells need nothing else.")
    parts = []
    for section, names in sections.items():
        where = f"the code in {section}" if section.startswith(SOLUTION_SECTION) else f"the code cells of “{section}”"
        parts.append(f"{where} (for {', '.join(f'`{n}`' for n in sorted(names))})" if names else where)
    return "*Run first:* the set-up cell at the top of the notebook, then " + "; then ".join(parts) + "."


# ------------------------------------------------------------------ the transform

SOLUTION_SECTION = "the solution of exercise "  # where a folded solution's code "stands"

COLAB_CELL = """\
# On Colab only: install the course package and turn on the sliders' widgets.
# Anywhere else (Binder, a local Jupyter) this cell does nothing.
import sys

if "google.colab" in sys.modules:
    {install}
    from google.colab import output

    output.enable_custom_widget_manager()
"""


def _is_glue_only(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    return bool(tree.body) and all(
        isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
        and getattr(s.value.func, "id", getattr(s.value.func, "attr", None)) in ("glue", "answer_box")
        for s in tree.body)


def _website_only(cell):
    tags = set(cell.get("metadata", {}).get("tags", []))
    source = "".join(cell["source"])
    return "remove-cell" in tags or (cell["cell_type"] == "code" and _is_glue_only(source))


def _install_line(cell):
    match = re.search(r"^\s*(%pip install .*)$", "".join(cell["source"]), re.M)
    return match.group(1) if match else None


def learner_notebook(path):
    """The learner notebook (a dict in nbformat 4) made from the chapter at ``path``."""
    chapter = json.loads(Path(path).read_text())
    glue = glued_values(chapter)
    number = chapter_number(Path(path))

    # 1. A flat list of pieces: markdown text (roles replaced), directives, code cells.
    pieces, install = [], None
    for index, cell in enumerate(chapter["cells"]):
        where = f"{Path(path).name} cell {index}"
        if _website_only(cell):
            line = _install_line(cell) if cell["cell_type"] == "code" else None
            if line and install is None:
                install = line
                pieces.append(("colab", install))
            continue
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            pieces.append(("code", source))
        elif cell["cell_type"] == "markdown":
            for piece in split_directives(replace_roles(source, glue, where), where):
                pieces.append(piece)
            pieces.append(("break",))
        else:
            raise MarkupError(f"{where}: a {cell['cell_type']} cell has no learner form yet")

    # 2. Cells: exercises in plain Markdown, solutions folded, with the section of every code cell.
    cells, markdown, section, exercise_count = [], [], "the beginning", 0
    solution, exercises = None, []  # solution: lines of the open <details> block

    def flush():
        text = "\n\n".join(part for part in markdown if part.strip()).strip("\n")
        if text:
            cells.append({"kind": "markdown", "source": text, "section": section})
        markdown.clear()

    for piece in pieces:
        kind = piece[0]
        if kind == "break":
            if solution is None:
                flush()
            continue
        if kind == "colab":
            flush()
            cells.append({"kind": "code", "source": COLAB_CELL.format(install=piece[1]).rstrip("\n"),
                          "section": section, "colab": True})
            continue
        if kind == "code":
            if solution is not None:
                solution.append(("code", piece[1]))
            else:
                flush()
                cells.append({"kind": "code", "source": piece[1], "section": section})
                if exercises and exercises[-1]["open"]:
                    exercises[-1]["cells"].append(len(cells) - 1)
            continue
        if kind == "text":
            text = piece[1]
            headings = HEADING.findall(text)
            if solution is not None:
                solution.append(("text", text))
                continue
            if headings:
                section = headings[-1][1].strip()
                if exercises and any(len(h[0]) <= 2 for h in headings):
                    exercises[-1]["open"] = False
            markdown.append(text)
            continue
        name, argument, options, body = piece
        if name == "exercise":
            flush()
            exercise_count += 1
            title = f"**Exercise {number}.{exercise_count}**" + (f" ({argument})" if argument else "")
            markdown.append(f"{title}\n\n{body}")
            flush()
            exercises.append({"markdown": len(cells) - 1, "cells": [], "label": options.get("label"),
                              "number": f"{number}.{exercise_count}", "open": True})
        elif name == "solution-start":
            flush()
            solution = []
            solved = next((e for e in exercises if e["label"] == argument), exercises[-1] if exercises else None)
            solution_of = solved["number"] if solved else ""
        elif name == "solution-end":
            if solution is None:
                raise MarkupError(f"{Path(path).name}: solution-end without solution-start")
            code_parts = [p[1] for p in solution if p[0] == "code"]
            body = [f"<details>\n<summary>Solution to exercise {solution_of} (click to open)</summary>"]
            for kind_, text in solution:
                if kind_ == "text" and text.strip():
                    body.append(text.strip("\n"))
                elif kind_ == "code":
                    body.append(f"```python\n{text.rstrip()}\n```")
            body.append("</details>")
            cells.append({"kind": "markdown", "source": "\n\n".join(body), "section": section,
                          "solution_code": code_parts, "solution_of": solution_of})
            solution = None
        elif name in ("note", "tip", "important", "warning", "attention", "caution", "hint", "admonition"):
            heading = argument if name == "admonition" else (argument or name.capitalize())
            markdown.append("\n".join(["> **" + heading + "**", ">"] + [f"> {line}" if line else ">"
                                                                        for line in body.split("\n")]))
        elif name == "math":
            markdown.append(f"$$\n{body}\n$$")
        else:
            raise MarkupError(f"{Path(path).name}: the directive {{{name}}} has no Jupyter form yet")
    flush()
    if solution is not None:
        raise MarkupError(f"{Path(path).name}: a solution is never closed")

    # 3. Each exercise says which earlier cells its code needs.
    #    A folded solution's code counts too, where it stands: a later exercise may use what it defines.
    pool, position = [], {}
    for k, cell in enumerate(cells):
        position[k] = len(pool)
        pool.append(cell)
        pool.extend({"kind": "code", "source": code, "section": SOLUTION_SECTION + cell["solution_of"],
                     "solution_of": cell["solution_of"]} for code in cell.get("solution_code", []))
    setup = position[next(k for k, c in enumerate(cells) if c["kind"] == "code" and not c.get("colab"))]
    for exercise in exercises:
        indices = [position[k] for k in exercise["cells"]]
        indices += [j for j, c in enumerate(pool) if c.get("solution_of") == exercise["number"] and c["kind"] == "code"]
        sentence = needs_sentence(pool, indices, position[exercise["markdown"]], setup)
        cells[exercise["markdown"]]["source"] += "\n\n" + sentence

    # 4. nbformat 4, no outputs.
    out_cells = []
    for position, cell in enumerate(cells):
        if cell["kind"] == "code":
            out_cells.append({"cell_type": "code", "execution_count": None, "id": f"cell-{position}",
                              "metadata": {}, "outputs": [], "source": cell["source"].splitlines(keepends=True)})
        else:
            out_cells.append({"cell_type": "markdown", "id": f"cell-{position}", "metadata": {},
                              "source": cell["source"].splitlines(keepends=True)})
    metadata = {key: chapter["metadata"][key] for key in ("kernelspec", "language_info") if key in chapter["metadata"]}
    metadata["bpcourse"] = {"generated_from": f"book/{Path(path).name}",
                            "note": "written by scripts/learner_notebooks.py; edit the chapter, not this file"}
    return {"cells": out_cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": 5}


def serialise(notebook):
    return json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"


def main(arguments):
    check = "--check" in arguments
    stale = []
    LEARNER.mkdir(exist_ok=True)
    expected = {path.name: serialise(learner_notebook(path)) for path in chapter_paths()}
    for name, text in expected.items():
        target = LEARNER / name
        if target.exists() and target.read_text() == text:
            continue
        stale.append(name)
        if not check:
            target.write_text(text)
    for extra in sorted(set(p.name for p in LEARNER.glob("*.ipynb")) - set(expected)):
        stale.append(extra)
        if not check:
            (LEARNER / extra).unlink()
    if check and stale:
        print("out of date in notebooks/: " + ", ".join(stale) + "; run `make learner`", file=sys.stderr)
        return 1
    if not check:
        print(f"notebooks/: {len(expected)} learner notebooks, {len(stale)} rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
