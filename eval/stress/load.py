"""Load test of the HTTP API: concurrent /api/ask and /api/search while letters are uploaded and deleted.

    .venv/bin/python -m eval.stress.load --clients 8 --requests 600 --uploads 20 --out eval/reports/loadtest.json
    .venv/bin/python -m eval.stress.load --milvus --replicas 2 ...   # scale-out: replicas on one Milvus

A real server in a subprocess (`uvicorn --factory api.app:create_app` on 127.0.0.1, a free port) over a
temporary index of corpus/ (built first, as `rag index` does), a random RAG_ADMIN_TOKEN and the default
embedder (or --embed-model DIR). With --milvus the index is a collection on a real `milvus-lite server` started
here instead, and --replicas `rag serve` processes (each with an empty index dir of its own) serve it. Then, at
the same time:

  * --clients threads, each with its own httpx client (client n talks to replica n mod --replicas), alternate
    POST /api/ask and GET /api/search with the questions of eval/data/qa.jsonl (random modes and k), until at
    least --requests were sent and the writer is done (never more than --max-requests);
  * one writer uploads --uploads SYNTHETIC letters (eval/generators/distractors.py), one or two per request, deletes
    --deletes of them as it goes, uploads --reuploads of the deleted ones again, and sends one unchanged
    letter a second time. With several replicas the uploads take turns over them, each delete goes through
    another replica than its upload, and right after each write another replica must already show it (an
    upload is 200 and found by its title; a deleted letter is 404 and never a hit).

Everything stops at --time-limit seconds. Afterwards it checks: no 5xx and no transport error; every ask
answered the question it was sent; /api/documents holds every corpus letter and every live upload exactly
once (no duplicated doc id or source), under the doc id its upload reported, and no deleted letter; a
deleted letter is 404 and never a search hit, a live one is found by its title; /api/health counts agree;
the server log has no traceback and never the admin token; with replicas, all of that on every replica, and
they all list the same letters. Prints throughput and p50/p95 latency per route and the load average; writes
them as JSON with --out. Exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import secrets
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from eval.generators.distractors import generate
from eval.stress.server import CORPUS, ROOT, Server

QA = ROOT / "eval" / "data" / "qa.jsonl"
MODES = (None, "bm25", "dense", "hybrid")


@dataclass(frozen=True)
class Config:
    clients: int = 8
    requests: int = 600
    max_requests: int = 5000
    uploads: int = 20
    deletes: int = 6
    reuploads: int = 3
    time_limit: float = 600.0
    embed_model: str | None = None  # None: the server's default embedder
    seed: int = 0
    milvus: bool = False  # the index on a milvus-lite server, served by `rag serve` replicas
    replicas: int = 1


@dataclass(frozen=True)
class Sample:
    route: str
    status: int  # 0: no HTTP response (connection refused, reset, timeout)
    start: float
    seconds: float
    replica: int = 0


@dataclass
class Result:
    config: dict[str, Any]
    wall_seconds: float = 0.0
    setup_seconds: dict[str, float] = field(default_factory=dict)
    load_avg: dict[str, list[float]] = field(default_factory=dict)
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    queries_during_writes: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    cross_replica_checks: int = 0  # writes checked through another replica than the one that made them
    per_replica: dict[str, int] = field(default_factory=dict)  # queries answered by each replica
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def _questions() -> list[str]:
    return [json.loads(line)["question"] for line in QA.read_text(encoding="utf-8").splitlines() if line.strip()]


class Run:
    """One load run against started Servers (replicas of one index): query clients, the writer, then the checks."""

    def __init__(self, cfg: Config, servers: Sequence[Server], letters: dict[str, bytes]) -> None:
        self.cfg = cfg
        self.servers = list(servers)
        self.letters = letters
        self.auth = {"Authorization": f"Bearer {self.servers[0].token}"}
        self.deadline = time.monotonic() + cfg.time_limit
        self.samples: list[Sample] = []
        self.failures: list[str] = []
        self.lock = threading.Lock()
        self.counter = itertools.count()
        self.writer_done = threading.Event()
        self.live: dict[str, str] = {}  # letter name → doc id its upload reported
        self.deleted: dict[str, str] = {}
        self.via: dict[str, int] = {}  # letter name → the replica its last upload went through
        self.cross_checks = 0

    def _fail(self, msg: str) -> None:
        with self.lock:
            self.failures.append(msg)

    def _send(self, client: httpx.Client, route: str, method: str, url: str, replica: int = 0,
              **kw: Any) -> httpx.Response | None:
        t0 = time.monotonic()
        try:
            r = client.request(method, url, **kw)
        except httpx.TransportError as e:
            r = None
            self._fail(f"{route}: no response ({type(e).__name__}: {e})")
        with self.lock:
            self.samples.append(Sample(route, r.status_code if r is not None else 0, t0, time.monotonic() - t0,
                                       replica))
        if r is not None and r.status_code >= 500:
            self._fail(f"{route}: {r.status_code} {r.text[:300]}")
        return r

    def _title(self, name: str) -> str:
        return next(line for line in self.letters[name].decode().splitlines() if "答复" in line)

    # -- readers --------------------------------------------------------------------------------------
    def query_client(self, n: int, questions: list[str]) -> None:
        rng = random.Random(f"{self.cfg.seed}-{n}")
        replica = n % len(self.servers)
        with httpx.Client(base_url=self.servers[replica].url, timeout=120) as c:
            while time.monotonic() < self.deadline:
                i = next(self.counter)
                if i >= self.cfg.max_requests or (i >= self.cfg.requests and self.writer_done.is_set()):
                    return
                q, mode = rng.choice(questions), rng.choice(MODES)
                if i % 2:
                    body: dict[str, Any] = {"question": q, **({"mode": mode} if mode else {})}
                    r = self._send(c, "ask", "POST", "/api/ask", replica, json=body)
                    # an answer to someone else's question would mean requests leak into each other
                    if r is not None and r.status_code == 200 and r.json()["resolved_question"] != q:
                        self._fail(f"ask {q!r} was answered as {r.json()['resolved_question']!r}")
                else:
                    params: dict[str, Any] = {"q": q, "k": rng.choice((3, 5, 10)), **({"mode": mode} if mode else {})}
                    r = self._send(c, "search", "GET", "/api/search", replica, params=params)
                if r is not None and r.status_code != 200 and r.status_code < 500:
                    self._fail(f"{'ask' if i % 2 else 'search'} {q!r}: {r.status_code} {r.text[:200]}")

    # -- the writer -----------------------------------------------------------------------------------
    def _upload(self, cs: list[httpx.Client], via: int, names: list[str], expect: str) -> None:
        files = [("files", (name, self.letters[name], "text/plain")) for name in names]
        r = self._send(cs[via], "upload", "POST", "/api/documents", via, files=files, headers=self.auth)
        if r is None or r.status_code != 200:
            if r is not None and r.status_code < 500:
                self._fail(f"upload {names}: {r.status_code} {r.text[:200]}")
            return
        rep = r.json()
        for name in names:
            source = next((s for s in rep["doc_ids"] if s.endswith(":" + name)), None)
            if source is None or source not in rep[expect]:
                self._fail(f"upload {name}: expected it under {expect!r}, got {json.dumps(rep)[:300]}")
                continue
            doc_id = rep["doc_ids"][source]
            if name in self.deleted and self.deleted.pop(name) != doc_id:
                self._fail(f"re-upload of {name} got a new doc id {doc_id}")
            self.live[name], self.via[name] = doc_id, via
            self._seen_elsewhere(cs, via, name, doc_id, present=True)

    def _delete(self, cs: list[httpx.Client], name: str) -> None:
        doc_id = self.live.pop(name)
        via = (self.via[name] + 1) % len(cs)  # through another replica than the upload, when there is one
        r = self._send(cs[via], "delete", "DELETE", f"/api/documents/{doc_id}", via, headers=self.auth)
        if r is not None and r.status_code == 200 and r.json()["removed"] == [doc_id]:
            self.deleted[name] = doc_id
            self._seen_elsewhere(cs, via, name, doc_id, present=False)
        else:
            self.live[name] = doc_id  # still there as far as we know; the final check will tell
            self._fail(f"delete {name} ({doc_id}): {r.status_code if r is not None else 'no response'}")

    def _seen_elsewhere(self, cs: list[httpx.Client], via: int, name: str, doc_id: str, present: bool) -> None:
        """Right after a write through replica `via`, the next replica must already show it (not timed)."""
        if len(cs) < 2:
            return
        other = (via + 1) % len(cs)
        what = f"{'upload' if present else 'delete'} of {name} through replica {via}, read through {other}"
        try:
            status = cs[other].get(f"/api/documents/{doc_id}").status_code
            hits = cs[other].get("/api/search", params={"q": self._title(name), "k": 100, "mode": "bm25"}).json()
        except httpx.TransportError as e:
            self._fail(f"{what}: no response ({type(e).__name__})")
            return
        self.cross_checks += 1
        if status != (200 if present else 404):
            self._fail(f"{what}: GET gave {status}")
        if (doc_id in {h["doc_id"] for h in hits}) != present:
            self._fail(f"{what}: {'not found' if present else 'still found'} by its title")

    def writer(self) -> None:
        names = sorted(self.letters)
        every = max(1, len(names) // max(1, self.cfg.deletes))
        cs = [httpx.Client(base_url=s.url, timeout=600) for s in self.servers]
        try:
            i = n_del = turn = 0
            while i < len(names) and time.monotonic() < self.deadline:
                batch = names[i : i + (2 if i % 3 == 2 else 1)]  # some requests carry two letters
                i += len(batch)
                self._upload(cs, turn % len(cs), batch, "added")  # the replicas take turns
                turn += 1
                if n_del < self.cfg.deletes and i >= every * (n_del + 1) and len(self.live) > 1:
                    self._delete(cs, next(iter(self.live)))  # the oldest live upload
                    n_del += 1
            for name in list(self.deleted)[: self.cfg.reuploads]:
                if time.monotonic() < self.deadline:
                    self._upload(cs, turn % len(cs), [name], "added")
                    turn += 1
            if self.live and time.monotonic() < self.deadline:
                last = next(reversed(self.live))
                # same bytes: no second copy, also when sent to another replica
                self._upload(cs, (self.via[last] + 1) % len(cs), [last], "unchanged")
        finally:
            for c in cs:
                c.close()
            self.writer_done.set()

    # -- after the load -------------------------------------------------------------------------------
    def check_documents(self, c: httpx.Client) -> dict[str, int]:
        docs = c.get("/api/documents").json()
        ids, sources = [d["doc_id"] for d in docs], [d["source"] for d in docs]
        for what, xs in (("doc id", ids), ("source", sources)):
            if dupes := sorted({x for x in xs if xs.count(x) > 1}):
                self._fail(f"duplicated {what}s in /api/documents: {dupes}")
        uploaded = [d for d in docs if d["source"].startswith("upload:")]
        n_corpus = len([p for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith(".")])
        if len(docs) - len(uploaded) != n_corpus:
            self._fail(f"{len(docs) - len(uploaded)} corpus letters listed, expected {n_corpus}")
        by_name: dict[str, list[str]] = {}
        for d in uploaded:
            by_name.setdefault(d["source"].split(":", 2)[2], []).append(d["doc_id"])
        for name, doc_id in self.live.items():
            if by_name.get(name) != [doc_id]:
                self._fail(f"{name}: listed as {by_name.get(name)}, expected exactly [{doc_id}]")
        for name, doc_id in self.deleted.items():
            if name in by_name:
                self._fail(f"{name} was deleted but is listed as {by_name[name]}")
            if (s := c.get(f"/api/documents/{doc_id}").status_code) != 404:
                self._fail(f"deleted {name} ({doc_id}): GET gave {s}, expected 404")
        if extra := sorted(set(by_name) - set(self.live)):
            self._fail(f"uploads listed that no upload reported: {extra}")
        for name in [*self.live, *self.deleted]:  # the indexes agree with the store
            title = self._title(name)
            hits = {h["doc_id"] for h in c.get("/api/search", params={"q": title, "k": 100, "mode": "bm25"}).json()}
            if name in self.live and self.live[name] not in hits:
                self._fail(f"{name} is listed but its title {title!r} does not find it")
            if name in self.deleted and self.deleted[name] in hits:
                self._fail(f"{name} was deleted but search still returns it")
        health = c.get("/api/health").json()
        if health["documents"] != len(docs):
            self._fail(f"/api/health counts {health['documents']} documents, /api/documents lists {len(docs)}")
        return {"listed": len(docs), "corpus": n_corpus, "uploads_live": len(self.live),
                "uploads_deleted": len(self.deleted), "letters_generated": len(self.letters)}


def _route_stats(samples: list[Sample]) -> dict[str, Any]:
    secs = [s.seconds for s in samples]
    span = max(s.start + s.seconds for s in samples) - min(s.start for s in samples)
    statuses: dict[str, int] = {}
    for s in samples:
        statuses[str(s.status)] = statuses.get(str(s.status), 0) + 1
    return {"n": len(samples), "statuses": statuses, "req_per_s": round(len(samples) / span, 2) if span else None,
            "p50_ms": round(float(np.percentile(secs, 50)) * 1000, 1),
            "p95_ms": round(float(np.percentile(secs, 95)) * 1000, 1), "max_ms": round(max(secs) * 1000, 1)}


def run(cfg: Config, work: Path | None = None) -> Result:
    """The whole load test; `work` (default: a temp dir, removed afterwards) holds the index and log."""
    if cfg.replicas < 1 or (cfg.replicas > 1 and not cfg.milvus):
        raise ValueError(f"--replicas {cfg.replicas}: replicas share one index on Milvus, so more than one needs "
                         "--milvus (and at least one is needed)")
    result = Result(config=asdict(cfg))
    t_setup = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rag-load-") as tmp, ExitStack() as stack:
        work = work or Path(tmp)
        letters = {p.name: p.read_bytes() for p in generate(work / "letters", cfg.uploads, cfg.seed)}
        token = secrets.token_urlsafe(24)
        milvus = None
        if cfg.milvus:
            from tests.milvus_server import milvus_lite_server

            milvus = (stack.enter_context(milvus_lite_server(work / "milvus")), "loadtest")
        # the first server indexes corpus/ (on Milvus: for all of them); the others only serve
        servers = [stack.enter_context(Server(work / f"replica{i}" if milvus else work, token, cfg.embed_model,
                                              milvus, index=i == 0)) for i in range(cfg.replicas)]
        load = Run(cfg, servers, letters)
        for server in servers:  # load models before the clock starts
            with httpx.Client(base_url=server.url, timeout=600) as c:
                c.get("/api/search", params={"q": "养老机构", "mode": "hybrid"}).raise_for_status()
                c.post("/api/ask", json={"question": "温州市有多少家养老机构？"}).raise_for_status()
        result.setup_seconds = {**{f"{k}{i if len(servers) > 1 else ''}": v for i, s in enumerate(servers)
                                   for k, v in s.timings.items()}, "total": round(time.monotonic() - t_setup, 2)}
        result.load_avg["start"] = list(os.getloadavg())
        t0 = time.monotonic()
        threads = [threading.Thread(target=load.writer)]
        threads += [threading.Thread(target=load.query_client, args=(n, _questions())) for n in range(cfg.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        result.wall_seconds = round(time.monotonic() - t0, 2)
        result.load_avg["end"] = list(os.getloadavg())
        listings = []
        for server in servers:  # every replica holds the same letters, and exactly the expected ones
            with httpx.Client(base_url=server.url, timeout=120) as c:
                result.documents = load.check_documents(c)
                listings.append(sorted(d["doc_id"] for d in c.get("/api/documents").json()))
        if any(x != listings[0] for x in listings):
            load._fail("the replicas list different letters")
        stack.close()  # stop the servers (and Milvus) before reading their logs
        for i, server in enumerate(servers):
            log = server.log.read_text(errors="replace")
            if "Traceback" in log:
                load._fail(f"the log of replica {i} has a traceback:\n{log[log.index('Traceback'):][:2000]}")
            if token in log:
                load._fail(f"the admin token appears in the log of replica {i}")
    queries = [s for s in load.samples if s.route in ("ask", "search")]
    writes = [(s.start, s.start + s.seconds) for s in load.samples if s.route in ("upload", "delete")]
    result.queries_during_writes = sum(any(a < s.start + s.seconds and s.start < b for a, b in writes)
                                       for s in queries)
    result.cross_replica_checks = load.cross_checks
    result.per_replica = {str(i): sum(s.replica == i for s in queries) for i in range(len(servers))}
    for route in ("ask", "search", "upload", "delete"):
        if mine := [s for s in load.samples if s.route == route]:
            result.routes[route] = _route_stats(mine)
    if queries:
        result.routes["queries"] = _route_stats(queries)
    if len(queries) < cfg.requests:
        load._fail(f"only {len(queries)} of {cfg.requests} queries ran within the {cfg.time_limit:g} s limit")
    result.failures = load.failures
    return result


def report(r: Result) -> str:
    backend = (f"{r.config['replicas']} rag serve replica(s) on one milvus-lite server" if r.config.get("milvus")
               else "one server, embedded index")
    lines = [f"{backend}; setup {r.setup_seconds} s (index corpus/, start the server, warm up)",
             f"load phase {r.wall_seconds:.1f} s · load average start {r.load_avg['start'][0]:.2f}, "
             f"end {r.load_avg['end'][0]:.2f} (1 min) · {os.cpu_count()} CPUs",
             f"{'route':<8} {'n':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  statuses"]
    for name, s in r.routes.items():
        lines.append(f"{name:<8} {s['n']:>6} {s['req_per_s'] or 0:>7.2f} {s['p50_ms']:>8.1f} {s['p95_ms']:>8.1f} "
                     f"{s['max_ms']:>8.1f}  {s['statuses']}")
    lines.append(f"queries while a write was in flight: {r.queries_during_writes}")
    if len(r.per_replica) > 1:
        lines.append(f"queries per replica: {r.per_replica}; writes checked through another replica at once: "
                     f"{r.cross_replica_checks}")
    lines.append("documents: " + ", ".join(f"{k} {v}" for k, v in r.documents.items()))
    lines += ["OK: no 5xx, no lost or duplicated document"] if r.ok else ["FAILED:", *(f"  {f}" for f in r.failures)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    d = Config()
    ap.add_argument("--clients", type=int, default=d.clients, help="concurrent query clients")
    ap.add_argument("--requests", type=int, default=d.requests, help="queries to send at least (ask + search)")
    ap.add_argument("--max-requests", type=int, default=d.max_requests, help="queries to send at most")
    ap.add_argument("--uploads", type=int, default=d.uploads, help="synthetic letters to upload")
    ap.add_argument("--deletes", type=int, default=d.deletes, help="uploaded letters to delete again")
    ap.add_argument("--reuploads", type=int, default=d.reuploads, help="deleted letters to upload once more")
    ap.add_argument("--time-limit", type=float, default=d.time_limit, help="seconds for the whole load phase")
    ap.add_argument("--embed-model", default=None, help="sentence-transformers dir (default: the built e5)")
    ap.add_argument("--seed", type=int, default=d.seed)
    ap.add_argument("--milvus", action="store_true", help="index on a milvus-lite server started here, served by "
                                                          "`rag serve` replicas")
    ap.add_argument("--replicas", type=int, default=d.replicas, help="`rag serve` processes (needs --milvus)")
    ap.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    a = ap.parse_args(argv)
    cfg = Config(a.clients, a.requests, a.max_requests, a.uploads, a.deletes, a.reuploads, a.time_limit,
                 a.embed_model, a.seed, a.milvus, a.replicas)
    r = run(cfg)
    print(report(r))
    if a.out:
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(json.dumps({**asdict(r), "ok": r.ok}, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if r.ok else 1


if __name__ == "__main__":
    sys.exit(main())
