# Everyday commands. `make run` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

# Local development runs with DEBUG on; production sets its own environment.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG-1}

.PHONY: run test setup migrate demo lint clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed

migrate: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo --if-empty

run: demo
	$(DEV_ENV) $(PY) manage.py demo_editor --port $(PORT)
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Tests make their own database; DEBUG stays off, as in production.
test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
