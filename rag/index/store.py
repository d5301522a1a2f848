"""SQLite store of documents, paragraphs, chunks (with their BM25 tokens) and cached embeddings.

The store is the source of truth; the FAISS and BM25 files are derived from it. Embeddings are cached
by a hash of the text that was embedded and the embedder's name, so unchanged text is never
re-embedded, whichever document it belongs to.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import numpy as np

from rag.core.errors import StoreDamagedError
from rag.core.records import Chunk, Document, Metadata, Paragraph, content_hash
from rag.index.connection import open_store

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  doc_id TEXT PRIMARY KEY, source TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL,
  fmt TEXT NOT NULL, encoding TEXT NOT NULL, meta TEXT NOT NULL,
  added_at TEXT NOT NULL DEFAULT (datetime('now'))
);
CREATE TABLE IF NOT EXISTS paragraphs (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL, text TEXT NOT NULL, section TEXT NOT NULL, section_title TEXT NOT NULL,
  ordinal INTEGER NOT NULL, kind TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS paragraphs_doc ON paragraphs(doc_id, idx);
CREATE TABLE IF NOT EXISTS chunks (
  id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
  idx INTEGER NOT NULL, paragraph_ids TEXT NOT NULL, section TEXT NOT NULL,
  section_title TEXT NOT NULL, header TEXT NOT NULL, text TEXT NOT NULL, tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id, idx);
CREATE TABLE IF NOT EXISTS vectors (
  key TEXT NOT NULL, model TEXT NOT NULL, vector BLOB NOT NULL, PRIMARY KEY (key, model)
);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS letters (
  doc_id TEXT PRIMARY KEY REFERENCES documents(doc_id) ON DELETE CASCADE,
  identity TEXT NOT NULL, text_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS letters_identity ON letters(identity);
CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY, doc_id TEXT NOT NULL, sha256 TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_doc ON sources(doc_id);
CREATE TABLE IF NOT EXISTS history (
  id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, identity TEXT NOT NULL, text_hash TEXT NOT NULL,
  source TEXT NOT NULL, sha256 TEXT NOT NULL, fmt TEXT NOT NULL, encoding TEXT NOT NULL, meta TEXT NOT NULL,
  paragraphs TEXT NOT NULL, added_at TEXT NOT NULL, retired_at TEXT NOT NULL DEFAULT (datetime('now')),
  reason TEXT NOT NULL, successor TEXT
);
CREATE INDEX IF NOT EXISTS history_doc ON history(doc_id);
"""
# letters: the identity of each live document (see Document.identity); sources: every file or upload a live
# letter was read from, with the sha256 of its bytes (one letter may come from a folder and an upload);
# history: versions that are no longer live (replaced by a new version, deleted, or their file removed),
# kept to be looked at, never searched, never brought back by themselves.


def _meta_from_json(s: str) -> Metadata:
    d = json.loads(s)
    d["copy_to"] = tuple(d.get("copy_to") or ())
    return Metadata(**d)


@contextmanager
def damage_reported(path: Path) -> Iterator[None]:
    """SQLite's "database disk image is malformed" / "file is not a database" become a StoreDamagedError
    that names the file and what to do; any other database error passes through unchanged."""
    try:
        yield
    except sqlite3.DatabaseError as e:
        if getattr(e, "sqlite_errorname", "") not in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            raise
        raise StoreDamagedError(
            f"the letter store {path} is damaged ({e}); the search index cannot be rebuilt without it. "
            "Restore it from a backup, or move it aside and run `rag index` on the folders of letters to "
            "read them again from their files"
        ) from e


class Store:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._open()

    def _open(self) -> None:
        # one connection shared by threads, serialised by a lock; WAL lets another process read
        # (a running server) while `rag index` writes. A folder that cannot be written is opened
        # read-only, creating nothing in it (rag/index/connection.py)
        with damage_reported(self.path):
            self._opened = open_store(self.path)
            self._conn = self._opened.conn
            self._conn.execute("PRAGMA foreign_keys=ON")
            if not self.read_only or self._opened.in_memory:
                self._conn.executescript(SCHEMA)

    @property
    def read_only(self) -> bool:
        """True when the index folder (or the store file) cannot be written: reads work, writes are refused."""
        return self._opened.read_only

    def close(self) -> None:
        self._conn.close()

    def reopen(self) -> None:
        """Open the file again (a store opened read-only while its disk was full, once there is room)."""
        with self._lock:
            self._conn.close()
            self._open()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Every use of the connection: one thread at a time, and a damaged file reported as such."""
        with self._lock, damage_reported(self.path):
            if self._opened.changed(self.path):  # read-only, and another process wrote the files
                self._conn.close()
                self._open()
            yield

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all."""
        with self._locked():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._conn.in_transaction:  # SQLite may have rolled back already (a full disk does)
                    self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def _q(self, sql: str, args: Sequence[object] = ()) -> list[tuple]:
        with self._locked():
            return self._conn.execute(sql, args).fetchall()

    def _q_in(self, sql: str, ids: Iterable[str], before: Sequence[object] = ()) -> list[tuple]:
        """Run `sql` (with one `{marks}` placeholder for an IN list) over ids in batches of 500,
        under SQLite's bound-parameter limit."""
        ids = list(dict.fromkeys(ids))
        rows: list[tuple] = []
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            rows += self._q(sql.format(marks=",".join("?" * len(part))), [*before, *part])
        return rows

    # documents ------------------------------------------------------------------------------
    def find_source(self, source: str) -> tuple[str, str] | None:
        """(doc id, sha256 of the bytes last read) of the live letter this file or upload holds."""
        rows = self._q("SELECT doc_id, sha256 FROM sources WHERE source = ?", (source,)) or self._q(
            "SELECT doc_id, sha256 FROM documents WHERE source = ?", (source,))  # a store from before `sources`
        return (rows[0][0], rows[0][1]) if rows else None

    def put_document(self, doc: Document, chunks: Sequence[Chunk], tokens: Sequence[list[str]]) -> None:
        """Insert or replace one document with its paragraphs and chunks (call inside transaction). A
        replaced version is dropped, not kept: `retire_document` first to keep it as history."""
        c = self._conn
        dropped = [d for (d,) in c.execute("SELECT doc_id FROM documents WHERE source = ? AND doc_id != ?",
                                           (doc.source, doc.doc_id))]
        c.executemany("DELETE FROM sources WHERE doc_id = ?", [(d,) for d in dropped])
        c.execute("DELETE FROM documents WHERE doc_id = ? OR source = ?", (doc.doc_id, doc.source))
        meta = asdict(doc.meta)
        c.execute(
            "INSERT INTO documents (doc_id, source, sha256, fmt, encoding, meta) VALUES (?,?,?,?,?,?)",
            (doc.doc_id, doc.source, doc.sha256, doc.fmt, doc.encoding, json.dumps(meta, ensure_ascii=False)),
        )
        c.execute("INSERT INTO letters VALUES (?,?,?)", (doc.doc_id, doc.identity, doc.text_hash))
        c.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?)", (doc.source, doc.doc_id, doc.sha256))
        c.executemany(
            "INSERT INTO paragraphs VALUES (?,?,?,?,?,?,?,?)",
            [
                (p.id, p.doc_id, p.index, p.text, json.dumps(p.section, ensure_ascii=False),
                 p.section_title, p.ordinal, p.kind)
                for p in doc.paragraphs
            ],
        )
        c.executemany(
            "INSERT OR REPLACE INTO chunks VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (ch.id, ch.doc_id, ch.index, json.dumps(ch.paragraph_ids), json.dumps(ch.section, ensure_ascii=False),
                 ch.section_title, ch.header, ch.text, " ".join(toks))
                for ch, toks in zip(chunks, tokens, strict=True)
            ],
        )

    def remove_document(self, doc_id: str, reason: str = "deleted") -> bool:
        """Take a letter out of search with every source it was read from; its version is kept as history."""
        with self.transaction():
            return self.retire_document(doc_id, reason)

    def retire_document(self, doc_id: str, reason: str, successor: str | None = None) -> bool:
        """Move the live version of a letter to history (call inside transaction). `successor` names the
        source of the version that replaced it; without one the letter's sources go too."""
        c = self._conn
        rows = c.execute("SELECT d.source, d.sha256, d.fmt, d.encoding, d.meta, d.added_at, l.identity,"
                         " l.text_hash FROM documents d LEFT JOIN letters l ON l.doc_id = d.doc_id"
                         " WHERE d.doc_id = ?", (doc_id,)).fetchall()
        if not rows:
            return False
        source, sha, fmt, enc, meta, added, identity, text_hash = rows[0]
        if identity is None:  # stored before identities were kept
            doc = self.document(doc_id)
            assert doc is not None
            identity, text_hash = doc.identity, doc.text_hash
        paras = c.execute("SELECT idx, text, section, section_title, ordinal, kind FROM paragraphs"
                          " WHERE doc_id = ? ORDER BY idx", (doc_id,)).fetchall()
        c.execute("INSERT INTO history (doc_id, identity, text_hash, source, sha256, fmt, encoding, meta,"
                  " paragraphs, added_at, reason, successor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                  (doc_id, identity, text_hash, source, sha, fmt, enc, meta,
                   json.dumps([list(p) for p in paras], ensure_ascii=False), added, reason, successor))
        c.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        if successor is None:
            c.execute("DELETE FROM sources WHERE doc_id = ?", (doc_id,))
        return True

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self._q("SELECT doc_id FROM documents ORDER BY source")]

    def sources(self) -> dict[str, str]:
        """source → doc_id, for every file or upload a live letter was read from."""
        old = dict(self._q("SELECT source, doc_id FROM documents"))  # a store from before `sources`
        return {**old, **dict(self._q("SELECT s.source, s.doc_id FROM sources s JOIN documents d USING (doc_id)"))}

    # identity and history (see Document.identity) ----------------------------------------------
    def find_letter(self, identity: str) -> tuple[str, str, str] | None:
        """(doc id, text hash, source) of the live version of a letter."""
        rows = self._q("SELECT l.doc_id, l.text_hash, d.source FROM letters l JOIN documents d USING (doc_id)"
                       " WHERE l.identity = ?", (identity,))
        return rows[0] if rows else None

    def sources_of(self, doc_id: str) -> list[str]:
        return [r[0] for r in self._q("SELECT source FROM sources WHERE doc_id = ? ORDER BY source", (doc_id,))]

    def source_of(self, doc_id: str) -> str | None:
        """The source a live letter is shown under (the one its live version was read from)."""
        rows = self._q("SELECT source FROM documents WHERE doc_id = ?", (doc_id,))
        return rows[0][0] if rows else None

    def add_source(self, source: str, doc_id: str, sha256: str) -> None:
        """Record that `source` (call inside transaction) holds the live letter `doc_id`."""
        self._conn.execute("INSERT OR REPLACE INTO sources VALUES (?,?,?)", (source, doc_id, sha256))

    def drop_source(self, source: str) -> str | None:
        """Forget one source (call inside transaction); the doc id of a letter left with none, else None."""
        c = self._conn
        found = self.find_source(source)
        c.execute("DELETE FROM sources WHERE source = ?", (source,))
        if found is None:
            return None
        (left,), = c.execute("SELECT COUNT(*) FROM sources WHERE doc_id = ?", (found[0],)).fetchall()
        (is_main,), = c.execute("SELECT COUNT(*) FROM documents WHERE doc_id = ? AND source = ?",
                                (found[0], source)).fetchall()
        if left and is_main:  # the letter lives on: shown under a source it still has
            (other,), = c.execute("SELECT source FROM sources WHERE doc_id = ? ORDER BY source LIMIT 1",
                                  (found[0],)).fetchall()
            c.execute("UPDATE documents SET source = ? WHERE doc_id = ?", (other, found[0]))
        return None if left else found[0]

    def backfill_identities(self) -> int:
        """Identities of letters stored before they were kept (call inside transaction, on writing)."""
        todo = [d for (d,) in self._conn.execute(
            "SELECT doc_id FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM letters)").fetchall()]
        for doc_id in todo:
            doc = self.document(doc_id)
            assert doc is not None
            self._conn.execute("INSERT INTO letters VALUES (?,?,?)", (doc_id, doc.identity, doc.text_hash))
            self._conn.execute("INSERT OR IGNORE INTO sources VALUES (?,?,?)", (doc.source, doc_id, doc.sha256))
        return len(todo)

    def history(self, doc_id: str) -> list[dict[str, object]]:
        """The versions of a letter that are no longer live, newest first, each with its paragraphs."""
        rows = self._q("SELECT id, source, sha256, meta, paragraphs, added_at, retired_at, reason, successor"
                       " FROM history WHERE doc_id = ? ORDER BY id DESC", (doc_id,))
        return [{"version": vid, "source": source, "sha256": sha, "meta": json.loads(meta),
                 "paragraphs": [p[1] for p in json.loads(paras)], "added_at": added, "retired_at": retired,
                 "reason": reason, "replaced_by": successor}
                for vid, source, sha, meta, paras, added, retired, reason, successor in rows]

    def versions(self) -> dict[str, str]:
        """doc_id → sha256 of the file each stored letter was read from."""
        return dict(self._q("SELECT doc_id, sha256 FROM documents"))

    def list_documents(self) -> list[dict[str, object]]:
        rows = self._q(
            "SELECT d.doc_id, d.source, d.fmt, d.encoding, d.meta, d.added_at,"
            " (SELECT COUNT(*) FROM paragraphs p WHERE p.doc_id = d.doc_id) FROM documents d ORDER BY d.source"
        )
        out = []
        for doc_id, source, fmt, enc, meta, added, n in rows:
            m = _meta_from_json(meta)
            out.append({
                "doc_id": doc_id, "source": source, "fmt": fmt, "encoding": enc, "added_at": added,
                "bureau": m.bureau, "doc_number": m.doc_number, "date": m.date, "addressee": m.addressee,
                "proposal": m.proposal, "proposal_title": m.proposal_title, "title": m.title,
                "contact": m.contact, "copy_to": list(m.copy_to), "paragraphs": n,
            })
        return out

    def metadata(self, doc_ids: Iterable[str]) -> dict[str, Metadata]:
        rows = self._q_in("SELECT doc_id, meta FROM documents WHERE doc_id IN ({marks})", doc_ids)
        return {doc_id: _meta_from_json(meta) for doc_id, meta in rows}

    def all_metadata(self) -> dict[str, Metadata]:
        return {d: _meta_from_json(m) for d, m in self._q("SELECT doc_id, meta FROM documents")}

    def document(self, doc_id: str) -> Document | None:
        rows = self._q("SELECT doc_id, source, sha256, fmt, encoding, meta FROM documents WHERE doc_id = ?", (doc_id,))
        if not rows:
            return None
        d, source, sha, fmt, enc, meta = rows[0]
        paras = self._q("SELECT * FROM paragraphs WHERE doc_id = ? ORDER BY idx", (doc_id,))
        return Document(d, source, sha, fmt, enc, _meta_from_json(meta), tuple(_para(r) for r in paras))

    def paragraphs(self, ids: Iterable[str]) -> dict[str, Paragraph]:
        return {r[0]: _para(r) for r in self._q_in("SELECT * FROM paragraphs WHERE id IN ({marks})", ids)}

    # chunks ---------------------------------------------------------------------------------
    def all_chunks(self) -> list[tuple[Chunk, list[str]]]:
        """Every chunk with its tokens, in a stable order (document source, then position)."""
        rows = self._q(
            "SELECT c.* FROM chunks c JOIN documents d ON d.doc_id = c.doc_id ORDER BY d.source, c.idx"
        )
        return [(_chunk(r), r[8].split()) for r in rows]

    def chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        return {r[0]: _chunk(r) for r in self._q_in("SELECT * FROM chunks WHERE id IN ({marks})", ids)}

    def chunk_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """id → text, without the rest of the row (a result list compares its candidates' texts)."""
        return dict(self._q_in("SELECT id, text FROM chunks WHERE id IN ({marks})", ids))

    def fingerprint(self) -> str:
        """Hash of every document version and chunk id: changes whenever the indexable content does."""
        with self._locked():
            docs = self._conn.execute("SELECT doc_id, sha256 FROM documents ORDER BY doc_id").fetchall()
            chunks = self._conn.execute("SELECT id FROM chunks ORDER BY id").fetchall()
        return content_hash(json.dumps(docs), json.dumps(chunks), length=32)

    def count(self) -> tuple[int, int]:
        (n_docs,), = self._q("SELECT COUNT(*) FROM documents")
        (n_chunks,), = self._q("SELECT COUNT(*) FROM chunks")
        return n_docs, n_chunks

    # embedding cache ------------------------------------------------------------------------
    def cached_vectors(self, keys: Sequence[str], model: str) -> dict[str, np.ndarray]:
        rows = self._q_in("SELECT key, vector FROM vectors WHERE model = ? AND key IN ({marks})", keys, [model])
        return {key: np.frombuffer(blob, dtype=np.float32) for key, blob in rows}

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        with self._locked():
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?,?,?)",
                [(k, model, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()],
            )

    def prune_vectors(self, model: str, keep: set[str]) -> int:
        """Drop cached vectors no chunk uses any more (called after removals)."""
        stale = [k for (k,) in self._q("SELECT key FROM vectors WHERE model = ?", (model,)) if k not in keep]
        with self._locked():
            self._conn.executemany("DELETE FROM vectors WHERE model = ? AND key = ?", [(model, k) for k in stale])
        return len(stale)


def _para(r: tuple) -> Paragraph:
    return Paragraph(id=r[0], doc_id=r[1], index=r[2], text=r[3], section=tuple(json.loads(r[4])),
                     section_title=r[5], ordinal=r[6], kind=r[7])


def _chunk(r: tuple) -> Chunk:
    return Chunk(id=r[0], doc_id=r[1], index=r[2], paragraph_ids=tuple(json.loads(r[3])),
                 section=tuple(json.loads(r[4])), section_title=r[5], header=r[6], text=r[7])
