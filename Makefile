# One task runner: the README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck contracts pytest openapi bench screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## Run the app in demo mode against the embedded, seeded reference server.
demo: $(STAMP)
	$(PY) -m wfh_client.demo

## Lint, type-check, layer contracts, then the whole test suite with a real keyring.
test: lint typecheck contracts pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check wfh_client onestop_server tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy wfh_client onestop_server

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen scripts/with-keyring $(PY) -m pytest $(PYTEST_ARGS)

openapi: $(STAMP)
	$(PY) -m onestop_server.cli openapi > docs/openapi.json

bench: $(STAMP)
	@for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
