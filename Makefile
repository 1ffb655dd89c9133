# newsbeam: the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup services stop-services lint bench clean-var

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Run the main job on its embedded default (local broker, sample pages, file sinks under ./var/).
run: setup
	$(BIN)/newsbeam run

## Install everything, start the services the tests need, run the tests.
test: setup services
	$(BIN)/ruff check pipeline connectors tests benchmarks
	$(BIN)/python -m pytest -ra $(PYTEST_ARGS)

services: setup
	bash deploy/services.sh start

stop-services:
	bash deploy/services.sh stop

lint: setup
	$(BIN)/ruff check pipeline connectors tests

bench: setup services
	$(BIN)/newsbeam bench
