"""Derived search indexes (FAISS + BM25), written as immutable generations and swapped atomically.

Layout under the index dir:
    store.sqlite          source of truth (documents, paragraphs, chunks, cached vectors)
    gen-<id>/             one complete build: dense.faiss, dense.json, bm25/, bm25.json, rows.json, manifest.json
                          (the manifest records the store fingerprint it was built from: see is_current)
    CURRENT               the name of the live generation (replaced with os.replace)

A build writes a new generation and only then points CURRENT at it, so a crash mid-build leaves the
previous generation loadable; readers that already loaded a generation keep using it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.dense import FaissStore
from rag.embed import Embedder
from rag.errors import IndexMismatchError, NotFoundError
from rag.records import content_hash
from rag.sparse import BM25Index
from rag.store import Store

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Generation:
    name: str
    manifest: dict[str, Any]
    dense: FaissStore
    sparse: BM25Index
    ids: list[str]  # row → chunk id (same order in both indexes)
    row_docs: np.ndarray  # row → doc id


@dataclass(frozen=True)
class BuildStats:
    chunks: int
    embedded: int  # chunks whose vectors had to be computed (the rest came from the cache)
    dense_kind: str
    seconds: float
    generation: str


def current_name(index_dir: Path) -> str | None:
    p = index_dir / "CURRENT"
    return p.read_text().strip() if p.exists() else None


def build(store: Store, embedder: Embedder, index_dir: Path, hnsw_threshold: int, progress: bool = False) -> BuildStats:
    t0 = time.perf_counter()
    # taken before reading the chunks: a write that lands in between makes the index look stale, never fresh
    fingerprint = store.fingerprint()
    rows = store.all_chunks()
    ids = [c.id for c, _ in rows]
    keys = [content_hash(c.embed_text) for c, _ in rows]
    cached = store.cached_vectors(keys, embedder.name)
    todo = sorted({k: c.embed_text for (c, _), k in zip(rows, keys, strict=True) if k not in cached}.items())
    if todo:
        vecs = embedder.embed_passages([t for _, t in todo], progress=progress)
        fresh = {k: v for (k, _), v in zip(todo, vecs, strict=True)}
        store.put_vectors(embedder.name, fresh)
        cached.update(fresh)
    matrix = np.stack([cached[k] for k in keys]) if keys else np.zeros((0, embedder.dim), np.float32)

    dense = FaissStore.build(matrix, ids, hnsw_threshold, embedder.dim)
    sparse = BM25Index.build([toks for _, toks in rows], ids)
    name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".{name}.tmp"
    manifest = {
        "format": FORMAT_VERSION,
        "embedder": embedder.name,
        "dim": embedder.dim,
        "chunks": len(ids),
        "dense": dense.kind,
        "store": fingerprint,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    try:
        dense.save(tmp)
        sparse.save(tmp)
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        (tmp / "rows.json").write_text(json.dumps([c.doc_id for c, _ in rows]))
        _fsync_dir(tmp)
        os.replace(tmp, index_dir / name)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # a failed build leaves nothing behind; CURRENT is untouched
        raise
    previous = current_name(index_dir)
    _write_atomic(index_dir / "CURRENT", name)
    # keep the previous generation one more round: a reader may have just read CURRENT and be loading it
    _drop_old(index_dir, keep={name} | ({previous} if previous else set()))
    store.prune_vectors(embedder.name, set(keys))
    return BuildStats(len(ids), len(todo), dense.kind, time.perf_counter() - t0, name)


def is_current(store: Store, index_dir: Path) -> bool:
    """Whether the live generation was built from what the store holds now. False after a build that
    failed once its documents were stored (the files are then "unchanged", yet not searchable)."""
    name = current_name(index_dir)
    manifest = index_dir / name / "manifest.json" if name else None
    if manifest is None or not manifest.exists():
        return False
    return json.loads(manifest.read_text()).get("store") == store.fingerprint()


def load(index_dir: Path, embedder_name: str | None) -> Generation:
    name = current_name(index_dir)
    if not name or not (index_dir / name / "manifest.json").exists():
        raise NotFoundError(f"no index in {index_dir}: run `rag index` (or `make run`) to build one")
    d = index_dir / name
    manifest = json.loads((d / "manifest.json").read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"index {d} has format {manifest.get('format')}, this version reads {FORMAT_VERSION}: "
            "rebuild it with `rag index`"
        )
    if embedder_name is not None and manifest["embedder"] != embedder_name:
        raise IndexMismatchError(
            f"index {d} was built with embedder {manifest['embedder']!r} but {embedder_name!r} is configured "
            "(RAG_EMBED_MODEL): rebuild with `rag index`, or point RAG_EMBED_MODEL back at the old model"
        )
    dense = FaissStore.load(d)
    sparse = BM25Index.load(d)
    row_docs = np.array(json.loads((d / "rows.json").read_text()), dtype=object)
    return Generation(name, manifest, dense, sparse, dense.ids, row_docs)


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:6]}")
    try:
        with open(tmp, "w") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_dir(d: Path) -> None:
    for p in d.rglob("*"):
        if p.is_file():
            with open(p, "rb") as f:
                os.fsync(f.fileno())


def _drop_old(index_dir: Path, keep: set[str]) -> None:
    for p in index_dir.iterdir():
        if p.is_dir() and p.name.startswith("gen-") and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
