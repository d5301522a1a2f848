"""Two `rag serve` processes with no local index, both on one Milvus (a real `milvus-lite server`): what one
replica writes, the other serves at once (README "Scaling out").

Each replica is a real `python -m rag.cli serve` subprocess with RAG_MILVUS_URI, its own empty RAG_INDEX_DIR and
the tiny random embedder (the real embedding code path, fast); letters go in over HTTP with the admin token.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from rag.core.settings import PROJECT_ROOT
from tests.api.conftest import ADMIN, AUTH, LETTER
from tests.conftest import CORPUS
from tests.servers import free_port, rag_api

pytestmark = pytest.mark.integration
START_TIMEOUT_S = 120.0
NEW_QUESTION = "测试市建成社区老年食堂多少个？"


@contextmanager
def rag_serve(work: Path, env: dict[str, str]) -> Iterator[httpx.Client]:
    """`rag serve` on a free port with `env` (and no RAG_* of the caller), until it answers /api/health."""
    port = free_port()
    work.mkdir(parents=True)
    full = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    full.update(env, RAG_HOST="127.0.0.1", RAG_PORT=str(port), RAG_INDEX_DIR=str(work / "index"),
                HF_HUB_OFFLINE="1", PYTHONPATH=str(PROJECT_ROOT))  # this checkout's code, not an installed one
    url = f"http://127.0.0.1:{port}"
    # cwd = the work dir: no .env is read
    with rag_api([sys.executable, "-m", "rag.cli", "serve"], url, work / "serve.log", work, full, START_TIMEOUT_S), \
            httpx.Client(base_url=url, timeout=120) as client:
        yield client
    text = (work / "serve.log").read_text(errors="replace")
    assert "Traceback" not in text, text[text.find("Traceback"):][:3000]


@pytest.fixture(scope="module")
def replicas(milvus_uri: str, tiny_embed_model: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    env = {"RAG_MILVUS_URI": milvus_uri, "RAG_MILVUS_COLLECTION": f"replicas_{uuid.uuid4().hex[:10]}",
           "RAG_ADMIN_TOKEN": ADMIN, "RAG_EMBED_MODEL": str(tiny_embed_model)}
    tmp = tmp_path_factory.mktemp("replicas")
    with ExitStack() as stack:
        a = stack.enter_context(rag_serve(tmp / "a", env))
        b = stack.enter_context(rag_serve(tmp / "b", env))
        files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in sorted(CORPUS.iterdir()) if p.is_file()]
        r = a.post("/api/documents", files=files, headers=AUTH)
        assert r.status_code == 200 and len(r.json()["added"]) == 5, r.text
        yield a, b
    assert not any((tmp / n / "index" / "store.sqlite").exists() for n in "ab")  # neither kept a local index


def test_both_replicas_report_the_one_shared_index(replicas: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = (c.get("/api/health").json() for c in replicas)
    assert a["status"] == b["status"] == "ok"
    assert a["documents"] == b["documents"] == 5 and a["chunks"] == b["chunks"] > 50
    assert a["generation"] and a["generation"] == b["generation"]  # the Milvus store's version
    assert a["embedder"] and a["embedder"] == b["embedder"]


def test_an_upload_through_one_replica_is_answered_by_the_other(
        replicas: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = replicas
    before = b.get("/api/health").json()["generation"]
    r = a.post("/api/documents", files=[("files", ("食堂.txt", LETTER, "text/plain"))], headers=AUTH)
    assert r.status_code == 200, r.text
    doc_id = r.json()["files"][0]["doc_id"]
    assert b.get("/api/health").json()["generation"] != before
    assert b.get(f"/api/documents/{doc_id}").status_code == 200
    ans = b.post("/api/ask", json={"question": NEW_QUESTION}).json()
    assert ans["found"] and "88" in ans["direct"], ans
    assert {c["doc_id"] for c in ans["citations"]} == {doc_id}

    # deleted through the other replica: gone from both at once, never found again
    assert b.delete(f"/api/documents/{doc_id}", headers=AUTH).json()["removed"] == [doc_id]
    for c in replicas:
        assert c.get(f"/api/documents/{doc_id}").status_code == 404
        hits = c.get("/api/search", params={"q": "社区老年食堂", "k": 50, "mode": "bm25"}).json()
        assert doc_id not in {h["doc_id"] for h in hits}
        cited = c.post("/api/ask", json={"question": NEW_QUESTION}).json()["citations"]
        assert doc_id not in {x["doc_id"] for x in cited}


def test_the_welcome_overview_follows_writes_made_through_the_other_replica(
        replicas: tuple[httpx.Client, httpx.Client]) -> None:
    a, b = replicas
    first = b.get("/api/overview").json()
    n = first["documents"]
    # one letter in, one out, through replica a: the count is the same, the letters are not
    gone = next(d for d in a.get("/api/documents").json() if d["bureau"])
    other = LETTER.decode().replace("测试市", "样例市").encode()
    assert a.post("/api/documents", files=[("files", ("样例.txt", other, "text/plain"))],
                  headers=AUTH).status_code == 200
    assert a.delete(f"/api/documents/{gone['doc_id']}", headers=AUTH).status_code == 200
    after = b.get("/api/overview").json()
    assert after["documents"] == n
    names = {x["name"] for x in after["bureaus"]}
    assert "样例市民政局" in names and gone["bureau"] not in names, after["bureaus"]
