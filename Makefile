# Quick start: `make run` (install, migrate, demo data, web + job worker) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The certificates' QR codes point at the address `make run` serves (demo data included),
# unless ZHICHENG_PUBLIC_URL is set.
run demo: export ZHICHENG_PUBLIC_URL ?= http://$(HOST):$(PORT)

.PHONY: run install migrate demo test test-fast lint format bench clean

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
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

# Tests run on all cores (pytest-xdist); TEST_ARGS="-n 0 -x" runs them in one process.
TEST_ARGS ?= -n auto --dist loadfile
test: install
	$(PY) -m pytest -q $(TEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) tools/lint.py

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) var staticfiles
