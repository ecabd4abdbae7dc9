# Two commands on a fresh machine: `make run` and `make test`.
# Without DATABASE_URL / REDIS_URL an embedded PostgreSQL and Redis run with data in .data/.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
APT_INSTALL := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: run test setup services translations browser-tools deploy-tools stop-services lint format check bench clean-data

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,embedded]"
	touch $@

# Browser tests (tests/browser): Debian's Chromium (installed only when missing) and
# axe-core from npm (package-lock.json).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(APT_INSTALL) chromium fonts-liberation

node_modules/.installed: package.json package-lock.json
	command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(APT_INSTALL) npm; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser-tools: $(CHROMIUM) node_modules/.installed

# The proxy test runs Debian's nginx with core/nginx.conf; the compose test validates
# docker-compose.yml with Debian's docker-compose (no Docker engine needed).
/usr/sbin/nginx:
	$(SUDO) apt-get update -qq
	$(APT_INSTALL) nginx-light
	-$(SUDO) service nginx stop 2>/dev/null

/usr/bin/docker-compose:
	$(SUDO) apt-get update -qq
	$(APT_INSTALL) docker-compose

deploy-tools: /usr/sbin/nginx /usr/bin/docker-compose

services: $(VENV)/.installed
	@$(PY) -m core.localservices start

# .mo files are built here (polib), so no GNU gettext is needed.
translations: services
	$(PY) manage.py compile_translations

setup: translations
	$(PY) manage.py setup_platform

run: export PUBLIC_PORT = $(PORT)
run: setup
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Network site: http://localhost:$(PORT)/  members: http://<slug>.localhost:$(PORT)/  (Ctrl-C stops)"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A core worker --loglevel INFO --concurrency 2 & \
	$(VENV)/bin/celery -A core beat --loglevel INFO --schedule .data/celerybeat-schedule & \
	$(VENV)/bin/gunicorn core.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile - ; \
	wait

test: translations check browser-tools deploy-tools
	$(VENV)/bin/pytest

check: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

lint: check

format: $(VENV)/.installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: setup
	$(PY) bench/provision.py
	$(PY) bench/migrate.py

stop-services:
	$(PY) -m core.localservices stop

clean-data: stop-services
	rm -rf .data
