# tillit: the two commands of the README are `make demo` and `make test`.
# Everything else here is what they need on a fresh machine with python3 and make.

SHELL := /bin/bash
UV_VERSION := 0.13.8
UV := .tools/bin/uv
VENV := .venv
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

SCALE ?= 0.05
SEED ?= 1
PORT ?= 8000
PYTEST_ARGS ?=
# the unit and API tests run on this many processes (pytest-xdist); the browser
# tests run after them in one process
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
# BROWSER_TESTS=0 leaves the browser tests out (CI's second run, on PostgreSQL)
BROWSER_TESTS ?= 1
# which unit and API tests run: CI's PostgreSQL run adds "and not nodb" (the
# tests that touch no database only repeat the SQLite run there)
TEST_MARKS ?= not browser

.PHONY: demo test install assets browser lint bench clean

$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

install: $(VENV)/.synced assets

# Front-end assets (Oslo's Punkt design system, axe-core, htmx) come from the npm
# registry, pinned in package-lock.json, and are copied into static files.
assets: src/tillit/web/static/vendor/.copied

src/tillit/web/static/vendor/.copied: package.json package-lock.json scripts/vendor_assets.py | $(VENV)/.synced
	npm ci --no-audit --no-fund --silent
	$(VENV)/bin/python scripts/vendor_assets.py
	touch $@

# Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core; \
	  else \
	    echo "Browser tests need Debian's Chromium: sudo apt-get install chromium"; exit 1; \
	  fi; \
	fi

demo: install
	$(VENV)/bin/tillit demo --scale $(SCALE) --seed $(SEED) --port $(PORT)

test: install browser
	$(VENV)/bin/ruff check .
	@# --dist loadfile: a module's tests share one worker, so a module-scoped
	@# fixture (the demo city) is built once per module, not once per worker
	$(VENV)/bin/pytest -m "$(TEST_MARKS)" -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)
	@# (exit 5: PYTEST_ARGS selected no browser test, which is fine here)
	@if [ "$(BROWSER_TESTS)" != 0 ]; then \
	  $(VENV)/bin/pytest -m browser $(PYTEST_ARGS) || [ $$? -eq 5 ]; \
	fi

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: install
	$(VENV)/bin/python bench/demo_build.py

clean:
	rm -rf $(VENV) .tools node_modules src/tillit/web/static/vendor var
