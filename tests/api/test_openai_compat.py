"""The OpenAI-compatible routes (/v1): the real `openai` package against a real `rag serve` subprocess
over an index built with the shipped embedder (integration), and the request and error shapes through
the app in-process (fast, FakeEmbedder)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.openai_compat import MODEL_PREFIX
from rag.answer.base import NOT_FOUND
from rag.core.limits import MAX_QUESTION
from rag.core.settings import Settings
from rag.pipeline import Pipeline
from tests.api.conftest import QUESTION, variant
from tests.conftest import subprocess_env
from tests.servers import free_port, rag_api

EXTRACTIVE = MODEL_PREFIX + "extractive"
READ_TOKEN = "reader-secret-1"
UNANSWERABLE = "上海市的地铁票价是多少元？"


def _chat(c: TestClient, *turns: str, **body: object) -> httpx.Response:
    roles = ["user", "assistant"]
    messages = [{"role": roles[i % 2], "content": t} for i, t in enumerate(turns)]
    return c.post("/v1/chat/completions", json={"model": EXTRACTIVE, "messages": messages, **body})


def _error(r: httpx.Response, status: int, code: str | None = None) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "param", "code"} and err["message"]
    if code is not None:
        assert err["code"] == code, err
    return err


# --- the real openai client against a real `rag serve` ------------------------------------------------


@pytest.fixture(scope="module")
def server(real_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`rag serve` on a free port over the real index, reads guarded by RAG_READ_TOKEN; its base URL."""
    work = tmp_path_factory.mktemp("openai-serve")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
            "--index-dir", str(real_index)]
    with rag_api(argv, url, work / "server.log", work, subprocess_env(RAG_READ_TOKEN=READ_TOKEN)):
        yield url


@pytest.fixture(scope="module")
def oai(server: str):
    import openai

    with openai.OpenAI(base_url=server + "/v1", api_key=READ_TOKEN, max_retries=0, timeout=120) as c:
        yield c


@pytest.mark.integration
def test_models_lists_one_model_per_answer_mode_this_server_runs(oai) -> None:
    assert [m.id for m in oai.models.list()] == [EXTRACTIVE]  # no LLM configured: no llm model
    assert oai.models.retrieve(EXTRACTIVE).id == EXTRACTIVE


@pytest.mark.integration
def test_plain_call_answers_with_markers_labels_and_structured_citations(oai) -> None:
    r = oai.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": QUESTION}])
    text = r.choices[0].message.content
    assert r.object == "chat.completion" and r.model == EXTRACTIVE and r.choices[0].finish_reason == "stop"
    assert "375" in text and "[1]" in text
    assert "\n\n[1] 〔温州市民政局 温民提〔2019〕70号 · " in text  # the label the marker points to
    extra = r.model_extra
    assert extra["found"] is True and extra["resolved_question"] == QUESTION
    cited = extra["citations"][0]
    assert cited["bureau"] == "温州市民政局" and "375" in cited["quote"] and cited["label"] in text


@pytest.mark.integration
def test_streamed_call_sends_the_same_answer_in_chunks(oai) -> None:
    plain = oai.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": QUESTION}])
    chunks = list(oai.chat.completions.create(model=EXTRACTIVE, stream=True,
                                                 messages=[{"role": "user", "content": QUESTION}]))
    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == plain.choices[0].message.content
    assert len([c for c in chunks if c.choices[0].delta.content]) >= 2  # the answer, then its labels
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert last.model_extra["citations"] == plain.model_extra["citations"] and last.model_extra["found"] is True
    assert len({c.id for c in chunks}) == 1


@pytest.mark.integration
def test_follow_up_uses_the_earlier_user_turn(oai) -> None:
    # beds: 恩阳区's letter states its total (its homes it gives as 公办 and 民办 only, and 巴中 as a whole not)
    beds = "温州市有多少张养老床位？"
    first = oai.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": beds}])
    messages = [
        {"role": "system", "content": "你是答复函问答助手。"},
        {"role": "user", "content": beds},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那恩阳呢？"},
    ]
    r = oai.chat.completions.create(model=EXTRACTIVE, messages=messages)
    resolved = r.model_extra["resolved_question"]
    assert "恩阳" in resolved and "养老床位" in resolved, resolved
    alone = oai.chat.completions.create(model=EXTRACTIVE, messages=[{"role": "user", "content": "那巴中呢？"}])
    assert alone.model_extra["resolved_question"] == "那巴中呢？"  # without the earlier turn: nothing to resolve
    assert r.model_extra["citations"], r.choices[0].message.content
    assert all("恩阳" in (c["bureau"] or "") for c in r.model_extra["citations"])


@pytest.mark.integration
@pytest.mark.parametrize("stream", [False, True])
def test_unanswerable_question_is_refused_without_an_invented_answer(oai, stream: bool) -> None:
    messages = [{"role": "user", "content": UNANSWERABLE}]
    if stream:
        chunks = list(oai.chat.completions.create(model=EXTRACTIVE, messages=messages, stream=True))
        text, extra = "".join(c.choices[0].delta.content or "" for c in chunks), chunks[-1].model_extra
    else:
        r = oai.chat.completions.create(model=EXTRACTIVE, messages=messages)
        text, extra = r.choices[0].message.content, r.model_extra
    assert text.startswith(NOT_FOUND), text
    assert "[1]" not in text and "元" not in text.removeprefix(NOT_FOUND)  # no cited claim, no price
    assert extra["found"] is False and extra["citations"] == []


@pytest.mark.integration
def test_bad_model_name_is_an_openai_404(oai) -> None:
    import openai

    with pytest.raises(openai.NotFoundError) as bad:
        oai.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": QUESTION}])
    assert bad.value.status_code == 404 and bad.value.code == "model_not_found" and bad.value.param == "model"
    assert EXTRACTIVE in bad.value.message  # names what to use instead
    with pytest.raises(openai.NotFoundError) as llm:
        oai.chat.completions.create(model=MODEL_PREFIX + "llm", messages=[{"role": "user", "content": QUESTION}])
    assert "RAG_LLM_MODEL" in llm.value.message and llm.value.code == "model_not_found"


@pytest.mark.integration
def test_the_read_token_guards_v1_as_it_guards_api(server: str) -> None:
    import openai

    with openai.OpenAI(base_url=server + "/v1", api_key="wrong", max_retries=0) as c, \
            pytest.raises(openai.AuthenticationError) as e:
        c.models.list()
    assert e.value.status_code == 401 and e.value.code == "invalid_api_key"


# --- shapes and refusals, in-process --------------------------------------------------------------------


def test_validation_errors_have_openai_shape(client: TestClient) -> None:
    assert _error(_chat(client), 400, "invalid_request")["param"] == "messages"
    missing = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "x"}]})
    assert _error(missing, 400)["param"] == "model"
    assert _error(_chat(client, QUESTION, n=2), 400)["param"] == "n"
    bad_json = client.post("/v1/chat/completions", content=b"{", headers={"Content-Type": "application/json"})
    assert _error(bad_json, 400)["type"] == "invalid_request_error"


def test_the_last_message_must_be_a_text_question(client: TestClient) -> None:
    assert _error(_chat(client, QUESTION, "答案"), 400)["param"] == "messages.1.role"
    assert _error(_chat(client, "   "), 400)["param"] == "messages.0.content"
    long = _error(_chat(client, "养" * (MAX_QUESTION + 1)), 400, "question_too_long")
    assert str(MAX_QUESTION) in long["message"]
    image = [{"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]
    r = client.post("/v1/chat/completions",
                    json={"model": EXTRACTIVE, "messages": [{"role": "user", "content": image}]})
    assert _error(r, 400, "unsupported_content")["param"] == "messages.0.content"


def test_text_parts_and_openai_options_are_accepted(client: TestClient) -> None:
    parts = [{"type": "text", "text": "温州市有多少家"}, {"type": "text", "text": "养老机构？"}]
    r = client.post("/v1/chat/completions", json={
        "model": EXTRACTIVE, "messages": [{"role": "user", "content": parts}], "temperature": 0.7, "max_tokens": 50,
        "user": "someone", "bureau": "温州"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["resolved_question"] == "温州市有多少家\n养老机构？"
    assert body["citations"] and all(c["bureau"] == "温州市民政局" for c in body["citations"])


def test_long_pasted_earlier_turns_are_not_history(client: TestClient) -> None:
    r = _chat(client, "养" * (MAX_QUESTION + 1), "……", QUESTION, "……", "那巴中呢？")
    assert r.status_code == 200
    assert "巴中" in r.json()["resolved_question"]


def test_llm_model_is_listed_only_when_an_llm_is_configured(settings: Settings, pipe: Pipeline) -> None:
    from api.app import create_app

    with_llm = settings.model_copy(update={"llm_url": "http://127.0.0.1:9/v1"})  # nothing listens on port 9
    with TestClient(create_app(with_llm, pipeline=Pipeline(with_llm, embedder=pipe.embedder))) as c:
        assert [m["id"] for m in c.get("/v1/models").json()["data"]] == [EXTRACTIVE, MODEL_PREFIX + "llm"]
        # the server is down: the answer falls back to the extractive one and says why, like /api/ask
        r = _chat(c, QUESTION, model=MODEL_PREFIX + "llm")
        assert r.status_code == 200 and r.json()["found"] is True
        events = _chat(c, QUESTION, model=MODEL_PREFIX + "llm", stream=True).text
    chunks = [json.loads(line[6:]) for line in events.splitlines() if line.startswith("data: {")]
    assert "".join(ch["choices"][0]["delta"].get("content", "") for ch in chunks) == (
        r.json()["choices"][0]["message"]["content"])
    assert events.rstrip().endswith("data: [DONE]")


def test_pipeline_errors_become_openai_errors(settings: Settings, pipe: Pipeline, tmp_path: Path) -> None:
    from api.app import create_app

    empty = Pipeline(settings.model_copy(update={"index_dir": tmp_path / "none"}), embedder=pipe.embedder)
    with TestClient(create_app(empty.settings, pipeline=empty)) as c:
        err = _error(_chat(c, QUESTION), 404, "NotFoundError")
    assert err["type"] == "invalid_request_error" and "rag index" in err["message"]


def test_unknown_v1_routes_and_token(settings: Settings, pipe: Pipeline) -> None:
    with variant(settings, pipe, read_token=READ_TOKEN) as c:
        assert _error(c.get("/v1/models"), 401, "invalid_api_key")
        ok = c.get("/v1/models", headers={"Authorization": f"Bearer {READ_TOKEN}"})
        assert ok.status_code == 200 and ok.json()["object"] == "list"
        assert _error(c.get("/v1/models/gpt-4o", headers={"Authorization": f"Bearer {READ_TOKEN}"}), 404,
                      "model_not_found")
