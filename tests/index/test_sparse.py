from pathlib import Path

import numpy as np
import pytest

from rag.index.sparse import BM25Index

DOCS = [
    ["养老", "机构", "床位"],
    ["养老", "护理", "人才", "培训"],
    ["医养结合", "养老", "机构"],
    ["社区", "食堂"],
    ["养老", "养老", "养老", "机构"],
]
IDS = [f"c{i}" for i in range(len(DOCS))]


@pytest.fixture
def bm25() -> BM25Index:
    return BM25Index.build(DOCS, IDS)


def test_ranks_rows_with_more_matching_terms_first(bm25: BM25Index) -> None:
    hits = bm25.search(["养老", "机构"], k=10)
    rows = [r for r, _ in hits]
    assert set(rows) == {0, 1, 2, 4}  # row 3 shares no term: score 0, left out
    assert rows[-1] == 1  # only "养老"
    assert all(s > 0 for _, s in hits)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert bm25.search(["食堂"], k=10) == [(3, pytest.approx(bm25.scores(["食堂"])[3]))]


def test_k_limits_the_result(bm25: BM25Index) -> None:
    assert len(bm25.search(["养老"], k=2)) == 2
    assert len(bm25.search(["养老"], k=100)) == 4


def test_allowed_mask_never_returns_masked_rows(bm25: BM25Index) -> None:
    allowed = np.array([False, True, False, True, False])
    hits = bm25.search(["养老", "机构", "床位"], k=5, allowed=allowed)
    assert [r for r, _ in hits] == [1]  # row 1 ranks last unfiltered, yet it is the only allowed match
    assert bm25.search(["床位"], k=5, allowed=allowed) == []
    assert bm25.search(["养老"], k=5, allowed=np.zeros(5, bool)) == []


def test_unknown_or_empty_query_tokens_give_nothing(bm25: BM25Index) -> None:
    assert bm25.search(["深圳"], k=5) == []
    assert bm25.search([], k=5) == []
    assert bm25.scores(["深圳", "湛江"]).tolist() == [0.0] * 5
    # unknown tokens next to a known one are ignored, not an error
    assert bm25.search(["深圳", "食堂"], k=5) == bm25.search(["食堂"], k=5)


def test_empty_index() -> None:
    empty = BM25Index.build([], [])
    assert empty.search(["养老"], k=5) == []
    assert len(empty.scores(["养老"])) == 0


def test_save_load_round_trip(bm25: BM25Index, tmp_path: Path) -> None:
    bm25.save(tmp_path / "g")
    loaded = BM25Index.load(tmp_path / "g")
    assert loaded.ids == IDS
    for q in (["养老", "机构"], ["护理", "培训"], ["深圳"]):
        assert loaded.search(q, k=5) == bm25.search(q, k=5)

    BM25Index.build([], []).save(tmp_path / "e")
    again = BM25Index.load(tmp_path / "e")
    assert again.model is None and again.ids == [] and again.search(["养老"], k=3) == []
