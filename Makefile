# The two commands a newcomer needs; each sets up what it needs first.
#   make build   build every edition into output/
#   make test    lint, type-check and run all tests (slow end-to-end ones too)
#   make mutate  mutation testing on the fast tests (MODULES="impose dates" for some)
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: build test test-fast lint bench mutate clean

build: $(VENV)/.installed
	$(BIN)/diglot build

test: $(VENV)/.installed lint
	$(BIN)/python -m pytest -n auto --dist loadfile

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check tools tests bench
	$(BIN)/mypy

bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

mutate: $(VENV)/.installed
	$(BIN)/python tools/mutate.py $(MODULES)

$(VENV)/.installed: pyproject.toml tools/setup.sh
	bash tools/setup.sh

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
