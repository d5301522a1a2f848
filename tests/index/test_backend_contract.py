"""The contract both storage backends keep: the embedded one (SQLite + FAISS + bm25s files) and Milvus (a real
`milvus-lite server`, started once per session). Same inputs → same rankings, and the same behaviour on delete,
re-index, filters and bad input.

Tolerance, stated: dense rankings are identical (exact inner product on both) and so are BM25 rankings without a
filter (same tokens, same Lucene BM25, same k1/b). A filtered BM25 list may differ in order: milvus-lite computes
IDF over the rows a filter lets through (a cluster over each segment), bm25s over the whole corpus. So the
place-restricted lists, and hybrid rankings that fuse them, are held to: each backend's top hit in the other's top 3,
and ≥ 3 of the top 5 in common. (Measured on eval/data/qa.jsonl with the real embedder: eval/bench/milvus.py.)
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from rag.core.errors import IndexMismatchError, InputError
from rag.core.records import Filters
from rag.core.settings import Settings
from rag.pipeline import Pipeline
from tests.conftest import CORPUS, FakeEmbedder

BACKENDS = ["embedded", "milvus"]
# no place name: BM25 over the whole corpus on both backends
PLAIN = ["养老护理员培训补贴", "智慧健康养老信息平台什么时候上线？", "家庭照护床位", "医养结合机构"]
# a place name: the place-restricted rankings take part (filtered BM25)
PLACED = ["温州市有多少家养老机构？", "巴中市恩阳区 养老产业发展", "中山市东凤镇养老服务"]


def _pipeline(kind: str, tmp: Path, request: pytest.FixtureRequest, collection: str | None = None,
              embedder: FakeEmbedder | None = None) -> Pipeline:
    extra = {}
    if kind == "milvus":
        extra = {"milvus_uri": request.getfixturevalue("milvus_uri"),
                 "milvus_collection": collection or f"t_{uuid.uuid4().hex[:12]}"}
    s = Settings(index_dir=tmp / "index", corpus_dir=CORPUS, _env_file=None, **extra)
    return Pipeline(s, embedder=embedder or FakeEmbedder())


@pytest.fixture(scope="module")
def indexed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Pipeline]:
    """The corpus indexed once per backend (read-only by convention)."""
    out = {}
    for kind in BACKENDS:
        p = _pipeline(kind, tmp_path_factory.mktemp(kind), request)
        report, stats = p.index()
        assert len(report.added) == 5 and stats is not None and stats.chunks > 50
        out[kind] = p
    return out


@pytest.fixture(params=BACKENDS)
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Pipeline:
    return _pipeline(request.param, tmp_path, request)


def _ids(p: Pipeline, q: str, mode: str, k: int = 10, filters: Filters | None = None) -> list[str]:
    return [h.chunk.id for h in p.search(q, k, mode, filters)]


@pytest.mark.parametrize("mode", ["dense", "bm25"])
@pytest.mark.parametrize("q", PLAIN)
def test_unfiltered_rankings_are_identical(indexed: dict[str, Pipeline], q: str, mode: str) -> None:
    emb, mil = (_ids(indexed[k], q, mode) for k in BACKENDS)
    assert emb and emb == mil


@pytest.mark.parametrize("q", PLAIN + PLACED)
def test_hybrid_rankings_agree_within_the_tolerance(indexed: dict[str, Pipeline], q: str) -> None:
    emb, mil = (_ids(indexed[k], q, "hybrid", 5) for k in BACKENDS)
    assert emb[0] in mil[:3] and mil[0] in emb[:3], (emb, mil)
    assert len(set(emb) & set(mil)) >= 3, (emb, mil)


def test_answers_and_citations_are_the_same(indexed: dict[str, Pipeline]) -> None:
    for q in ["温州市有多少家养老机构？", "养老护理员培训补贴"]:
        emb, mil = (indexed[k].ask(q) for k in BACKENDS)
        assert emb.answer == mil.answer and emb.found
        assert [c.paragraph for c in emb.citations] == [c.paragraph for c in mil.citations]


def test_letters_and_paragraphs_read_back_the_same(indexed: dict[str, Pipeline]) -> None:
    emb, mil = (indexed[k].store for k in BACKENDS)
    strip = [{k: v for k, v in d.items() if k != "added_at"} for d in emb.list_documents()]
    assert strip == [{k: v for k, v in d.items() if k != "added_at"} for d in mil.list_documents()]
    assert emb.count() == mil.count()
    doc_id = emb.doc_ids()[0]
    assert emb.document(doc_id) == mil.document(doc_id)
    assert emb.find_source(emb.document(doc_id).source) == mil.find_source(emb.document(doc_id).source)


FILTERS = [Filters(bureau="温州"), Filters(year=2021), Filters(doc_number="温民提 〔2019〕70号"),
           Filters(region="巴中")]


@pytest.mark.parametrize("filters", FILTERS, ids=["bureau", "year", "doc_number", "region"])
def test_filters_select_the_same_letters(indexed: dict[str, Pipeline], filters: Filters) -> None:
    per = {}
    for kind, p in indexed.items():
        hits = p.search("养老服务", 20, "hybrid", filters)
        assert hits
        for h in hits:
            assert (not filters.bureau or filters.bureau in h.meta.bureau)
            assert filters.year is None or h.meta.year == filters.year
        per[kind] = {h.chunk.doc_id for h in hits}
    assert per["embedded"] == per["milvus"]
    ids = frozenset(per["embedded"])
    for p in indexed.values():  # doc ids (what a 文号 in the question selects) restrict both alike
        assert {h.chunk.doc_id for h in p.search("养老", 20, "bm25", Filters(doc_ids=ids))} <= ids


def test_bad_input_is_refused_alike(indexed: dict[str, Pipeline]) -> None:
    for p in indexed.values():
        with pytest.raises(InputError, match="empty"):
            p.search("   ")
        with pytest.raises(InputError, match="unknown retrieval mode"):
            p.search("养老", mode="fuzzy")
        assert p.search("养老", 5, "hybrid", Filters(bureau="不存在的局")) == []
        assert p.search("养老", 5, "hybrid", Filters(doc_ids=frozenset())) == []


def test_delete_removes_a_letter_for_good(fresh: Pipeline) -> None:
    fresh.index()
    doc_id = next(d for d in fresh.store.doc_ids() if fresh.store.all_metadata()[d].bureau.startswith("温州"))
    n_docs, n_chunks = fresh.store.count()
    removed, _ = fresh.remove([doc_id])
    assert removed == [doc_id] and fresh.remove([doc_id])[0] == []
    assert fresh.store.document(doc_id) is None and fresh.store.count()[0] == n_docs - 1
    assert fresh.store.count()[1] < n_chunks
    for mode in ("bm25", "dense", "hybrid"):
        assert doc_id not in {h.chunk.doc_id for h in fresh.search("温州市有多少家养老机构？", 20, mode)}


def test_reindex_is_idempotent_and_an_edit_replaces_the_old_text(fresh: Pipeline, tmp_path: Path,
                                                                 corpus_copy: Path) -> None:
    report, stats = fresh.index([corpus_copy])
    before = (fresh.store.count(), _ids(fresh, "家庭照护床位", "hybrid"))
    report, stats = fresh.index([corpus_copy])
    assert stats is None and len(report.unchanged) == 5
    assert (fresh.store.count(), _ids(fresh, "家庭照护床位", "hybrid")) == before
    f = sorted(corpus_copy.glob("*.txt"))[0]
    f.write_text(f.read_text(encoding="utf-8") + "\n\n另外，全市新增银发助浴车十二辆。\n", encoding="utf-8")
    report, stats = fresh.index([corpus_copy])
    assert len(report.updated) == 1 and stats is not None
    assert fresh.store.count()[0] == 5
    top = fresh.search("银发助浴车", 1, "bm25")[0]
    assert "银发助浴车" in top.chunk.text and top.chunk.doc_id == report.doc_ids[str(f.resolve())]
    hits = fresh.search("养老", 200, "bm25")
    assert len({h.chunk.id for h in hits}) == len(hits)  # no chunk twice
    # the letter's chunks replaced, not added to: the count moves by one chunk at most (re-chunked)
    assert abs(fresh.store.count()[1] - before[0][1]) <= 1


def test_two_replicas_see_each_others_writes(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Two processes' pipelines on one collection: an upload through one is searchable through the other at
    once, and a letter deleted through the other never comes back (Strong consistency, catalog versions)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    a = _pipeline("milvus", tmp_path / "a", request, name)
    b = _pipeline("milvus", tmp_path / "b", request, name)
    a.index()
    assert b.search("温州市有多少家养老机构？", 1)[0].meta.bureau.startswith("温州")  # b loads its catalog now
    data = "关于银发助浴服务的答复\n\n青田县民政局\n\n全县已配备银发助浴车三辆，覆盖全部乡镇。\n".encode()
    report, _ = a.add_bytes([("zhuyu.txt", data, "upload:abc:zhuyu.txt")])
    doc_id = report.doc_ids["upload:abc:zhuyu.txt"]
    hit = b.search("银发助浴车", 1, "bm25")[0]
    assert hit.chunk.doc_id == doc_id and doc_id in b.retriever.catalog()
    assert b.remove([doc_id])[0] == [doc_id]
    assert doc_id not in {h.chunk.doc_id for h in a.search("银发助浴车", 10, "hybrid")}
    assert doc_id not in a.retriever.catalog() and a.store.document(doc_id) is None


def test_vectors_of_another_embedder_are_refused(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pipeline("milvus", tmp_path / "a", request, name).index()
    other = _pipeline("milvus", tmp_path / "b", request, name, FakeEmbedder(dim=128, name="fake-128"))
    with pytest.raises(IndexMismatchError, match="RAG_MILVUS_COLLECTION"):
        other.add_bytes([("x.txt", "关于助浴服务的答复\n\n某县民政局\n\n全县已配备助浴车三辆，覆盖全部乡镇。\n".encode(),
                          "upload:x:x.txt")])


def test_an_edit_embeds_only_the_changed_text(request: pytest.FixtureRequest, tmp_path: Path,
                                              corpus_copy: Path) -> None:
    """Vectors stay in Milvus keyed by the embedded text: another process editing one letter embeds only the
    chunks whose text changed (the embedded backend's vector cache, kept where every replica sees it)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    _pipeline("milvus", tmp_path / "a", request, name).index([corpus_copy])
    emb = FakeEmbedder()
    again = _pipeline("milvus", tmp_path / "b", request, name, emb)
    f = sorted(corpus_copy.glob("*.txt"))[0]
    f.write_text(f.read_text(encoding="utf-8") + "\n\n另外，全市新增银发助浴车十二辆。\n", encoding="utf-8")
    report, stats = again.index([corpus_copy])
    assert len(report.updated) == 1 and stats is not None
    assert 1 <= len(emb.embedded) <= 2 and any("银发助浴车" in t for t in emb.embedded)


def test_migrate_copies_an_embedded_index_without_re_embedding(request: pytest.FixtureRequest,
                                                               tmp_path: Path) -> None:
    from rag.index.migrate import migrate

    emb = _pipeline("embedded", tmp_path / "e", request)
    emb.index()
    counting = FakeEmbedder()
    mil = _pipeline("milvus", tmp_path / "m", request, embedder=counting)
    stats = migrate(emb.store, mil.store, counting.name)
    assert (stats.letters, stats.skipped, stats.embedded) == (5, 0, 0) and counting.embedded == []
    assert mil.store.count() == emb.store.count()
    for q in PLAIN:
        assert _ids(mil, q, "dense") == _ids(emb, q, "dense") and _ids(mil, q, "bm25") == _ids(emb, q, "bm25")
    assert migrate(emb.store, mil.store, counting.name).skipped == 5  # a second run copies nothing
