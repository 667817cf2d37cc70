# The two commands that do everything on a fresh machine:
#   make run    virtualenv, install, migrate, seed, operator account, serve on 127.0.0.1:$(PORT)
#   make test   virtualenv, install, lint, migration check, schema validation, pytest (+ schemathesis,
#               + a headless Chromium: installed from the system packages when root with apt-get)
# Optional settings are read from the environment, or from .env when it exists.

-include .env
export

PYTHON_BOOT ?= $(shell command -v python3.11 || command -v python3)
VENV        := .venv
PY          := $(VENV)/bin/python
PIP         := $(VENV)/bin/pip
PORT        ?= 8000
STAMP       := $(VENV)/.installed

.PHONY: run dev manage test bench load backup install lint typecheck schema pytest browser constraints clean-db help

help:
	@echo "make run    - install, migrate, seed and serve on http://127.0.0.1:$(PORT) (gunicorn + jobs)"
	@echo "make dev    - the same with Django's auto-reloading development server"
	@echo "make manage ARGS=\"...\" - any manage.py command inside the virtualenv"
	@echo "make test   - install, then ruff, migration check, schema validation, mypy, pytest"
	@echo "make bench  - the search and import benchmark at 1,000,000 patents (own database)"
	@echo "make load   - mixed traffic against gunicorn for 300 s (LOAD_ARGS=\"--seconds 60\")"
	@echo "make backup - pg_dump with a manifest into var/backups/ (restore: make manage ARGS=\"restore <dump>\")"

$(STAMP): pyproject.toml constraints.txt
	@test -n "$(PYTHON_BOOT)" || { echo "Python 3.11 is required (python3.11 or python3)"; exit 1; }
	@$(PYTHON_BOOT) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	test -x $(PY) || $(PYTHON_BOOT) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check --upgrade "pip==25.3"
	$(PIP) install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The product as it is deployed: gunicorn, the job worker and its schedule, DEBUG off; mail
# is kept in var/mail/. Ctrl-C (or SIGTERM) stops everything, the embedded PostgreSQL too.
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py ensure_operator
	@echo "Serving on http://127.0.0.1:$(PORT)  (API /api/v1/, docs /api/docs/, admin /admin/, health /healthz; mail in var/mail/)"
	DEBUG=false $(PY) manage.py serve --bind 127.0.0.1:$(PORT)

# For developers: Django's server with auto-reload and DEBUG on (no job worker and no search
# indexer: run `make manage ARGS="procrastinate worker"` or `make manage ARGS="index_search
# --follow"` beside it when you need them; without the indexer, searches show the seed).
dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py ensure_operator
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Any management command inside the virtualenv: make manage ARGS="import_patents file.csv"
ARGS ?= help
manage: install
	$(PY) manage.py $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

schema: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py spectacular --validate --fail-on-warn --file $(VENV)/openapi.yaml

pytest: install browser
	$(VENV)/bin/pytest

# The headless browser test (tests/browser/) drives Chromium from the system packages
# through their chromedriver (and a CJK font, so that its screenshots show the Chinese
# pages). When any is missing and this runs as root with apt-get (CI, the development
# machines), they are installed; otherwise the test is skipped and says why. Nothing is
# downloaded by the test itself.
CHROMIUM ?= /usr/bin/chromium
BROWSER_PACKAGES := chromium chromium-driver fonts-wqy-zenhei
browser:
	@if [ -x "$(CHROMIUM)" ] && command -v chromedriver >/dev/null \
	  && [ -d /usr/share/fonts/truetype/wqy ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing $(BROWSER_PACKAGES) (system packages) for the browser test"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1 \
	  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $(BROWSER_PACKAGES) >/dev/null 2>&1; } \
	  || echo "Could not install $(BROWSER_PACKAGES): the browser test will be skipped"; \
	else \
	  echo "No Chromium: install chromium and chromium-driver to run the browser test (skipped)"; \
	fi

test: lint schema typecheck pytest

# The benchmark, in its own database (conversion_bench): BENCH_ARGS="--patents 100000" to
# try it smaller, "--load" for the gunicorn load test. See README (Benchmark).
BENCH_ARGS ?=
bench: install
	DEBUG=false $(PY) manage.py bench $(BENCH_ARGS)

# Mixed traffic against gunicorn as deployed, on the project's database (seeded by make run;
# stop make run first or keep its port) or another: LOAD_ARGS="--seconds 60 --database conversion_bench".
LOAD_ARGS ?=
load: install
	DEBUG=false $(PY) manage.py load $(LOAD_ARGS)

# A backup of the database into var/backups/ (see docs/backups.md).
backup: install
	$(PY) manage.py backup

# Re-pin every installed package after a change to pyproject.toml.
constraints: install
	{ echo "# Exact versions of every package (direct and transitive) the project installs."; \
	  echo "# Regenerate after changing pyproject.toml: make constraints"; \
	  $(PIP) freeze --exclude-editable --disable-pip-version-check | grep -v '^-e'; } > constraints.txt

# Delete the local embedded database (asks first; stop `make run` before).
clean-db:
	@read -p "Delete var/postgres (all local data)? [y/N] " answer; [ "$$answer" = y ] && rm -rf var/postgres || true
