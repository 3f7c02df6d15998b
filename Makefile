# make demo: install, serve the bundled replica, crawl it into data/archive.db, print a summary
# make test: install with the test extra and run the test suite
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

demo: $(BIN)/.installed
	$(BIN)/npc-archive demo --db data/archive.db

test: $(BIN)/.installed
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) data build *.egg-info
