# Quick start: `make run` (install, migrate, demo data, web + job worker) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The certificates' QR codes point at the address `make run` serves (demo data included),
# unless ZHICHENG_PUBLIC_URL is set.
run demo: export ZHICHENG_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run serve install migrate demo test test-fast lint format api-check bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Web server and Huey worker together; Ctrl-C stops both.
run: demo
	@echo "网页: http://$(HOST):$(PORT)/   API 文档: http://$(HOST):$(PORT)/api/docs/"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py run_huey --workers 2 & \
	$(PY) manage.py national_simulator & \
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Production: gunicorn (gunicorn.conf.py) and Huey workers; needs the production variables
# (README, "Serving in production"): DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS,
# DATABASE_URL, REDIS_URL. Static files are collected with hashed names and served by whitenoise.
HUEY_WORKERS ?= 4
serve: export DJANGO_DEBUG ?= 0
serve: install
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py migrate --noinput
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py run_huey --workers $(HUEY_WORKERS) & \
	$(VENV)/bin/gunicorn -c gunicorn.conf.py zhicheng.wsgi:application

# Tests run on all cores (pytest-xdist); TEST_ARGS="-n 0 -x" runs them in one process.
TEST_ARGS ?= -n auto --dist loadfile
test: install
	$(PY) -m pytest -q $(TEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/lint.py

# The OpenAPI schema held against the running API (schemathesis, every check): a throwaway
# SQLite database with the demo data, gunicorn on a free loopback port, one run per demo
# account (token auth) with a fixed seed and at most API_CHECK_EXAMPLES cases per operation.
# Fails on any failure: an undocumented status code or content type, a body off its schema, a
# valid request refused (other than 400 for the data's state: already 注销, in use, an id out
# of scope) or an invalid one accepted, a 5xx, an answer slower than 10 s. About 10,000 cases;
# 5-15 min on the 2 shared cores (load 8-10). Settings and reasons: tools/schemathesis.toml.
API_CHECK_EXAMPLES ?= 10
api-check: install
	$(PY) tools/api_check.py --max-examples $(API_CHECK_EXAMPLES) --seed 20261204

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) var staticfiles
