# make demo: install, serve the bundled replica, crawl it into its own archive data/demo.db, print a summary
# make test: install with the test extra, lint (make lint: ruff check) and run the test suite
# make bench: install with the bench extra and run benchmarks/ (see BENCHMARKS.md); or bench-parse, bench-crawl, bench-recrawl, bench-storage, bench-search, bench-report, bench-many-sites
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test lint install clean bench bench-parse bench-crawl bench-recrawl bench-storage bench-search bench-report bench-many-sites

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(BIN)/.bench-installed: pyproject.toml $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/npc-archive demo

lint: $(BIN)/.installed
	$(BIN)/ruff check .

test: lint
	$(BIN)/pytest -q

bench: bench-parse bench-crawl bench-recrawl bench-storage bench-search bench-report bench-many-sites

# A target names its script with hyphens for underscores: bench-many-sites runs many_sites.py.
bench-parse bench-crawl bench-recrawl bench-storage bench-search bench-report bench-many-sites: bench-%: $(BIN)/.bench-installed
	$(BIN)/python benchmarks/$(subst -,_,$*).py

clean:
	rm -rf $(VENV) data build *.egg-info
