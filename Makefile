# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.8
STAMP := $(VENV)/.installed

.PHONY: install run test lint format clean browser

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q "uv==$(UV_VERSION)"
	$(BIN)/uv pip install --python $(BIN)/python -q -e ".[dev]"
	@touch $@

install: $(STAMP)

## Install everything, start Neo4j, load the knowledge base (skipped when unchanged), launch the app.
run: install
	$(BIN)/symbiosis db start
	$(BIN)/symbiosis kg load
	HF_HUB_OFFLINE=1 $(BIN)/symbiosis corpus add corpora
	HF_HUB_OFFLINE=1 $(BIN)/symbiosis serve

## Debian's Chromium for the browser tests (Playwright drives it; no browser is downloaded).
browser:
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

## Install everything, then lint and run the whole test suite against a real Neo4j server.
test: install lint browser
	HF_HUB_OFFLINE=1 $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
