"""The store and both indexes on a shared Milvus server (RAG_MILVUS_URI): the scale-out backend.

Four collections, named from RAG_MILVUS_COLLECTION (`c`):
    c             one row per chunk: text, header, paragraph ids, the filter fields (doc id, bureau, year, 文号),
                  the dense vector (keyed for reuse by the embedded text's hash and the embedder's name) and two
                  BM25 sparse fields Milvus computes itself: `sparse_tokens` over our own jieba tokens (the
                  embedded backend's tokens, whitespace-joined) and `sparse_jieba` over the raw text with
                  Milvus's jieba analyzer (RAG_MILVUS_BM25 picks which one searches: eval/README.md)
    c_letters     one row per letter: source, sha256, metadata (the catalog filters and place names read)
    c_paragraphs  one row per paragraph, verbatim, for citations and the letter view
    c_state       the version (a new value after every write: replicas reload their catalog when it changes)
                  and the embedder the vectors came from

Milvus has no transaction across collections, so a write is ordered to be safe to repeat: the letter row first
with a pending checksum, then chunks and paragraphs (upserts by content-hash id, then deletes of what the new
version no longer has), then the letter row with its real checksum. A writer killed midway leaves a letter whose
checksum matches no file, so the next `rag index` or upload writes it again; the same write twice is a no-op.
Every read and write asks for Strong consistency: an upload through one replica is searchable from every other
at once, and a deleted letter never comes back.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.core.errors import BackendError, IndexMismatchError
from rag.core.records import Chunk, Document, Metadata, Paragraph, content_hash, letter_identity
from rag.index.milvus_schema import (
    CHUNK_FIELDS,
    PARA_FIELDS,
    DUMMY,
    STRONG,
    chunk_of,
    check_fits,
    meta_of,
    paragraph_of,
    create_collections,
    jieba_analyzer,
    literal,
)

if TYPE_CHECKING:
    from pymilvus import MilvusClient

    from rag.embed.base import Embedder

# pymilvus pings an idle channel every 10 s; a gRPC server with default settings (milvus-lite's) answers the third
# such ping with GOAWAY "too_many_pings" and the channel is lost while a replica sits idle or a batch embeds for a
# minute. Ping only during calls, and no more often than such a server allows (a cluster allows either).
GRPC_OPTIONS = {"grpc.keepalive_permit_without_calls": False, "grpc.keepalive_time_ms": 300_000}
EMBED_BATCH = 128  # passages per embedder call, as in the embedded build
WRITE_BATCH = 256  # rows per upsert request
IN_BATCH = 500  # ids per `in [...]` expression
PENDING = "pending:"


def _client(uri: str, token: str) -> MilvusClient:
    try:
        from pymilvus import MilvusClient
    except ImportError:  # an optional backend: say how to get it
        raise BackendError("RAG_MILVUS_URI is set but pymilvus is not installed: pip install -e '.[milvus]'") from None
    # milvus-lite answers a query iterator without the server timestamp and pymilvus warns on every call; the
    # iterator then reads as of the client's clock, which with Strong consistency sees every finished write. Set
    # after the import: importing pymilvus configures its loggers and resets the levels of their children.
    logging.getLogger("pymilvus.client.iterator.query_iterator").setLevel(logging.ERROR)
    try:
        return MilvusClient(uri=uri, token=token, timeout=30, grpc_options=GRPC_OPTIONS)
    except Exception as e:
        raise BackendError(f"cannot reach Milvus at {uri} ({type(e).__name__}: {e}); check RAG_MILVUS_URI and "
                           "that the server is running") from e


class MilvusStore:
    """The SQLite Store's role (documents, paragraphs, chunks) plus the dense and BM25 indexes, on Milvus.

    Writes embed as they go (`embedder` is called lazily, on the first write that needs a vector), so an
    ingested letter is searchable as soon as `put_document` returns; there is no separate build step."""

    def __init__(self, uri: str, token: str, collection: str, embedder: Callable[[], Embedder],
                 bm25_field: str = "sparse_tokens", user_words: Sequence[str] = (),
                 stop_words: Sequence[str] = (), bm25: dict[str, float] | None = None) -> None:
        self.uri = uri
        self.collection = collection
        self.bm25_field = bm25_field
        self._embedder = embedder
        self._analyzer = jieba_analyzer(user_words, stop_words)
        self._bm25 = bm25 or {"k1": 1.2, "b": 0.75}  # fixed when the collection is created, as a cluster does
        self._client = _client(uri, token)
        self._lock = threading.RLock()
        self._ready: int | None = None  # dim the collections were checked for
        self.embedded = 0  # passages embedded by this process (the rest reused stored vectors)
        self.names = {"chunks": collection, "letters": f"{collection}_letters",
                      "paragraphs": f"{collection}_paragraphs", "state": f"{collection}_state"}

    def close(self) -> None:
        self._client.close()

    # schema -------------------------------------------------------------------------------------
    def exists(self) -> bool:
        return all(self._client.has_collection(n) for n in self.names.values())

    def ensure(self, embedder_name: str, dim: int) -> None:
        """Create the collections on first write; refuse vectors of another embedder than the stored ones."""
        if self._ready == dim:
            return
        with self._lock:
            if not self.exists():
                create_collections(self._client, self.names, dim, self._analyzer, self._bm25)
                self._set_state({"embedder": embedder_name, "dim": str(dim)})
            state = self.state()
            if state.get("embedder") not in (None, embedder_name) or state.get("dim") not in (None, str(dim)):
                raise IndexMismatchError(
                    f"Milvus collection {self.collection!r} at {self.uri} holds vectors of embedder "
                    f"{state.get('embedder')!r} (dim {state.get('dim')}), but {embedder_name!r} (dim {dim}) is "
                    "configured: point RAG_MILVUS_COLLECTION at a new collection and run `rag migrate`, or "
                    "configure the old embedder again")
            self._ready = dim

    # state ----------------------------------------------------------------------------------------
    def state(self) -> dict[str, str]:
        if not self._client.has_collection(self.names["state"]):
            return {}
        rows = self._query("state", 'name != ""', ["name", "value"])
        return {r["name"]: r["value"] for r in rows}

    def _set_state(self, values: dict[str, str]) -> None:
        self._upsert("state", [{"name": k, "value": v, "v": DUMMY} for k, v in values.items()])

    def version(self) -> str:
        """Changes after every write, from any process: readers reload their catalog when it does."""
        if not self._client.has_collection(self.names["state"]):
            return ""
        rows = self._client.get(self.names["state"], ids=["version"], output_fields=["value"])
        return rows[0]["value"] if rows else "0"

    def _bump(self) -> None:
        self._set_state({"version": f"{time.time():.6f}-{uuid.uuid4().hex[:8]}"})

    # low level ------------------------------------------------------------------------------------
    def _query(self, coll: str, expr: str, fields: list[str]) -> list[dict[str, Any]]:
        """Every row matching `expr` (paged by an iterator: a query alone stops at 16,384 rows)."""
        it = self._client.query_iterator(self.names[coll], batch_size=1000, filter=expr, output_fields=fields,
                                         consistency_level=STRONG)
        rows: list[dict[str, Any]] = []
        try:
            while batch := it.next():
                rows += batch
        finally:
            it.close()
        return rows

    def _query_in(self, coll: str, field: str, values: Sequence[str], fields: list[str],
                  extra: str = "") -> list[dict[str, Any]]:
        values = list(dict.fromkeys(values))
        if not values or not self._client.has_collection(self.names[coll]):
            return []
        rows: list[dict[str, Any]] = []
        for i in range(0, len(values), IN_BATCH):
            expr = f"{field} in {literal(values[i : i + IN_BATCH])}" + (f" and {extra}" if extra else "")
            rows += self._client.query(self.names[coll], filter=expr, output_fields=fields,
                                       consistency_level=STRONG, limit=16_384)
        return rows

    def _upsert(self, coll: str, rows: list[dict[str, Any]]) -> None:
        for i in range(0, len(rows), WRITE_BATCH):
            self._client.upsert(self.names[coll], rows[i : i + WRITE_BATCH])

    def _delete(self, coll: str, expr: str) -> None:
        self._client.delete(self.names[coll], filter=expr)

    def flush(self) -> None:
        """Seal the rows written so far into segments, after a bulk load (`rag migrate`): searches then use each
        segment's prebuilt index, where milvus-lite rebuilds the BM25 index of unsealed rows on every search (4 s
        a question at 20k chunks). Not after each `rag index` or upload: milvus-lite scores BM25 with each
        segment's own IDF, so a few rows sealed apart from the rest would rank by other statistics."""
        for name in self.names.values():
            if self._client.has_collection(name):
                self._client.flush(name)

    # writes ---------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One writer thread at a time in this process. Milvus has no transaction over collections: the
        order of the writes in put_document / remove_document makes a killed write safe to repeat."""
        with self._lock:
            self._retiring: set[str] = set()
            yield
            for doc_id in sorted(self._retiring):  # replaced by a letter of another id: gone now
                self.remove_document(doc_id)
            self._retiring = set()

    def put_document(self, doc: Document, chunks: Sequence[Chunk], tokens: Sequence[list[str]],
                     vectors: dict[str, np.ndarray] | None = None) -> int:
        """Insert or replace one letter, embedding the chunks whose vectors Milvus does not hold yet
        (`vectors`: more of them, by embedded-text hash, e.g. from an embedded store). Returns how many
        passages were embedded."""
        emb = self._embedder()
        self.ensure(emb.name, emb.dim)
        getattr(self, "_retiring", set()).discard(doc.doc_id)  # a new version in place: its unchanged vectors stay
        keys = [content_hash(c.embed_text) for c in chunks]
        have = dict(vectors or {})
        for r in self._query_in("chunks", "embed_key", [k for k in keys if k not in have], ["embed_key", "vector"],
                                extra=f"model == {literal(emb.name)}"):
            have[r["embed_key"]] = np.asarray(r["vector"], dtype=np.float32)
        todo = sorted({k: c.embed_text for c, k in zip(chunks, keys, strict=True) if k not in have}.items())
        for i in range(0, len(todo), EMBED_BATCH):
            part = todo[i : i + EMBED_BATCH]
            have.update(zip([k for k, _ in part], emb.embed_passages([t for _, t in part]), strict=True))
        self.embedded += len(todo)
        m = doc.meta
        where = {"bureau": m.bureau or "", "doc_number": m.doc_number or "", "year": m.year}
        letter = {"doc_id": doc.doc_id, "source": doc.source, "fmt": doc.fmt, "encoding": doc.encoding,
                  "meta": json.dumps(asdict(m), ensure_ascii=False), "paragraphs": len(doc.paragraphs),
                  "added_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()), **where, "v": DUMMY}
        check_fits(doc, [letter["meta"], doc.source, *(p.text for p in doc.paragraphs)])
        did = literal(doc.doc_id)
        with self._lock:
            for old in self._query("letters", f"source == {literal(doc.source)} and doc_id != {did}", ["doc_id"]):
                self.remove_document(old["doc_id"])
            # a letter's chunks and paragraphs exist only while its letter row does (written first, removed last):
            # a new letter has no stale rows to delete, and a delete by expression scans the whole collection
            # (milvus-lite evaluates it row by row in Python: a migration slowed from 0.5 to 2 s a letter)
            known = bool(self._client.get(self.names["letters"], ids=[doc.doc_id], output_fields=["doc_id"]))
            self._upsert("letters", [{**letter, "sha256": PENDING + doc.sha256}])
            self._upsert("chunks", [
                {"id": c.id, "doc_id": c.doc_id, "idx": c.index, "paragraph_ids": json.dumps(c.paragraph_ids),
                 "section": json.dumps(c.section, ensure_ascii=False), "section_title": c.section_title,
                 "header": c.header, "text": c.text, "search_text": f"{c.header}\n{c.text}",
                 "tokens": " ".join(t), "embed_key": k, "model": emb.name,
                 "vector": np.asarray(have[k], dtype=np.float32).tolist(), **where}
                for c, t, k in zip(chunks, tokens, keys, strict=True)])
            if known:
                self._delete("chunks", f"doc_id == {did} and not (id in {literal([c.id for c in chunks])})")
            self._upsert("paragraphs", [
                {"id": p.id, "doc_id": p.doc_id, "idx": p.index, "text": p.text, "ordinal": p.ordinal,
                 "section": json.dumps(p.section, ensure_ascii=False), "section_title": p.section_title,
                 "kind": p.kind, "v": DUMMY} for p in doc.paragraphs])
            if known:
                self._delete("paragraphs",
                             f"doc_id == {did} and not (id in {literal([p.id for p in doc.paragraphs])})")
            self._upsert("letters", [{**letter, "sha256": doc.sha256}])
            self._bump()
        return len(todo)

    def remove_document(self, doc_id: str) -> bool:
        if not self.exists():
            return False
        with self._lock:
            found = bool(self._query_in("letters", "doc_id", [doc_id], ["doc_id"]))
            did = literal(doc_id)
            for coll in ("chunks", "paragraphs", "letters"):  # the letter row last: a killed delete can be redone
                self._delete(coll, f"doc_id == {did}")
            self._bump()
        return found

    # letter identity (rag.ingest.ingestor) ------------------------------------------------------------
    # On Milvus a letter has one source (its row's) and no history: a version that is replaced or removed is
    # deleted, not kept (the embedded store keeps it: GET /api/documents/{id}/history).
    read_only = False

    def reopen(self) -> None:
        return None

    def backfill_identities(self) -> int:
        return 0  # identities are computed from the letters' rows when asked (find_letter)

    def find_letter(self, identity: str) -> tuple[str, str, str] | None:
        """(doc id, text hash, source) of the live letter with this identity: bureau + 文号 from the letters'
        rows; a letter without both is compared by its text, read for that."""
        for r in self._letters():
            m = meta_of(r["meta"])
            if m.bureau and m.doc_number:
                if letter_identity(m, "") != identity:
                    continue
            elif not identity.startswith("text:"):
                continue
            doc = self.document(r["doc_id"])
            if doc is not None and doc.identity == identity:
                return doc.doc_id, doc.text_hash, doc.source
        return None

    def sources_of(self, doc_id: str) -> list[str]:
        return [r["source"] for r in self._query_in("letters", "doc_id", [doc_id], ["source"])]

    def source_of(self, doc_id: str) -> str | None:
        return next(iter(self.sources_of(doc_id)), None)

    def add_source(self, source: str, doc_id: str, sha256: str) -> None:
        return None  # one source per letter here: the same text under another name stays "unchanged"

    def drop_source(self, source: str) -> str | None:
        found = self.find_source(source)
        return found[0] if found else None

    def retire_document(self, doc_id: str, reason: str, successor: str | None = None) -> bool:
        """Removed at the end of the transaction unless a new version is written under the same id (which
        replaces it in place, keeping the vectors of its unchanged passages)."""
        if successor is None or not hasattr(self, "_retiring"):
            return self.remove_document(doc_id)
        self._retiring.add(doc_id)
        return doc_id in self.versions()

    def versions(self) -> dict[str, str]:
        """doc_id → sha256 of the file each letter was read from (every letter here is live)."""
        return {r["doc_id"]: r["sha256"] for r in self._letters()}

    def chunk_texts(self, ids: Iterable[str]) -> dict[str, str]:
        return {r["id"]: r["text"] for r in self._query_in("chunks", "id", list(ids), ["id", "text"])}

    # reads ----------------------------------------------------------------------------------------
    def _letters(self, expr: str = 'doc_id != ""') -> list[dict[str, Any]]:
        if not self._client.has_collection(self.names["letters"]):
            return []
        rows = self._query("letters", expr, ["doc_id", "source", "sha256", "fmt", "encoding", "meta", "added_at",
                                             "paragraphs"])
        return sorted(rows, key=lambda r: r["source"])

    def find_source(self, source: str) -> tuple[str, str] | None:
        rows = self._letters(f"source == {literal(source)}")
        return (rows[0]["doc_id"], rows[0]["sha256"]) if rows else None

    def doc_ids(self) -> list[str]:
        return [r["doc_id"] for r in self._letters()]

    def sources(self) -> dict[str, str]:
        return {r["source"]: r["doc_id"] for r in self._letters()}

    def list_documents(self) -> list[dict[str, object]]:
        out = []
        for r in self._letters():
            m = meta_of(r["meta"])
            out.append({
                "doc_id": r["doc_id"], "source": r["source"], "fmt": r["fmt"], "encoding": r["encoding"],
                "added_at": r["added_at"], "bureau": m.bureau, "doc_number": m.doc_number, "date": m.date,
                "addressee": m.addressee, "proposal": m.proposal, "proposal_title": m.proposal_title,
                "title": m.title, "contact": m.contact, "copy_to": list(m.copy_to), "paragraphs": r["paragraphs"],
            })
        return out

    def metadata(self, doc_ids: Sequence[str]) -> dict[str, Metadata]:
        return {r["doc_id"]: meta_of(r["meta"]) for r in self._query_in("letters", "doc_id", list(doc_ids),
                                                                         ["doc_id", "meta"])}

    def all_metadata(self) -> dict[str, Metadata]:
        return {r["doc_id"]: meta_of(r["meta"]) for r in self._letters()}

    def document(self, doc_id: str) -> Document | None:
        rows = self._query_in("letters", "doc_id", [doc_id], ["doc_id", "source", "sha256", "fmt", "encoding", "meta",
                                                              "paragraphs"])
        if not rows:
            return None
        r = rows[0]
        # by primary key (the ids rag/ingest/structure.py gives: doc id, -p, index): a point read, where
        # `doc_id == …` scans every paragraph of every letter (seconds per answer in milvus-lite at 2000 letters)
        n = int(r["paragraphs"])
        paras = self._client.get(self.names["paragraphs"], ids=[f"{doc_id}-p{i:03d}" for i in range(n)],
                                 output_fields=PARA_FIELDS) if n else []
        if len(paras) != n or any(p["doc_id"] != doc_id for p in paras):  # ids made another way: read by letter
            paras = self._query("paragraphs", f"doc_id == {literal(doc_id)}", PARA_FIELDS)
        paras = sorted(paras, key=lambda p: p["idx"])
        return Document(r["doc_id"], r["source"], r["sha256"], r["fmt"], r["encoding"], meta_of(r["meta"]),
                        tuple(paragraph_of(p) for p in paras))

    def paragraphs(self, ids: Sequence[str]) -> dict[str, Paragraph]:
        return {r["id"]: paragraph_of(r) for r in self._query_in("paragraphs", "id", list(ids), PARA_FIELDS)}

    def chunks(self, ids: Sequence[str]) -> dict[str, Chunk]:
        return {r["id"]: chunk_of(r) for r in self._query_in("chunks", "id", list(ids), CHUNK_FIELDS)}

    def count(self) -> tuple[int, int]:
        if not self.exists():
            return 0, 0

        def n(coll: str) -> int:
            rows = self._client.query(self.names[coll], filter="", output_fields=["count(*)"],
                                      consistency_level=STRONG)
            return int(rows[0]["count(*)"])

        return n("letters"), n("chunks")

    def fingerprint(self) -> str:
        return self.version()

    # search ---------------------------------------------------------------------------------------
    def search_dense(self, query: np.ndarray, k: int, expr: str = "") -> list[tuple[str, float]]:
        return self._search(np.asarray(query, dtype=np.float32).tolist(), "vector", k, expr)

    def search_bm25(self, tokens: Sequence[str], k: int, expr: str = "") -> list[tuple[str, float]]:
        """BM25 over the configured sparse field. The query is our tokens joined by spaces: the `tokens` analyzer
        splits them back, and Milvus's jieba segments each token as it segmented the indexed text."""
        if not tokens:
            return []
        return self._search(" ".join(tokens), self.bm25_field, k, expr)

    def _search(self, data: Any, field: str, k: int, expr: str) -> list[tuple[str, float]]:
        if k <= 0 or not self._client.has_collection(self.names["chunks"]):
            return []
        res = self._client.search(self.names["chunks"], data=[data], anns_field=field, limit=min(k, 16_384),
                                  filter=expr, output_fields=["id"], consistency_level=STRONG)
        # BM25: a cluster returns scores (> 0), milvus-lite 3.2 their negation; both best first, so |score| ranks
        # alike in either. Inner product is already a score.
        hits = [(h["id"], abs(float(h["distance"])) if field != "vector" else float(h["distance"])) for h in res[0]]
        return [(i, s) for i, s in hits if field == "vector" or s > 0]
