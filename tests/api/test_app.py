"""HTTP API over a temporary index of the real corpus, embedded with the FakeEmbedder (no model loads)."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import docx
import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import DOCX_MEDIA, STATIC_DIR, create_app, display_name
from rag.answer.base import AnswerEvent
from rag.core.errors import BackendError
from rag.core.records import Filters
from rag.core.settings import Settings, get_settings
from rag.pipeline import Pipeline
from tests.api.conftest import AUTH, LETTER, QUESTION, numbered
from tests.api.conftest import upload as _upload
from tests.api.conftest import variant as _variant
from tests.conftest import CORPUS, FakeEmbedder, subprocess_env
from tests.servers import free_port


def _events(body: str) -> list[tuple[str, dict]]:
    out = []
    for block in body.split("\n\n"):
        if not block.strip():
            continue
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        out.append((lines["event"], json.loads(lines["data"])))
    return out


# --- meta -------------------------------------------------------------------------------------------


def test_health(client: TestClient, pipe: Pipeline) -> None:
    h = client.get("/api/health").json()
    assert h["status"] == "ok"
    assert (h["documents"], h["chunks"]) == pipe.store.count()
    assert h["generation"].startswith("gen-")
    assert h["embedder"] == "fake-bigram-256"
    assert h["answer_modes"] == ["extractive"]
    assert h["uploads_enabled"] is True and h["read_token_required"] is False
    assert h["read_only"] is False and h["notice"] is None


def test_a_read_only_index_is_served_and_writes_are_refused_with_a_code(
    tmp_path: Path, read_only_view: Callable[[Path], Path]
) -> None:
    """A read-only volume is normal for serving: every read works, health says 只读, and uploads, deletes and
    feedback get 503 with code index_read_only (not 500, which every route gave before)."""
    built = Settings(index_dir=tmp_path / "index", corpus_dir=CORPUS, admin_token="ro-admin", _env_file=None)
    writer = Pipeline(built, embedder=FakeEmbedder())
    writer.index()
    writer.store.close()
    settings = built.model_copy(update={"index_dir": read_only_view(built.index_dir)})
    before = sorted(p.name for p in settings.index_dir.iterdir())
    app = create_app(settings, pipeline=Pipeline(settings, embedder=FakeEmbedder()))
    auth = {"Authorization": "Bearer ro-admin"}
    with TestClient(app) as c:
        h = c.get("/api/health").json()
        assert h["status"] == "ok" and h["documents"] == 5 and h["read_only"] is True
        assert "只读" in h["notice"] and h["uploads_enabled"] is False
        docs = c.get("/api/documents").json()
        assert len(docs) == 5 and all(d["indexed"] for d in docs)
        assert c.get(f"/api/documents/{docs[0]['doc_id']}").status_code == 200
        assert c.get("/api/search", params={"q": QUESTION}).status_code == 200
        assert c.get("/api/overview").status_code == 200
        r = c.post("/api/ask", json={"question": QUESTION})
        assert r.status_code == 200 and r.json()["found"]
        refused = [_upload(c, ("a.txt", LETTER), headers=auth), c.delete(f"/api/documents/{docs[0]['doc_id']}",
                                                                         headers=auth),
                   c.post("/api/feedback", json={"turn_id": "turn-0001", "rating": "up", "question": QUESTION,
                                                 "answer": "375家", "found": True})]
        for r in refused:
            assert r.status_code == 503 and r.json()["code"] == "index_read_only", r.text
            assert "只读" in r.json()["detail"]
    assert sorted(p.name for p in settings.index_dir.iterdir()) == before


def test_an_upload_on_a_full_disk_is_refused_with_507_and_reads_go_on(
    small_disk: Callable[[int], Path]
) -> None:
    disk = small_disk(4 * 2**20)
    settings = Settings(index_dir=disk / "index", corpus_dir=CORPUS, admin_token="full-admin", _env_file=None)
    pipe = Pipeline(settings, embedder=FakeEmbedder())
    pipe.index()
    with open(disk / "filler", "wb") as f:  # another program fills the disk
        f.write(b"\0" * shutil.disk_usage(disk).free)
    with TestClient(create_app(settings, pipeline=pipe)) as c:
        r = _upload(c, ("new.txt", LETTER), headers={"Authorization": "Bearer full-admin"})
        assert r.status_code == 507 and r.json()["code"] == "disk_full", r.text
        assert "磁盘已满" in r.json()["detail"] and "磁盘空间不足" in r.json()["reason"]
        assert c.post("/api/ask", json={"question": QUESTION}).json()["found"]
        assert c.get("/api/health").json()["status"] == "ok"
    (disk / "filler").unlink()
    with TestClient(create_app(settings, pipeline=pipe)) as c:  # room again: the same upload goes through
        r = _upload(c, ("new.txt", LETTER), headers={"Authorization": "Bearer full-admin"})
        assert r.status_code == 200 and r.json()["files"][0]["status"] == "added", r.text


def test_the_access_log_never_records_query_strings(tmp_path: Path) -> None:
    """`rag serve` itself (uvicorn's own logging config): a token or a question put in a URL is not logged."""
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "rag.cli", "serve", "--host", "127.0.0.1", "--port",
                                   str(port), "--index-dir", str(tmp_path / "index")], cwd=tmp_path,
                                  env=subprocess_env(), stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        secret = "tok-in-url-0123456789"
        r = httpx.get(f"{base}/api/health", params={"token": secret, "q": "温州市有多少家养老机构"}, timeout=30)
        assert r.status_code == 200
        assert httpx.get(f"{base}/api/search?{secret}", timeout=30).status_code in (404, 422)
        deadline = time.monotonic() + 10
        while "/api/search?" not in log.read_text(errors="replace") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(30)
    logged = log.read_text(errors="replace")
    assert '"GET /api/health?token=…&q=… HTTP/1.1" 200' in logged, logged
    assert '"GET /api/search?… HTTP/1.1"' in logged, logged
    assert secret not in logged and "温州" not in logged and "%E6%B8%A9" not in logged


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/api/ask", "/api/ask/stream", "/api/search", "/api/documents", "/api/documents/{doc_id}",
        "/api/health", "/api/draft", "/api/draft/{draft_id}.docx", "/api/draft.docx",
    } <= set(paths)
    assert set(paths["/api/documents/{doc_id}"]) == {"get", "delete"}
    assert "text/event-stream" in paths["/api/ask/stream"]["post"]["responses"]["200"]["content"]
    assert client.get("/docs").status_code == 200


def test_page_and_assets(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "答复函问答助手" in page.text
    for asset in ("app.js", "style.css"):
        assert client.get(f"/static/{asset}").status_code == 200


def test_page_script_never_inserts_html() -> None:
    js = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in js, f"app.js uses {sink}: insert data with textContent / text nodes"
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html  # no inline script: everything is in app.js


def test_settings_come_from_get_settings_when_not_given(settings: Settings, pipe: Pipeline) -> None:
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    with TestClient(app) as c:
        assert app.state.pipeline is None  # built lazily on first use
        assert c.get("/api/health").json()["documents"] == pipe.store.count()[0]
        first = app.state.pipeline
        assert len(c.get("/api/documents").json()) == pipe.store.count()[0]
        assert app.state.pipeline is first  # one Pipeline per app


# --- asking -----------------------------------------------------------------------------------------


def test_ask_returns_the_cli_json(client: TestClient, pipe: Pipeline) -> None:
    r = client.post("/api/ask", json={"question": QUESTION})
    assert r.status_code == 200
    body = r.json()
    assert body.pop("resolved_question") == QUESTION
    assert body == json.loads(json.dumps(pipe.ask(QUESTION).to_json()))
    assert body["found"] and body["citations"]
    cit = body["citations"][0]
    assert cit["bureau"] == "温州市民政局" and cit["label"].startswith("〔温州市民政局")


def test_ask_resolves_follow_ups_from_history(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "那巴中呢？", "history": [QUESTION]})
    assert r.status_code == 200
    assert r.json()["resolved_question"].startswith("巴中")


def test_ask_filters_by_bureau(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": "养老机构", "bureau": "巴中", "k": 3})
    assert r.status_code == 200
    srcs = r.json()["sources"]
    assert srcs and all("巴中" in s["bureau"] for s in srcs) and len(srcs) <= 3


@pytest.mark.parametrize(("body", "status"), [
    ({"question": ""}, 422),
    ({"question": "   "}, 400),
    ({}, 422),
    ({"question": QUESTION, "mode": "fuzzy"}, 422),
    ({"question": QUESTION, "answer_mode": "gpt"}, 422),
    ({"question": QUESTION, "k": 0}, 422),
    ({"question": QUESTION, "year": "last"}, 422),
])
def test_ask_bad_requests(client: TestClient, body: dict, status: int) -> None:
    r = client.post("/api/ask", json=body)
    assert r.status_code == status
    assert r.json()["detail"]


def test_llm_mode_without_a_model_says_how_to_configure(client: TestClient) -> None:
    r = client.post("/api/ask", json={"question": QUESTION, "answer_mode": "llm"})
    assert r.status_code == 400
    assert r.json()["code"] == "llm_not_configured" and "原文摘录" in r.json()["detail"]
    assert "RAG_LLM_MODEL" in r.json()["reason"]  # the pipeline's own words, for the operator


def test_stream_sends_tokens_then_one_final(client: TestClient) -> None:
    r = client.post("/api/ask/stream", json={"question": QUESTION})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = _events(r.text)
    kinds = [k for k, _ in events]
    assert kinds.count("final") == 1 and kinds[-1] == "final"
    assert kinds[0] == "token" and set(kinds[:-1]) == {"token"}
    final = events[-1][1]
    assert final["citations"] and final["found"] and final["resolved_question"] == QUESTION
    assert "".join(d["text"] for k, d in events if k == "token") == final["answer"]


def test_stream_rejects_bad_input_before_streaming(client: TestClient) -> None:
    r = client.post("/api/ask/stream", json={"question": "  "})
    assert r.status_code == 400 and r.headers["content-type"].startswith("application/json")


class _FailingPipeline:
    """Streams one piece, then its backend fails."""

    def respond_stream(self, question: str, *args: object, **kwargs: object) -> tuple[str, Iterator[AnswerEvent]]:
        return question, self._events()

    def _events(self) -> Iterator[AnswerEvent]:
        yield AnswerEvent("token", "部分")
        raise BackendError("LLM server at http://127.0.0.1:9 stopped answering")


def test_stream_reports_errors_as_error_events(settings: Settings) -> None:
    with TestClient(create_app(settings, pipeline=_FailingPipeline())) as c:  # type: ignore[arg-type]
        r = c.post("/api/ask/stream", json={"question": QUESTION})
    assert [k for k, _ in _events(r.text)] == ["token", "error"]
    err = _events(r.text)[-1][1]
    assert err["status"] == 502 and err["code"] == "backend_failed" and "原文摘录" in err["detail"]
    assert "stopped answering" in err["reason"]


def test_search(client: TestClient, pipe: Pipeline) -> None:
    r = client.get("/api/search", params={"q": QUESTION, "k": 3, "mode": "bm25"})
    assert r.status_code == 200
    assert r.json() == [h.to_json() for h in pipe.search(QUESTION, 3, "bm25")]
    r = client.get("/api/search", params={"q": "养老", "bureau": "温州", "year": 2019})
    assert r.json() == [h.to_json() for h in pipe.search("养老", None, None, Filters(bureau="温州", year=2019))]
    assert client.get("/api/search", params={"q": "养老", "mode": "fuzzy"}).status_code == 422
    assert client.get("/api/search").status_code == 422
    assert client.get("/api/search", params={"q": " "}).status_code == 400


# --- documents --------------------------------------------------------------------------------------


def test_list_and_show_documents(client: TestClient, pipe: Pipeline) -> None:
    docs = client.get("/api/documents").json()
    assert {d["doc_id"] for d in docs} == set(pipe.store.doc_ids())
    doc_id = next(d["doc_id"] for d in docs if d["bureau"] == "温州市民政局")
    body = client.get(f"/api/documents/{doc_id}").json()
    assert body == {**json.loads(json.dumps(pipe.store.document(doc_id).to_json())), "source": "reply-03.txt"}
    assert any("375家养老机构" in p["text"] for p in body["paragraphs"])


def test_documents_show_file_names_never_server_paths(client: TestClient, pipe: Pipeline) -> None:
    stored = pipe.store.sources()
    root = str(CORPUS.resolve())
    assert all(s.startswith(root) for s in stored)  # the store keeps the resolved path ...
    docs = client.get("/api/documents").json()
    assert sorted(d["source"] for d in docs) == sorted(Path(s).name for s in stored)  # ... clients see names
    for d in docs:
        assert client.get(f"/api/documents/{d['doc_id']}").json()["source"] == d["source"]
    for route in ("/api/documents", "/api/overview", "/api/health"):
        assert root not in client.get(route).text, route
    r = client.post("/api/ask", json={"question": QUESTION})
    assert r.status_code == 200 and root not in r.text


def test_unknown_document_is_404(client: TestClient) -> None:
    r = client.get("/api/documents/nope123")
    assert r.status_code == 404 and "nope123" in r.json()["detail"]


def test_upload_needs_the_admin_token(client: TestClient) -> None:
    assert _upload(client, ("a.txt", LETTER), headers=None).status_code == 401
    r = _upload(client, ("a.txt", LETTER), headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and r.json()["code"] == "admin_token_wrong" and "管理口令" in r.json()["detail"]
    assert client.delete("/api/documents/x", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_upload_disabled_without_admin_token(settings: Settings, pipe: Pipeline) -> None:
    with _variant(settings, pipe, admin_token=None) as c:
        r = _upload(c, ("a.txt", LETTER))
        assert r.status_code == 403 and "RAG_ADMIN_TOKEN" in r.json()["detail"]
        assert c.delete("/api/documents/x", headers=AUTH).status_code == 403
        assert c.get("/api/health").json()["uploads_enabled"] is False


def test_upload_limits(client: TestClient, settings: Settings, pipe: Pipeline) -> None:
    r = _upload(client, ("letter.xyz", LETTER))
    assert r.status_code == 415 and ".docx" in r.json()["detail"] and ".txt" in r.json()["detail"]
    r = _upload(client, ("empty.txt", b""))
    assert r.status_code == 400 and r.json()["code"] == "file_empty" and "空文件" in r.json()["detail"]
    with _variant(settings, pipe, max_upload_mb=0.001) as c:  # ~1 KB
        r = _upload(c, ("big.txt", LETTER * 3))
        assert r.status_code == 413 and "0.001 MB" in r.json()["detail"]
        r = _upload(c, ("huge.txt", b"x" * 30_000))  # refused from Content-Length alone
        assert r.status_code == 413
    # a bad file anywhere refuses the whole request: nothing was indexed
    before = pipe.store.count()
    assert _upload(client, ("ok.txt", LETTER), ("bad.exe", b"MZ")).status_code == 415
    assert pipe.store.count() == before


def test_upload_search_delete_roundtrip(client: TestClient, pipe: Pipeline) -> None:
    gen0 = client.get("/api/health").json()["generation"]
    junk = bytes(range(256)) * 8
    r = _upload(client, ("../../etc/测试 答复.txt", LETTER), ("junk.txt", junk))
    assert r.status_code == 200, r.text
    rep = r.json()
    assert len(rep["added"]) == 1
    source = rep["added"][0]
    assert re.fullmatch(r"upload:[0-9a-f]{12}:测试 答复\.txt", source)  # never a path
    assert [s["source"] for s in rep["skipped"]] == ["junk.txt"] and rep["skipped"][0]["reason"]
    doc_id = rep["doc_ids"][source]
    assert rep["generation"] and rep["generation"] != gen0
    # the new generation is live for the next query
    hits = client.get("/api/search", params={"q": "社区老年食堂", "k": 1}).json()
    assert hits[0]["doc_id"] == doc_id
    assert client.get(f"/api/documents/{doc_id}").json()["meta"]["bureau"] == "测试市民政局"
    # the same bytes again change nothing
    again = _upload(client, ("测试 答复.txt", LETTER)).json()
    assert again["unchanged"] == [source] and again["generation"] is None

    r = client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    assert r.status_code == 200 and r.json()["removed"] == [doc_id]
    assert client.get(f"/api/documents/{doc_id}").status_code == 404
    assert client.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code == 404
    assert doc_id not in {h["doc_id"] for h in client.get("/api/search", params={"q": "社区老年食堂"}).json()}


def test_display_name_strips_paths_and_controls() -> None:
    assert display_name("..\\..\\win\\a.txt") == "a.txt"
    assert display_name("/etc/passwd") == "passwd"
    assert display_name("..") == "upload"
    assert display_name(None) == "upload"
    assert display_name("a\x00b\nc.md") == "abc.md"
    long = display_name("长" * 300 + ".docx")
    assert len(long) == 100 and long.endswith(".docx")


def test_queries_keep_working_during_uploads(client: TestClient) -> None:
    def ask(_: int) -> int:
        return client.post("/api/ask", json={"question": QUESTION}).status_code

    def upload(i: int) -> int:
        r = _upload(client, (f"c{i}.txt", numbered(100 + i)))  # three letters, not three versions of one
        doc_id = next(iter(r.json()["doc_ids"].values()))
        return client.delete(f"/api/documents/{doc_id}", headers=AUTH).status_code

    with ThreadPoolExecutor(6) as ex:
        jobs = [ex.submit(ask, i) for i in range(12)] + [ex.submit(upload, i) for i in range(3)]
        assert [j.result() for j in jobs] == [200] * 15


# --- read token -------------------------------------------------------------------------------------


def test_read_token(settings: Settings, pipe: Pipeline) -> None:
    with _variant(settings, pipe, read_token="reader-1") as c:
        assert c.post("/api/ask", json={"question": QUESTION}).status_code == 401
        r = c.get("/api/documents", headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        ok = {"Authorization": "Bearer reader-1"}
        assert c.post("/api/ask", json={"question": QUESTION}, headers=ok).status_code == 200
        assert c.get("/api/documents", headers=AUTH).status_code == 200  # the admin token reads too
        assert c.post("/api/ask/stream", json={"question": QUESTION}).status_code == 401
        assert c.post("/api/draft", json={"title": "养老"}).status_code == 401
        assert _upload(c, ("a.txt", LETTER), headers=ok).status_code == 401  # reading is not writing
        # the page and health stay open; they show no letter text
        assert c.get("/").status_code == 200
        assert c.get("/api/health").json()["read_token_required"] is True


# --- drafting ---------------------------------------------------------------------------------------

DRAFT = {"title": "关于加强农村养老服务的建议", "addressee": "张三委员", "meeting": "市政协十三届二次会议",
         "number": "12", "bureau": "温州市民政局", "contact": "李四", "phone": "0577-88888888"}


def test_draft_json_and_docx(client: TestClient) -> None:
    r = client.post("/api/draft", json=DRAFT)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["title"].startswith("温州市民政局关于市政协十三届二次会议第12号提案")
    assert d["docx_url"] == f"/api/draft/{d['draft_id']}.docx"
    cited = [c for s in d["sections"] for p in s["paragraphs"] for c in p["sources"]]
    assert cited and all(c["label"].startswith("〔") for c in cited)
    f = client.get(d["docx_url"])
    assert f.status_code == 200 and f.headers["content-type"] == DOCX_MEDIA
    assert "attachment" in f.headers["content-disposition"] and ".docx" in f.headers["content-disposition"]
    # named after the proposal, as the page's download link is
    assert d["docx_name"] == "关于加强农村养老服务的建议（答复草稿）.docx"
    assert quote(d["docx_name"]) in f.headers["content-disposition"]
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(f.content)).paragraphs)
    assert d["title"] in text and "张三委员" in text

    direct = client.post("/api/draft.docx", json=DRAFT)
    assert direct.status_code == 200 and direct.headers["content-type"] == DOCX_MEDIA
    assert d["title"] in "\n".join(p.text for p in docx.Document(io.BytesIO(direct.content)).paragraphs)


def test_draft_bad_requests(client: TestClient) -> None:
    assert client.post("/api/draft", json={"title": ""}).status_code == 422
    r = client.post("/api/draft", json={"title": "   "})
    assert r.status_code == 400 and "标题" in r.json()["detail"]
    assert client.post("/api/draft", json={"text": "没有标题"}).status_code == 422
    assert client.get("/api/draft/0123456789abcdef.docx").status_code == 404
    assert client.get("/api/draft/..%2Fx.docx").status_code in (404, 422)
    assert client.get("/api/draft/XYZ.docx").status_code == 422


def test_draft_cache_keeps_the_last_fifty(settings: Settings, pipe: Pipeline) -> None:
    from rag.draft import DraftRequest, draft

    app = create_app(settings, pipeline=pipe)
    d = draft(DraftRequest(title="关于养老服务的建议"), pipe)
    cache = app.state.drafts
    first = cache.put(d, "a.docx")
    for i in range(50):
        cache.put(draft(DraftRequest(title=f"关于养老服务的建议{i}"), pipe), f"{i}.docx")
    assert cache.get(first) is None
    with TestClient(app) as c:
        assert c.get(f"/api/draft/{first}.docx").status_code == 404


def test_static_dir_is_the_package_dir() -> None:
    assert Path(__file__).resolve().parents[2] / "api" / "static" == STATIC_DIR


class _CountingEmbedder:
    """Wraps the fake embedder to show which questions reached it."""

    def __init__(self, inner: object) -> None:
        self.inner, self.queries = inner, []  # type: ignore[var-annotated]
        self.name, self.dim = inner.name, inner.dim  # type: ignore[attr-defined]

    def embed_queries(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.queries += list(texts)
        return self.inner.embed_queries(texts)  # type: ignore[attr-defined]

    def embed_passages(self, texts: list[str], progress: bool = False):  # type: ignore[no-untyped-def]
        return self.inner.embed_passages(texts, progress)  # type: ignore[attr-defined]


def test_warm_up_at_start_loads_index_and_embedder(settings: Settings, pipe: Pipeline) -> None:
    """`rag serve` warms up in the background, so the first user does not wait for the models to load."""
    import threading

    from tests.conftest import FakeEmbedder

    emb = _CountingEmbedder(FakeEmbedder())
    warm = Pipeline(settings, embedder=emb)  # type: ignore[arg-type]
    with TestClient(create_app(settings, pipeline=warm, warm_up=True)) as c:
        assert c.get("/api/health").status_code == 200  # served while (or after) warming up
        for t in threading.enumerate():
            if t.name == "warm-up":
                t.join(10)
    assert emb.queries == ["养老服务有哪些？"]
    assert warm.retriever._loaded is not None  # type: ignore[attr-defined]
    cold = _CountingEmbedder(FakeEmbedder())
    with TestClient(create_app(settings, pipeline=Pipeline(settings, embedder=cold))):  # type: ignore[arg-type]
        pass
    assert cold.queries == []  # tests and create_app() default: no warm-up


def test_warm_up_without_an_index_is_skipped(tmp_path: Path) -> None:
    from tests.conftest import FakeEmbedder

    empty = Pipeline(Settings(index_dir=tmp_path / "index", corpus_dir=tmp_path, _env_file=None),
                     embedder=FakeEmbedder())
    assert empty.warm_up() is False


def test_a_corrected_letter_replaces_the_old_version_which_stays_readable(client: TestClient) -> None:
    first = _upload(client, ("更正前.txt", numbered(300))).json()
    corrected = numbered(300).replace("88个".encode(), "90个".encode())
    r = _upload(client, ("更正后.txt", corrected)).json()
    assert r["files"][0]["status"] == "updated" and r["files"][0]["replaced"] == "更正前.txt"
    doc_id = r["files"][0]["doc_id"]
    assert doc_id == first["files"][0]["doc_id"]
    listed = [d for d in client.get("/api/documents").json() if d["doc_number"] == "测民函〔2023〕300号"]
    assert [d["doc_id"] for d in listed] == [doc_id]
    [old] = client.get(f"/api/documents/{doc_id}/history").json()
    assert old["reason"] == "replaced" and old["source"] == "更正前.txt" and old["replaced_by"] == "更正后.txt"
    assert any("88个" in p for p in old["paragraphs"])
    assert client.get("/api/documents/nosuchdoc/history").status_code == 404
