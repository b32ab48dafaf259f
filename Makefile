# Common Ground. `make run` serves the site; `make test` runs every test. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
ASSETS := static/dist/app.css

.PHONY: run test bench install assets migrate worker lint typecheck lock format clean help

help:
	@echo "make run     set up, migrate, load demo data and serve http://127.0.0.1:5000 with the mail worker"
	@echo "make test    set up and run the whole test suite"
	@echo "make worker  run the mail worker on its own"
	@echo "make lint    check the code with ruff"
	@echo "make typecheck  check the types with mypy"
	@echo "make lock    pin every dependency, with hashes, after changing pyproject.toml"
	@echo "make bench   measure an email update to 10,000 recipients, the signatories list at 1,000 and 100,000, renders,"
	@echo "             and the public pages and sign-on against a floor app under gunicorn (BENCH_QUICK=1: a short run)"

# Installs exactly the versions in requirements-dev.lock, each checked against its hash; `make lock` renews it.
$(STAMP_PY): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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
	$(BIN)/python bench/signatories.py
	$(BIN)/python bench/renders.py
	$(BIN)/python bench/stack.py
	$(BIN)/python bench/exports.py

# After changing the dependencies in pyproject.toml: pin every package, with hashes, for production and for development.
lock: install
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --quiet -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --universal --python-version 3.11 --quiet -o requirements-dev.lock

typecheck: install
	$(BIN)/mypy

lint: install
	$(BIN)/ruff check campaigns tests
	$(BIN)/ruff format --check campaigns tests

format: install
	$(BIN)/ruff check --fix campaigns tests
	$(BIN)/ruff format campaigns tests

clean:
	rm -rf $(VENV) node_modules static/dist
