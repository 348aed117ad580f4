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
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: install run test test-quick faults bench server serve clean

install: $(VENV)/.synced

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

run: install
	$(BIN)/vendorbrief run

test: install
	$(BIN)/pytest

test-quick: install
	$(BIN)/pytest -m "not slow"

faults: install
	$(BIN)/python -m tests.faults --trials 60

bench: install
	$(BIN)/python -m flows.bench

server: install
	$(BIN)/vendorbrief server

serve: install
	$(BIN)/vendorbrief serve

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
