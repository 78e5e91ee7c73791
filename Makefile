# The template's own tasks. Only Python 3.11+ and make are assumed: the first target that needs
# tools creates .venv with uv, cookiecutter and the test tools.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
JOBS ?= auto
DEMO_DIR := build/demo
export PATH := $(BIN):$(PATH)
export UV_PYTHON_DOWNLOADS := never

.PHONY: help test test-fast demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: tests/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r tests/requirements.txt
	touch $@

test: $(VENV)/.installed ## Render every supported combination and run its checks and tests
	$(BIN)/python -m pytest tests -n $(JOBS) --dist worksteal -q

test-fast: $(VENV)/.installed ## Hooks, refusals and the default combination only
	$(BIN)/python -m pytest tests -q -m "not matrix and not container and not reliability"
	$(BIN)/python -m pytest -q tests/test_served.py \
		"tests/test_generation.py::test_combination_renders_a_clean_typed_passing_project[default]"

demo: $(VENV)/.installed ## Render the default combination into build/demo and serve it
	rm -rf $(DEMO_DIR)
	$(BIN)/cookiecutter --no-input -o $(DEMO_DIR) .
	$(MAKE) -C $(DEMO_DIR)/my-service run

.PHONY: bench
bench: $(VENV)/.installed ## Measure the default render against hand-written FastAPI (wrk; BENCH_RUNS, BENCH_SECONDS)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get install -y wrk || (apt-get update && apt-get install -y wrk)); } \
		|| { echo "make bench needs wrk (Debian/Ubuntu: apt-get install wrk)" >&2; exit 1; }
	$(BIN)/python -m bench.run

clean: ## Remove .venv and build/
	rm -rf $(VENV) build
