# scholarpages: `make build` builds content/ into output/, `make test` runs every check.
# Both create .venv on first use; only Python 3.11+ and make are needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TSTAMP := $(VENV)/.installed-test
ARGS   ?=

.PHONY: build serve bench test lint format typecheck check clean help audit-tools audit screenshots fuzz

help:
	@echo "make build   build content/ into output/"
	@echo "make test    lint, type-check and run the test suite"
	@echo "make check   report every problem in content/"
	@echo "make serve   preview content/ at http://127.0.0.1:8000/, rebuilt on every change"
	@echo "make bench   time full and incremental builds of generated sites"
	@echo "make format  format the code with ruff"
	@echo "make audit   run the browser audits (vnu, axe, Lighthouse) on built sites"
	@echo "make screenshots  capture the profile and a paper page into screenshots/"
	@echo "make clean   remove output/, caches and .venv/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	@touch $@

$(TSTAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

build: $(STAMP)
	$(BIN)/scholarpages build $(ARGS)

check: $(STAMP)
	$(BIN)/scholarpages check $(ARGS)

serve: $(STAMP)
	$(BIN)/scholarpages serve $(ARGS)

# Timings of full and incremental builds on generated sites of 1,000 and 10,000 papers (in .bench/).
bench: $(STAMP)
	$(BIN)/python -m benchmarks.run $(ARGS)

lint: $(TSTAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TSTAMP)
	$(BIN)/mypy

format: $(TSTAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: audit-tools lint typecheck
	$(BIN)/pytest $(ARGS)

# A long property-testing campaign (at least 100,000 generated inputs); `make test` runs a short one.
fuzz: $(TSTAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q -p no:randomly -m fuzz tests/test_fuzz.py tests/test_bibtex_fuzz.py $(ARGS)

# Browser audit tools (tools/audit): Debian's chromium when missing (as root), pinned npm packages.
# Exit status 3 means "cannot be installed here": the audit tests then skip and say why.
AUDIT := tools/audit

audit-tools:
	@bash $(AUDIT)/install.sh || [ $$? -eq 3 ]

audit: audit-tools $(STAMP)
	$(BIN)/python $(AUDIT)/audit.py

screenshots: audit-tools $(STAMP)
	$(BIN)/python $(AUDIT)/audit.py screenshots --out screenshots

clean:
	rm -rf output .scholarpages-cache .pytest_cache .mypy_cache .ruff_cache $(VENV)
