"""Build graded assignments from the chapters, for instructors.

    python scripts/build_assignments.py [--out _build/assignments] [book/NN_x.ipynb ...]

One source: each chapter notebook gives the text, the code and the exercises;
``bpcourse.exercises`` gives each exercise's right answer, precision, named
mistakes and checker. Nothing here repeats a question or an answer. For every
chapter with exercises this writes

- ``student/NN_x.ipynb``: the chapter with its solutions, answer boxes and
  outputs removed; each exercise keeps its answer cell (for a code exercise,
  the function's skeleton) and gets a public check that tells whether the
  answer has the right form (a number, the shape of an array, the symbols of
  an expression, a function of the right arguments, ...), never whether it is
  right;
- ``autograder/NN_x.zip``: an otter-grader autograder whose hidden test grades
  each exercise with the course's own checker, at the precision the exercise
  states, one point per exercise (a code exercise's function is run by its
  checker, under the checker's time limit);
- ``answer_key.md``: every exercise with its right answer, accepted precision,
  named mistakes and the chapter's worked solution, to print.

The notebooks are turned into otter-grader "master" notebooks (raw cells
``# BEGIN QUESTION``, ``# BEGIN PROMPT``, ``# BEGIN SOLUTION``, ``# BEGIN TESTS``)
and ``otter assign`` does the rest.
"""

from __future__ import annotations

import argparse
import contextlib
import inspect
import io
import json
import re
import shutil
import tempfile
import tokenize
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sympy as sp

from bpcourse.exercises import EXERCISES
from otter.assign import main as otter_assign

ROOT = Path(__file__).resolve().parent.parent
POINTS_PER_EXERCISE = 1
METADATA_KEY = "bpcourse_assignment"  # notebook metadata: which chapter an assignment is

CHECK_CALL = re.compile(r"""^[ \t]*bpcourse\.check\(\s*["']([\w-]+)["']\s*,\s*([A-Za-z_]\w*)\s*\)[ \t]*\n?""", re.M)
EXERCISE_BLOCK = re.compile(r"^(`{3,})\{exercise\}[^\n]*\n(.*?)^\1[ \t]*$\n?", re.M | re.S)
SOLUTION_START = re.compile(r"^(`{3,})\{solution-start\}[^\n]*\n.*?^\1[ \t]*$\n?", re.M | re.S)
SOLUTION_END = re.compile(r"^(`{3,})\{solution-end\}[^\n]*\n.*?^\1[ \t]*$\n?", re.M | re.S)
GLUE_ROLE = re.compile(r"\{glue:text\}`([\w-]+)(?::([^`]*))?`")
DOC_ROLE = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`]+))`")


# ----------------------------------------------------------------- reading a chapter


@dataclass
class ChapterExercise:
    """One exercise of a chapter, as the chapter writes it."""

    number: int
    statement: str  # Markdown, the directive's body
    label: str = ""  # the label of bpcourse.exercises, from the check cell
    variable: str = ""  # the name the learner's answer is stored in
    prompt: str = ""  # the answer cell without its bpcourse.check line
    solution_markdown: list = field(default_factory=list)
    solution_code: list = field(default_factory=list)


@dataclass
class Chapter:
    """A chapter read for its assignment."""

    stem: str
    title: str
    items: list  # ("markdown", text) | ("code", source) | ("exercise", ChapterExercise)
    exercises: list


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _glued_values(notebook):
    """``{name: text/plain}`` of every ``glue`` output saved in the chapter."""
    values = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name:
                text = output.get("data", {}).get("application/papermill.record/text/plain")
                if text is not None:
                    values[name] = "".join(text) if isinstance(text, list) else text
    return values


def _title_of(target):
    """The first heading of a page of the book (``notation``, ``05_gradient_descent``)."""
    for path in (ROOT / "book" / f"{target}.ipynb", ROOT / "book" / f"{target}.md"):
        if path.suffix == ".ipynb" and path.exists():
            cells = json.loads(path.read_text())["cells"]
            text = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
        elif path.exists():
            text = path.read_text()
        else:
            continue
        match = re.search(r"^#\s+(.+)$", text, re.M)
        if match:
            return match.group(1).strip()
    return target


def plain_markdown(text, glued):
    """MyST roles the exercises and prose use, written out for a plain Jupyter notebook."""

    def glue(match):
        name, spec = match.group(1), match.group(2)
        if name not in glued:
            raise ValueError(f"glue name {name!r} has no saved value; run `make notebooks` first")
        value = glued[name]
        if spec:
            try:
                return format(float(value), spec)
            except ValueError:
                return format(value.strip("'\""), spec)
        return value

    def doc(match):
        text, target, bare = match.groups()
        return f"*{text or _title_of((target or bare).strip())}*"

    return DOC_ROLE.sub(doc, GLUE_ROLE.sub(glue, text))


def _split_markdown(text):
    """A Markdown cell as pieces: ("markdown", text), ("exercise", body), ("solution-start",), ("solution-end",)."""
    marks = []
    for kind, pattern in (("exercise", EXERCISE_BLOCK), ("solution-start", SOLUTION_START),
                          ("solution-end", SOLUTION_END)):
        marks += [(m.start(), m.end(), kind, m.group(2) if kind == "exercise" else None)
                  for m in pattern.finditer(text)]
    pieces, position = [], 0
    for start, end, kind, body in sorted(marks):
        if text[position:start].strip():
            pieces.append(("markdown", text[position:start].strip("\n")))
        pieces.append((kind, body))
        position = end
    if text[position:].strip():
        pieces.append(("markdown", text[position:].strip("\n")))
    return pieces


def _rename(source, old, new):
    """``source`` with the Python name ``old`` written ``new`` (comments and strings untouched)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    lines = source.splitlines(keepends=True)
    for token in reversed(tokens):
        if token.type == tokenize.NAME and token.string == old:
            (row, col), (_, end) = token.start, token.end
            lines[row - 1] = lines[row - 1][:col] + new + lines[row - 1][end:]
    return "".join(lines)


def read_chapter(path):
    """Split a chapter into prose, code and exercises; solutions go to their exercise."""
    notebook = json.loads(Path(path).read_text())
    glued = _glued_values(notebook)
    items, exercises = [], []
    in_solution, current = False, None
    for cell in notebook["cells"]:
        text = _source(cell)
        if cell["cell_type"] == "markdown":
            for kind, body in _split_markdown(text):
                if kind == "solution-start":
                    in_solution = True
                elif kind == "solution-end":
                    in_solution = False
                elif in_solution:
                    current.solution_markdown.append(plain_markdown(body, glued))
                elif kind == "exercise":
                    body = re.sub(r"^:[\w-]+:.*\n", "", body.lstrip("\n"), flags=re.M).strip("\n")
                    current = ChapterExercise(len(exercises) + 1, plain_markdown(body, glued))
                    exercises.append(current)
                    items.append(("exercise", current))
                else:
                    items.append(("markdown", plain_markdown(body, glued)))
            continue
        if cell["cell_type"] != "code":
            continue
        if in_solution:
            current.solution_code.append(text.rstrip())
            continue
        if "answer_box(" in text:  # the page's answer box carries the answer: never in an assignment
            continue
        match = CHECK_CALL.search(text)
        if match and current is not None and not current.label:
            current.label, current.variable = match.group(1), match.group(2)
            current.prompt = CHECK_CALL.sub("", text).rstrip()
            continue
        if match:
            raise ValueError(f"{path}: check of {match.group(1)!r} outside an exercise")
        items.append(("code", text))
    for exercise in exercises:
        if exercise.label not in EXERCISES:
            raise ValueError(f"{path}: exercise {exercise.number} has no check cell with a known label")
    # One name per answer: chapters reuse `answer`, but each exercise is graded on its own value.
    names = [e.variable for e in exercises]
    for exercise in exercises:
        if names.count(exercise.variable) > 1:
            new = f"{exercise.variable}_{exercise.label.replace('-', '_')}"
            exercise.prompt = _rename(exercise.prompt, exercise.variable, new)
            exercise.variable = new
    title = re.search(r"^#\s+(.+)$", next(t for k, t in items if k == "markdown"), re.M).group(1)
    return Chapter(Path(path).stem, title, items, exercises)


# ----------------------------------------------------------------- tests for otter


def _test_function(name, variable, body):
    """An otter exception-based test: one function of the answer's name, and its call."""
    body = "".join(f"    {line}\n" if line else "\n" for line in body.splitlines())
    return f"def {name}({variable}):\n{body}\n{name}({variable})\n"


CODE_KINDS = ("gradients", "value_op")  # answered by writing a function, which the checker runs


def _arguments(spec):
    """What a code exercise's function takes: the reference's arguments, or one Value."""
    if spec.kind == "gradients":
        return [p.name for p in inspect.signature(spec.solution()).parameters.values()]
    return ["a Value"]


def _code_form(spec, var):
    """The body of a code exercise's public test: a function, filled in, that takes the right arguments."""
    arguments = _arguments(spec)
    wanted = f"the function should take {len(arguments)} argument(s): {', '.join(arguments)}"
    return ("from bpcourse.checks import unanswered\n"
            f"assert not unanswered({var}), 'no answer yet: write the body of {var} in place of ... and run it'\n"
            f"assert callable({var}), 'a function is asked for'\n"
            "import inspect\n"
            "try:\n"
            f"    inspect.signature({var}).bind(*range({len(arguments)}))\n"
            "except (TypeError, ValueError):\n"
            f"    raise AssertionError({wanted!r}) from None\n")


def form_test(exercise):
    """A public test: does the answer have the right form? It never compares with the right value."""
    spec, var = EXERCISES[exercise.label], exercise.variable
    body = f"assert {var} is not None, 'no answer yet: replace None in the answer cell and run it'\n"
    if spec.kind in CODE_KINDS:
        body = _code_form(spec, var)
    elif spec.kind == "number":
        body += (
            f"assert not isinstance({var}, (str, bytes, bool)), 'give the number itself, not text or True/False'\n"
            "import numpy as np\n"
            "try:\n"
            f"    value = np.asarray({var}, dtype=float)\n"
            "except (TypeError, ValueError):\n"
            "    raise AssertionError('the answer should be one real number') from None\n"
            "assert value.size == 1, f'one number is asked for, not {value.size}'\n"
            "assert np.isfinite(value).all(), 'the answer is not a finite number'\n")
    elif spec.kind == "array":
        shape = tuple(np.shape(spec.solution()))
        body += (
            "import numpy as np\n"
            f"assert np.shape({var}) == {shape!r}, "
            + repr(f"an array of shape {shape} is asked for, not ") + f" + str(np.shape({var}))\n")
    elif spec.kind == "expression":
        names = sorted(str(s) for s in spec.solution().free_symbols)
        body += (
            "import sympy as sp\n"
            f"assert isinstance({var}, sp.Expr), 'a SymPy expression is asked for'\n"
            f"extra = sorted({{str(s) for s in {var}.free_symbols}} - set({names!r}))\n"
            "assert not extra, "
            + repr(f"the expression should use only the symbols {', '.join(names)}; it also has ")
            + " + ', '.join(extra)\n")
    elif spec.kind == "function":
        body += (
            f"assert callable({var}), 'a function is asked for'\n"
            "import numpy as np\n"
            f"value = {var}(0.5)\n"
            "assert value is not None, 'the function returns None: make it return a number'\n"
            "assert np.ndim(value) == 0 and np.isreal(value), 'the function should return one real number'\n")
    elif spec.kind == "choice":
        options = list(spec.options)
        body += (
            f"assert isinstance({var}, str) and {var}.strip().lower() in {[o.lower() for o in options]!r}, "
            + repr(f"the answer should be one of {', '.join(map(repr, options))}, as text in quotes") + "\n")
    else:
        raise ValueError(f"unknown kind of exercise {spec.kind!r}")
    # otter says "All test cases passed!"; the message says what that means here.
    config = ('""" # BEGIN TEST CONFIG\nsuccess_message: "the answer has the right form; whether it is right '
              'is graded when you hand the notebook in"\n""" # END TEST CONFIG\n')
    return config + _test_function("has_the_right_form", var, body)


def grading_test(exercise):
    """A hidden test: the course's own checker, whose feedback becomes the failure message."""
    body = (
        "import contextlib, io\n"
        "from bpcourse.exercises import EXERCISES\n"
        "feedback = io.StringIO()\n"
        "with contextlib.redirect_stdout(feedback):\n"
        f"    right = EXERCISES[{exercise.label!r}]({exercise.variable})\n"
        "assert right, feedback.getvalue().strip()\n"
    )
    return "# HIDDEN\n" + _test_function("is_right", exercise.variable, body)


# ----------------------------------------------------------------- master notebook


def _cell(kind, source, **metadata):
    cell = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _raw(source):
    return _cell("raw", source)


STUDENT_INTRO = """\
**Assignment.** Run every cell from the top (the chapter's code sets up what
the exercises use), answer each exercise in its answer cell by replacing
`None` (or, where a function is asked for, its body `...`), and run the check
below it. The check tells you whether your answer has the right form (a
number, an array of the right shape, a SymPy expression, a function of the
right arguments, ...), not whether it is right: that is graded when you hand
the notebook in. Each exercise is worth {points} point. Save the notebook before
you hand it in."""


def _solution_function(exercise):
    """The chapter's solution code of a code exercise, without its check call."""
    code = "\n\n".join(CHECK_CALL.sub("", text).rstrip() for text in exercise.solution_code)
    if not re.search(rf"^(def {re.escape(exercise.variable)}\b|{re.escape(exercise.variable)}\s*=)", code, re.M):
        raise ValueError(f"exercise {exercise.number} ({exercise.label}): its solution does not define "
                         f"{exercise.variable}, the function the check cell passes")
    return code.strip("\n")


def master_notebook(chapter):
    """The chapter as an otter-grader master notebook."""
    config = (f"# ASSIGNMENT CONFIG\nname: {chapter.stem}\ninit_cell: true\ncheck_all_cell: false\n"
              "export_cell: false\nrun_tests: false\nsolutions_pdf: false\nshow_question_points: true\n"
              "tests:\n  files: false\n  ok_format: false\ngenerate:\n  pdf: false\n  show_stdout: false\n"
              "requirements: requirements.txt\npython_version: '3.11'\n")
    cells = [_raw(config)]
    first = True
    for kind, content in chapter.items:
        if kind == "markdown":
            cells.append(_cell("markdown", content))
            if first:
                cells.append(_cell("markdown", STUDENT_INTRO.format(points=POINTS_PER_EXERCISE)))
                first = False
        elif kind == "code":
            cells.append(_cell("code", content))
        else:
            ex = content
            statement = f"### Exercise {ex.number} (`{ex.label}`)\n\n{ex.statement}"
            # otter keeps the prompt lines for the student and the solution lines for the autograder's
            # own copy; the solution is computed by the package, never written out. A code exercise's
            # solution is the chapter's own solution code, the function the checker runs.
            solution = ("from bpcourse.exercises import EXERCISES as _EXERCISES\n"
                        f"{ex.variable} = _EXERCISES[{ex.label!r}].solution()")
            if EXERCISES[ex.label].kind in CODE_KINDS:
                solution = _solution_function(ex)
            answer_cell = (f"# BEGIN PROMPT\n{ex.prompt}\n# END PROMPT\n# BEGIN SOLUTION NO PROMPT\n"
                           f"{solution}\n# END SOLUTION")
            cells += [
                _raw(f"# BEGIN QUESTION\nname: {ex.label}\npoints: [0, {POINTS_PER_EXERCISE}]"),
                _cell("markdown", statement),
                _raw("# BEGIN SOLUTION"), _cell("code", answer_cell), _raw("# END SOLUTION"),
                _raw("# BEGIN TESTS"), _cell("code", form_test(ex)), _cell("code", grading_test(ex)),
                _raw("# END TESTS"),
                _raw("# END QUESTION"),
            ]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)",
                                                         "language": "python", "name": "python3"},
                                          "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


# ----------------------------------------------------------------- answer key


def _answer_text(spec):
    right = spec.solution()
    if spec.kind == "number":
        shown = f"{right:#.{spec.digits}g}".rstrip(".")  # '#' keeps trailing zeros: -1.80, not -1.8
        return f"{shown} ({spec.digits} significant digits; full value {right!r})"
    if spec.kind == "array":
        return "\n\n```text\n" + np.array2string(np.asarray(right), precision=6) + "\n```\n"
    if spec.kind == "expression":
        return f"`{sp.sstr(right)}` (any equal expression)"
    if spec.kind == "function":
        values = ", ".join(f"f({x:g}) = {right(x):g}" for x in spec.inputs)
        return f"a function; tried at {len(spec.inputs)} inputs: {values}"
    if spec.kind == "gradients":
        cases = list(spec.inputs())
        names = ", ".join(f"`{name}`" for name in right(*cases[0]))
        return (f"a function `({', '.join(_arguments(spec))})` returning the gradients of {names}, compared "
                f"with `{right.__module__}.{right.__qualname__}` on {len(cases)} test cases (see the worked "
                f"solution)")
    if spec.kind == "value_op":
        low, high = tuple(spec.inputs) or (-3.0, 3.0)
        return (f"a new `Value` operation, one node with its own `_backward`; tried alone at 5 points of "
                f"[{low:g}, {high:g}] and inside 5 larger expressions at each (see the worked solution)")
    return f"`{right}` (one of {', '.join(spec.options)})"


def answer_key(chapters):
    """The Markdown answer key of ``chapters``."""
    lines = ["# Answer key", "",
             "Computed by `bpcourse.exercises` when the assignments were built. Each exercise is "
             f"worth {POINTS_PER_EXERCISE} point and is graded by the course's checker "
             "(`bpcourse.exercises.EXERCISES[label]`), with the precision stated.", ""]
    for chapter in chapters:
        lines += [f"## {chapter.stem}: {chapter.title}", ""]
        for ex in chapter.exercises:
            spec = EXERCISES[ex.label]
            lines += [f"### Exercise {ex.number} (`{ex.label}`, {POINTS_PER_EXERCISE} point)", "",
                      ex.statement, "", f"**Answer** (`{ex.variable}`): {_answer_text(spec)}", ""]
            mistakes = spec.typical_mistakes()
            if spec.kind == "choice" and spec.hints:
                mistakes = {f"chose {option}": hint for option, hint in spec.hints.items()}
            if mistakes:
                lines += ["**Named mistakes** (the feedback says which):", ""]
                lines += [f"- {value:.6g}: {what}" if isinstance(value, float)
                          else f"- {what}" if callable(value) or isinstance(value, tuple) else f"- {what}: {value}"
                          for what, value in mistakes.items()]
                lines.append("")
            lines += ["**Worked solution** (from the chapter):", ""]
            lines += [text + "\n" for text in ex.solution_markdown]
            lines += [f"```python\n{code}\n```\n" for code in ex.solution_code if code.strip()]
    return "\n".join(lines).rstrip() + "\n"


# ----------------------------------------------------------------- build


def container_requirements():
    """What ``otter grade`` installs in its Docker image: the course's packages and bpcourse itself.

    ``make grade`` does not use it: it grades in the project's own environment.
    """
    import yaml

    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    pinned = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith(("#", "-"))]
    return "\n".join(pinned + [f"bpcourse @ git+{url}"]) + "\n"


def chapters_with_exercises(paths=None):
    """Every chapter (or those at ``paths``) that has exercises, read."""
    paths = paths or sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
    chapters = [read_chapter(path) for path in paths]
    return [chapter for chapter in chapters if chapter.exercises]


def build(out, paths=None):
    """Write the student notebooks, the autograders and the answer key into ``out``, replacing it."""
    out = Path(out)
    chapters = chapters_with_exercises(paths)
    if out.exists():
        shutil.rmtree(out)  # a rebuild never keeps a stale assignment
    (out / "student").mkdir(parents=True)
    (out / "autograder").mkdir()
    with tempfile.TemporaryDirectory() as work:
        for chapter in chapters:
            master = Path(work) / chapter.stem / f"{chapter.stem}.ipynb"
            master.parent.mkdir()
            master.write_text(json.dumps(master_notebook(chapter), indent=1))
            (master.parent / "requirements.txt").write_text(container_requirements())
            dist = Path(work) / chapter.stem / "dist"
            log = io.StringIO()
            with contextlib.redirect_stdout(log), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # nbformat's notice about cell ids, once per notebook
                otter_assign(str(master), str(dist), no_pdfs=True, no_run_tests=True)
            student = json.loads((dist / "student" / master.name).read_text())
            student["metadata"][METADATA_KEY] = {"chapter": chapter.stem,
                                                 "exercises": [e.label for e in chapter.exercises],
                                                 "answers": {e.label: e.variable for e in chapter.exercises}}
            (out / "student" / master.name).write_text(json.dumps(student, indent=1, ensure_ascii=False) + "\n")
            (zipped,) = (dist / "autograder").glob("*.zip")
            shutil.copy(zipped, out / "autograder" / f"{chapter.stem}.zip")
    (out / "answer_key.md").write_text(answer_key(chapters))
    return chapters


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("chapters", nargs="*", help="chapter notebooks (default: every book/NN_*.ipynb)")
    parser.add_argument("--out", default=str(ROOT / "_build" / "assignments"))
    args = parser.parse_args(argv)
    chapters = build(args.out, args.chapters or None)
    total = sum(len(c.exercises) for c in chapters)
    print(f"{len(chapters)} assignments, {total} exercises, in {args.out}: student/, autograder/, answer_key.md")


if __name__ == "__main__":
    main()
