# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint demo

$(VENV)/.installed-base: requirements/base.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed-base requirements/test.txt
	$(VENV)/bin/uv pip install -q --python $(PY) -r requirements/test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

run: $(VENV)/.installed-base node_modules/.installed
	$(PY) manage.py migrate --noinput
	PORT=$(PORT) $(PY) manage.py load_demo
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# DATABASE_URL picks the database (SQLite when unset); browser tests need /usr/bin/chromium.
test: lint node_modules/.installed
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(VENV)/bin/pytest
