# lac-report: `make report` renders the sample month, `make test` runs every check.
# Both set up .venv/ first from the lock file (uv.lock), so nothing is installed by hand.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
SAMPLE_AS_AT := 2020-10-31
OUT ?= out
CHROMIUM ?= /usr/bin/chromium
A11Y_DEPS := a11y/node_modules/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.DEFAULT_GOAL := help
.PHONY: help setup report test lint format bench sample clean a11y

help: ## List the targets
	@grep -E '^[a-z0-9]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

setup: $(BIN)/lac-report ## Create .venv/ from uv.lock, compiled to bytecode (quick when nothing changed)
	@$(BIN)/python -m compileall -q pipeline

# Every module is compiled to bytecode here, so that no run compiles one: a run that cannot write
# __pycache__ (a service account, PYTHONDONTWRITEBYTECODE) would otherwise recompile the libraries
# it loads every time. uv compiles the environment; pipeline/ is an editable install, which uv
# leaves alone, so `setup` compiles it each time (compileall skips the files that are up to date).
$(BIN)/lac-report: pyproject.toml uv.lock Makefile
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv sync --frozen --inexact --quiet --compile-bytecode
	@touch $@

report: setup ## Render the sample council's month to out/<as-at>/
	$(BIN)/lac-report run --extracts samples --config config --as-at $(SAMPLE_AS_AT) --out $(OUT)

a11y: report $(A11Y_DEPS) ## axe-core (WCAG 2.2 AA) on both editions' report.html at desktop and phone widths
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	$(BIN)/lac-report run --extracts samples --config config --as-at $(SAMPLE_AS_AT) --out $(OUT) --edition public
	CHROMIUM=$(CHROMIUM) node a11y/check.mjs $(OUT)/$(SAMPLE_AS_AT)/report.html $(OUT)/$(SAMPLE_AS_AT)-public/report.html

# axe-core and puppeteer-core as pinned in a11y/package-lock.json; puppeteer drives Debian's chromium, downloads no browser.
$(A11Y_DEPS): a11y/package.json a11y/package-lock.json
	cd a11y && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test: setup lint ## Run every check: lint, types, tests
	$(BIN)/pytest

lint: setup ## ruff (lint and format), mypy (strict) and the import layers (import-linter)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

format: setup ## Reformat the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup ## Time the pipeline at national scale against the parse floor and pandas
	$(BIN)/python benchmarks/run.py

sample: setup ## Regenerate the committed synthetic extracts under samples/ (and config/ from them)
	$(BIN)/lac-report sample --out samples
	cp samples/config/council.toml config/council.toml
	rm -rf config/published && cp -R samples/config/published config/published

clean: ## Remove .venv/, out/, a11y/node_modules/ and caches
	rm -rf $(VENV) $(OUT) a11y/node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis
