# One task runner: the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck contracts pytest pytest-postgres test-headless openapi bench \
	screenshots translations clean package package-check

# Three distributions live in this tree (pyproject.toml: the client; packaging/domain: the shared
# rules; packaging/server: the reference server). The venv gets their third-party requirements,
# then the client and the server editable (see scripts/core-requirements.py for why --no-deps).
DISTS := pyproject.toml packaging/domain/pyproject.toml packaging/server/pyproject.toml

$(STAMP): $(DISTS) setup.py scripts/core-requirements.py
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PYTHON) scripts/core-requirements.py --with-qt > $(VENV)/requirements.txt
	$(PY) -m pip install -q -r $(VENV)/requirements.txt
	$(PY) -m pip install -q --no-deps -e . -e packaging/server
	touch $(STAMP)

venv: $(STAMP)

## Run the app in demo mode against the embedded, seeded reference server.
demo: $(STAMP)
	$(PY) -m wfh_client.demo

## Lint, type-check, layer contracts, the core without Qt, every test with a real keyring
## (server on SQLite), the server tests again on a throwaway PostgreSQL cluster, then the
## installers built and checked (wheels, PyInstaller bundle, .deb with lintian, MSI).
test: lint typecheck contracts test-headless pytest pytest-postgres package-check

lint: $(STAMP)
	$(VENV)/bin/ruff check wfh_client onestop_server tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy wfh_client onestop_server

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen scripts/with-keyring $(PY) -m pytest -m "not postgres" \
		--ignore=tests/installer $(PYTEST_ARGS)

# The server suite on PostgreSQL (Debian's `postgresql` package): tests.support.pgcluster starts a
# private cluster on a Unix socket, sets ONESTOP_TEST_DATABASE_URL, and stops it afterwards.
pytest-postgres: $(STAMP)
	$(PY) -m tests.support.pgcluster -- $(PY) -m pytest -q -p no:cacheprovider tests/server $(PYTEST_ARGS)

## Build the wheels, the PyInstaller bundle, the .deb and the MSI into build/packages.
PACKAGES := build/packages
package: $(STAMP)
	installer/build.sh $(PACKAGES)

## Check them: contents, lintian, desktop/AppStream, ldd, the frozen app against a real server,
## install + run + purge of the .deb (root), the MSI's tables and signature.
package-check: package
	WFH_PACKAGES_DIR=$(PACKAGES) QT_QPA_PLATFORM=offscreen scripts/with-keyring $(PY) -m pytest -q tests/installer

## Update the translation sources from the UI code and compile them (scripts/translations.py;
## translate what it lists as new in resources/translations/wfh_vi.ts, or pass --add FILE.json).
## qt_vi.ts: Qt's own dialogs in Vietnamese.
translations: $(STAMP)
	$(PY) scripts/translations.py $(TRANSLATIONS_ARGS)
	$(VENV)/bin/pyside6-lrelease resources/translations/qt_vi.ts -qm resources/translations/qt_vi.qm

## Render docs/screenshots/*.png (Vietnamese and English) offscreen.
screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m wfh_client.ui.screenshots

# The core must run with PySide6 absent: a second venv without Qt runs the non-UI tests.
CORE_VENV := .venv-core
$(CORE_VENV)/.installed: $(DISTS) setup.py scripts/core-requirements.py
	$(PYTHON) -m venv $(CORE_VENV)
	$(CORE_VENV)/bin/python -m pip install -q --upgrade pip
	$(CORE_VENV)/bin/python scripts/core-requirements.py > $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/python -m pip install -q -r $(CORE_VENV)/requirements.txt
	$(CORE_VENV)/bin/python -m pip install -q --no-deps -e . -e packaging/server
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
