"""A full disk during a write, said once: the folder, the space the write needs, the space left, the fix.

Writes fail on a full disk in several places, each with its own words: Python's file writes (OSError
ENOSPC), SQLite ("database or disk is full", SQLITE_FULL; the transaction is rolled back) and FAISS's
writer (a RuntimeError quoting strerror). Nothing is damaged by any of them: letters are stored one
transaction each, and a generation becomes live only once complete (rag/index/generation.py), so the
previous one keeps answering. What is left is telling the operator, at the boundary (Pipeline), without a
traceback.
"""

from __future__ import annotations

import errno
import json
import math
import sqlite3
from pathlib import Path

from rag.core.errors import DiskFullError
from rag.core.files import free_bytes
from rag.index.connection import disk_nearly_full
from rag.index.live import current_name

# measured on corpus/ (55 KB of letters → 101 chunks): a 565 KB store (text, paragraphs, chunks, tokens,
# 384-dim cached vectors) and a 282 KB generation (FAISS + BM25 + row lists)
STORE_BYTES_PER_INPUT_BYTE = 12
GENERATION_BYTES_PER_CHUNK = 3_000
INPUT_BYTES_PER_CHUNK = 500
# the store's -wal file grows to SQLite's autocheckpoint size (1000 pages of 4 KB) before it is merged, and
# keeps that size: on a small disk it is most of what a first big `rag index` needs
JOURNAL_BYTES = 1000 * 4096
_FULL = (errno.ENOSPC, errno.EDQUOT)


def is_disk_full(e: BaseException | None, folder: Path | None = None) -> bool:
    """Whether `e`, or an error it was raised from or while handling, is a full disk (or quota). SQLite
    says "disk I/O error" when it cannot grow its -shm file: that counts when `folder`'s disk is nearly full."""
    seen: set[int] = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError) and e.errno in _FULL:
            return True
        code = getattr(e, "sqlite_errorcode", None) if isinstance(e, sqlite3.Error) else None
        if code == sqlite3.SQLITE_FULL:
            return True
        if code is not None and code & 0xFF == sqlite3.SQLITE_IOERR and folder is not None \
                and disk_nearly_full(folder):
            return True
        if isinstance(e, RuntimeError) and "No space left on device" in str(e):  # FAISS's file writer
            return True
        e = e.__cause__ or e.__context__
    return False


VECTOR_CACHE_BYTES_PER_CHUNK = 2 * 384 * 4  # an e5-small vector (float32) and its row, twice over for the journal


def space_needed(index_dir: Path, chunks: int, incoming_bytes: int) -> tuple[int, int]:
    """(bytes of the new generation, bytes the store and its journal grow by) for a store of `chunks` chunks
    taking in `incoming_bytes` of letter files not stored yet: the live generation's bytes per chunk (or the
    measured default) times the chunks; the measured store growth per byte of letters, plus what the -wal
    file may still grow by. Generous, not exact."""
    per_chunk = GENERATION_BYTES_PER_CHUNK
    live_chunks = 0
    try:
        manifest = json.loads((index_dir / str(current_name(index_dir)) / "manifest.json").read_text())
        size = sum(int(f["bytes"]) for f in manifest["files"].values())
        if manifest["chunks"]:
            per_chunk = max(per_chunk, size // int(manifest["chunks"]))
        live_chunks = int(manifest["chunks"])
        chunks = max(chunks, live_chunks)
    except (OSError, ValueError, KeyError, TypeError):  # no generation yet, or an unreadable one
        pass
    chunks += incoming_bytes // INPUT_BYTES_PER_CHUNK
    # chunks the live generation lacks are embedded, and their vectors cached in the store, before it is built
    vectors = VECTOR_CACHE_BYTES_PER_CHUNK * max(0, chunks - live_chunks)
    try:
        journal = (index_dir / "store.sqlite-wal").stat().st_size
    except OSError:
        journal = 0
    return per_chunk * chunks, STORE_BYTES_PER_INPUT_BYTE * incoming_bytes + vectors + max(0, JOURNAL_BYTES - journal)


def disk_full_error(index_dir: Path, chunks: int, incoming_bytes: int) -> DiskFullError:
    generation, store = space_needed(index_dir, chunks, incoming_bytes)
    need, free = generation + store, free_bytes(index_dir)
    kept = "原有索引没有损坏，仍按原样回答" if current_name(index_dir) else "没有留下写了一半的索引"
    return DiskFullError(
        f"磁盘空间不足：索引目录 {index_dir} 所在的磁盘只剩 {_mb(free)} 可用，这次写入约需 {_mb(need)}"
        f"（新一代索引约 {_mb(generation)}，资料库及其日志增长约 {_mb(store)}）。{kept}；"
        f"已读入但未建索引的答复函在列表中标为“待索引”。"
        f"请在该磁盘上腾出至少 {_mb(max(need - free, 1), up=True)} 后重新运行 rag index，"
        "或用 --index-dir 把索引放到空间更大的磁盘上。"
    )


def _mb(n: int, up: bool = False) -> str:
    """Megabytes with one decimal; rounded up where the figure is an "at least"."""
    tenths = math.ceil(n / 2**20 * 10) if up else round(n / 2**20 * 10)
    return f"{tenths / 10:.1f} MB"
