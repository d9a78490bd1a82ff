# One task runner: CI calls these same targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint fix bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The CLI walk-through, then the web portal on a throwaway SQLite database
# with demo data at http://127.0.0.1:8000 (logins printed; Ctrl-C stops it).
demo: $(STAMP)
	$(BIN)/python -m carecover.demo
	$(BIN)/carecover serve --demo --host 127.0.0.1 --port 8000

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

fix: $(STAMP)
	$(BIN)/ruff check --fix src tests benchmarks
	$(BIN)/ruff format src tests benchmarks

# The whole suite on SQLite; then, when CARECOVER_TEST_DATABASE_URL names a
# PostgreSQL server (.ci/run sets it), the portal suite again on PostgreSQL.
test: lint
	CARECOVER_TEST_DATABASE_URL= $(BIN)/pytest -q
	@if [ -n "$$CARECOVER_TEST_DATABASE_URL" ]; then $(BIN)/pytest -q tests/portal; fi

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
