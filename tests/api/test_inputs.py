"""Bad input at the API: every refusal is a 4xx with a Chinese `detail` message that names the problem and a
machine `code` beside it, never a 500, and anything over a limit is refused before any retrieval runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.schemas import MAX_QUESTION
from rag.core.settings import Settings
from rag.pipeline import Pipeline
from tests.api.conftest import AUTH, LETTER, QUESTION

BIG_CJK = "问" * 34_000  # ~100 kB of UTF-8
BIG_ASCII = "a" * 100_000


@pytest.fixture
def retrievals(pipe: Pipeline, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Queries that reached the retriever during the test."""
    seen: list[str] = []
    inner = pipe.retriever.search

    def spy(query: str, *args: Any, **kwargs: Any) -> Any:
        seen.append(query)
        return inner(query, *args, **kwargs)

    monkeypatch.setattr(pipe.retriever, "search", spy)
    yield seen


CJK = re.compile(r"[\u4e00-\u9fff]")


def _detail(r: Any) -> str:
    """What the refusal says: its Chinese `detail`, then its machine `code`, the pipeline's own `reason`
    and the names of the bad fields (`errors[].loc`), where the checks below look for the field named."""
    body = r.json()
    assert isinstance(body["detail"], str) and CJK.search(body["detail"]), body
    assert re.fullmatch(r"[a-z][a-z0-9_]*", body["code"]), body
    locs = [".".join(map(str, e["loc"])) for e in body.get("errors", [])]
    return " ".join([body["detail"], body["code"], body.get("reason") or "", *locs])


ASK_BAD = [
    ({"question": ""}, 422, "question"),
    ({}, 422, "question"),
    ({"question": None}, 422, "question"),
    ({"question": 5}, 422, "question"),
    ({"question": BIG_CJK}, 422, f"{MAX_QUESTION}"),
    ({"question": BIG_ASCII}, 422, f"{MAX_QUESTION}"),
    ({"question": QUESTION, "year": "abc"}, 422, "year"),
    ({"question": QUESTION, "year": -5}, 422, "year"),
    ({"question": QUESTION, "k": -1}, 422, "k"),
    ({"question": QUESTION, "k": 0}, 422, "k"),
    ({"question": QUESTION, "k": 10**6}, 422, "k"),
    ({"question": QUESTION, "k": 2.5}, 422, "k"),
    ({"question": QUESTION, "mode": "fuzzy"}, 422, "mode"),
    ({"question": QUESTION, "answer_mode": "gpt"}, 422, "answer_mode"),
    ({"question": QUESTION, "bureau": "局" * 10_000}, 422, "bureau"),
    ({"question": "那巴中呢？", "history": [BIG_CJK]}, 422, "history"),
    ({"question": "那巴中呢？", "history": [QUESTION] * 21}, 422, "history"),
    ({"question": "那巴中呢？", "history": QUESTION}, 422, "history"),
]


@pytest.mark.parametrize("route", ["/api/ask", "/api/ask/stream"])
@pytest.mark.parametrize(("body", "status", "named"), ASK_BAD)
def test_ask_refuses_bad_fields_before_retrieving(client: TestClient, retrievals: list[str], route: str,
                                                  body: dict, status: int, named: str) -> None:
    r = client.post(route, json=body)
    assert r.status_code == status and r.headers["content-type"].startswith("application/json")
    assert named in _detail(r)
    assert "问问问问" not in r.text and "aaaa" not in r.text  # the value is not echoed back
    assert retrievals == []


@pytest.mark.parametrize("question", [" ", "\t\n  \u3000", "？？？", "\u200b"])
def test_ask_blank_questions_say_what_to_type(client: TestClient, question: str) -> None:
    r = client.post("/api/ask", json={"question": question})
    if r.status_code == 200:  # punctuation only is a question the letters do not answer
        assert r.json()["found"] is False
    else:
        assert r.status_code == 400 and "question_empty" in _detail(r) and "请输入" in _detail(r)


@pytest.mark.parametrize(("params", "status", "named"), [
    ({}, 422, "q"),
    ({"q": ""}, 422, "q"),
    ({"q": " "}, 400, "empty"),
    ({"q": "问" * (MAX_QUESTION + 1)}, 422, f"{MAX_QUESTION}"),  # 100 kB does not fit in a URL at all
    ({"q": QUESTION, "k": "abc"}, 422, "k"),
    ({"q": QUESTION, "k": -3}, 422, "k"),
    ({"q": QUESTION, "k": 10**6}, 422, "k"),
    ({"q": QUESTION, "mode": "fuzzy"}, 422, "mode"),
    ({"q": QUESTION, "year": "abc"}, 422, "year"),
    ({"q": QUESTION, "year": 99999}, 422, "year"),
    ({"q": QUESTION, "bureau": "局" * 3400}, 422, "bureau"),  # 10 kB
])
def test_search_refuses_bad_parameters(client: TestClient, params: dict, status: int, named: str) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == status and named in _detail(r)


def test_filters_that_match_nothing_are_an_empty_answer_not_an_error(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": QUESTION, "bureau": "不存在的局", "year": 1950})
    assert r.status_code == 200 and r.json() == []
    r = client.post("/api/ask", json={"question": QUESTION, "bureau": "不存在的局"})
    assert r.status_code == 200 and r.json()["found"] is False


@pytest.mark.parametrize("doc_id", ["nope123", "' OR '1'='1", "%00", "文档", "..."])
def test_unknown_document_ids_are_404_naming_the_id(client: TestClient, pipe: Pipeline, doc_id: str) -> None:
    before = pipe.store.count()
    for method in ("GET", "DELETE"):
        r = client.request(method, f"/api/documents/{doc_id}", headers=AUTH)
        assert r.status_code == 404, (method, r.text)
        assert "document_not_found" in _detail(r) and "文档" in _detail(r)
    assert pipe.store.count() == before
    assert client.get("/api/documents/" + "a" * 300).status_code == 422


def test_paths_that_match_no_route_say_so(client: TestClient) -> None:
    r = client.get("/api/documents/..%2F..%2Fetc%2Fpasswd")
    assert r.status_code == 404 and "/docs" in _detail(r)


def test_delete_asks_for_the_token_before_saying_whether_an_id_exists(client: TestClient, pipe: Pipeline) -> None:
    real = pipe.store.doc_ids()[0]
    for doc_id in (real, "nope123"):
        r = client.delete(f"/api/documents/{doc_id}")
        assert r.status_code == 401 and "admin_token_required" in _detail(r) and "管理口令" in _detail(r)
    assert real in pipe.store.doc_ids()


@pytest.mark.parametrize(("content", "ctype", "status", "named"), [
    (b"{", "application/json", 422, "JSON"),
    (b"", "application/json", 422, "body"),
    (b"[1, 2]", "application/json", 422, "body"),
    (b'{"question": "\xff\xfe"}', "application/json", 400, "UTF-8"),
    ('{"question": "温州市有多少家养老机构？"}'.encode(), "text/plain", 415, "application/json"),
    (b"question=x", "application/x-www-form-urlencoded", 415, "application/json"),
])
def test_ask_bad_json_and_wrong_content_type(client: TestClient, content: bytes, ctype: str, status: int,
                                             named: str) -> None:
    r = client.post("/api/ask", content=content, headers={"Content-Type": ctype})
    assert r.status_code == status and named in _detail(r)


def test_upload_must_be_multipart(client: TestClient) -> None:
    r = client.post("/api/documents", json={"files": ["a.txt"]}, headers=AUTH)
    assert r.status_code == 415 and "multipart/form-data" in _detail(r)
    r = client.post("/api/documents", files=[("other", ("a.txt", b"x"))], headers=AUTH)
    assert r.status_code == 422 and "files" in _detail(r)


@pytest.mark.parametrize(("body", "named"), [
    ({"title": "标" * 201}, "title"),
    ({"title": "关于养老的建议", "text": "字" * 50_001}, "text"),
    ({"title": "关于养老的建议", "co_units": ["单位" * 60]}, "co_units"),
    ({"title": "关于养老的建议", "co_units": ["财政局"] * 31}, "co_units"),
    ({"title": "\x1b"}, "U+001B"),  # a Word file cannot hold control characters
    ({"title": "关于养老的建议", "contact": "李\x00四"}, "contact"),
])
def test_draft_refuses_bad_fields(client: TestClient, body: dict, named: str) -> None:
    for route in ("/api/draft", "/api/draft.docx"):
        r = client.post(route, json=body)
        assert r.status_code == 422 and named in _detail(r)


def test_unknown_routes_and_methods_are_json_4xx(client: TestClient) -> None:
    r = client.get("/api/nothing-here")
    assert r.status_code == 404 and _detail(r)
    r = client.put("/api/ask", json={"question": QUESTION})
    assert r.status_code == 405 and _detail(r)


def test_upload_while_another_process_writes_the_index_is_503_with_retry_after(client: TestClient,
                                                                               settings: Settings) -> None:
    from rag.index import generation as index_mod

    with index_mod.write_lock(settings.index_dir, "`rag index`"):  # as a `rag index` in another process does
        r = client.post("/api/documents", files=[("files", ("busy.txt", LETTER))], headers=AUTH)
        assert r.status_code == 503 and r.headers["retry-after"].isdigit()
        assert "rag index" in _detail(r) and "wait" in _detail(r)
        assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200  # reads go on
    assert client.post("/api/documents", files=[("files", ("busy.txt", LETTER))], headers=AUTH).status_code == 200
