# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Material prints an end-of-life banner on every build; the README documents the plan instead.
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.installed-stamp
# The second engine (README "Een tweede motor"): ProperDocs + MaterialX, in a venv of their own because
# mkdocs-materialx and mkdocs-material install the same 'material' package.
PD_VENV  := .venv-properdocs
PD_STAMP := $(PD_VENV)/.installed-stamp
PD_DEPS  := $(PD_VENV)/.dependencies-stamp

# `make bench BENCH_ARGS=--quick`: the performance report at 1,000 tips only.
.PHONY: install serve build validate test test-snel lint bench clean properdocs build-properdocs serve-properdocs

# scripts/make-venv.sh installs with uv (pinned in requirements.lock), or with pip where uv cannot.
$(STAMP): pyproject.toml requirements.lock scripts/make-venv.sh
	PYTHON="$(PYTHON)" bash scripts/make-venv.sh $(VENV) -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

$(PD_DEPS): requirements-properdocs.lock requirements.lock scripts/make-venv.sh
	PYTHON="$(PYTHON)" bash scripts/make-venv.sh $(PD_VENV) -r requirements-properdocs.lock
	touch $(PD_DEPS)

# An editable install writes kennisbank.egg-info into the source tree: after the main venv's, never beside it
# (`make -j2 install properdocs` installs both venvs' dependencies side by side).
$(PD_STAMP): pyproject.toml $(PD_DEPS) | $(STAMP)
	$(PD_VENV)/bin/uv pip install --quiet --python $(PD_VENV)/bin/python --no-deps -e . \
	  || $(PD_VENV)/bin/python -m pip install --quiet --no-deps -e .
	touch $(PD_STAMP)

properdocs: $(PD_STAMP)
	@:

build-properdocs: $(PD_STAMP)
	@:
	$(PD_VENV)/bin/properdocs build --strict

serve-properdocs: $(PD_STAMP)
	@:
	$(PD_VENV)/bin/kennisbank serve

serve: $(STAMP)
	$(BIN)/kennisbank serve

build: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/kennisbank validate

# The script installs both venvs and the Debian packages side by side (about half a minute saved on a fresh
# machine) before it runs everything.
test:
	PYTHON="$(PYTHON)" bash scripts/ensure-test-deps.sh
	bash scripts/run-tests.sh

# The quick tier for while you work: no browser, LibreOffice, Java, dev server or builds of its own (only the
# shared build of the sample). `make test` before you push.
test-snel: $(STAMP)
	KENNISBANK_TEST_SNEL=1 bash scripts/run-tests.sh -m "not browser and not linux and not build"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check plugins scripts tests
	$(BIN)/lint-imports
	$(BIN)/mypy

bench:
	PYTHON="$(PYTHON)" bash scripts/ensure-test-deps.sh
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf site $(VENV) $(PD_VENV) .pytest_cache .mypy_cache .cache
