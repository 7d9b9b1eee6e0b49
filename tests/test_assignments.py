"""Assignments for instructors, end to end: build them from the chapters, then grade a fake class.

The class is written here from the built student notebooks: right answers in
several accepted forms, an untouched notebook, every named mistake of the
graded chapter, the checker's general mistakes, and notebooks that raise,
loop, loop without letting themselves be interrupted, print megabytes, delete
files around them, are not JSON, or have no cells. The expected points come
from ``bpcourse.exercises`` and from how each submission was written.
"""

import ast
import importlib.util
import contextlib
import csv
import inspect
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from bpcourse.exercises import EXERCISES
from learner_code import line_backward, line_cases

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
GRADED = "04_sse_gradient_b3"  # number exercises (three or more) with named mistakes: the class's assignment
KINDS = "01_neurons"  # a number, a function and an expression
# Generous limits for the class (a slow machine must not change a grade); the endless cell costs CELL_TIMEOUT.
CELL_TIMEOUT, SUBMISSION_TIMEOUT = 60, 600

# Exercises whose chapter states the result in its text before asking for it in code: the assignment
# keeps the chapter's text, so only the exercise's own cells are searched for these answers.
TAUGHT_ABOVE = set()  # none at present

if not os.environ.get("CI"):
    pytest.importorskip("otter", reason="otter-grader is missing: `make assignments` installs it")


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def _checked_labels(chapter):
    """The labels a chapter's exercise cells pass to bpcourse.check, outside solutions, in order."""
    labels, in_solution = [], False
    for cell in json.loads(chapter.read_text())["cells"]:
        text = _source(cell)
        if cell["cell_type"] == "markdown":
            for mark in re.findall(r"\{(solution-start|solution-end)\}", text):
                in_solution = mark == "solution-start"
        elif not in_solution:
            labels += re.findall(r"""bpcourse\.check\(\s*["']([\w-]+)["']""", text)
    return labels


def _solution_cells(chapter):
    """The chapter's solution cells (code and Markdown) between solution-start and solution-end."""
    cells, inside = [], False
    for cell in json.loads(chapter.read_text())["cells"]:
        text = _source(cell)
        if "{solution-start}" in text:
            inside = True
            after = text.split("{solution-start}", 1)[1].split("```", 1)[-1]
            if after.strip() and "{solution-end}" not in after:
                cells.append(after.strip())
            continue
        if "{solution-end}" in text:
            before = text.split("{solution-end}", 1)[0].rsplit("```", 1)[0]
            if inside and before.strip():
                cells.append(before.strip())
            inside = False
            continue
        if inside and text.strip():
            cells.append(text.strip())
    return cells


def _accepted(label, value):
    with contextlib.redirect_stdout(io.StringIO()):
        return EXERCISES[label](value)


def _number_forms(label):
    """Every way of writing the right number (fixed, general, scientific) that the checker accepts."""
    right = EXERCISES[label].solution()
    forms = set()
    for places in range(0, 17):
        forms |= {f"{right:.{places}f}", f"{right:.{places}e}", f"{right:.{places + 1}g}",
                  f"{right:#.{places + 1}g}".rstrip(".")}
    return sorted(form for form in forms if _accepted(label, float(form)))


def _significant(text):
    return len(re.sub(r"e.*$", "", text).replace("-", "").replace(".", "").lstrip("0"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("assignments")
    done = subprocess.run([sys.executable, "scripts/build_assignments.py", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return out


def _student(built, stem):
    return json.loads((built / "student" / f"{stem}.ipynb").read_text())


def test_every_chapter_with_exercises_becomes_an_assignment(built):
    chapters = {chapter.stem: _checked_labels(chapter) for chapter in CHAPTERS if _checked_labels(chapter)}
    assert sorted(p.stem for p in (built / "student").glob("*.ipynb")) == sorted(chapters)
    assert sorted(p.stem for p in (built / "autograder").glob("*.zip")) == sorted(chapters)
    key = (built / "answer_key.md").read_text()
    for stem, labels in chapters.items():
        assert _student(built, stem)["metadata"]["bpcourse_assignment"]["exercises"] == labels
        with zipfile.ZipFile(built / "autograder" / f"{stem}.zip") as zipped:
            for label in labels:
                test = zipped.read(f"tests/{label}.py").decode()
                # a public form check worth 0 and a hidden test worth 1 that calls the course's checker
                assert re.search(r"points = \[0, 1\]", test)
                assert "hidden=True" in test and f"EXERCISES[{label!r}]" in test
        for label in labels:
            spec = EXERCISES[label]
            assert f"(`{label}`, 1 point)" in key
            if spec.kind == "number":  # the key prints the right number at the precision asked
                assert f"{spec.solution():#.{spec.digits}g}".rstrip(".") in key


def test_student_notebooks_leak_no_answer_solution_or_hidden_test(built):
    for chapter in CHAPTERS:
        path = built / "student" / f"{chapter.stem}.ipynb"
        if not path.exists():
            continue
        notebook = json.loads(path.read_text())
        everything = json.dumps(notebook, ensure_ascii=False)
        assert not re.search(r"solution-start|solution-end|\{exercise\}", everything)
        assert "answer_box" not in everything  # the page's box carries the answer, encoded
        code = "\n".join(_source(cell) for cell in notebook["cells"] if cell["cell_type"] == "code")
        assert "bpcourse.check(" not in code  # it would say whether an answer is right
        assert "EXERCISES" not in everything and "hidden=True" not in everything
        tests = notebook["metadata"]["otter"]["tests"]
        assert all("hidden=False" in test for test in tests.values())
        assert all(not cell.get("outputs") for cell in notebook["cells"])
        sources = "\n".join(_source(cell) for cell in notebook["cells"])
        for solution in _solution_cells(chapter):
            assert solution not in sources, solution[:80]
        meta = notebook["metadata"]["bpcourse_assignment"]
        answer_cells = [c for c in notebook["cells"] if "otter_answer_cell" in c["metadata"].get("tags", [])]
        assert len(answer_cells) == len(meta["exercises"])
        for label, cell in zip(meta["exercises"], answer_cells):
            spec = EXERCISES[label]
            # The answer cell hands the learner None, or a function skeleton with nothing in it.
            variable = meta["answers"][label]
            tree = ast.parse(_source(cell))
            nodes = [n for n in ast.walk(tree) if isinstance(n, ast.Assign)
                     and any(isinstance(t, ast.Name) and t.id == variable for t in n.targets)]
            nodes += [r for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == variable
                      for r in ast.walk(f) if isinstance(r, ast.Return)]
            # A code exercise's skeleton may instead leave its body as ``...`` (or ``pass``): no answer either.
            skeletons = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == variable
                         and all(isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
                                 and (s.value.value is Ellipsis or isinstance(s.value.value, str))) for s in f.body)]
            assert skeletons or (nodes and all(isinstance(n.value, ast.Constant) and n.value.value is None
                                               for n in nodes)), (label, _source(cell)[:200])
            # A number of one or two digits ("3" hidden units, "12" points) is part of many statements:
            # it is looked for in the answer cell only, where an assignment of it would be a leak.
            own = _source(cell)
            if spec.kind == "number":
                for form in _number_forms(label):
                    where = sources if _significant(form) >= 3 else own
                    assert not re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", where), (label, form)
            elif spec.kind == "array":
                for value in np.ravel(spec.solution()):
                    assert f"{value:.3f}" not in sources, (label, value)
            elif spec.kind == "expression":
                right = spec.solution()
                where = "\n".join(_source(c) for c in notebook["cells"] if f"`{label}`" in _source(c)) + own \
                    if label in TAUGHT_ABOVE else sources
                for form in {sp.sstr(right), sp.sstr(sp.simplify(right)), sp.sstr(sp.factor(right)),
                             sp.sstr(sp.expand(right))}:
                    assert form.replace(" ", "") not in where.replace(" ", ""), (label, form)


# ------------------------------------------------------------------ the fake class


def _with_answers(notebook, answers, extra=None):
    """A copy of a student notebook with answer cells replaced; ``extra`` adds cells after the first."""
    notebook = json.loads(json.dumps(notebook))
    cells = []
    for cell in notebook["cells"]:
        cells.append(cell)
        if "otter_answer_cell" not in cell["metadata"].get("tags", []):
            continue
        for variable, code in answers.items():
            if re.search(rf"^(def )?{re.escape(variable)}\b", _source(cell), re.M):
                cell["source"] = code
        if extra is not None and len([c for c in cells if "otter_answer_cell" in c["metadata"].get("tags", [])]) == 1:
            cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                          "source": extra})
    notebook["cells"] = cells
    return notebook


def _variables(notebook):
    meta = notebook["metadata"]["bpcourse_assignment"]
    return {label: meta["answers"][label] for label in meta["exercises"]}


def _assign(variable, text):
    return f"{variable} = {text}\n"


@pytest.fixture(scope="module")
def graded(built, tmp_path_factory):
    """Write the class, grade it once, and return (folder, rows by file, expected rows by file)."""
    folder = tmp_path_factory.mktemp("class")
    student = _student(built, GRADED)
    names = _variables(student)
    labels = list(names)
    right = {label: EXERCISES[label].solution() for label in labels}
    digits = {label: EXERCISES[label].digits for label in labels}
    mistakes = {label: list(EXERCISES[label].typical_mistakes().items()) for label in labels}
    rounded = {label: f"{right[label]:.{digits[label]}g}" for label in labels}
    all_right = {names[label]: _assign(names[label], rounded[label]) for label in labels}
    # The same right answers in other forms the checker accepts: full precision, NumPy, a one-element array.
    other_forms = {names[labels[0]]: _assign(names[labels[0]], repr(right[labels[0]])),
                   names[labels[1]]: f"import numpy as np\n{names[labels[1]]} = np.float64({rounded[labels[1]]})\n",
                   names[labels[2]]: f"import numpy as np\n{names[labels[2]]} = np.array([{rounded[labels[2]]}])\n"}
    other_forms.update({names[label]: all_right[names[label]] for label in labels[3:]})
    n = len(labels)
    expected, messages = {}, {}

    def write(name, notebook, points, status, reason=None, said=()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(notebook if isinstance(notebook, str) else json.dumps(notebook))
        expected[name] = (points, status, reason)
        messages[name] = said

    write(f"ada/{GRADED}.ipynb", _with_answers(student, all_right), [1] * n, "ok")
    write(f"ben/{GRADED}.ipynb", _with_answers(student, other_forms), [1] * n, "ok")
    write(f"cleo/{GRADED}.ipynb", student, [0] * n, "ok", said=["no answer yet"] * n)
    for which in (0, 1):  # every named mistake of every exercise, the first ones, then the second ones
        answers = {names[l]: _assign(names[l], repr(mistakes[l][which][1])) for l in labels}
        write(f"mistakes{which + 1}/{GRADED}.ipynb", _with_answers(student, answers), [0] * n, "ok",
              said=[mistakes[l][which][0] for l in labels])
    general = {  # the checker's own diagnoses: sign, factor of 2, too few right digits
        names[labels[0]]: _assign(names[labels[0]], repr(-right[labels[0]])),
        names[labels[1]]: _assign(names[labels[1]], repr(2 * right[labels[1]])),
        names[labels[2]]: _assign(names[labels[2]], f"{right[labels[2]]:.{digits[labels[2]] - 1}g}"),
    }
    write(f"dan/{GRADED}.ipynb", _with_answers(student, general), [0] * n, "ok",  # the rest left unanswered
          said=["wrong sign", "twice the answer", "not right to 3 significant digits"] + ["no answer yet"] * (n - 3))
    write(f"eve/{GRADED}.ipynb", _with_answers(student, all_right, extra="raise RuntimeError('boom')\n"),
          [1] * n, "error", "RuntimeError: boom")
    loop = dict(all_right, **{names[labels[1]]: "while True:\n    pass\n"})
    write(f"finn/{GRADED}.ipynb", _with_answers(student, loop), [1, 0] + [1] * (n - 2), "timeout", "interrupted",
          said=["", "no answer yet"] + [""] * (n - 2))
    write(f"hal/{GRADED}.ipynb", '{"cells": [ this is not JSON', [""] * n, "invalid", "not valid JSON")
    write(f"ida/{GRADED}.ipynb", {"metadata": {}, "nbformat": 4, "nbformat_minor": 5}, [""] * n, "invalid",
          "no list of cells")
    write("jo/homework.ipynb", {"cells": [{"cell_type": "code", "metadata": {}, "source": "1",
                                            "outputs": [], "execution_count": None}], "metadata": {},
                                 "nbformat": 4, "nbformat_minor": 5}, [""] * n, "invalid", "not one of")
    vandal = ("import os, pathlib\n"
              "for top in ('.', '..', '../..'):\n"
              "    for path in pathlib.Path(top).rglob('*'):\n"
              "        if path.is_file() and path.suffix in ('.ipynb', '.csv', '.txt', '.json'):\n"
              "            path.unlink()\n"
              "pathlib.Path('graffiti.txt').write_text('was here')\n")
    write(f"kim/{GRADED}.ipynb", _with_answers(student, all_right, extra=vandal), [1] * n, "ok")
    noisy = "print('x' * 3_000_000)\n"
    write(f"lou/{GRADED}.ipynb", _with_answers(student, all_right, extra=noisy), [1] * n, "error",
          "printed more than")
    kinds = _student(built, KINDS)
    kind_names = _variables(kinds)
    k_labels = list(kind_names)
    right_kinds = {
        kind_names[k_labels[0]]: _assign(kind_names[k_labels[0]], "0.525"),
        kind_names[k_labels[1]]: f"def {kind_names[k_labels[1]]}(z):\n    return 1.0 if z > 0 else 0.0\n",
        kind_names[k_labels[2]]: f"import sympy as sp\nz = sp.Symbol('z')\n{kind_names[k_labels[2]]} = sp.diff(z / (1 + sp.exp(-z)), z)\n",
    }
    write(f"ada/{KINDS}.ipynb", _with_answers(kinds, right_kinds), [1, 1, 1], "ok")
    wrong_kinds = {
        kind_names[k_labels[0]]: _assign(kind_names[k_labels[0]], "0.1"),
        kind_names[k_labels[1]]: f"def {kind_names[k_labels[1]]}(z):\n    return 1.0 if z >= 0 else 0.0\n",
        kind_names[k_labels[2]]: f"import sympy as sp\nz = sp.Symbol('z')\n{kind_names[k_labels[2]]} = -sp.diff(z / (1 + sp.exp(-z)), z)\n",
    }
    write(f"ben/{KINDS}.ipynb", _with_answers(kinds, wrong_kinds), [0, 0, 0], "ok",
          said=["that is z = 0.1 itself", "(0) = 1 is not right", "wrong sign"])
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    done = subprocess.run(
        [sys.executable, "scripts/grade_submissions.py", str(folder), "--assignments", str(built),
         "--timeout", str(SUBMISSION_TIMEOUT), "--cell-timeout", str(CELL_TIMEOUT), "--jobs", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(folder / "grades.csv", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    return folder, rows, expected, messages, before, labels, k_labels


def test_grades_of_the_fake_class(graded):
    folder, rows, expected, _, _, labels, k_labels = graded
    assert sorted(rows) == sorted(expected)
    for name, (points, status, reason) in expected.items():
        row = rows[name]
        own = k_labels if KINDS in name else labels
        assert [row[label] for label in own] == [str(p) for p in points], (name, row)
        assert row["status"] == status, (name, row)
        if reason:
            assert reason in row["reason"], (name, row)
        if status == "invalid":
            assert (row["total"], row["max"]) == ("0", "0")
        else:
            assert row["total"] == str(sum(points)) and row["max"] == str(len(own)), (name, row)
        other = k_labels if KINDS not in name else labels
        assert all(row[label] == "" for label in other)  # another chapter's exercises stay blank


def test_feedback_names_the_course_s_mistakes(graded):
    folder, _, expected, messages, _, labels, k_labels = graded
    for name in expected:
        feedback = (folder / name).with_name(Path(name).stem + ".feedback.txt").read_text()
        own = k_labels if KINDS in name else labels
        for label, said in zip(own, messages[name]):
            block = feedback.split(f"({label}):", 1)[1].split("\nExercise ", 1)[0]
            assert said in block, (name, label, block)
    assert "Correct." in (folder / "ada" / f"{GRADED}.feedback.txt").read_text()


def test_submissions_cannot_touch_the_class_folder(graded):
    folder, _, _, _, before, _, _ = graded
    for path, content in before.items():
        assert path.read_bytes() == content  # nothing deleted or changed, even by the vandal
    assert not list(folder.rglob("graffiti.txt"))


def test_grading_again_gives_the_same_results(graded, built, tmp_path):
    folder = graded[0]
    again = tmp_path / "again"
    for name in (f"ada/{GRADED}.ipynb", f"hal/{GRADED}.ipynb", f"mistakes1/{GRADED}.ipynb"):
        (again / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / name, again / name)
    outputs = []
    for _ in range(2):
        # the assignments given relative to the repository, as `make grade` gives them
        done = subprocess.run([sys.executable, "scripts/grade_submissions.py", str(again), "--assignments",
                               os.path.relpath(built, ROOT), "--jobs", "2"], cwd=ROOT, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
        outputs.append({p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1]  # grades.csv and feedback overwritten, never graded themselves
    assert len((again / "grades.csv").read_text().strip().splitlines()) == 1 + 3
    first = {k: v for k, v in (graded[1][f"ada/{GRADED}.ipynb"]).items() if k != "file"}
    with open(again / "grades.csv", newline="") as handle:
        rows = {row["file"]: row for row in csv.DictReader(handle)}
    assert {k: v for k, v in rows[f"ada/{GRADED}.ipynb"].items() if k != "file"}.items() <= first.items()


def test_a_notebook_that_cannot_be_interrupted_is_stopped(built, tmp_path):
    """A cell that swallows the interrupt keeps the kernel busy: the submission's own time limit ends it."""
    student = _student(built, GRADED)
    names = _variables(student)
    right = {names[l]: _assign(names[l], repr(EXERCISES[l].solution())) for l in names}
    stubborn = "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass\n"
    (tmp_path / "gus").mkdir()
    (tmp_path / "gus" / f"{GRADED}.ipynb").write_text(json.dumps(_with_answers(student, right, extra=stubborn)))
    done = subprocess.run([sys.executable, "scripts/grade_submissions.py", str(tmp_path), "--assignments", str(built),
                           "--timeout", "20", "--cell-timeout", "5"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(tmp_path / "grades.csv", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["status"], row["total"], row["max"]) == ("timeout", "0", str(len(names)))
    assert "still running after 20 s" in row["reason"]
    import psutil

    leftovers = []
    for process in psutil.process_iter(["cmdline"]):
        if any("bpcourse-grade-" in part for part in process.info["cmdline"] or []):
            leftovers.append(process.info["cmdline"])
    assert not leftovers  # the kernel went with the submission it ran


def test_a_notebook_too_large_to_read_is_refused(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("grade_submissions", ROOT / "scripts" / "grade_submissions.py")
    grader = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, grader)  # dataclasses look their module up
    spec.loader.exec_module(grader)
    monkeypatch.setattr(grader, "MAX_NOTEBOOK_BYTES", 1000)
    notebook = {"cells": [{"cell_type": "markdown", "metadata": {}, "source": "x" * 2000}], "metadata": {},
                "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / f"{GRADED}.ipynb"
    path.write_text(json.dumps(notebook))
    grade = grader.Grade(path.name)
    assert grader.read_submission(path, {GRADED: None}, grade) == (None, None)
    assert grade.status == "invalid" and "may have at most 0.001 MB" in grade.reasons[0]


# ------------------------------------------------------------------ code exercises


CODE_SETUP = '''\
import numpy as np
import bpcourse
from bpcourse.autograd import Value
from bpcourse.exercises import EXERCISES, Exercise


''' + inspect.getsource(line_backward) + '\n\n' + inspect.getsource(line_cases) + '''

EXERCISES["demo-line-gradients"] = Exercise("demo-line-gradients", lambda: line_backward, "gradients",
                                            "your backward pass", inputs=line_cases)
EXERCISES["demo-value-cube"] = Exercise("demo-value-cube", lambda: (lambda x: x ** 3, lambda x: 3 * x ** 2),
                                        "value_op", "cube", inputs=(-2.0, 2.0))
'''

CODE_ANSWERS = {
    "right": {
        "backward": "def backward(w, b, x, y):\n    r = y - (w * x + b)\n    return {'w': -2 * (r * x).sum(), 'b': -2 * r.sum()}\n",
        "cube": ("def cube(self):\n    out = Value(self.data ** 3, _parents=(self,))\n\n    def _backward():\n"
                 "        self.grad += 3 * self.data ** 2 * out.grad\n\n    out._backward = _backward\n    return out\n"),
    },
    "wrong": {
        "backward": "def backward(w, b, x, y):\n    r = y - (w * x + b)\n    return {'w': -2 * r * x, 'b': -2 * r}\n",
        "cube": ("def cube(self):\n    out = Value(self.data ** 3, _parents=(self,))\n\n    def _backward():\n"
                 "        self.grad = 3 * self.data ** 2 * out.grad\n\n    out._backward = _backward\n    return out\n"),
    },
    "endless": {
        "backward": "def backward(w, b, x, y):\n    while True:\n        pass\n",
        "cube": "def cube(self):\n    return self * self * self\n",
    },
}


def _code_chapter():
    """A chapter with one code exercise of each kind, written as the chapters write them."""
    def markdown(text):
        return {"cell_type": "markdown", "metadata": {}, "source": text}

    def code(text):
        return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": text}

    right = CODE_ANSWERS["right"]
    cells = [
        markdown("# Code exercises\n\nTwo exercises answered by writing a function."),
        code(CODE_SETUP),
        markdown("````{exercise}\n:label: ex-line\n\nWrite `backward(w, b, x, y)`, returning the gradients of "
                 "the SSR by `w` and `b` as a dict.\n````"),
        code('def backward(w, b, x, y):\n    ...\n\n\nbpcourse.check("demo-line-gradients", backward)'),
        markdown("```{solution-start} ex-line\n:class: dropdown\n```\n\nEach residual's square brings down -2."),
        code(right["backward"] + '\n\nbpcourse.check("demo-line-gradients", backward)'),
        markdown("```{solution-end}\n```\n\n````{exercise}\n:label: ex-cube\n\nWrite `cube(self)`, a new "
                 "operation of `Value`.\n````"),
        code('def cube(self):\n    ...\n\n\nbpcourse.check("demo-value-cube", cube)'),
        markdown("```{solution-start} ex-cube\n:class: dropdown\n```\n\nThe local derivative is 3 x**2."),
        code(right["cube"] + '\n\nbpcourse.check("demo-value-cube", cube)'),
        markdown("```{solution-end}\n```"),
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_code_exercises_are_assigned_with_their_skeleton_and_graded_by_their_checker(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("build_assignments", ROOT / "scripts" / "build_assignments.py")
    builder = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, builder)  # dataclasses look their module up
    spec.loader.exec_module(builder)
    exec(CODE_SETUP, {})  # the chapter's first cell registers its two exercises, here and in the grader's kernel
    stem = "90_code_exercises"
    chapter = tmp_path / f"{stem}.ipynb"
    chapter.write_text(json.dumps(_code_chapter()))
    try:
        built = tmp_path / "assignments"
        builder.build(built, [chapter])
    finally:
        for label in ("demo-line-gradients", "demo-value-cube"):
            EXERCISES.pop(label, None)
    student = _student(built, stem)
    text = "\n".join(_source(cell) for cell in student["cells"])
    assert "def backward(w, b, x, y):\n    ..." in text and "def cube(self):\n    ..." in text  # the skeletons
    assert "-2 * r.sum()" not in text and "self.grad +=" not in text  # no solution
    with zipfile.ZipFile(built / "autograder" / f"{stem}.zip") as zipped:
        tests = zipped.read("tests/demo-line-gradients.py").decode()
        assert "EXERCISES['demo-line-gradients'](backward)" in tests and "take 4 argument(s): w, b, x, y" in tests
    key = (built / "answer_key.md").read_text()
    assert "returning the gradients of `w`, `b`" in key and "a new `Value` operation" in key
    assert "r.sum()" in key  # the chapter's worked solution

    folder = tmp_path / "class"
    for who, answers in CODE_ANSWERS.items():
        (folder / who).mkdir(parents=True)
        (folder / who / f"{stem}.ipynb").write_text(json.dumps(_with_answers(student, answers)))
    (folder / "untouched").mkdir()
    (folder / "untouched" / f"{stem}.ipynb").write_text(json.dumps(student))
    done = subprocess.run([sys.executable, "scripts/grade_submissions.py", str(folder), "--assignments", str(built),
                           "--jobs", "2", "--cell-timeout", str(CELL_TIMEOUT)], cwd=ROOT, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, done.stdout + done.stderr
    with open(folder / "grades.csv", newline="") as handle:
        rows = {row["file"].split("/")[0]: row for row in csv.DictReader(handle)}
    points = {who: (row["demo-line-gradients"], row["demo-value-cube"], row["status"]) for who, row in rows.items()}
    assert points == {"right": ("1", "1", "ok"), "wrong": ("0", "0", "ok"), "endless": ("0", "0", "ok"),
                      "untouched": ("0", "0", "ok")}, rows

    def feedback(who):
        return (folder / who / f"{stem}.feedback.txt").read_text()

    assert "instead of accumulated (+=)" in feedback("wrong")
    # a message of several lines is kept whole, each line indented under its exercise
    assert re.search(r"your backward pass has 2 problems:\n    - the gradient of w has one row per data point.*\n"
                     r"    - the gradient of b has one row per data point", feedback("wrong")), feedback("wrong")
    assert "did not finish within" in feedback("endless")  # the checker's time limit, not the cell's
    assert "built from the engine's existing operations" in feedback("endless")
    assert feedback("untouched").count("no answer yet") == 2
