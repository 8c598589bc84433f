# Two commands: `make run` (demo) and `make test` (the whole suite). Only Python 3.11 and make
# are needed; everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lock audit wheels lint types contracts migrations-check messages clean

# Installs exactly what requirements.lock pins, each package checked against its hashes, then the
# Autogiro file library (a distribution of its own in packages/autogiro, standard library only)
# and trygg itself, both editable. A lock not made from pyproject's dependencies stops the
# install.
$(STAMP): pyproject.toml requirements.lock packages/autogiro/pyproject.toml
	$(PYTHON) tools/deps.py check
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e packages/autogiro
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

# After changing dependencies in pyproject.toml: resolve again and write requirements.lock.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python tools/deps.py lock

# pip-audit over the lock; fails when it finds a vulnerability or cannot reach its service.
audit: $(STAMP)
	$(BIN)/python tools/deps.py audit

run: $(STAMP)
	$(BIN)/trygg run

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q
	cd packages/autogiro && ../../$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools packages

types: $(STAMP)
	$(BIN)/mypy

contracts: $(STAMP)
	$(BIN)/lint-imports

migrations-check: $(STAMP)
	$(BIN)/trygg manage makemigrations --check --dry-run

messages: $(STAMP)
	cd src/trygg && ../../$(BIN)/trygg manage makemessages -l sv -l nb -l en
	cd src/trygg && ../../$(BIN)/trygg manage compilemessages

wheels: $(STAMP)
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist packages/autogiro

clean:
	rm -rf $(VENV) var dist .pytest_cache .mypy_cache .ruff_cache
