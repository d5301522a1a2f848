from pathlib import Path

import numpy as np
import pytest

from rag.index.dense import FaissStore

DIM = 32
N = 200


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    v = np.random.default_rng(7).standard_normal((N, DIM)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _build(vectors: np.ndarray, kind: str) -> FaissStore:
    store = FaissStore.build(vectors, [f"c{i}" for i in range(len(vectors))], 10 if kind == "hnsw" else N, DIM)
    assert store.kind == kind
    return store


def _exact(vectors: np.ndarray, query: np.ndarray, rows: np.ndarray, k: int) -> list[int]:
    scores = vectors[rows] @ query
    return [int(rows[i]) for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_unfiltered_search_is_cosine_order(vectors: np.ndarray, kind: str) -> None:
    store = _build(vectors, kind)
    hits = store.search(vectors[5], k=5)
    assert [r for r, _ in hits] == _exact(vectors, vectors[5], np.arange(N), 5)
    assert hits[0][0] == 5 and hits[0][1] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_filter_inside_faiss_returns_low_ranked_allowed_rows(vectors: np.ndarray, kind: str) -> None:
    store = _build(vectors, kind)
    query = vectors[0]
    order = _exact(vectors, query, np.arange(N), N)
    worst = order[-3:]  # the three rows least like the query
    allowed = np.zeros(N, bool)
    allowed[worst] = True
    hits = store.search(query, k=5, allowed=allowed)
    assert sorted(r for r, _ in hits) == sorted(worst)  # all of them, nothing else, although they rank last
    for r, s in hits:
        assert s == pytest.approx(float(vectors[r] @ query), abs=1e-5)


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_filter_keeps_top_k_full(vectors: np.ndarray, kind: str) -> None:
    store = _build(vectors, kind)
    odd = np.arange(N) % 2 == 1
    hits = store.search(vectors[0], k=10, allowed=odd)
    assert [r for r, _ in hits] == _exact(vectors, vectors[0], np.flatnonzero(odd), 10)
    assert store.search(vectors[0], k=10, allowed=np.zeros(N, bool)) == []


def test_empty_store_and_k_zero(vectors: np.ndarray) -> None:
    empty = FaissStore.build(np.zeros((0, DIM), np.float32), [], 10, DIM)
    assert empty.search(vectors[0], k=5) == []
    assert _build(vectors, "flat").search(vectors[0], k=0) == []


@pytest.mark.parametrize("kind", ["flat", "hnsw"])
def test_save_load_round_trip(vectors: np.ndarray, tmp_path: Path, kind: str) -> None:
    store = _build(vectors, kind)
    store.save(tmp_path)
    loaded = FaissStore.load(tmp_path)
    assert loaded.kind == kind and loaded.ids == store.ids and loaded.index.ntotal == N
    allowed = np.arange(N) >= 150
    for q in (vectors[3], vectors[160]):
        assert loaded.search(q, k=7) == store.search(q, k=7)
        assert loaded.search(q, k=7, allowed=allowed) == store.search(q, k=7, allowed=allowed)


def test_filtered_hnsw_is_exact_on_small_subsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random vectors are HNSW's worst case; a filtered search below EXACT_SUBSET_MAX must still be exact."""
    import rag.index.dense

    rng = np.random.default_rng(3)
    v = rng.standard_normal((3000, DIM)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    store = FaissStore.build(v, [f"c{i}" for i in range(len(v))], 10, DIM)
    assert store.kind == "hnsw"
    allowed = rng.random(len(v)) < 0.3
    rows = np.flatnonzero(allowed)
    for q in v[:20] + 0.1:
        q = q / np.linalg.norm(q)
        got = store.search(q, 10, allowed)
        assert [r for r, _ in got] == _exact(v, q, rows, 10)
        assert all(allowed[r] for r, _ in got)
    # above the subset limit the graph walk (with the selector) is used, still honouring the mask
    monkeypatch.setattr(rag.index.dense, "EXACT_SUBSET_MAX", 10)
    got = store.search(v[0], 10, allowed)
    assert got and all(allowed[r] for r, _ in got)


def test_search_leaves_the_thread_setting_as_it_was(vectors: np.ndarray) -> None:
    import faiss

    faiss.omp_set_num_threads(2)
    _build(vectors, "flat").search(vectors[0], 5)
    assert faiss.omp_get_max_threads() == 2
