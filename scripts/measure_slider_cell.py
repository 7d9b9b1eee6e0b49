"""How long chapter 2's slider cell takes in a learner's kernel, against the website's run of it.

Starts a Jupyter kernel (as JupyterLab would), runs the learner notebook
``notebooks/02_forward_pass.ipynb`` up to its slider cell, then runs that
cell several times as a learner's kernel runs it (one live picture) and, in
the same kernel, as the website's run does (``BPCOURSE_WEBSITE=1``: every
frame of the page as well). Prints the median seconds of each and their
ratio. Seconds depend on the machine and on what else it runs; the ratio
much less.

    .venv/bin/python scripts/measure_slider_cell.py [--repeat 5]
"""

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "02_forward_pass.ipynb"


def run(client, code):
    """Run ``code`` in the kernel; return (wall seconds until the kernel is idle again, the kernel's CPU seconds).

    CPU seconds change less than wall seconds when other programs share the machine."""
    clock = {"cpu": "__import__('time').process_time()"}
    before = client.execute_interactive("", user_expressions=clock, timeout=60, output_hook=lambda m: None)
    start = time.perf_counter()
    reply = client.execute_interactive(code, user_expressions=clock, timeout=600, output_hook=lambda message: None)
    seconds = time.perf_counter() - start
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"the cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    cpu = [float(r["content"]["user_expressions"]["cpu"]["data"]["text/plain"]) for r in (before, reply)]
    return seconds, cpu[1] - cpu[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each version (default 5)")
    repeat = parser.parse_args().repeat
    cells = ["".join(cell["source"]) for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "code"]
    slider = next(k for k, source in enumerate(cells) if "dosage_widget()" in source)
    # a learner's kernel: the website's variable unset, matplotlib's backend the kernel's own
    env = {k: v for k, v in os.environ.items() if k not in ("BPCOURSE_WEBSITE", "MPLBACKEND")}
    manager, client = start_new_kernel(kernel_name="python3", cwd=str(NOTEBOOK.parent),
                                       env={**env, "PYTHONHASHSEED": "0"})
    try:
        for source in cells[:slider]:
            run(client, source)
        learner = [run(client, cells[slider]) for _ in range(repeat)]
        run(client, "import os; os.environ['BPCOURSE_WEBSITE'] = '1'")
        website = [run(client, cells[slider]) for _ in range(repeat)]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    print(f"chapter 2's slider cell, median of {repeat} runs in one kernel (wall seconds; the kernel's CPU seconds):")
    medians = {}
    for name, runs in (("learner's kernel (one live picture)", learner), ("website's run (every frame as well)", website)):
        medians[name] = [statistics.median(r[i] for r in runs) for i in (0, 1)]
        print(f"  {name}: {medians[name][0]:.2f} s; CPU {medians[name][1]:.2f} s"
              f"  (runs: {', '.join(f'{w:.2f}' for w, _ in runs)})")
    (learner_wall, learner_cpu), (website_wall, website_cpu) = medians.values()
    print(f"  ratio learner / website: {learner_wall / website_wall:.3f} (wall), {learner_cpu / website_cpu:.3f} (CPU)")

if __name__ == "__main__":
    main()
