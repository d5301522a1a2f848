"""Derived search indexes (FAISS + BM25), written as immutable generations and swapped atomically.

Layout under the index dir:
    store.sqlite          source of truth (documents, paragraphs, chunks, cached vectors)
    gen-<id>/             one complete build: dense.faiss, dense.json, bm25/, bm25.json, rows.json, manifest.json
                          (the manifest records the embedder, dim, counts, the size and sha256 of every other
                          file, the store fingerprint it was built from: see is_current, and the letters
                          it answers from: see rag/index/live.py)
    CURRENT               the name of the live generation (replaced with os.replace)
    index.lock            flock'ed by the one process writing (see write_lock)

A build writes a new generation (manifest last, everything fsync'ed) and only then points CURRENT at it, so
a crash or kill -9 mid-build leaves the previous generation loadable and the store fingerprint in its
manifest out of date, so the next run rebuilds. Readers that already loaded a generation keep using it.
`load` checks the files against the manifest: a damaged index is refused, never searched.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.core.errors import BusyError, IndexDamagedError, IndexMismatchError, NotFoundError, RagError
from rag.core.files import LockHeld, fsync, fsync_tree, hold_lock, progress_bar, sha256_file, write_atomic
from rag.core.records import content_hash
from rag.embed.base import Embedder
from rag.index.dense import FaissStore, VectorStore
from rag.index.live import GEN_NAME as _GEN_NAME
from rag.index.live import LETTER_SHA, current_name
from rag.index.sparse import BM25Index
from rag.index.store import Store

FORMAT_VERSION = 2  # 2: manifest lists file sizes and checksums, and document counts
LOCK_NAME = "index.lock"
EMBED_BATCH = 128  # texts embedded between two cache commits (~6 s with the default model on 2 idle cores)


@dataclass(frozen=True)
class Generation:
    name: str
    manifest: dict[str, Any]
    dense: VectorStore
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


def rebuild_hint(index_dir: Path) -> str:
    return (f"rebuild it from the stored letters with `rag index --rebuild --index-dir {index_dir}` "
            "(no file is re-read; cached vectors are reused)")


@contextmanager
def write_lock(index_dir: Path, what: str = "`rag index`", timeout: float = 0.0) -> Iterator[None]:
    """Hold the index dir's write lock (one writer across processes) or raise BusyError after `timeout` s.
    The holder's pid and role are written into the lock file for the message; a killed writer releases it."""
    try:
        with hold_lock(index_dir / LOCK_NAME, timeout, note=f"{os.getpid()} {what}"):
            yield
    except LockHeld as held:
        holder = held.holder.split(" ", 1)
        pid = holder[0] or "unknown"
        role = holder[1] if len(holder) > 1 else "`rag index`"
        raise BusyError(
            f"another {role} is running (pid {pid}) on {index_dir}; wait for it to finish and run "
            f"this again (a killed writer releases the lock at once, so there is nothing to delete)"
        ) from None


def build(store: Store, embedder: Embedder, index_dir: Path, hnsw_threshold: int, progress: bool = False,
          bm25: dict[str, float] | None = None) -> BuildStats:
    """Build a new generation from the store and make it live. Call it holding write_lock."""
    t0 = time.perf_counter()
    _drop_temporaries(index_dir)
    # taken before reading the chunks: a write that lands in between makes the index look stale, never fresh
    fingerprint = store.fingerprint()
    letters = {d: sha[:LETTER_SHA] for d, sha in store.versions().items()}
    rows = store.all_chunks()
    ids = [c.id for c, _ in rows]
    keys = [content_hash(c.embed_text) for c, _ in rows]
    cached = store.cached_vectors(keys, embedder.name)
    todo = sorted({k: c.embed_text for (c, _), k in zip(rows, keys, strict=True) if k not in cached}.items())
    # commit the cache batch by batch: a build killed while embedding keeps its work, the next run resumes
    bar = progress_bar(len(todo)) if progress else None
    for start in range(0, len(todo), EMBED_BATCH):
        part = todo[start : start + EMBED_BATCH]
        vecs = embedder.embed_passages([t for _, t in part])
        fresh = {k: v for (k, _), v in zip(part, vecs, strict=True)}
        with store.transaction():  # one commit per batch, not one per vector
            store.put_vectors(embedder.name, fresh)
        cached.update(fresh)
        if bar is not None:
            bar.update(len(part))
    if bar is not None:
        bar.close()
    matrix = np.stack([cached[k] for k in keys]) if keys else np.zeros((0, embedder.dim), np.float32)

    dense = FaissStore.build(matrix, ids, hnsw_threshold, embedder.dim)
    bm25 = bm25 or {}
    sparse = BM25Index.build([toks for _, toks in rows], ids, **bm25)
    name = f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = index_dir / f".{name}.tmp"
    try:
        dense.save(tmp)
        sparse.save(tmp)
        (tmp / "rows.json").write_text(json.dumps([c.doc_id for c, _ in rows]))
        manifest = {
            "format": FORMAT_VERSION,
            "embedder": embedder.name,
            "dim": embedder.dim,
            "chunks": len(ids),
            "documents": len(letters),
            "letters": letters,  # doc id → sha256 prefix of each letter it answers from (rag/index/live.py)
            "dense": dense.kind,
            "bm25": bm25,  # k1/b change every score: an index built with others is not current
            "store": fingerprint,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "files": {rel: _file_info(tmp / rel) for rel in _files(tmp)},
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        fsync_tree(tmp)
        os.replace(tmp, index_dir / name)
        fsync(index_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)  # a failed build leaves nothing behind; CURRENT is untouched
        raise
    previous = current_name(index_dir)
    write_atomic(index_dir / "CURRENT", name)
    # keep the previous generation one more round: a reader may have just read CURRENT and be loading it
    _drop_old(index_dir, keep={name} | ({previous} if previous else set()))
    store.prune_vectors(embedder.name, set(keys))
    return BuildStats(len(ids), len(todo), dense.kind, time.perf_counter() - t0, name)


def is_current(store: Store, index_dir: Path, embedder_name: str | None = None,
               bm25: dict[str, float] | None = None) -> bool:
    """Whether the live generation is intact, built by this embedder, from what the store holds now. False
    after a build that failed once its documents were stored (the files are then "unchanged", yet not
    searchable), after a kill mid-build, and for a damaged or old-format index: `rag index` then rebuilds."""
    try:
        gen = load(index_dir, embedder_name)  # a full open: a damaged index is never "current"
    except RagError:
        return False
    if bm25 is not None and gen.manifest.get("bm25") != bm25:
        return False
    return gen.manifest.get("store") == store.fingerprint()


def verify(index_dir: Path) -> tuple[str, dict[str, Any]]:
    """(name, manifest) of the live generation once every file matches the manifest's size and sha256.

    Raises NotFoundError (no index yet), IndexMismatchError (another format) or IndexDamagedError.
    """
    name = current_name(index_dir)
    if not name:
        raise NotFoundError(f"no index in {index_dir}: run `rag index` (or `make run`) to build one")
    if not _GEN_NAME.fullmatch(name):
        raise _damaged(index_dir, f"CURRENT holds {name[:60]!r}, not a generation name")
    d = index_dir / name
    try:
        manifest = json.loads((d / "manifest.json").read_text())
    except FileNotFoundError:
        raise _damaged(index_dir, f"{d / 'manifest.json'} is missing") from None
    except (ValueError, OSError) as e:
        raise _damaged(index_dir, f"{d / 'manifest.json'} is unreadable ({e})") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_VERSION:
        fmt = manifest.get("format") if isinstance(manifest, dict) else None
        raise IndexMismatchError(
            f"index {d} has format {fmt}, this version reads {FORMAT_VERSION}: {rebuild_hint(index_dir)}"
        )
    files = manifest.get("files")
    if not isinstance(files, dict) or not files or not all(k in manifest for k in ("embedder", "dim", "chunks")):
        raise _damaged(index_dir, f"{d / 'manifest.json'} lacks its file list or counts")
    problems = []
    for rel, info in sorted(files.items()):
        p = d / rel
        if not p.is_file():
            problems.append(f"{rel} is missing")
        elif p.stat().st_size != info.get("bytes"):
            problems.append(f"{rel} has {p.stat().st_size} bytes, the manifest says {info.get('bytes')}")
        elif sha256_file(p) != info.get("sha256"):
            problems.append(f"{rel} does not match its checksum")
    if problems:
        more = f" (+{len(problems) - 4} more)" if len(problems) > 4 else ""
        raise _damaged(index_dir, "; ".join(problems[:4]) + more)
    return name, manifest


def load(index_dir: Path, embedder_name: str | None) -> Generation:
    name, manifest = verify(index_dir)
    d = index_dir / name
    if embedder_name is not None and manifest["embedder"] != embedder_name:
        raise IndexMismatchError(
            f"index {d} was built with embedder {manifest['embedder']!r} but {embedder_name!r} is configured "
            f"(RAG_EMBED_MODEL): {rebuild_hint(index_dir)}, or point RAG_EMBED_MODEL back at the old model"
        )
    try:
        dense = FaissStore.load(d)
        sparse = BM25Index.load(d)
        row_docs = np.array(json.loads((d / "rows.json").read_text()), dtype=object)
    except Exception as e:  # checksums matched, so this is a file the manifest itself was built over wrongly
        raise _damaged(index_dir, f"cannot read {d} ({type(e).__name__}: {e})") from e
    n = manifest["chunks"]
    counts = {"dense.faiss rows": dense.index.ntotal, "dense.json ids": len(dense.ids),
              "bm25.json ids": len(sparse.ids), "rows.json rows": len(row_docs)}
    wrong = [f"{what} {got} (manifest: {n})" for what, got in counts.items() if got != n]
    if dense.index.d != manifest["dim"]:
        wrong.append(f"dense.faiss dim {dense.index.d} (manifest: {manifest['dim']})")
    if sparse.ids != dense.ids:
        wrong.append("the bm25 and dense rows name different chunks")
    if wrong:
        raise _damaged(index_dir, "the files disagree with the manifest: " + ", ".join(wrong))
    return Generation(name, manifest, dense, sparse, dense.ids, row_docs)


def _damaged(index_dir: Path, what: str) -> IndexDamagedError:
    return IndexDamagedError(f"the search index in {index_dir} is damaged: {what}; {rebuild_hint(index_dir)}")


def _files(d: Path) -> list[str]:
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*") if p.is_file() and p.name != "manifest.json")


def _file_info(p: Path) -> dict[str, Any]:
    return {"bytes": p.stat().st_size, "sha256": sha256_file(p)}


def _drop_temporaries(index_dir: Path) -> None:
    """Left by a writer that was killed: half-built generations and CURRENT temp files. Only the lock
    holder calls this, so none of them can still be in use."""
    if not index_dir.is_dir():
        return
    for p in index_dir.iterdir():
        if p.name.startswith(".gen-") and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(".CURRENT.") and p.is_file():
            p.unlink(missing_ok=True)


def _drop_old(index_dir: Path, keep: set[str]) -> None:
    for p in index_dir.iterdir():
        if p.is_dir() and p.name.startswith("gen-") and p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
