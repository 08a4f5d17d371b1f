# The two commands a new user needs: `make run` and `make test`. Both can be run again safely.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run serve test lint format install install-dev migrate demo clean chromium java

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installed from the lock files (exact versions of everything, dependencies included); the
# portal itself on top, without resolving anything again. `make lock` writes them anew.
$(VENV)/.installed: requirements/base.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@ $(VENV)/.installed

# After changing the dependencies in pyproject.toml: pin them again (newest versions allowed).
.PHONY: lock
lock: | $(BIN)/python
	$(BIN)/pip install --quiet "pip-tools>=7.4"
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links -o requirements/base.lock pyproject.toml
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --allow-unsafe --no-emit-index-url \
		--no-emit-find-links --extra dev -o requirements/dev.lock pyproject.toml

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo

# E-mail is only queued by requests; the queue's sender runs beside the development server
# (its messages are printed on the console) and stops with it.
run: demo
	DJANGO_DEBUG=1 $(BIN)/python manage.py send_queued_email --loop 5 & \
	trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

# The browser tests (tests/e2e) drive Debian's Chromium; Playwright never downloads a browser.
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# The Nu Html Checker (vnu.jar, from the dev dependencies) runs on Debian's Java.
java:
	command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)

# Production serving: settings come from the environment (docs/configuration.md).
# Logs go to standard error, one line per record, with one access line per request.
# At least DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; DATABASE_URL and REDIS_URL in production.
BIND ?= 127.0.0.1:8000
WEB_CONCURRENCY ?= 5
# Plain-HTTP runs on loopback (make bench) relax HTTPS settings and pass ERROR here.
DEPLOY_CHECK_FAIL_LEVEL ?= WARNING
serve: install
	$(BIN)/python manage.py check --deploy --fail-level $(DEPLOY_CHECK_FAIL_LEVEL)
	$(BIN)/python manage.py check_bind "$(BIND)"
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn portal.wsgi --bind $(BIND) --workers $(WEB_CONCURRENCY) \
		--max-requests 50000 --max-requests-jitter 5000 --timeout 30 --graceful-timeout 20 \
		--error-logfile -

# Tests run with debug off, as production does, over plain HTTP (tests/settings.py).
test: install-dev chromium java
	$(BIN)/pytest

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint --quiet
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var

# Benchmark and load run (docs/benchmarks.md); both only ever target 127.0.0.1.
# They install Debian's wrk when it is missing (as root). `make bench SIZES=100,10000` is quicker.
SIZES ?= 100,10000,100000
.PHONY: bench load
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench.run --sizes $(SIZES) $(BENCH_ARGS)

load: install
	command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	$(BIN)/python -m bench.load $(LOAD_ARGS)

# Lighthouse on the main pages of a running server (ops/lighthouse.sh); npm's lighthouse, pinned.
LIGHTHOUSE_URL ?= http://localhost:8600
.PHONY: lighthouse
lighthouse: chromium
	command -v npm >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm)
	test -x var/lighthouse/node_modules/.bin/lighthouse || npm install --prefix var/lighthouse --no-audit --no-fund -E lighthouse@12.2.3
	bash ops/lighthouse.sh $(LIGHTHOUSE_URL)

# Consistency across two server processes, and database and Redis outages (ops/resilience.py).
.PHONY: resilience
resilience: install-dev
	$(BIN)/python ops/resilience.py
