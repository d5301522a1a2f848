# Two commands on a fresh machine:  `make run`  (set up, index corpus/, serve the web chat)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MODEL := models/multilingual-e5-small/onnx/export.json
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run setup index serve test test-fast lint eval bench clean screens

run: setup index serve

# torch==2.13.0 is pinned in pyproject.toml: pip takes the CPU build that lies on disk.
# llama-cpp-python compiles once; pip's wheel cache keeps it for next time. Only the library is built (no
# llama.cpp tools, no multimodal library), for any x86-64 CPU with AVX2 rather than this one's newest
# instructions: a native build on a CPU with AMX crashed in decode, and the cached wheel must run anywhere.
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF \
	-DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
$(STAMP): pyproject.toml
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -e '.[llm,test]'
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
	$(BIN)/python -m eval.bench $(BENCH_ARGS)

clean:
	rm -rf index/gen-* index/CURRENT index/store.sqlite*

# the screenshot set of the main screens, desktop and phone, for review: test-artifacts/screens/ (git-ignored)
screens: setup
	$(BIN)/pytest -q tests/api/test_screens.py
