# Everything a fresh clone needs, with only Python 3.11+ installed.
# CPython 3.12+ when the machine has it (coverage is nearly free there), else python3.
PYTHON ?= $(shell sh tools/find_python.sh)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up and serve on the embedded defaults (SQLite in ./data, no other services)
run: $(STAMP)
	$(BIN)/aicaller serve

## test: the whole suite with the coverage floor (PostgreSQL too when AICALLER_TEST_DATABASE_URL is set),
## one worker process per core and per real-time group, at most 4 (each has its own databases:
## tests/services.py), the real-time voice tests as two groups two workers start with
## (tests/scheduling.py, ADR 0022)
## coverage through sys.monitoring on Python 3.12+, the C tracer on 3.11 (docs/adr/0026)
test: $(STAMP)
	$(KEEP_BYTECODE) $(COVERAGE_ENV) $(BIN)/pytest -n auto --maxprocesses 4 --dist loadgroup --cov=aicaller --cov-report=term

# Python's default, whatever the shell says: each process caches what it compiles and pytest
# its rewritten test modules, so a second run no longer compiles and rewrites everything in
# every worker (about 6 s of CPU each); PYTHONDONTWRITEBYTECODE=1 in the environment turned it off.
KEEP_BYTECODE = PYTHONDONTWRITEBYTECODE=
# Expanded when a recipe runs, once .venv exists.
COVERAGE_ENV = $(shell $(BIN)/python tools/coverage_env.py)

## test-fast: the edit-run loop: no coverage, last failures first, stop at the first failure
test-fast: $(STAMP)
	$(KEEP_BYTECODE) $(BIN)/pytest -x -q --failed-first $(ARGS)

## lint: what CI checks besides the tests
lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage htmlcov
