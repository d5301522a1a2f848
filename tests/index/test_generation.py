import json
import os
import shutil
from pathlib import Path

import pytest

from rag.core.errors import IndexMismatchError, NotFoundError
from rag.core.settings import Settings
from rag.index import generation as index_mod
from rag.index.dense import FaissStore
from rag.index.live import LETTER_SHA, live_letters
from rag.index.sparse import BM25Index
from rag.pipeline import Pipeline
from tests.conftest import DATA, FakeEmbedder

QUESTIONS = ["温州市有多少家养老机构？", "养老护理员培训补贴", "智慧健康养老信息平台什么时候上线？"]


def _answers(pipe: Pipeline) -> dict[tuple[str, str], list[tuple[str, float]]]:
    """What a pipeline returns for a few questions in each mode: (chunk id, score) lists."""
    return {(q, m): [(h.chunk.id, h.score) for h in pipe.search(q, k=5, mode=m)]
            for q in QUESTIONS for m in ("bm25", "dense", "hybrid")}


def _entries(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir()
                  if not p.name.startswith("store.sqlite") and p.name != index_mod.LOCK_NAME)


def test_build_writes_one_generation_with_a_manifest(pipeline: Pipeline, settings: Settings) -> None:
    report, stats = pipeline.index()
    assert stats is not None and len(report.added) == 5
    name = index_mod.current_name(settings.index_dir)
    assert name == stats.generation and _entries(settings.index_dir) == ["CURRENT", name]
    manifest = json.loads((settings.index_dir / name / "manifest.json").read_text())
    assert manifest["format"] == index_mod.FORMAT_VERSION
    assert manifest["embedder"] == "fake-bigram-256" and manifest["dim"] == 256
    assert manifest["chunks"] == stats.chunks == pipeline.store.count()[1]
    assert manifest["dense"] == "flat"
    gen = index_mod.load(settings.index_dir, "fake-bigram-256")
    assert gen.ids == [c.id for c, _ in pipeline.store.all_chunks()] == gen.sparse.ids
    assert len(gen.row_docs) == len(gen.ids)
    assert index_mod.is_current(pipeline.store, settings.index_dir)


def test_old_generations_are_dropped_but_the_previous_one_is_kept(pipeline: Pipeline, settings: Settings) -> None:
    names = [pipeline.index(force_build=True)[1].generation for _ in range(3)]
    assert _entries(settings.index_dir) == sorted(["CURRENT", names[1], names[2]])
    assert pipeline.index(force_build=True)[1].embedded == 0  # every vector came from the cache


def _fail_save(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: BM25Index, directory: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(BM25Index, "save", boom)


def _fail_dense_save(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: FaissStore, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "dense.faiss").write_bytes(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(FaissStore, "save", boom)


def _fail_current_swap(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def replace(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        if Path(dst).name == "CURRENT":
            raise OSError("disk full")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


@pytest.mark.parametrize("crash", [_fail_save, _fail_dense_save, _fail_current_swap])
def test_crash_mid_build_keeps_the_previous_generation(
    pipeline: Pipeline, settings: Settings, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch, crash
) -> None:
    pipeline.index([corpus_copy])
    live = index_mod.current_name(settings.index_dir)
    before = _answers(pipeline)
    shutil.copy(DATA / "letter-gbk.txt", corpus_copy)

    with monkeypatch.context() as m:
        crash(m)
        with pytest.raises(OSError, match="disk full"):
            pipeline.index([corpus_copy])

    assert index_mod.current_name(settings.index_dir) == live
    # no half-written generation or CURRENT temp file is left lying around
    assert not [n for n in _entries(settings.index_dir) if n.startswith(".")]
    fresh = Pipeline(settings, embedder=FakeEmbedder())  # a new process opening the index
    assert _answers(fresh) == before
    assert not index_mod.is_current(fresh.store, settings.index_dir)  # the stored GBK letter is not indexed


def test_rerun_after_a_crash_indexes_the_stored_letter(
    pipeline: Pipeline, corpus_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.index([corpus_copy])
    shutil.copy(DATA / "letter-gbk.txt", corpus_copy)
    with monkeypatch.context() as m:
        _fail_save(m)
        with pytest.raises(OSError):
            pipeline.index([corpus_copy])
    _, stats = pipeline.index([corpus_copy])
    assert stats is not None
    assert pipeline.search("青山市养老机构床位", k=1)[0].meta.bureau == "青山市民政局"


def test_other_embedder_is_refused_with_both_names(pipeline: Pipeline, settings: Settings) -> None:
    pipeline.index()
    with pytest.raises(IndexMismatchError) as e:
        index_mod.load(settings.index_dir, "bge-small-zh@1234")
    msg = str(e.value)
    assert "'fake-bigram-256'" in msg and "'bge-small-zh@1234'" in msg and "rag index" in msg

    other = Pipeline(settings, embedder=FakeEmbedder(name="bge-small-zh@1234"))
    with pytest.raises(IndexMismatchError, match="bge-small-zh@1234"):
        other.search("温州市有多少家养老机构？", mode="bm25")


def test_other_format_is_refused(pipeline: Pipeline, settings: Settings) -> None:
    _, stats = pipeline.index()
    manifest = settings.index_dir / stats.generation / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "format": 99}))
    with pytest.raises(IndexMismatchError, match=r"format 99.*rag index"):
        index_mod.load(settings.index_dir, None)


def test_missing_index_says_how_to_build_one(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="rag index") as e:
        index_mod.load(tmp_path / "nowhere", None)
    assert str(tmp_path / "nowhere") in str(e.value)
    with pytest.raises(NotFoundError, match="rag index"):
        Pipeline(settings, embedder=FakeEmbedder()).search("温州市有多少家养老机构？")


def test_hnsw_above_the_threshold(settings: Settings, corpus_pipeline: Pipeline) -> None:
    hnsw = Pipeline(settings.model_copy(update={"hnsw_threshold": 10}), embedder=FakeEmbedder())
    _, stats = hnsw.index()
    assert stats.dense_kind == "hnsw" and stats.chunks > 10
    gen = index_mod.load(settings.index_dir, None)
    assert gen.dense.kind == "hnsw" and gen.manifest["dense"] == "hnsw"
    assert corpus_pipeline.retriever._current().gen.dense.kind == "flat"  # the default threshold: exact

    chunk = next(c for c, _ in hnsw.store.all_chunks() if "我市共有375家养老机构" in c.text)
    assert hnsw.search(chunk.text, k=1, mode="dense")[0].chunk.id == chunk.id
    for q in QUESTIONS:  # ~100 vectors: the approximate search finds the exact neighbours
        assert [h.chunk.id for h in hnsw.search(q, k=5, mode="dense")] == \
            [h.chunk.id for h in corpus_pipeline.search(q, k=5, mode="dense")]


def test_removal_prunes_cached_vectors(pipeline: Pipeline, settings: Settings, fake_embedder: FakeEmbedder) -> None:
    pipeline.index()
    doc_id = pipeline.resolve_doc_id("reply-03.txt")
    ours = [c for c in pipeline.store.chunks(index_mod.load(settings.index_dir, None).ids).values()
            if c.doc_id == doc_id]
    keys = [index_mod.content_hash(c.embed_text) for c in ours]
    assert len(pipeline.store.cached_vectors(keys, fake_embedder.name)) == len(ours) > 0
    fake_embedder.embedded.clear()
    removed, stats = pipeline.remove([doc_id])
    assert removed == [doc_id] and stats.embedded == 0 == len(fake_embedder.embedded)
    assert pipeline.store.cached_vectors(keys, fake_embedder.name) == {}


# --- the letter list follows the live generation -------------------------------------------------------


def test_letters_stored_by_an_interrupted_run_are_listed_as_pending(
    pipeline: Pipeline, settings: Settings, corpus_copy: Path, rag_cli
) -> None:
    """`rag index` stores letters before it builds their index; killed in between (the state built here
    with the run's own first half), the list must not claim the live index answers from them."""
    edited = corpus_copy / "reply-01.txt"
    held_back = corpus_copy / "reply-05.md"
    later = held_back.read_bytes()
    held_back.unlink()
    pipeline.index([corpus_copy])
    live = index_mod.current_name(settings.index_dir)
    assert all(d["indexed"] and d["index_note"] is None for d in pipeline.documents())

    held_back.write_bytes(later)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n附件：补充说明。\n", encoding="utf-8")
    report = pipeline.ingestor.ingest_paths([corpus_copy])  # stored; the run dies before build()
    assert len(report.added) == 1 and len(report.updated) == 1
    assert index_mod.current_name(settings.index_dir) == live

    docs = {Path(str(d["source"])).name: d for d in pipeline.documents()}
    pending = {name for name, d in docs.items() if not d["indexed"]}
    assert pending == {"reply-01.txt", "reply-05.md"}  # the new letter, and the new version of an old one
    assert all("待索引" in str(docs[n]["index_note"]) and "rag index" in str(docs[n]["index_note"])
               for n in pending)
    listed = rag_cli("docs", "--json")
    assert listed.exit_code == 0
    assert {Path(d["source"]).name for d in json.loads(listed.stdout) if not d["indexed"]} == pending
    table = rag_cli("docs")
    assert table.exit_code == 0 and table.stdout.count("待索引") == 3  # two rows and the line saying how
    assert "2 份答复函待索引" in table.stdout and "rag index --rebuild" in table.stdout

    pipeline.index([corpus_copy])
    assert all(d["indexed"] for d in pipeline.documents())


def test_live_letters_come_from_the_manifest_or_the_rows_of_an_older_one(
    pipeline: Pipeline, settings: Settings
) -> None:
    assert live_letters(settings.index_dir) is None  # no generation yet
    pipeline.index()
    name = index_mod.current_name(settings.index_dir)
    assert name is not None
    versions = pipeline.store.versions()
    letters = live_letters(settings.index_dir)
    assert letters == {d: sha[: LETTER_SHA] for d, sha in versions.items()}
    manifest_path = settings.index_dir / name / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["letters"]  # as a generation built before the manifest listed its letters
    manifest_path.write_text(json.dumps(manifest))
    assert live_letters(settings.index_dir) == dict.fromkeys(versions, "")
    assert all(d["indexed"] for d in Pipeline(settings, embedder=FakeEmbedder()).documents())
