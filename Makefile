# Everything the project needs is installed by these targets into .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# Bytecode as a wheel install leaves it, also where PYTHONDONTWRITEBYTECODE is set.
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q workstation screens > /dev/null
	touch $(STAMP)

install: $(STAMP)

## Open the workstation on the demo store (built on first run).
run: $(STAMP)
	$(BIN)/workstation demo --if-empty
	$(BIN)/workstation --agent julie --sandbox

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/ingest.py 50000

clean:
	rm -rf $(VENV) build dist
