# Reform Exchange — developer commands. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
INSTALLED := $(VENV)/.installed

.PHONY: run test lint format install check demo clean messages

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(INSTALLED)

demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# The interface in French and Spanish: site/locale/*/LC_MESSAGES/django.po compiled to the .mo
# files Django reads (generated, not committed). Uses gettext's msgfmt.
messages: install
	$(PY) manage.py compilemessages --ignore=.venv -v0

run: demo
	@echo "Reform Exchange on http://127.0.0.1:$(PORT)/"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install messages
	$(VENV)/bin/pytest -ra

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

clean:
	rm -rf var artifacts

# Benchmark (DESIGN §6) in a throw-away SQLite database (search/bench/): 10,000 synthetic
# documents, search and matching on the embedded backend and on Elasticsearch played by osmem,
# then the public pages of a copy of the demo site under gunicorn with production settings,
# uncached and cached, as ratios to a bare Django view (no middleware) served side by side.
# The command pins itself to one CPU while it times search and matching (like `taskset -c 0`)
# and refuses any database outside the temporary directory. DEBUG=0: no query logging.
.PHONY: bench eval
bench: install
	@dir=$$(mktemp -d /tmp/reform-bench.XXXXXX) && \
	export DATABASE_URL=sqlite:///$$dir/bench.sqlite3 VAR_DIR=$$dir/var DEBUG=0 && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py bench; status=$$?; rm -rf $$dir; exit $$status

# Peer-matching evaluation (docs/matching.md) on the real data, loaded into a throw-away
# database so that the figures do not depend on local edits: the English cases on both backends,
# the goals in French and Spanish on the embedded one (the goal is read the same on both).
eval: install
	@dir=$$(mktemp -d /tmp/reform-eval.XXXXXX) && \
	export DATABASE_URL=sqlite:///$$dir/eval.sqlite3 VAR_DIR=$$dir/var && \
	$(PY) manage.py migrate --noinput -v0 && \
	$(PY) manage.py load_demo -v0 && \
	$(PY) manage.py evaluate_matching --check && \
	$(PY) manage.py evaluate_matching --cases search/data/evaluation_cases_multilingual.yaml --check && \
	$(PY) manage.py evaluate_matching --backend elasticsearch; status=$$?; rm -rf $$dir; exit $$status
