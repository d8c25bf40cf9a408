# One task runner: the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck contracts pytest pytest-postgres test-headless openapi bench screenshots translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Run the app in demo mode against the embedded, seeded reference server.
demo: $(STAMP)
	$(PY) -m wfh_client.demo

## Lint, type-check, layer contracts, the core without Qt, then every test with a real keyring
## (server on SQLite), then the server tests again on a throwaway PostgreSQL cluster.
test: lint typecheck contracts test-headless pytest pytest-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check wfh_client onestop_server tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy wfh_client onestop_server

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen scripts/with-keyring $(PY) -m pytest -m "not postgres" $(PYTEST_ARGS)

# The server suite on PostgreSQL (Debian's `postgresql` package): tests.support.pgcluster starts a
# private cluster on a Unix socket, sets ONESTOP_TEST_DATABASE_URL, and stops it afterwards.
pytest-postgres: $(STAMP)
	$(PY) -m tests.support.pgcluster -- $(PY) -m pytest -q -p no:cacheprovider tests/server $(PYTEST_ARGS)

## Update the translation sources from the UI code and compile them (then translate what is new
## in resources/translations/wfh_vi.ts and run it again). qt_vi.ts: Qt's own dialogs in Vietnamese.
UI_SOURCES = $(shell find wfh_client/ui -name '*.py' | sort)
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate -locations none -no-obsolete $(UI_SOURCES) -ts resources/translations/wfh_vi.ts
	$(VENV)/bin/pyside6-lupdate -locations none -no-obsolete -pluralonly $(UI_SOURCES) -ts resources/translations/wfh_en.ts
	for ts in wfh_vi wfh_en qt_vi; do $(VENV)/bin/pyside6-lrelease resources/translations/$$ts.ts -qm resources/translations/$$ts.qm; done

## Render docs/screenshots/*.png (Vietnamese and English) offscreen.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m wfh_client.ui.screenshots

# The core must run with PySide6 absent: a second venv without Qt runs the non-UI tests.
CORE_VENV := .venv-core
$(CORE_VENV)/.installed: pyproject.toml scripts/core-requirements.py
	$(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install -q --upgrade pip
	$(CORE_VENV)/bin/python scripts/core-requirements.py > $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/python -m pip install -q -r $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/python -m pip install -q --no-deps -e .
	touch $@

test-headless: $(CORE_VENV)/.installed
	$(CORE_VENV)/bin/python -c "import importlib.util, sys; sys.exit(importlib.util.find_spec('PySide6') is not None)"
	scripts/with-keyring $(CORE_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/domain tests/client

openapi: $(STAMP)
	$(PY) -m onestop_server.cli openapi > docs/openapi.json

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
