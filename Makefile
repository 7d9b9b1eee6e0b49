# Two commands do all the set-up on a fresh machine:
#   make book   builds the website into _build/html, with the whole course as one PDF
#               (_build/html/bpcourse.pdf, when Chromium is installed), creating .venv on the way
#   make test   builds the website, then runs every test: the package's tests, strict
#               nbval on every chapter, the site's links, the browser tests and the
#               Binder replay
# Other targets: make serve (preview on localhost), make notebooks (re-run and
# save every chapter, then write the learner notebooks), make learner (only
# the learner notebooks), make benchmark, make clean.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# The same hash seed when saving notebooks and when testing them.
export PYTHONHASHSEED := 0
# Let the Jupyter kernel pick its inline backend, whatever the calling shell set.
unexport MPLBACKEND

.PHONY: book test serve notebooks learner benchmark clean

$(STAMP): requirements.txt requirements-test.txt constraints.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	$(BIN)/python -c "import matplotlib.pyplot"  # build the font cache once, quietly
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	$(BIN)/python scripts/build_pdf.py
	@echo "The website is in _build/html; open _build/html/index.html or run 'make serve'."

test: book
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg tests book

serve: book
	@echo "Serving on http://localhost:$(PORT) (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

# BPCOURSE_WEBSITE=1: the chapters are run for the website (glued numbers, slider frames).
notebooks: $(STAMP)
	cd book && for nb in [0-9]*.ipynb; do BPCOURSE_WEBSITE=1 ../$(BIN)/jupyter execute --inplace "$$nb" || exit 1; done
	$(BIN)/python scripts/strip_notebooks.py book/[0-9]*.ipynb
	$(BIN)/python scripts/learner_notebooks.py

# The learner notebooks (notebooks/), written from the saved chapters.
learner: $(STAMP)
	$(BIN)/python scripts/learner_notebooks.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_training.py

clean:
	rm -rf _build
