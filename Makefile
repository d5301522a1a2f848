# Two commands on a fresh machine:  `make run`  (set up, index corpus/, serve the web chat)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := models/multilingual-e5-small/onnx/export.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup index serve test test-fast lint eval bench clean

run: setup index serve

# torch==2.13.0 is pinned in pyproject.toml: pip takes the CPU build that lies on disk.
# llama-cpp-python compiles once (~6 min on 2 cores); pip's wheel cache keeps it for next time.
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -e '.[llm,test]'
	touch $(STAMP)

$(MODEL): $(STAMP)
	$(BIN)/rag build-model

setup: $(STAMP) $(MODEL)

index: setup
	$(BIN)/rag index corpus

serve: setup
	@echo "web chat on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	RAG_HOST=$(HOST) RAG_PORT=$(PORT) $(BIN)/rag serve

test: setup
	$(BIN)/ruff check rag api tests eval
	$(BIN)/pytest -q

test-fast: setup
	$(BIN)/pytest -q -m "not integration"

lint: setup
	$(BIN)/ruff check rag api tests eval

eval: setup
	$(BIN)/rag eval --qa eval/data/qa.jsonl --corpus corpus --compare --out eval/reports/qa.json

# the benchmark suite at its default size (<= 15 min on 2 cores; eval/README.md "Benchmark suite");
# --quick for a ~2 min smoke run: make bench BENCH_ARGS=--quick
bench: setup
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python eval/bench.py $(BENCH_ARGS)

clean:
	rm -rf index/gen-* index/CURRENT index/store.sqlite*
