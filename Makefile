# `make run` sets up and starts the app; `make test` sets up and runs every check and test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_TIMEOUT ?= 1500

.PHONY: run test unit setup system-deps check clean

run: setup
	$(BIN)/pos-app

test: setup check
	QT_QPA_PLATFORM=offscreen timeout -k 30 $(PYTEST_TIMEOUT) $(BIN)/pytest

unit: setup  # the quick loop while working: the unit tests only, no checks
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q tests/unit

check: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

setup: $(VENV)/.installed

system-deps:
	sh packaging/install-system-deps.sh

$(VENV)/.installed: pyproject.toml
	sh packaging/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
