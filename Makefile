# Two commands: `make run` (demo) and `make test` (the whole suite). Only Python 3.11 and make
# are needed; everything else is installed into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The Autogiro file library is a distribution of its own (packages/autogiro): installed first,
# its tests run without Django in its own folder, `make wheels` builds it.
.PHONY: run test install wheels lint types contracts migrations-check messages clean

$(STAMP): pyproject.toml packages/autogiro/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e 'packages/autogiro[test]'
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/trygg run

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q
	cd packages/autogiro && ../../$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench packages

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
