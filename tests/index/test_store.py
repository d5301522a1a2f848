from pathlib import Path

import numpy as np
import pytest

from rag.ingest.chunk import chunk_document
from rag.core.records import Chunk, Document, Metadata, Paragraph
from rag.index.store import Store

META = Metadata(
    bureau="青山市民政局", doc_number="青民函〔2024〕12号", date="2024-05-20", addressee="张明委员",
    proposal="市政协五届三次会议第88号提案", proposal_title="《关于加强社区养老服务的建议》",
    title="青山市民政局关于市政协五届三次会议第88号提案答复的函", contact="李华；联系电话：0571-12345678",
    copy_to=("市政协提案委", "市政府办公室"),
)
V1 = ["青山市民政局", "全市共有养老机构 20 家，床位 3000 张。", "一是开展养老护理员培训1000人次。"]
V2 = ["青山市民政局", "全市共有养老机构 25 家。"]


def _doc(texts: list[str], doc_id: str = "d1", source: str = "/letters/a.txt", sha: str = "sha-1") -> Document:
    paras = tuple(
        Paragraph(id=f"{doc_id}-p{i:03d}", doc_id=doc_id, index=i, text=t, section=("一、",) if i else (),
                  section_title="基本情况" if i else "", kind="body" if i else "meta")
        for i, t in enumerate(texts)
    )
    return Document(doc_id, source, sha, "txt", "utf-8", META, paras)


def _tokens(chunk: Chunk) -> list[str]:
    return [ch for ch in chunk.text if not ch.isspace()]  # tokens are stored space-separated


def _put(store: Store, doc: Document) -> list[Chunk]:
    chunks = chunk_document(doc, 20)
    with store.transaction():
        store.put_document(doc, chunks, [_tokens(c) for c in chunks])
    return chunks


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "store.sqlite")


def test_put_then_read_back_verbatim(store: Store, tmp_path: Path) -> None:
    doc = _doc(V1)
    chunks = _put(store, doc)
    assert len(chunks) == 4  # the 25-character sentence is longer than a 20-character chunk: cut at its comma
    assert store.count() == (1, 4)
    assert store.document("d1") == doc
    assert store.find_source("/letters/a.txt") == ("d1", "sha-1")
    assert store.find_source("/letters/b.txt") is None
    assert store.chunks([c.id for c in chunks]) == {c.id: c for c in chunks}
    assert [(c, toks) for c, toks in store.all_chunks()] == [(c, _tokens(c)) for c in chunks]
    store.close()
    reopened = Store(tmp_path / "store.sqlite")
    assert reopened.document("d1") == doc  # the store is the source of truth: it survives a reopen


def test_replace_drops_old_paragraphs_and_chunks(store: Store) -> None:
    old_chunks = _put(store, _doc(V1))
    new = _doc(V2, sha="sha-2")
    new_chunks = _put(store, new)
    assert store.document("d1") == new
    assert store.count() == (1, len(new_chunks))
    assert store.paragraphs(["d1-p002"]) == {}  # V1 had three paragraphs, V2 two
    gone = {c.id for c in old_chunks} - {c.id for c in new_chunks}
    assert gone and store.chunks(gone) == {}


def test_same_source_under_a_new_id_replaces_the_old_document(store: Store) -> None:
    _put(store, _doc(V1, doc_id="old"))
    _put(store, _doc(V2, doc_id="new"))
    assert store.doc_ids() == ["new"]
    assert store.sources() == {"/letters/a.txt": "new"}
    assert store.paragraphs(["old-p000", "old-p001"]) == {}


def test_remove_cascades_to_paragraphs_and_chunks(store: Store) -> None:
    chunks = _put(store, _doc(V1))
    _put(store, _doc(V2, doc_id="d2", source="/letters/b.txt"))
    assert store.remove_document("d1") is True
    assert store.document("d1") is None
    assert store.paragraphs(["d1-p000", "d1-p001", "d1-p002"]) == {}
    assert store.chunks([c.id for c in chunks]) == {}
    assert store.count() == (1, 2)
    assert store.doc_ids() == ["d2"]
    assert store.remove_document("d1") is False


def test_metadata_round_trip(store: Store) -> None:
    _put(store, _doc(V1))
    _put(store, Document("d2", "/letters/b.txt", "sha", "md", "gb18030", Metadata(), ()))
    meta = store.document("d1").meta
    assert meta == META
    assert isinstance(meta.copy_to, tuple)
    assert meta.year == 2024
    assert store.metadata(["d1", "d1", "missing"]) == {"d1": META}
    assert store.all_metadata() == {"d1": META, "d2": Metadata()}
    rows = {r["doc_id"]: r for r in store.list_documents()}
    assert rows["d1"]["copy_to"] == ["市政协提案委", "市政府办公室"]
    assert rows["d1"]["paragraphs"] == 3
    assert rows["d1"]["proposal_title"] == "《关于加强社区养老服务的建议》"
    assert rows["d2"]["bureau"] is None and rows["d2"]["encoding"] == "gb18030" and rows["d2"]["paragraphs"] == 0


def test_vector_cache_put_get_prune(store: Store) -> None:
    a, b = np.arange(4, dtype=np.float32), np.ones(4, dtype=np.float64)
    store.put_vectors("m1", {"ka": a, "kb": b})
    store.put_vectors("m2", {"ka": -a})
    got = store.cached_vectors(["ka", "kb", "kc"], "m1")
    assert set(got) == {"ka", "kb"}
    np.testing.assert_array_equal(got["ka"], a)
    assert got["kb"].dtype == np.float32 and got["kb"].tolist() == [1.0] * 4
    np.testing.assert_array_equal(store.cached_vectors(["ka"], "m2")["ka"], -a)  # keyed by model too
    assert store.cached_vectors(["ka"], "m3") == {}

    assert store.prune_vectors("m1", keep={"ka"}) == 1
    assert set(store.cached_vectors(["ka", "kb"], "m1")) == {"ka"}
    assert set(store.cached_vectors(["ka"], "m2")) == {"ka"}  # another model's cache is untouched


def test_vector_cache_over_many_keys(store: Store) -> None:
    """Lookups go in batches of 500 SQL parameters; more keys than that must all come back."""
    items = {f"k{i}": np.full(2, i, np.float32) for i in range(1234)}
    store.put_vectors("m", items)
    got = store.cached_vectors(list(items), "m")
    assert len(got) == 1234 and got["k1233"].tolist() == [1233.0, 1233.0]


def test_failed_transaction_leaves_the_old_document(store: Store) -> None:
    old = _doc(V1)
    old_chunks = _put(store, old)
    new = _doc(V2, sha="sha-2")
    with pytest.raises(RuntimeError, match="disk full"), store.transaction():
        store.put_document(new, chunk_document(new, 20), [["x"]] * len(chunk_document(new, 20)))
        raise RuntimeError("disk full")
    assert store.document("d1") == old
    assert store.find_source("/letters/a.txt") == ("d1", "sha-1")
    assert store.chunks([c.id for c in old_chunks]) == {c.id: c for c in old_chunks}
    # the connection is usable again after the rollback
    _put(store, new)
    assert store.document("d1") == new


def test_fingerprint_follows_the_indexable_content(store: Store) -> None:
    empty = store.fingerprint()
    _put(store, _doc(V1))
    one = store.fingerprint()
    assert one != empty and store.fingerprint() == one
    store.put_vectors("m", {"k": np.zeros(2, np.float32)})  # the vector cache is not content
    assert store.fingerprint() == one
    _put(store, _doc(V1, sha="sha-2"))  # a new version of the file, even with the same chunks
    assert store.fingerprint() not in (one, empty)
    store.remove_document("d1")
    assert store.fingerprint() == empty
