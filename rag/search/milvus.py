"""Retrieval over the Milvus backend: the same Retriever (fusion, place rankings, quoted phrases, filters), with
the generation's roles played by Milvus searches.

The Retriever works in rows and row masks. Here a row is a number this process gives each chunk id the first
time a search returns it, and a mask is the set of letters a search may return, sent to Milvus as the filter
expression `doc_id in [...]`. Which letters a filter selects is decided on the letter catalog exactly as the
embedded backend decides it (substring of the bureau, 文号 ignoring spaces, year), so both backends filter alike.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from rag.core.places import places_of
from rag.index.milvus import MilvusStore
from rag.index.milvus_schema import doc_filter
from rag.search.retrieve import Retriever, _Loaded


class DocScope(frozenset[str]):
    """The row mask of the Milvus backend: the letters a search may return."""

    def __and__(self, other: object) -> DocScope:
        return DocScope(frozenset.__and__(self, other))  # type: ignore[operator]

    __iand__ = __and__

    def any(self) -> bool:
        return bool(self)


class _Rows:
    """Row number ↔ chunk id, shared by every version this process loads; its length is the chunk count."""

    def __init__(self, table: dict[str, int], ids: list[str], lock: threading.Lock, n: int) -> None:
        self._table, self._ids, self._lock, self._n = table, ids, lock, n

    def row(self, chunk_id: str) -> int:
        r = self._table.get(chunk_id)
        if r is None:
            with self._lock:
                r = self._table.setdefault(chunk_id, len(self._ids))
                if r == len(self._ids):
                    self._ids.append(chunk_id)
        return r

    def __getitem__(self, row: int) -> str:
        return self._ids[row]

    def __len__(self) -> int:
        return self._n


class _Searcher:
    """gen.dense / gen.sparse: a search restricted to a DocScope, answering in rows."""

    def __init__(self, store: MilvusStore, rows: _Rows, dense: bool) -> None:
        self.store, self.rows, self.dense = store, rows, dense

    def search(self, query: np.ndarray | list[str], k: int, allowed: DocScope | None = None) -> list[tuple[int, float]]:
        if allowed is not None and not allowed:
            return []
        expr = doc_filter(None if allowed is None else list(allowed))
        found = (self.store.search_dense(query, k, expr) if self.dense  # type: ignore[arg-type]
                 else self.store.search_bm25(query, k, expr))  # type: ignore[arg-type]
        return [(self.rows.row(cid), score) for cid, score in found]


@dataclass(frozen=True)
class MilvusGeneration:
    name: str  # the store's version
    ids: _Rows
    dense: _Searcher
    sparse: _Searcher
    row_docs: _RowDocs  # row → doc id, read when asked (copies in a result list name their letters)


class _RowDocs:
    """gen.row_docs: the doc id of a row's chunk, read from Milvus on first use and kept."""

    def __init__(self, store: MilvusStore, rows: _Rows) -> None:
        self.store, self.rows, self._docs = store, rows, {}  # type: dict[str, str]

    def __getitem__(self, row: int) -> str:
        cid = self.rows[row]
        if cid not in self._docs:
            found = self.store.chunks([cid])
            self._docs[cid] = found[cid].doc_id if cid in found else ""
        return self._docs[cid]


@dataclass(frozen=True)
class _MilvusLoaded(_Loaded):
    def rows_mask(self, doc_ids: Iterable[str]) -> DocScope:  # type: ignore[override]
        return DocScope(doc_ids)


class MilvusRetriever(Retriever):
    store: MilvusStore

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._table: dict[str, int] = {}
        self._row_ids: list[str] = []
        self._rows_lock = threading.Lock()

    def in_vocabulary(self, token: str) -> bool:
        """Whether any letter holds this search token: one BM25 probe (Milvus keeps the vocabulary)."""
        return bool(self.store.search_bm25([token], 1, doc_filter(None)))

    def _current(self) -> _Loaded:
        """The catalog as of the store's version, reloaded when any process wrote (one point read per search)."""
        version = self.store.version()
        loaded = self._loaded
        if loaded is not None and loaded.gen.name == version:
            return loaded
        with self._lock:
            if self._loaded is None or self._loaded.gen.name != version:
                metas = self.store.all_metadata()
                place_docs: dict[str, set[str]] = {}
                for doc_id, m in metas.items():
                    for p in places_of(m.bureau):
                        place_docs.setdefault(p, set()).add(doc_id)
                rows = _Rows(self._table, self._row_ids, self._rows_lock, self.store.count()[1])
                gen = MilvusGeneration(version, rows, _Searcher(self.store, rows, True),
                                       _Searcher(self.store, rows, False), _RowDocs(self.store, rows))
                self._loaded = _MilvusLoaded(gen, metas, place_docs, {})  # type: ignore[arg-type]
            return self._loaded
