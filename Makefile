# SupportMail status page. `make serve` to look at it, `make test` to check it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
HOST_PYTHON ?= python3
DIST ?= dist
HTTP_PORT ?= 8000
API_PORT ?= 3000
WS_PORT ?= 4000

.PHONY: setup build serve test lint format extract clean bench

# Idempotent: re-runs pip and npm only when their inputs changed.
setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(HOST_PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build: setup
	$(PY) build.py --out $(DIST)

# The page is built to talk to the simulator on the ports chosen here
# (e.g. `make serve HTTP_PORT=8080 API_PORT=3100 WS_PORT=4100`).
serve: setup
	$(PY) build.py --out $(DIST) --api-url http://localhost:$(API_PORT) --ws-url http://localhost:$(WS_PORT)
	@echo "Starting the simulated backend and the page (Ctrl-C stops both)."
	$(PY) -m simulator --serve $(DIST) --http-port $(HTTP_PORT) --api-port $(API_PORT) --ws-port $(WS_PORT)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

test: setup lint
	$(PY) -m pytest

# Re-extract translatable strings after changing templates or N_() markers, then
# merge them into the catalogs (translate the new entries by hand).
extract: setup
	$(PY) cldr_formats.py
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-location --omit-header --sort-output -o locales/messages.pot .
	for lang in en de fr es; do $(VENV)/bin/pybabel update --no-fuzzy-matching --ignore-obsolete --width 100 -i locales/messages.pot -d locales -l $$lang; done

bench: setup
	$(PY) -m bench.page_speed

clean:
	rm -rf $(DIST) .cache .pytest_cache
