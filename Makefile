SHELL := /bin/bash
# make acceptance   set up (venv, pinned packages, a browser) and run the behave suite
# make test         set up and run everything: pytest (harness, app), then the behave suite
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
FEATURES ?= features

.PHONY: setup acceptance test pytest behave lint format report clean

setup: $(VENV)/.installed
	@$(BIN)/python -m harness.setup_check

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

acceptance: setup behave

test: setup pytest behave

pytest:
	$(BIN)/pytest

behave:
	@mkdir -p reports
	@set -o pipefail; $(BIN)/behave $(FEATURES) 2>&1 | tee reports/behave.log; \
	status=$$?; \
	sed -nE 's/^([0-9]+) scenarios? passed, ([0-9]+) failed.*/scenarios: \1 passed, \2 failed/p' reports/behave.log | tail -n 1; \
	exit $$status

lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Allure 3's report generator is the npm package `allure`
report:
	npx --yes allure@3 generate reports/allure-results --output reports/allure-report

clean:
	rm -rf reports
