"""Grade a class's notebooks with the course's autograders, without a container.

    python scripts/grade_submissions.py SUBMISSIONS [--assignments _build/assignments]
                                        [--timeout 600] [--cell-timeout 120] [--max-output 1000000]

Every ``*.ipynb`` under ``SUBMISSIONS`` (any nesting, e.g. one folder per
student) is graded by ``otter run`` with the autograder of its chapter, which
it finds from the notebook's metadata (or the chapter number its file name
starts with). Each submission runs in a fresh temporary folder holding only a
copy of it, in a process of its own with a time limit; its cells have a time
limit of their own too, and what it prints beyond ``--max-output`` bytes is
dropped. Whatever one submission does, the others are graded.

Written into ``SUBMISSIONS``, overwritten on every run:

- ``grades.csv``: one row per submission: file, chapter, the points of each
  exercise, total, max, status (ok, error, timeout, invalid) and the reason;
- ``NAME.feedback.txt`` beside each ``NAME.ipynb``: each exercise's points and
  the course checker's message (which named mistake an answer looks like).

Student code runs as the user who runs this script: see the README's
section for instructors before grading work you do not trust.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METADATA_KEY = "bpcourse_assignment"  # written into each student notebook by build_assignments.py
FEEDBACK_SUFFIX = ".feedback.txt"
GRADES = "grades.csv"
MAX_NOTEBOOK_BYTES = 100_000_000  # read whole into memory: a larger file is refused, not read
STATUS_ORDER = ("ok", "error", "timeout", "invalid")  # a later status outranks an earlier one


@dataclass
class Assignment:
    """One chapter's assignment: its autograder and its exercises."""

    chapter: str
    autograder: Path
    exercises: list  # labels, in the order of the notebook


@dataclass
class Grade:
    """What grading one submission found: points and messages per exercise, status and reasons."""

    file: str
    chapter: str = ""
    points: dict = field(default_factory=dict)  # label -> points
    possible: dict = field(default_factory=dict)  # label -> max points
    messages: dict = field(default_factory=dict)  # label -> feedback
    status: str = "ok"
    reasons: list = field(default_factory=list)

    def problem(self, status, reason):
        """Record a problem; the status becomes the more serious of the old and the new."""
        if STATUS_ORDER.index(status) > STATUS_ORDER.index(self.status):
            self.status = status
        self.reasons.append(reason)


def load_assignments(folder):
    """``{chapter: Assignment}`` from a ``make assignments`` build."""
    folder = Path(folder).resolve()  # each submission is graded from a folder of its own
    assignments = {}
    for student in sorted((folder / "student").glob("*.ipynb")):
        meta = json.loads(student.read_text())["metadata"][METADATA_KEY]
        autograder = folder / "autograder" / f"{student.stem}.zip"
        if not autograder.exists():
            raise SystemExit(f"{autograder} is missing: run `make assignments` again")
        assignments[meta["chapter"]] = Assignment(meta["chapter"], autograder, list(meta["exercises"]))
    if not assignments:
        raise SystemExit(f"no assignments in {folder}: run `make assignments` first")
    return assignments


def find_submissions(folder):
    """Every notebook under ``folder``, skipping Jupyter's checkpoints and hidden folders."""
    return sorted(path for path in Path(folder).rglob("*.ipynb")
                  if path.is_file() and not any(part.startswith(".") for part in path.relative_to(folder).parts))


def read_submission(path, assignments, grade):
    """The submission as a dict and its Assignment, or ``(None, None)`` with the grade marked invalid."""
    size = Path(path).stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        grade.problem("invalid", f"the file is {size / 1e6:g} MB; a notebook handed in may have at most "
                                 f"{MAX_NOTEBOOK_BYTES / 1e6:g} MB")
        return None, None
    try:
        notebook = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        grade.problem("invalid", f"not a notebook: the file is not valid JSON ({error})")
        return None, None
    except OSError as error:
        grade.problem("invalid", f"could not be read ({error.strerror})")
        return None, None
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        grade.problem("invalid", "not a notebook: it has no list of cells")
        return None, None
    if not notebook["cells"]:
        grade.problem("invalid", "the notebook has no cells")
        return None, None
    if not all(isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw") for c in notebook["cells"]):
        grade.problem("invalid", "not a notebook: some cells are not notebook cells")
        return None, None
    metadata = notebook.get("metadata") if isinstance(notebook.get("metadata"), dict) else {}
    chapter = (metadata.get(METADATA_KEY) or {}).get("chapter") if isinstance(metadata.get(METADATA_KEY), dict) else None
    if chapter not in assignments:
        number = re.match(r"(\d\d)_", Path(path).name)
        matches = [c for c in assignments if number and c.startswith(number.group(1) + "_")]
        chapter = matches[0] if len(matches) == 1 else None
    if chapter is None:
        grade.problem("invalid", "not one of the course's assignments (no assignment metadata, and the file "
                                 "name does not start with a chapter number)")
        return None, None
    grade.chapter = chapter
    return notebook, assignments[chapter]


def _kill_tree(pid):
    """End a process and every process it started (the Jupyter kernel is detached from its process group)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        family = parent.children(recursive=True) + [parent]
    except psutil.NoSuchProcess:
        return
    for process in family:
        try:
            process.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(family, timeout=10)


def grade_one(path, assignments, *, timeout, cell_timeout, max_output, folder):
    """Grade one submission in a temporary folder and a process of its own; never raises for its content."""
    grade = Grade(str(Path(path).relative_to(folder)))
    notebook, assignment = read_submission(path, assignments, grade)
    if assignment is None:
        return grade
    for label in assignment.exercises:
        grade.points[label], grade.possible[label] = 0.0, None
    # The autograder's notebook metadata names the chapter; a submission that lost it is still graded.
    metadata = notebook.setdefault("metadata", {}) if isinstance(notebook.get("metadata"), dict) else {}
    notebook["metadata"] = metadata
    metadata.setdefault("otter", {})
    if isinstance(metadata["otter"], dict):
        metadata["otter"]["assignment_name"] = assignment.chapter
    else:
        metadata["otter"] = {"assignment_name": assignment.chapter}
    work = Path(tempfile.mkdtemp(prefix="bpcourse-grade-"))
    try:
        run_dir = work / "run"
        run_dir.mkdir()
        copy = run_dir / f"{assignment.chapter}.ipynb"
        copy.write_text(json.dumps(notebook))
        result = work / "result.json"
        environment = dict(os.environ, TMPDIR=str(work), JUPYTER_RUNTIME_DIR=str(work / "runtime"),
                           PYTHONHASHSEED="0")
        command = [sys.executable, str(Path(__file__).resolve()), "--one", str(copy), str(assignment.autograder),
                   str(result), "--cell-timeout", str(cell_timeout), "--max-output", str(max_output)]
        with open(work / "log.txt", "wb") as log:
            process = subprocess.Popen(command, cwd=run_dir, env=environment, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_tree(process.pid)
                grade.problem("timeout", f"still running after {timeout:g} s and stopped; no exercise graded")
                return grade
        try:
            outcome = json.loads(result.read_text())
        except (OSError, json.JSONDecodeError):
            tail = (work / "log.txt").read_bytes()[-2000:].decode("utf-8", "replace").strip().splitlines()
            grade.problem("error", "the autograder could not finish: " + (tail[-1] if tail else "no output"))
            return grade
        for label, info in outcome["questions"].items():
            grade.points[label], grade.possible[label] = info["score"], info["possible"]
            grade.messages[label] = info["messages"]
        for status, reason in outcome["problems"]:
            grade.problem(status, reason)
        return grade
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------- one submission, in its own process


def _last_error_line(message):
    """The assertion's own message (the course's feedback) from otter's error report.

    The message runs from the last ``AssertionError: `` to the end: a code
    exercise's feedback may list one problem per line.
    """
    lines = [line for line in str(message).strip().splitlines() if line.strip()]
    for start in range(len(lines) - 1, -1, -1):
        if lines[start].startswith("AssertionError: "):
            return "\n".join([lines[start][len("AssertionError: "):], *lines[start + 1:]])
    return lines[-1] if lines else ""


def run_one(notebook, autograder, result, cell_timeout, max_output):
    """Grade one copied notebook with ``otter run``'s machinery and write a small JSON summary."""
    import nbclient.client
    from nbconvert.preprocessors import ExecutePreprocessor

    printed = {"bytes": 0, "cut": False}
    keep_output = nbclient.client.NotebookClient.output

    # Cap what the notebook prints: outputs past the limit are dropped before they are stored.
    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        if msg.get("msg_type") in ("stream", "display_data", "execute_result", "error", "update_display_data"):
            printed["bytes"] += size
            if printed["bytes"] > max_output and msg.get("msg_type") != "error":
                printed["cut"] = True
                return None
        return keep_output(self, outs, msg, display_id, cell_index)

    nbclient.client.NotebookClient.output = output
    timed_out = []
    handle_timeout = nbclient.client.NotebookClient._async_handle_timeout

    # A cell that runs too long is interrupted, and the notebook goes on with the next cell.
    async def on_timeout(self, timeout, cell=None):
        timed_out.append(timeout)
        return await handle_timeout(self, timeout, cell)

    nbclient.client.NotebookClient._async_handle_timeout = on_timeout
    start_execution = ExecutePreprocessor.__init__

    def init(self, *args, **kwargs):
        start_execution(self, *args, **kwargs)
        self.timeout = cell_timeout
        self.interrupt_on_timeout = True

    ExecutePreprocessor.__init__ = init

    import otter.run

    problems = []
    try:
        results = otter.run.main(notebook, autograder=autograder, output_dir=None, no_logo=True)
    except Exception as error:  # otter refused the submission: report why, never a traceback
        problems.append(("error", f"the autograder stopped: {type(error).__name__}: {error}"))
        Path(result).write_text(json.dumps({"questions": {}, "problems": problems}))
        return
    errors = []
    for cell in (results.notebook or {}).get("cells", []):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"{out.get('ename')}: {out.get('evalue')}"[:200])
    others = [e for e in errors if not e.startswith("KeyboardInterrupt")]
    if timed_out:
        problems.append(("timeout", f"{len(timed_out)} cell(s) ran longer than {cell_timeout:g} s and were "
                                    "interrupted; the other cells were graded"))
    if others:
        problems.append(("error", f"{len(others)} cell(s) raised an error, the first: {others[0]}"))
    if printed["cut"]:
        problems.append(("error", f"printed more than {max_output} bytes; the rest was not kept"))
    questions = {}
    for name, test_file in results.results.items():
        # The hidden test's message is the course checker's feedback; the public one only says the
        # form is wrong, so it is shown only when the checker said nothing.
        failed = [(case.test_case.hidden, _last_error_line(case.message))
                  for case in test_file.test_case_results if not case.passed]
        messages = [m for hidden, m in failed if hidden] or [m for _, m in failed]
        questions[name] = {"score": float(test_file.score), "possible": float(test_file.possible),
                           "messages": messages}
    Path(result).write_text(json.dumps({"questions": questions, "problems": problems}))


# --------------------------------------------------------------- writing the results


def feedback_text(grade, assignment):
    """The text of a submission's feedback file."""
    lines = [f"Feedback on {grade.file}", ""]
    if grade.chapter:
        lines.append(f"Assignment: {grade.chapter}")
    total, possible = _totals(grade, assignment)
    lines.append(f"Points: {total:g} of {possible:g}")
    lines.append(f"Status: {grade.status}" + (f" ({'; '.join(grade.reasons)})" if grade.reasons else ""))
    lines.append("")
    for number, label in enumerate(assignment.exercises if assignment else [], start=1):
        got, most = grade.points.get(label, 0.0), grade.possible.get(label)
        lines.append(f"Exercise {number} ({label}): {got:g} of {(most if most is not None else 1):g}")
        for message in grade.messages.get(label, []):
            lines.append("    " + message.replace("\n", "\n    "))
        if got and most and got >= most:
            lines.append("    Correct.")
    return "\n".join(lines) + "\n"


def _totals(grade, assignment):
    """``(points, max)`` of a submission; an exercise otter did not report counts with its one point."""
    if assignment is None:
        return 0.0, 0.0
    possible = sum(grade.possible.get(label) or 1.0 for label in assignment.exercises)
    return sum(grade.points.get(label, 0.0) for label in assignment.exercises), possible


def write_grades(folder, grades, assignments):
    """Write ``grades.csv``: a column per exercise of every chapter handed in."""
    labels = []  # the exercises of every chapter handed in, in the course's order
    handed_in = {grade.chapter for grade in grades}
    for chapter, assignment in assignments.items():
        if chapter in handed_in:
            labels += [label for label in assignment.exercises if label not in labels]
    with open(Path(folder) / GRADES, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "chapter", *labels, "total", "max", "status", "reason"])
        for grade in grades:
            assignment = assignments.get(grade.chapter)
            total, possible = _totals(grade, assignment)
            points = [f"{grade.points[label]:g}" if label in grade.points else "" for label in labels]
            writer.writerow([grade.file, grade.chapter, *points, f"{total:g}", f"{possible:g}", grade.status,
                             "; ".join(grade.reasons)])


def grade_all(folder, assignments_folder, *, timeout=600, cell_timeout=120, max_output=1_000_000, jobs=1,
              echo=print):
    """Grade every notebook under ``folder``; write grades.csv and the feedback files; return the grades."""
    folder = Path(folder).resolve()
    if not folder.is_dir():
        raise SystemExit(f"SUBMISSIONS={folder} is not a folder")
    assignments = load_assignments(assignments_folder)
    paths = find_submissions(folder)

    def grade(path):
        return grade_one(path, assignments, timeout=timeout, cell_timeout=cell_timeout, max_output=max_output,
                         folder=folder)

    # Each submission is a process of its own; threads only wait for them.
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        grades = list(pool.map(grade, paths))
    for path, grade in zip(paths, grades):
        assignment = assignments.get(grade.chapter)
        path.with_name(path.name[: -len(".ipynb")] + FEEDBACK_SUFFIX).write_text(feedback_text(grade, assignment))
        total, possible = _totals(grade, assignment)
        echo(f"{grade.file}: {total:g}/{possible:g} {grade.status}" + (f" ({'; '.join(grade.reasons)})"
                                                                        if grade.reasons else ""))
    write_grades(folder, grades, assignments)
    echo(f"{len(grades)} submissions graded: {folder / GRADES}")
    return grades


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", nargs="?", help="folder of submitted notebooks")
    parser.add_argument("--assignments", default=str(ROOT / "_build" / "assignments"))
    parser.add_argument("--timeout", type=float, default=600, help="seconds per submission (default 600)")
    parser.add_argument("--cell-timeout", type=float, default=120, help="seconds per cell (default 120)")
    parser.add_argument("--max-output", type=int, default=1_000_000, help="bytes a submission may print")
    parser.add_argument("--jobs", type=int, default=1, help="submissions graded at the same time (default 1)")
    parser.add_argument("--one", nargs=3, metavar=("NOTEBOOK", "AUTOGRADER", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("timeout", "cell_timeout", "max_output", "jobs"):
        if getattr(args, name) <= 0:
            parser.error(f"--{name.replace('_', '-')} must be > 0; got {getattr(args, name)}")
    if args.one:
        run_one(*args.one, args.cell_timeout, args.max_output)
        return
    if not args.submissions:
        parser.error("give the folder of submissions, e.g. make grade SUBMISSIONS=path/to/folder")
    grade_all(args.submissions, args.assignments, timeout=args.timeout, cell_timeout=args.cell_timeout,
              max_output=args.max_output, jobs=args.jobs)


if __name__ == "__main__":
    main()
