# Everyday commands. `make run` and `make test` set everything up from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

# Local development runs with DEBUG on; production sets its own environment.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG-1}

.PHONY: run test setup migrate demo lint serve edge worker bench clean

# $(VENV)/.complete marks a virtualenv whose installs all finished. Without it (an install
# stopped by Ctrl-C or a closed terminal), the folder is thrown away and built again, so
# running the command again is all it takes. pip is used as the venv brings it.
$(VENV)/.installed: requirements.txt
	@test -f $(VENV)/.complete || rm -rf $(VENV)
	rm -f $(VENV)/.complete
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(VENV)/.complete $@

setup: $(VENV)/.installed

migrate: setup
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py make_share_crops

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo --if-empty

# The background worker (image renditions, news/tasks.py) runs next to the server, in a
# session of its own (setsid), so the trap stops it and its autoreloader together whenever
# the server stops: Ctrl-C, an error, or the end. WORKER=0 leaves it out.
WORKER ?= 1
WITH_WORKER = if [ "$(WORKER)" != 0 ]; then \
		$(WORKER_ENV) setsid $(PY) manage.py db_worker $(WORKER_ARGS) & worker=$$!; \
		trap 'kill -TERM -$$worker 2>/dev/null' EXIT INT TERM; \
	fi;

run: WORKER_ENV = $(DEV_ENV)
run: demo
	$(DEV_ENV) $(PY) manage.py demo_editor --port $(PORT)
	@$(WITH_WORKER) $(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production: gunicorn, WEB_CONCURRENCY workers (default: 2 per core + 1), static
# files compressed and hashed by collectstatic and served by whitenoise. Needs the
# production variables (README, "Deployment").
# Workers, address and proxy trust: config/gunicorn.py, from WEB_CONCURRENCY, BIND/PORT and
# DJANGO_BEHIND_PROXY.
# The background worker starts next to gunicorn (WORKER=0 leaves it out, for a process
# manager that runs `make worker` on its own: README, "Worker").
serve: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py make_share_crops
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@$(WITH_WORKER) $(PY) -m gunicorn config.wsgi -c config/gunicorn.py

# Varnish (deploy/varnish/) on EDGE_PORT in front of `make serve` on PORT, purged by
# surrogate key on every change (README, "Behind Varnish"); Debian's varnish and
# varnish-modules are installed if missing. Ctrl-C stops both.
EDGE_PORT ?= 6081
edge: setup
	@command -v varnishd >/dev/null || { echo "Installing Varnish (Debian packages)"; \
		apt-get install -y -qq varnish varnish-modules; }
	@EDGE_PURGE=varnish EDGE_PURGE_URL=http://127.0.0.1:$(EDGE_PORT)/ \
		setsid $(MAKE) --no-print-directory serve & serve=$$!; \
	trap 'kill -TERM -$$serve 2>/dev/null' EXIT INT TERM; \
	echo "Readers: http://127.0.0.1:$(EDGE_PORT)/ (Varnish); gunicorn: http://127.0.0.1:$(PORT)/"; \
	BACKEND_PORT=$(PORT) deploy/varnish/start.sh $(EDGE_PORT)

serve worker: WORKER_ARGS = --no-reload
worker: setup
	$(PY) manage.py db_worker $(WORKER_ARGS)

# The benchmark (bench/): fills databases of 1,000 and 100,000 articles (kept in
# var/bench/), loads gunicorn with wrk, writes var/bench/results.json and bench.png.
$(VENV)/.bench-installed: requirements-bench.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench-installed
	@command -v wrk >/dev/null || { echo "Installing wrk (Debian package)"; apt-get install -y -qq wrk; }
	DJANGO_SECRET_KEY=benchmark-only $(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) -m bench.run $(BENCH_ARGS)

# Tests make their own database; DEBUG stays off, as in production. The browser tests
# (tests/browser/) need Debian's Chromium; without it they are skipped, and said so.
CHROMIUM_PATH ?= /usr/bin/chromium
export CHROMIUM_PATH
test: setup
	@test -x "$(CHROMIUM_PATH)" || echo "*** Chromium is not installed ($(CHROMIUM_PATH)): the browser tests will be SKIPPED. Install it with: apt-get install -y chromium"
	$(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
