# The two set-up commands of the README: `make run` and `make test`. Both build .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint stories bench bench-load clean rasa-venv

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint requirements.lock --editable '.[dev,voice]'
	touch $@

# `make run HOST=0.0.0.0 PORT=8081` listens elsewhere than config.yml's server.host and server.port
# (127.0.0.1:8080). Only when given on make's command line: shells often export HOST as the machine's name.
given = $(if $(filter command line,$(origin $(1))),$(2) $($(1)))
run: $(INSTALLED)
	$(BIN)/ventanilla db upgrade
	$(BIN)/ventanilla $(strip serve $(call given,HOST,--host) $(call given,PORT,--port))

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/mypy --strict bench/*.py  # scripts, not a package: checked on their own
	MYPYPATH=bench $(BIN)/mypy --strict bench/load/*.py

test: lint
	$(BIN)/pytest

# The conversation stories alone (tests/stories/), SQLite and PostgreSQL, with the pass rate by category.
stories: $(INSTALLED)
	$(BIN)/pytest tests/stories -q

# Rasa's own Python 3.10 virtualenv, cached outside the clone (~/.cache/ventanilla); minutes the first time.
rasa-venv: $(INSTALLED)
	$(BIN)/python -m nlu.rasa.venv

bench: $(INSTALLED)
	$(BIN)/python bench/chat.py

# Many workers, PostgreSQL, Twilio and Rasa's REST channel side by side (docs/performance.md#many-workers).
bench-load: rasa-venv
	$(BIN)/python bench/load/run.py --rounds 3 --markdown

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
