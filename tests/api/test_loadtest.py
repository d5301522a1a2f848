"""eval/stress/load.py: its checks catch lost and duplicated letters (fast, against a fake server), and a
reduced run against a real uvicorn passes (integration: a tiny random embedder keeps it within a minute).

The full-size run (default embedder) is

    .venv/bin/python -m eval.stress.load --clients 8 --requests 600 --uploads 20 --out eval/reports/loadtest.json
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from eval.stress.load import Config, Run, report, run
from tests.conftest import CORPUS

LETTERS = {f"synthetic-{i:05d}.txt": f"某市民政局\n\n关于第{i}号提案的答复函\n".encode() for i in range(1, 5)}


def _docs(uploads: list[tuple[str, str]]) -> list[dict[str, str]]:
    corpus = [{"doc_id": f"corpus-{i}", "source": str(p)} for i, p in enumerate(sorted(CORPUS.iterdir()))]
    return corpus + [{"doc_id": doc_id, "source": f"upload:abcdef012345:{name}"} for name, doc_id in uploads]


def _check(listed: list[tuple[str, str]], live: dict[str, str], deleted: dict[str, str],
           still_found: str | None = None) -> list[str]:
    """Failures of check_documents when the server lists `listed` (name, doc id) as its uploads."""
    docs = _docs(listed)

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/api/documents":
            return httpx.Response(200, json=docs)
        if path.startswith("/api/documents/"):
            known = {d["doc_id"] for d in docs}
            return httpx.Response(200 if path.rsplit("/", 1)[1] in known else 404, json={})
        if path == "/api/search":
            hits = [{"doc_id": d} for _, d in listed] + ([{"doc_id": still_found}] if still_found else [])
            return httpx.Response(200, json=hits)
        if path == "/api/health":
            return httpx.Response(200, json={"documents": len(docs)})
        return httpx.Response(404)

    load = Run(Config(), [SimpleNamespace(url="http://fake", token="t")], LETTERS)  # type: ignore[list-item]
    load.live, load.deleted = dict(live), dict(deleted)
    with httpx.Client(base_url="http://fake", transport=httpx.MockTransport(handler)) as c:
        load.check_documents(c)
    return load.failures


A, B, C = sorted(LETTERS)[:3]


def test_check_passes_a_consistent_store() -> None:
    assert _check([(A, "a1"), (B, "b1")], live={A: "a1", B: "b1"}, deleted={C: "c1"}) == []


@pytest.mark.parametrize(("listed", "live", "deleted", "found", "says"), [
    ([(A, "a1")], {A: "a1", B: "b1"}, {}, None, "expected exactly"),  # B was lost
    ([(A, "a1"), (A, "a1")], {A: "a1"}, {}, None, "duplicated doc id"),
    ([(A, "a1"), (A, "a2")], {A: "a1"}, {}, None, "duplicated source"),  # the same letter stored twice
    ([(A, "a1"), (C, "c1")], {A: "a1"}, {C: "c1"}, None, "was deleted but is listed"),
    ([(A, "a1")], {A: "a1"}, {C: "c1"}, "c1", "search still returns it"),  # the index kept a deleted letter
    ([(A, "a1"), (B, "b1")], {A: "a1"}, {}, None, "no upload reported"),
])
def test_check_catches_lost_duplicated_and_resurrected_letters(listed: list, live: dict, deleted: dict,
                                                               found: str | None, says: str) -> None:
    failures = _check(listed, live, deleted, found)
    assert any(says in f for f in failures), failures


@pytest.mark.integration
def test_reduced_load_against_a_real_server(tiny_embed_model: Path) -> None:
    cfg = Config(clients=4, requests=120, uploads=6, deletes=2, reuploads=1, time_limit=120,
                 embed_model=str(tiny_embed_model))
    r = run(cfg)
    print(report(r))
    assert r.ok, report(r)
    queries = r.routes["queries"]
    assert queries["n"] >= cfg.requests and queries["statuses"] == {"200": queries["n"]}
    assert r.routes["upload"]["statuses"] == {"200": r.routes["upload"]["n"]}
    assert r.documents["uploads_live"] == cfg.uploads - cfg.deletes + cfg.reuploads
    assert r.documents["uploads_deleted"] == cfg.deletes - cfg.reuploads
    assert r.queries_during_writes > 0  # the reads really overlapped the index rebuilds
    json.dumps(r.routes)  # the report is JSON as written by --out


@pytest.mark.integration
def test_reduced_load_on_two_replicas_of_one_milvus(tiny_embed_model: Path) -> None:
    """Two `rag serve` processes on one milvus-lite server: no 5xx, each write seen through the other replica
    at once, both list the same letters."""
    pytest.importorskip("milvus_lite")
    cfg = Config(clients=4, requests=80, uploads=5, deletes=2, reuploads=1, time_limit=240,
                 embed_model=str(tiny_embed_model), milvus=True, replicas=2)
    r = run(cfg)
    print(report(r))
    assert r.ok, report(r)
    assert r.routes["queries"]["statuses"] == {"200": r.routes["queries"]["n"]}
    assert all(n > 0 for n in r.per_replica.values()) and len(r.per_replica) == 2
    # every upload and delete was read back through the other replica right after it
    assert r.cross_replica_checks >= r.routes["upload"]["n"] + r.routes["delete"]["n"]
    assert r.documents["uploads_live"] == cfg.uploads - cfg.deletes + cfg.reuploads
