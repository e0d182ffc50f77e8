# Two commands do everything on a fresh machine with Python 3:
#   make lab    install into .venv, copy the learner notebooks into your workspace/ and open JupyterLab there
#   make test   install into .venv and run every test, every notebook included
# and `make progress` lists every exercise in your workspace as passed, failing or not started.
# The Korean edition (한국어판): `make lab EDITION=ko` (or `make lab-ko`), `make progress EDITION=ko`, in workspace-ko/.
# workspace/ is yours (git ignores it): no course command overwrites your work there (tools/workspace.py).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# one BLAS thread per process: the notebooks run side by side under pytest-xdist
THREADS := OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
# the learner's folder, and extra arguments for JupyterLab (e.g. LAB_ARGS="--no-browser --ServerApp.port=8899")
# en, or ko for the Korean edition (ko/, every message in Korean; its own workspace)
EDITION ?= en
WORKSPACE ?= $(if $(filter ko,$(EDITION)),workspace-ko,workspace)
LAB_ARGS ?=
# JupyterLab refuses to run as root (containers, many cloud machines) unless told
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab lab-ko progress progress-ko korean book test install unit notebooks matrix matrix-ci exercises bench bench-layers full-data profile subset reference clean

$(STAMP): requirements.txt requirements-dev.txt requirements-distributed.txt requirements-book.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt -e .
	touch $(STAMP)

install: $(STAMP)

# JupyterLab on your workspace: new course notebooks copied in, your changed ones never overwritten (a course update
# arrives beside yours), the worked solutions refreshed in solutions/
lab: install
	$(BIN)/python tools/workspace.py sync --edition "$(EDITION)" --workspace "$(WORKSPACE)"
	LECTURE_UTILS_LANG="$(EDITION)" $(BIN)/jupyter lab --ServerApp.root_dir="$(WORKSPACE)" $(ALLOW_ROOT) $(LAB_ARGS) \
		"$(WORKSPACE)/00_setup_and_recap.ipynb"

# every exercise in your workspace: passed, failing (with the check's hint) or not started; a report, exit code 0
progress: install
	$(BIN)/python tools/progress.py --edition "$(EDITION)" --workspace "$(WORKSPACE)"

# 한국어판, the Korean edition (ko/, built from the English notebooks and translations/ko/): make lab EDITION=ko
lab-ko:
	$(MAKE) lab EDITION=ko

progress-ko:
	$(MAKE) progress EDITION=ko

# the Korean edition from the English notebooks and their translations (see tools/translate.py)
korean: install
	$(BIN)/python tools/translate.py build

# the course as a static HTML book, English and Korean, every notebook executed (tools/book.py): build/book/html/;
# only the notebooks whose code, package or data changed run again. Open build/book/html/index.html, or serve it:
# python -m http.server -d build/book/html
book: install
	@start=$$(date +%s); $(BIN)/python tools/book.py build; rc=$$?; \
	echo "make book: $$(( $$(date +%s) - start )) s"; exit $$rc

# make test builds the book first: a notebook that fails in either edition fails the book, and tests/test_book.py
# opens the book in Chromium.
# --no-loadscope-reorder: the files go to the two workers longest first, in the order tests/conftest.py gives them
# pytest's exit code 5 means it collected no test: for this course that is a broken suite, not a pass
# The learner versions are not run in full: outside their exercises they are their solutions' code (tests/
# test_exercises.py checks it), and their exercise and check cells run in tests/test_exercises.py.
test: install book
	@start=$$(date +%s); \
	$(THREADS) $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder --nbval-lax --nbval-current-env \
		tests notebooks templates; \
	rc=$$?; echo "make test: $$(( $$(date +%s) - start )) s"; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: the test suite is broken"; exit 1; fi; exit $$rc

unit: install
	$(BIN)/python -m pytest -n 2 tests

notebooks: install
	$(THREADS) $(BIN)/python -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env notebooks templates

# every notebook and learner version at SEED = 0..4, with one BLAS thread (two side by side, as in make test) and with
# the BLAS library's default (one at a time, as make lab leaves a learner's kernel): see tools/seed_matrix.py
matrix: install
	$(BIN)/python tools/seed_matrix.py

# what CI adds to make test (which ran SEED = 0 with one thread): the solution notebooks at the other seeds with one
# thread and at every seed with the default threads (outside its exercises a learner version runs its solution's
# code, as tests/test_exercises.py checks, so the learner versions are left to make matrix)
matrix-ci: install
	@$(BIN)/python tools/seed_matrix.py --threads 1 --seeds 1 2 3 4 --no-learner; one=$$?; \
	$(BIN)/python tools/seed_matrix.py --threads default --no-learner; default=$$?; \
	[ $$one -eq 0 ] && [ $$default -eq 0 ]

# the learner versions, from the solution notebooks (see CONTRIBUTING.md; then make korean for the Korean edition)
exercises: install
	$(BIN)/python tools/make_exercises.py

bench: install
	$(BIN)/python benchmarks/bench_training.py

# numpy against PyTorch (installed elsewhere: TORCH_PYTHON=/path/to/python; skipped without it), see benchmarks/README.md
bench-layers: install
	TORCH_PYTHON=$(TORCH_PYTHON) $(BIN)/python benchmarks/bench_layers.py

# the full Fashion-MNIST: accuracy against wall time, written to benchmarks/results/
full-data: install
	$(BIN)/python benchmarks/full_data.py

profile: install
	$(BIN)/python benchmarks/profile_steps.py

subset: install
	$(BIN)/python tools/make_subset.py

# needs PyTorch in another environment: see tools/record_reference.py
reference:
	$(TORCH_PYTHON) tools/record_reference.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
