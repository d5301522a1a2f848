"""Dense vector store on FAISS: inner product over L2-normalised vectors (= cosine).

Exact search (IndexFlatIP) up to `hnsw_threshold` vectors, HNSW above it (see eval/bench/dense.py for
the measurement behind the default). Row i of the index is chunk `ids[i]`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import faiss
import numpy as np

from rag.core.threads import one_thread

# Above this many allowed rows a filtered HNSW search walks the graph; below it the rows are scored exactly.
EXACT_SUBSET_MAX = 20_000


@contextmanager
def _query_threads() -> Iterator[None]:
    """One OpenMP thread for a single-query search: on 2 cores, FAISS's pool fights torch's pool (still
    spinning after the query embedding) and a 2-thread search is 1.6-2.4x slower (eval/README.md).
    The OpenMP thread count is a per-calling-thread setting, so builds elsewhere keep every core."""
    with one_thread(faiss.omp_get_max_threads, faiss.omp_set_num_threads):
        yield


class VectorStore(Protocol):
    """The dense-index role a generation holds and retrieval searches: row i is chunk ids[i]; `allowed` is a
    row mask (filters, place rankings). FaissStore implements it in-process."""

    ids: list[str]
    kind: str  # flat | hnsw | …, recorded in the manifest

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]: ...

    def save(self, directory: Path) -> None: ...


class FaissStore:
    def __init__(self, index: faiss.Index, ids: list[str], kind: str) -> None:
        self.index = index
        self.ids = ids
        self.kind = kind

    @classmethod
    def build(cls, vectors: np.ndarray, ids: list[str], hnsw_threshold: int, dim: int) -> FaissStore:
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, dim)
        if len(vectors) > hnsw_threshold:
            index = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 128
            kind = "hnsw"
        else:
            index = faiss.IndexFlatIP(dim)
            kind = "flat"
        if len(vectors):
            index.add(vectors)
        return cls(index, ids, kind)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Top-k (row, score). `allowed` is a boolean mask over rows: filtering happens inside FAISS,
        so a filter never starves the result list the way post-filtering would."""
        n = self.index.ntotal
        if n == 0 or k <= 0:
            return []
        q = np.ascontiguousarray(query, dtype=np.float32).reshape(1, -1)
        params = None
        if allowed is not None:
            rows = np.flatnonzero(allowed).astype(np.int64)
            if len(rows) == 0:
                return []
            if self.kind == "hnsw" and len(rows) <= EXACT_SUBSET_MAX:
                # a graph walk with a selector loses ~20% recall@10 on a 2% mask (eval/bench/dense.py);
                # scoring the allowed rows exactly is both exact and cheap at this size
                return self._exact_subset(q[0], rows, k)
            sel = faiss.IDSelectorBatch(rows)
            params = (
                faiss.SearchParametersHNSW(sel=sel, efSearch=max(256, k))
                if self.kind == "hnsw"
                else faiss.SearchParameters(sel=sel)
            )
        with _query_threads():
            scores, rows_out = self.index.search(q, min(k, n), params=params)
        return [(int(r), float(s)) for r, s in zip(rows_out[0], scores[0], strict=True) if r >= 0]

    def _exact_subset(self, q: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[int, float]]:
        vecs = self.index.reconstruct_batch(rows)
        scores = vecs @ q
        k = min(k, len(rows))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(rows[i]), float(scores[i])) for i in top]

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        faiss.write_index(self.index, str(directory / "dense.faiss"))
        (directory / "dense.json").write_text(json.dumps({"kind": self.kind, "ids": self.ids}))

    @classmethod
    def load(cls, directory: Path) -> FaissStore:
        meta = json.loads((directory / "dense.json").read_text())
        return cls(faiss.read_index(str(directory / "dense.faiss")), meta["ids"], meta["kind"])
