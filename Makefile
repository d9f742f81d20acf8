# ozonprice — the two commands: `make run` and `make test`.
SHELL := /bin/bash
VENV ?= .venv
# Django 6 needs Python >= 3.12: take python3.12 from PATH, else pyenv's (`pyenv which`,
# then any 3.12 under `pyenv root` / $PYENV_ROOT, wherever pyenv lives), else the system's.
PYENV_ROOT ?= $(shell pyenv root 2>/dev/null)
PYTHON ?= $(shell for p in python3.12 $$(pyenv which python3.12 2>/dev/null) \
	$$(ls -d $(or $(PYENV_ROOT),/nonexistent)/versions/3.12*/bin/python3.12 2>/dev/null) /usr/bin/python3.12; do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' 2>/dev/null && { echo $$p; break; }; done)
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run manage test test-postgres lint bench messages venv clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "python3.12 not found: install Python 3.12 (Django 6 needs it)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

run: $(STAMP)
	./scripts/run-demo

# A management command against the `make run` demo (its database, its sandbox):
#   make manage ARGS="ozon_sync"
# It reads demo/.env, which `make run` writes; the sandbox must be running for Ozon calls.
manage: $(STAMP)
	@test -f demo/.env || { echo "no demo/.env: start the demo once with 'make run'"; exit 1; }
	@set -a && . demo/.env && set +a && $(PY) manage.py $(ARGS)

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m mypy
	$(PY) -m pytest

# The suite against a throwaway PostgreSQL cluster (needs Debian's postgresql package).
test-postgres: $(STAMP)
	scripts/with-postgres $(MAKE) test

# Refresh and compile the Russian and English catalogues.
messages: $(STAMP)
	$(PY) manage.py makemessages -l ru -l en --ignore ".venv/*" --ignore "staticfiles/*"
	$(PY) manage.py compilemessages --ignore ".venv/*"

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Every hot path at 10,000 and 100,000 SKUs against the sandbox, on SQLite and on
# PostgreSQL; the tables are written to docs/bench/.
bench: $(STAMP)
	mkdir -p docs/bench
	$(PY) manage.py bench --sizes 10000,100000 | tee docs/bench/sqlite.md
	scripts/with-postgres $(PY) manage.py bench --sizes 10000,100000 | tee docs/bench/postgresql.md

clean:
	rm -rf $(VENV) staticfiles
