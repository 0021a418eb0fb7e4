# Haven: every task is one command. `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
# llama-cpp-python compiles from source: build for any x86-64 with AVX2 rather than for this
# exact CPU, whose newest instructions (AMX, AVX-512) crash it inside some virtual machines.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON

.DEFAULT_GOAL := help
.PHONY: help run serve install install-dev migrate demo test lint typecheck contracts unit integration bench train-risk train-nlu format i18n clean

help: ## List every target
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-12s %s\n", $$1, $$2}'

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml package-lock.json | $(BIN)/python
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/python -m pip install --quiet -e '.[dev]'
	@# axe-core for the browser suite's accessibility checks (npm registry; no Node needed to serve)
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	 else echo "npm not found: the browser suite's accessibility checks will be skipped"; fi
	@touch $@ $(STAMP)

install: $(STAMP) ## Create .venv and install Haven

install-dev: $(DEV_STAMP) ## Install Haven with the development tools

migrate: install ## Apply database migrations (SQLite in ./var by default)
	$(BIN)/haven db upgrade

demo: migrate ## Create the demo accounts and print their logins
	$(BIN)/haven demo

run: demo ## Install, migrate, seed the demo and serve on http://127.0.0.1:8000
	$(BIN)/haven serve

serve: install ## Serve without seeding the demo
	$(BIN)/haven serve

lint: install-dev ## ruff (lint and format check)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-dev ## mypy --strict on src/
	$(BIN)/mypy --strict src

contracts: install-dev ## import-linter: the domain stays free of web, DB and ML imports
	$(BIN)/lint-imports

unit: install-dev ## Unit tests only (no database, no network)
	$(BIN)/pytest tests/unit -q

integration: install-dev ## Integration tests (SQLite and PostgreSQL)
	$(BIN)/pytest tests/integration -q

test: lint typecheck contracts ## Every check: lint, types, import contracts and all tests
	$(BIN)/pytest -q

bench: install-dev ## Benchmarks under bench/
	$(BIN)/python -m bench

train-risk: install ## Retrain the risk classifier on the corpus (rewrites risk_classifier.npz)
	$(BIN)/haven train risk

train-nlu: install ## Retrain the companion's emotion, intent and distortion classifiers
	$(BIN)/haven train nlu

format: install-dev ## Format the code
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

i18n: install-dev ## Re-extract translatable strings and update the catalogs
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k translate:2 -o var/haven.pot src
	$(BIN)/pybabel update -i var/haven.pot -d src/haven/locales -D haven --no-fuzzy-matching

clean: ## Remove the virtual environment and local data
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
