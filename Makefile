# Sparring: `make run` to try it, `make test` for every check. See README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
CHROMIUM ?= /usr/bin/chromium-headless-shell

# Checks run with production settings (DEBUG off) and need a key; never a deployment's key.
CHECKS := test types migrations-check static unit bench clock
$(CHECKS): export SECRET_KEY ?= insecure-key-for-checks-only-0123456789abcdefghijklmnop
$(CHECKS): export SECURE_SSL_REDIRECT ?= false

.PHONY: install run serve worker test test-database lint types migrations-check templates-check unit \
	static messages chromium jekyll faketime clock bench demo-municipality demo-reset image clean

install: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Compiled translations are built, not committed.
messages: $(VENV)/.installed
	DEBUG=true $(MANAGE) compilemessages --verbosity 0 --ignore '.venv' --ignore 'node_modules'

# On a laptop e-mail is printed by the worker, not sent; set EMAIL_BACKEND to send it.
run worker: export EMAIL_BACKEND ?= django.core.mail.backends.console.EmailBackend

# The background worker (reminders, e-mail) runs beside the web server and stops with it.
run: SHELL := /bin/bash
run: install
	mkdir -p var
	DEBUG=true $(MANAGE) migrate --noinput --verbosity 0
	DEBUG=true $(MANAGE) demo --if-empty
	@echo "Sparring: http://127.0.0.1:8000"
	DEBUG=true $(MANAGE) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

# Start the demo afresh: delete the local SQLite database and create the demo again.
demo-reset: install
	rm -f var/sparring.sqlite3 var/sparring.sqlite3-wal var/sparring.sqlite3-shm
	mkdir -p var
	DEBUG=true $(MANAGE) migrate --noinput --verbosity 0
	DEBUG=true $(MANAGE) demo

# The worker alone, for when the web server runs elsewhere.
worker: install
	mkdir -p var
	DEBUG=true $(MANAGE) migrate --noinput --verbosity 0
	DEBUG=true $(MANAGE) worker

# The production server (gunicorn, sparring/server.py), DEBUG off, settings from the environment:
# DATABASE_URL, ALLOWED_HOSTS, SPARRING_BASE_URL ... (README.md, docs/operations.md). It applies
# the migrations first (SPARRING_MIGRATE=false to leave them to a step of their own). Without a
# SECRET_KEY it makes one for this installation in var/secret_key and keeps it there; several
# servers of one installation must share theirs.
serve: export SPARRING_MIGRATE ?= true
serve: SHELL := /bin/bash
serve: install static
	mkdir -p var
	@if [ -z "$$SECRET_KEY" ] && [ ! -s var/secret_key ]; then \
		(umask 077; $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key); \
		echo "SECRET_KEY was not set: made one for this installation in var/secret_key"; \
	fi
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" $(MANAGE) serve

# Debian's Chromium for the browser tests, as its headless shell: the same engine and version
# without the browser's windows, whose toolbar Chromium now draws with pages of its own, two
# more renderers for every window a test opens (a third of Chromium's work in the tests).
# Playwright never downloads a browser of its own.
chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium-headless-shell >/dev/null)
	@test -x $(CHROMIUM) || (echo "Chromium is missing and could not be installed" >&2; exit 1)

# Debian's Jekyll, which builds the learning handbook's pages into a site in their test.
jekyll:
	@command -v jekyll >/dev/null || (apt-get update -qq && apt-get install -y -qq jekyll >/dev/null)
	@command -v jekyll >/dev/null || (echo "Jekyll is missing and could not be installed" >&2; exit 1)

# Debian's faketime, for the runs of `make clock`.
faketime:
	@command -v faketime >/dev/null || (apt-get update -qq && apt-get install -y -qq faketime >/dev/null)
	@command -v faketime >/dev/null || (echo "faketime is missing and could not be installed" >&2; exit 1)

# The tests that depend most on the day run again with the machine's clock set, through
# faketime, to moments that broke them or could: a Tuesday at 10:00 in Copenhagen (the default
# check-in day, after its reminders are due), the night the clocks go back (02:30 local, half
# an hour before), and New Year's Eve at 23:59. Times are given in UTC. The clock then runs on
# from there; the monotonic clock stays real, or every timed wait of a thread would hang. The
# three moments run at once, each in a process of its own; their output follows in order.
CLOCK_TESTS ?= notifications/tests/test_worker.py notifications/tests/test_delivery.py \
	checkins/tests/test_reminders.py teamwork/tests/test_reminders.py pulse/tests/test_schedule.py \
	home/tests/test_weekly.py conversations/tests/test_reminders.py \
	development/tests/test_plan_reminders.py development/tests/test_picture.py \
	privacy/tests/test_retention.py privacy/tests/test_export.py api/tests/test_api.py \
	api/tests/test_areas.py
# The tests of two processes on one SQLite file are about concurrency, not the calendar, and
# cost half a run each: the SQLite and PostgreSQL runs of `make test` have them.
CLOCK_SELECT ?= not on_sqlite
CLOCK_MOMENTS ?= 2026-12-01T09:00:00 2026-10-25T00:30:00 2026-12-31T22:59:00
clock: SHELL := /bin/bash
clock: install static faketime
	@mkdir -p var/clock; pids=(); \
	for moment in $(CLOCK_MOMENTS); do \
		TZ=UTC FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f "@$${moment/T/ }" \
			$(BIN)/pytest $(CLOCK_TESTS) -k "$(CLOCK_SELECT)" -q -p no:cacheprovider \
			> var/clock/$$moment.log 2>&1 & pids+=($$!); \
	done; \
	failed=0; i=0; \
	for moment in $(CLOCK_MOMENTS); do \
		wait $${pids[$$i]} || failed=1; i=$$((i + 1)); \
		echo "=== clock tests at $$moment UTC ($$(TZ=Europe/Copenhagen date -d "$${moment}Z" '+%A %F %H:%M %Z') in Copenhagen) ==="; \
		cat var/clock/$$moment.log; \
	done; \
	exit $$failed

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

types: install
	$(BIN)/mypy .

migrations-check: install
	mkdir -p var
	$(MANAGE) makemigrations --check --dry-run --verbosity 1

templates-check: install
	$(BIN)/djlint --lint --quiet $(wildcard */templates)

# Collected (hashed and compressed, about 25 s) only when a static file or the front-end packages
# changed since the last time: CI's three steps need it once.
STATIC_SOURCES := $(shell find . \( -path ./node_modules -o -path ./.venv -o -path ./staticfiles \
	-o -path ./var \) -prune -o -path '*/static/*' -type f -print)
static: staticfiles/staticfiles.json
staticfiles/staticfiles.json: $(VENV)/.installed node_modules/.installed $(STATIC_SOURCES)
	$(MANAGE) collectstatic --noinput --verbosity 0
	touch $@

# One test process per core and one more (`-n auto`, sparring/testing.py; TEST_WORKERS=0 for
# one process, e.g. to use a debugger). A process that runs out of tests takes some of
# another's (worksteal): the long browser tests would otherwise leave a core idle at the end.
TEST_WORKERS ?= auto
unit: install static chromium jekyll
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal

# What depends on the database, for a second database: the migrations and every test but the
# browser tests, the sweeps of every URL (and of every page as each person), the Jekyll build of
# the handbook's pages, and the tests that start the app on a database of their own. Lint,
# types and templates read no database, the browser tests and the sweeps ask pages whose
# database work each app's own tests cover, the Jekyll build reads only the pages the export
# wrote, and a test with its own database is the same test whatever DATABASE_URL names; CI runs
# those once, with `make test` on SQLite.
test-database: migrations-check static
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal \
		-m "not browser and not sweep and not site and not own_database"

# Everything CI runs. With DATABASE_URL set, the tests run against that database.
test: lint types migrations-check templates-check unit

demo-municipality: install
	$(MANAGE) migrate --noinput --verbosity 0
	$(MANAGE) demo --size municipality

# Both databases by default; for one: make bench BENCH_ARGS="--database sqlite"
bench: install static
	$(BIN)/python -m bench.run $(BENCH_ARGS)

# The production image (Containerfile), on Debian's bookworm-slim unless IMAGE_BASE names another
# bookworm; CONTAINER=docker builds it with docker. Behind a proxy that inspects TLS, CA_BUNDLE
# names the CA bundle pip and npm need while they download; it does not go into the image.
IMAGE ?= localhost/sparring:latest
CONTAINER ?= podman
IMAGE_SECRET = --secret id=ca,src=$(CA_BUNDLE)
image:
	$(CONTAINER) build --file Containerfile --tag $(IMAGE) \
		$(if $(IMAGE_BASE),--build-arg BASE=$(IMAGE_BASE)) $(if $(CA_BUNDLE),$(IMAGE_SECRET)) .

clean:
	rm -rf $(VENV) node_modules staticfiles var .mypy_cache .ruff_cache .pytest_cache
