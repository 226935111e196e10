# Two commands: `make demo` serves the product with demo content (no services needed);
# `make test` runs the whole suite (starts PostgreSQL and Redis here if they are down).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: demo test bench serve worker services clean messages

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# `make demo PORT=8137` serves on another port; every absolute link (emails, invitation
# links, certificate PDFs, digital credentials, did.json) follows BASE_URL, set from it.
PORT ?= 8000
DEMO_ENV = DJANGO_SETTINGS_MODULE=lms.settings.demo BASE_URL=http://127.0.0.1:$(PORT)

demo: $(VENV)/.installed
	-@bash scripts/ensure-fonts --check
	$(DEMO_ENV) $(PY) manage.py compile_catalogues
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-test node_modules/.installed
	bash scripts/services-up
	bash scripts/ensure-chromium
	bash scripts/ensure-fonts
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) manage.py compile_catalogues
	$(PY) -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-test
	bash scripts/services-up
	$(PY) -m bench.run

# With real services: PostgreSQL, Redis, gunicorn, a Celery worker and beat (see README).
serve: $(VENV)/.installed
	$(VENV)/bin/honcho start

services:
	bash scripts/services-up

# Every language's catalogue brought up to date: strings collected from the code, the
# translations in locale/<lang>/parts/*.po merged in, obsolete ones dropped, compiled
# (lms/management/commands/messages.py; README, "Languages and time zones").
messages: $(VENV)/.installed
	$(PY) manage.py messages

clean:
	rm -rf $(VENV) node_modules db.sqlite3 media staticfiles
