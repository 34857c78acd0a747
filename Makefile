# Every target bootstraps .venv itself: a fresh machine needs only Python 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Material prints an end-of-life banner on every build; the README documents the plan instead.
export NO_MKDOCS_2_WARNING := 1
STAMP  := $(VENV)/.installed-stamp

# `make bench BENCH_ARGS=--quick`: the performance report at 1,000 tips only.
.PHONY: install serve build validate test lint bench clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/kennisbank serve

build: $(STAMP)
	$(BIN)/mkdocs build --strict

validate: $(STAMP)
	$(BIN)/kennisbank validate

test: $(STAMP)
	bash scripts/ensure-test-deps.sh
	bash scripts/run-tests.sh

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check plugins scripts tests

bench: $(STAMP)
	bash scripts/ensure-test-deps.sh
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf site $(VENV) .pytest_cache .cache
