# Two commands do all the set-up on a fresh machine:
#   make book   builds the website into _build/html, with the whole course as one PDF
#               (_build/html/bpcourse.pdf, when Chromium is installed), creating .venv on the way
#   make test   builds the website, then runs every test: the package's tests, strict
#               nbval on every chapter, the site's links, the browser tests and the
#               Binder replay; then strict nbval on the chapters once more, with NumPy's
#               SIMD dispatch limited (the last bits change, as on another machine)
# Other targets: make serve (preview on localhost), make notebooks (re-run and
# save every chapter), make benchmark, make clean.
# For instructors: make assignments (student notebooks, autograders and an answer key
# in _build/assignments), make grade SUBMISSIONS=folder (grades.csv and feedback there).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
INSTRUCTOR_STAMP := $(VENV)/.instructor-installed
ASSIGNMENTS := _build/assignments
PORT ?= 8000
# The same hash seed when saving notebooks and when testing them.
export PYTHONHASHSEED := 0
# Let the Jupyter kernel pick its inline backend, whatever the calling shell set.
unexport MPLBACKEND

.PHONY: book test serve notebooks benchmark clean

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

# After the full run, the chapters run once more under strict nbval with NumPy's SIMD dispatch
# limited to its baseline loops (scripts/numpy_dispatch.py names the features this processor has,
# e.g. X86_V3,X86_V4,AVX512_ICL): the last bits of many results change, as on another machine,
# and every saved output must still match. OpenBLAS's settings are left as the machine has them.
test: book $(INSTRUCTOR_STAMP)
	$(BIN)/python -m pytest --nbval --nbval-sanitize-with tests/nbval_sanitize.cfg tests book
	@features=$$(env -u NPY_DISABLE_CPU_FEATURES $(BIN)/python scripts/numpy_dispatch.py) || exit 1; \
	if [ -z "$$features" ]; then \
	  echo "NumPy dispatches no SIMD feature on this processor: the limited-dispatch run would repeat the first; skipped."; \
	else \
	  echo "The chapters once more, with NPY_DISABLE_CPU_FEATURES=$$features:"; \
	  NPY_DISABLE_CPU_FEATURES=$$features $(BIN)/python -m pytest -q --nbval \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg book/[0-9][0-9]_*.ipynb; \
	fi

serve: book
	@echo "Serving on http://localhost:$(PORT) (Ctrl+C to stop)"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

notebooks: $(STAMP)
	cd book && for nb in [0-9]*.ipynb; do ../$(BIN)/jupyter execute --inplace "$$nb" || exit 1; done
	$(BIN)/python scripts/strip_notebooks.py book/[0-9]*.ipynb

# The instructors' tools (otter-grader) go into the same environment: the autograders run
# the chapters' code and the course's checker, which need exactly the course's packages.
$(INSTRUCTOR_STAMP): $(STAMP) requirements-instructor.txt
	$(BIN)/python -m pip install --quiet -r requirements-instructor.txt
	touch $(INSTRUCTOR_STAMP)

.PHONY: assignments grade

assignments: $(INSTRUCTOR_STAMP)
	$(BIN)/python scripts/build_assignments.py --out $(ASSIGNMENTS)

grade: $(INSTRUCTOR_STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "Say which folder to grade: make grade SUBMISSIONS=path/to/folder"; exit 2; }
	@test -d $(ASSIGNMENTS) || $(MAKE) assignments
	$(BIN)/python scripts/grade_submissions.py "$(SUBMISSIONS)" --assignments $(ASSIGNMENTS)

benchmark: $(STAMP)
	$(BIN)/python benchmarks/bench_training.py

clean:
	rm -rf _build
