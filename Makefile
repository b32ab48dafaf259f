# Common Ground. `make run` serves the site; `make test` runs every test. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
ASSETS := static/dist/app.css

.PHONY: run test bench install assets migrate worker lint format clean help

help:
	@echo "make run     set up, migrate, load demo data and serve http://127.0.0.1:5000 with the mail worker"
	@echo "make test    set up and run the whole test suite"
	@echo "make worker  run the mail worker on its own"
	@echo "make lint    check the code with ruff"
	@echo "make bench   measure how fast an email update to 10,000 recipients goes out"

$(STAMP_PY): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

$(STAMP_NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): $(STAMP_NODE) static/src/app.scss static/src/app.js static/src/build.mjs
	npm run --silent build

install: $(STAMP_PY) $(ASSETS)

assets: $(ASSETS)

migrate: install
	$(FLASK) db upgrade

run: migrate
	$(FLASK) seed-demo --if-empty
	$(FLASK) serve

worker: install
	$(FLASK) worker

# Tests run in one process per CPU (pytest-xdist); each process builds its own databases.
TEST_WORKERS ?= auto

test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install
	$(BIN)/python bench/mailings.py

lint: install
	$(BIN)/ruff check campaigns tests
	$(BIN)/ruff format --check campaigns tests

format: install
	$(BIN)/ruff check --fix campaigns tests
	$(BIN)/ruff format campaigns tests

clean:
	rm -rf $(VENV) node_modules static/dist
