# The two commands of the README: `make run` and `make test`. Everything they need is
# installed here, into .venv, so a fresh machine needs nothing but Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app matchmaker
HOST ?= 127.0.0.1
PORT ?= 5000

TRANSLATIONS := matchmaker/translations
CATALOGS := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)

.PHONY: run test install translations install-dev lint format db demo serve worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamp files re-run the install only when the packaging metadata changed.
$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml $(CATALOGS)
	$(BIN)/pip install --quiet -e ".[postgres]"
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev,postgres]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

db: install
	MATCHMAKER_DEV=1 $(FLASK) db upgrade

demo: db
	MATCHMAKER_DEV=1 $(FLASK) demo

run: db
	MATCHMAKER_DEV=1 $(FLASK) demo --if-empty
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	MATCHMAKER_DEV=1 $(FLASK) run --host $(HOST) --port $(PORT)

# Translations (issue 24): extract every marked message into the template and update each
# language's catalog; translators fill the .po files; `make install` compiles them (.mo files
# are built, not committed).
translations: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --no-location --sort-output \
		-o $(TRANSLATIONS)/messages.pot .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching
	$(BIN)/pybabel -q compile -d $(TRANSLATIONS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# PYTEST_ARGS passes options through, e.g. `make test PYTEST_ARGS="-k auth"`.
test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Production: gunicorn with several workers on PostgreSQL (settings in gunicorn.conf.py).
# Needs DATABASE_URL, SECRET_KEY, BASE_URL and TRUSTED_HOSTS; refuses before installing
# anything when one is missing (README, "Production checklist"). With REDIS_URL set it also
# starts JOB_WORKERS (default 1) job workers (matchmaker/worker.py), stopped with gunicorn;
# without it long jobs run in threads of the web processes.
serve:
	@test -n "$$DATABASE_URL" || { echo "make serve: DATABASE_URL is not set. Example:" \
		"DATABASE_URL=postgresql://user@127.0.0.1:5432/matchmaker SECRET_KEY=... make serve" >&2; exit 2; }
	@test -n "$$SECRET_KEY" || { echo "make serve: SECRET_KEY is not set. Generate one with" \
		"python3 -c 'import secrets; print(secrets.token_hex(32))'" >&2; exit 2; }
	@test -n "$$BASE_URL" || { echo "make serve: BASE_URL is not set: the site's public address," \
		"which links in emails use. Example: BASE_URL=https://matchmaker.example.org" >&2; exit 2; }
	@test -n "$$TRUSTED_HOSTS" || { echo "make serve: TRUSTED_HOSTS is not set: the host names" \
		"this site answers for, comma-separated. Example: TRUSTED_HOSTS=matchmaker.example.org" >&2; exit 2; }
	@$(MAKE) --no-print-directory $(VENV)/.installed-serve
	$(FLASK) db upgrade
	@if [ -n "$$REDIS_URL" ]; then \
		for i in $$(seq $${JOB_WORKERS:-1}); do $(BIN)/python -m matchmaker.worker & done; \
		trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
		GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app; \
	else \
		echo "make serve: REDIS_URL is not set: long jobs run in the web processes." >&2; \
		GUNICORN_BIND=$(HOST):$(PORT) exec $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app; \
	fi

# A job worker alone, for another host: the same DATABASE_URL, REDIS_URL, SECRET_KEY and
# BASE_URL as the web hosts (mail links are built from BASE_URL).
worker:
	@test -n "$$DATABASE_URL" || { echo "make worker: DATABASE_URL is not set." >&2; exit 2; }
	@test -n "$$REDIS_URL" || { echo "make worker: REDIS_URL is not set: the worker takes" \
		"its jobs from Redis. Example: REDIS_URL=redis://10.0.0.5:6379/0" >&2; exit 2; }
	@test -n "$$SECRET_KEY" || { echo "make worker: SECRET_KEY is not set (the web hosts' one)." >&2; exit 2; }
	@test -n "$$BASE_URL" || { echo "make worker: BASE_URL is not set (links in emails)." >&2; exit 2; }
	@$(MAKE) --no-print-directory $(VENV)/.installed-serve
	$(BIN)/python -m matchmaker.worker

$(VENV)/.installed-serve: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[postgres,serve]"
	touch $@

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
