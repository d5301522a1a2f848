"""Moving an embedded index into Milvus (`rag migrate`): every letter of the SQLite store with its paragraphs,
chunks, tokens and the vectors cached for the configured embedder; nothing is re-read and, when the cache is
complete, nothing is re-embedded. Safe to run again: letters already in Milvus with the same checksum are skipped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rag.core.records import content_hash
from rag.index.milvus import MilvusStore
from rag.index.store import Store


@dataclass(frozen=True)
class MigrateStats:
    letters: int
    skipped: int  # already in Milvus, same checksum
    chunks: int
    embedded: int  # vectors the cache lacked


def migrate(src: Store, dst: MilvusStore, embedder_name: str,
            on_letter: Callable[[str], None] | None = None) -> MigrateStats:
    by_doc: dict[str, list] = {}
    for chunk, tokens in src.all_chunks():
        by_doc.setdefault(chunk.doc_id, []).append((chunk, tokens))
    letters = skipped = chunks = embedded = 0
    for doc_id in src.doc_ids():
        doc = src.document(doc_id)
        if doc is None:
            continue
        if dst.find_source(doc.source) == (doc.doc_id, doc.sha256):
            skipped += 1
            continue
        rows = by_doc.get(doc_id, [])
        keys = [content_hash(c.embed_text) for c, _ in rows]
        vectors = src.cached_vectors(keys, embedder_name)
        embedded += dst.put_document(doc, [c for c, _ in rows], [t for _, t in rows], vectors=vectors)
        letters += 1
        chunks += len(rows)
        if on_letter:
            on_letter(doc.source)
    dst.flush()
    return MigrateStats(letters, skipped, chunks, embedded)
