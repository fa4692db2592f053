# Two commands matter: `make run` and `make test`. Everything else is a step they share.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: run test setup index lint fix clean bench

# Serve the patient chat and API at http://127.0.0.1:7860, indexing knowledge/ first if it changed.
run: index
	$(PY) app.py --host 127.0.0.1 --port 7860

# Set up, then run the whole test suite (unit, integration over HTTP, browser).
test: setup
	$(PY) -m pytest

# Create the virtual environment and install the pinned requirements (again only when they change).
setup: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# Re-index knowledge/ when it changed (a no-op otherwise). Exit 1: published, some files failed; 3: the new
# index is held by the publish gate (the live one keeps serving; see the report). Either way, serve.
index: setup
	$(PY) ingest.py; code=$$?; [ $$code -le 1 ] || [ $$code -eq 3 ]

# Measure speed and footprint on this machine (about 25 minutes) into docs/benchmarks.md's speed section.
# `make bench BENCH_ARGS=--full-ingest` also ingests and serves all 5,486 MedQuAD documents (25 minutes more).
bench: setup
	$(PY) -m bench.performance --output docs/benchmarks.md $(BENCH_ARGS)

# Check style and common mistakes.
lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Fix what the linter can fix by itself.
fix: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Remove the environment, the index and caches.
clean:
	rm -rf $(VENV) data .pytest_cache tests/artifacts
