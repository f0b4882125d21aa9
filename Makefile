# eWTP: `make run` for a demo, `make test` for the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run serve test test-fast lint install install-dev clean messages bench

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "eWTP needs Python 3.11+")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

# Test and tooling packages on top of the runtime (requirements-dev.txt includes requirements.txt).
$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Demo: virtualenv, install, migrate, demo data, web server + Celery worker.
run: install
	VENV=$(VENV) bin/run-demo

## Production-like on one machine: DEBUG off, migrate, collectstatic, gunicorn (needs SECRET_KEY).
serve: install
	VENV=$(VENV) bin/serve

## Whole suite against the real PostgreSQL and Redis (started if installed but down), on every core
## (pytest-xdist: each test worker has its own database and Redis dbs); the slowest tests listed.
TEST_WORKERS ?= 3  # two cores here: a third worker fills the time the others wait on processes
test: install-dev
	bin/ensure-services
	$(PY) -m pytest -n $(TEST_WORKERS) --durations=15

## Quick feedback: the suite without the browser, process, worker and fault tests (marked).
test-fast: install-dev
	bin/ensure-services
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser and not smoke and not celery and not faults and not slow"

## Every benchmark in bench/ (own databases and Redis), then one table of figures against targets.
## BENCH_DURATION: seconds per HTTP cell; BENCH_SHIPMENTS: shipments routed and simulated.
BENCH_DURATION ?= 5
BENCH_SHIPMENTS ?= 10000
bench: install-dev
	bin/ensure-services
	@mkdir -p var/bench
	$(PY) bench/routing.py --json var/bench/routing.json
	$(PY) bench/catalog.py --duration $(BENCH_DURATION) --json var/bench/catalog.json
	$(PY) bench/checkout.py --duration $(BENCH_DURATION) --json var/bench/checkout.json
	$(PY) bench/simulation.py --shipments $(BENCH_SHIPMENTS) --json var/bench/simulation.json
	@echo
	@$(PY) bench/report.py var/bench/routing.json var/bench/catalog.json var/bench/checkout.json \
	  var/bench/simulation.json

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

## Refresh the translation catalogues (needs GNU gettext) and compile them.
messages: install-dev
	DEBUG=1 $(PY) manage.py makemessages -l zh_Hans -l fr -l sw --no-obsolete \
	  --ignore '.venv/*' --ignore 'var/*' --ignore 'staticfiles/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) bin/translate-core.py
	DEBUG=1 $(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var staticfiles
