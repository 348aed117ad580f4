# Two commands set up everything on a fresh machine with Python >= 3.11 and pip:
#   make run    installs the locked environment and runs the whole pipeline on the bundled data
#   make test   installs the locked environment and runs the test suite
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin

export UV_PYTHON_DOWNLOADS := never
# Compiled once at install: where PYTHONDONTWRITEBYTECODE is set, every process would otherwise
# compile each module it imports (half of Great Expectations' 7 s import here)
export UV_COMPILE_BYTECODE := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install lint run test test-quick faults bench server serve reports clean

install: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	$(BIN)/python -m compileall -q flows tests
	@touch $@

run: install
	$(BIN)/vendorbrief run

# `make test` runs these too (tests/test_lint.py)
lint: install
	$(BIN)/ruff check flows tests
	$(BIN)/sqlfluff lint sql

test: install
	$(BIN)/pytest

test-quick: install
	$(BIN)/pytest -m "not slow"

faults: install
	$(BIN)/python -m tests.faults --trials 60

# make bench BENCH_ARGS="--scales 1,10 --scale-only" for a quick scale run
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m flows.bench $(BENCH_ARGS)

# Ports on 127.0.0.1: the Prefect server and UI, and the report server the UI's PDF links open.
PREFECT_PORT ?= 4200
REPORTS_PORT ?= 4280

server: install
	$(BIN)/vendorbrief server --port $(PREFECT_PORT)

# Against the server of `make server` unless PREFECT_API_URL says otherwise; starts the report server too.
serve: install
	PREFECT_API_URL=$${PREFECT_API_URL:-http://127.0.0.1:$(PREFECT_PORT)/api} $(BIN)/vendorbrief serve --reports-port $(REPORTS_PORT)

reports: install
	$(BIN)/vendorbrief reports --port $(REPORTS_PORT)

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
