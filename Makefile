# Pontio: one command for the demo (`make demo`) and one for the tests (`make test`).
# Every target can be run again: it only redoes what its inputs have changed.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.pontio-installed

CSS := build/static/css/pontio.css
GOVUK_JS := build/static/govuk/govuk-frontend.min.js
ASSET_INPUTS := package.json package-lock.json scripts/build_assets.sh \
	$(wildcard src/pontio/static_src/*)

LINT_DIRS := $(wildcard src tests bench)

# pip-compile ignores local pip configuration (extra indexes, find-links), so the lock files
# come from PyPI alone and are the same on every machine. The hashes cover every file of
# each pinned release (all platforms). `make lock UPGRADE=1` moves every pin to the newest
# release pyproject.toml allows; plain `make lock` keeps existing pins where it can.
PIP_COMPILE := env -u PIP_FIND_LINKS -u PIP_CONSTRAINT \
	PIP_CONFIG_FILE=/dev/null \
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade)

.PHONY: help venv assets translations demo lint test lock clean

help:
	@echo "make demo          run the demo at http://127.0.0.1:8000 (sets everything up)"
	@echo "make test          lint, type-check and run every test (SQLite, PostgreSQL, browser)"
	@echo "make venv          create .venv from requirements/dev-lock.txt"
	@echo "make assets        build GOV.UK Frontend CSS/JS into build/static"
	@echo "make translations  compile the Welsh catalogue"
	@echo "make lint          ruff check, the import contracts (lint-imports) and mypy"
	@echo "make lock          recompile requirements/*.txt from pyproject.toml (UPGRADE=1 to upgrade)"
	@echo "make clean         remove .venv, node_modules, build/, var/ and caches"

venv: $(VENV_STAMP)

# Reinstalls only when the lock file or pyproject.toml changed since the last install.
$(VENV_STAMP): requirements/dev-lock.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Pontio needs Python 3.11 or newer ($(PYTHON) is $$($(PYTHON) --version 2>&1))." >&2; exit 1; }
	@test -x $(PY) || { echo "Creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev-lock.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

assets: $(CSS)
	@test -f $(GOVUK_JS) || bash scripts/build_assets.sh

$(CSS): $(ASSET_INPUTS)
	bash scripts/build_assets.sh || { rm -f $@; exit 1; }
	@touch $@

# Quick and idempotent; settings need a PONTIO_ENV, and compiling is the same in any.
translations: venv
	PONTIO_ENV=$${PONTIO_ENV:-demo} $(PY) manage.py compile_translations

demo:
	bash scripts/demo.sh

lint: venv
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/lint-imports --no-cache --no-logo
	$(VENV)/bin/mypy src

test:
	bash scripts/test.sh

lock: venv
	$(PIP_COMPILE) -o requirements/lock.txt pyproject.toml
	$(PIP_COMPILE) --extra dev -o requirements/dev-lock.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules build var .mypy_cache .ruff_cache .pytest_cache test-results
	find src tests bench -name __pycache__ -type d -prune -exec rm -rf {} + 2>/dev/null || true
	find src -name '*.mo' -delete
