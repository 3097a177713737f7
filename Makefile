# `make run` sets up and starts the app; `make test` sets up and runs every check and test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTEST_TIMEOUT ?= 1500
PYTEST_WORKERS ?= 4

.PHONY: run test unit setup system-deps postgresql check clean

# The app's modules are compiled ahead (as an installed package's are), also where PYTHONDONTWRITEBYTECODE is set:
# compiling some 200 modules from source would add about 0.2 s to every start.
run: setup
	$(BIN)/python -m compileall -q pos_app
	$(BIN)/pos-app

# The tests that measure latency or load run by themselves after the rest, which shares the machine's cores.
# The tests on PostgreSQL start a throwaway server of their own (tests/pg_server.py) from the programs installed here.
test: setup postgresql check
	export QT_QPA_PLATFORM=offscreen; status=0; \
	timeout -k 30 $(PYTEST_TIMEOUT) $(BIN)/pytest -m "not alone" -n auto --maxprocesses=$(PYTEST_WORKERS) --dist loadfile || status=$$?; \
	timeout -k 30 $(PYTEST_TIMEOUT) $(BIN)/pytest -m alone || status=$$((status ? status : $$?)); \
	exit $$status

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

postgresql:
	sh packaging/install-system-deps.sh --with-postgresql

$(VENV)/.installed: pyproject.toml
	sh packaging/install-system-deps.sh
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .hypothesis
