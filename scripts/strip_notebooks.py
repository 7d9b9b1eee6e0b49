"""Remove from saved chapters what changes on every run but is not content.

`jupyter execute` stores the kernel's widget state (the live sliders' models,
with new random ids every run) and per-cell execution timestamps in the
notebook. The website never uses either (it shows the pre-rendered sliders
instead), so `make notebooks` removes both after executing the chapters,
which keeps the saved notebooks small and their diffs about content.

    python scripts/strip_notebooks.py book/*.ipynb
"""

import json
import sys
from pathlib import Path


def strip(path):
    notebook = json.loads(Path(path).read_text())
    notebook.get("metadata", {}).pop("widgets", None)
    for cell in notebook["cells"]:
        cell.get("metadata", {}).pop("execution", None)
    Path(path).write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        strip(name)
