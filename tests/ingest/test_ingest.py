import shutil
from pathlib import Path

import pytest

from rag.core.tokens import get_tokenizer
from rag.index.store import Store
from rag.ingest.ingestor import UPLOAD_PREFIX, Ingestor, Report, doc_id_for
from rag.pipeline import Pipeline
from tests.conftest import DATA, FakeEmbedder

WENZHOU_HEADER = "温州市民政局 · 温民提〔2019〕70号"
# each bad fixture and a phrase its skip reason must contain
BAD = {
    "empty.txt": "file is empty",
    "junk.txt": "looks binary",
    "letter.xyz": "unsupported file type '.xyz'",
    "corrupt.docx": "not a readable .docx",
    "corrupt.pdf": "corrupt PDF",
}


@pytest.fixture
def ingestor(tmp_path: Path) -> Ingestor:
    return Ingestor(Store(tmp_path / "store.sqlite"), get_tokenizer(), 320)


def _source(path: Path) -> str:
    return str(path.resolve())


def test_doc_id_follows_the_source() -> None:
    a = doc_id_for("/letters/a.txt")
    assert a == doc_id_for("/letters/a.txt") != doc_id_for("/letters/b.txt")
    assert len(a) == 12 and int(a, 16) >= 0


def test_corpus_then_unchanged_rerun_is_a_no_op(
    pipeline: Pipeline, corpus_copy: Path, fake_embedder: FakeEmbedder
) -> None:
    report, stats = pipeline.index([corpus_copy])
    sources = sorted(_source(f) for f in corpus_copy.iterdir())
    assert sorted(report.added) == sources and len(sources) == 5
    assert report.skipped == [] and report.changed
    assert stats is not None and stats.embedded == stats.chunks == len(fake_embedder.embedded)
    assert pipeline.store.count() == (5, stats.chunks)

    fake_embedder.embedded.clear()
    again, stats2 = pipeline.index([corpus_copy])
    assert sorted(again.unchanged) == sources
    assert again.added == again.updated == again.removed == []
    assert not again.changed and stats2 is None
    assert fake_embedder.embedded == []
    assert again.doc_ids == report.doc_ids


def test_changed_letter_reembeds_only_its_changed_chunk(
    pipeline: Pipeline, corpus_copy: Path, fake_embedder: FakeEmbedder
) -> None:
    pipeline.index([corpus_copy])
    n_chunks = pipeline.store.count()[1]
    letter = corpus_copy / "reply-03.txt"
    text = letter.read_text(encoding="utf-8")
    assert text.count("我市共有375家养老机构") == 1
    letter.write_text(text.replace("我市共有375家养老机构", "我市共有380家养老机构"), encoding="utf-8")

    fake_embedder.embedded.clear()
    report, stats = pipeline.index([corpus_copy])
    assert report.updated == [_source(letter)]
    assert len(report.unchanged) == 4 and report.added == []
    assert stats is not None and stats.chunks == n_chunks
    # one sentence changed → one chunk re-embedded; nothing of the other four letters
    assert stats.embedded == len(fake_embedder.embedded) == 1
    assert fake_embedder.embedded[0].startswith(WENZHOU_HEADER)
    assert "我市共有380家养老机构" in fake_embedder.embedded[0]
    doc = pipeline.store.document(report.doc_ids[_source(letter)])
    assert any("我市共有380家养老机构" in p.text for p in doc.paragraphs)
    assert not any("我市共有375家养老机构" in p.text for p in doc.paragraphs)


def test_prune_removes_documents_whose_file_is_gone(pipeline: Pipeline, corpus_copy: Path) -> None:
    pipeline.index([corpus_copy])
    gone = corpus_copy / "reply-05.md"
    doc_id = doc_id_for(_source(gone))
    gone.unlink()

    kept, _ = pipeline.index([corpus_copy])
    assert kept.removed == [] and doc_id in pipeline.store.doc_ids()  # without --prune nothing is removed

    report, stats = pipeline.index([corpus_copy], prune=True)
    assert report.removed == [_source(gone)]
    assert stats is not None
    assert doc_id not in pipeline.store.doc_ids() and pipeline.store.count()[0] == 4
    assert all(h.chunk.doc_id != doc_id for h in pipeline.search("咸阳市养老服务", k=20))


def test_prune_keeps_uploaded_letters(pipeline: Pipeline, corpus_copy: Path) -> None:
    """Uploads have no file on disk; --prune must not take them for files that disappeared."""
    pipeline.index([corpus_copy])
    data = (corpus_copy / "reply-01.txt").read_bytes()
    up, _ = pipeline.add_bytes([("letter.txt", data.replace(b"375", b"376"),
                                 f"{UPLOAD_PREFIX}abc:letter.txt")])
    uploaded = up.doc_ids[f"{UPLOAD_PREFIX}abc:letter.txt"]
    report, _ = pipeline.index([corpus_copy], prune=True)
    assert report.removed == [] and uploaded in pipeline.store.doc_ids()


def test_bad_files_are_reported_and_good_ones_still_ingested(ingestor: Ingestor, corpus_copy: Path) -> None:
    good = [corpus_copy / "reply-02.txt", DATA / "letter-gbk.txt"]
    report = ingestor.ingest_paths([good[0], *(DATA / n for n in BAD), good[1]])
    assert report.added == [_source(g) for g in good]
    reasons = {Path(name).name: reason for name, reason in report.skipped}
    assert set(reasons) == set(BAD)
    for name, phrase in BAD.items():
        assert phrase in reasons[name], (name, reasons[name])
        assert name in reasons[name]  # the message names the file, too
    assert ingestor.store.count()[0] == 2


def test_folder_and_missing_path_reasons(ingestor: Ingestor, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "letter.xyz", folder)
    shutil.copy(DATA / "letter-gbk.txt", folder)
    (folder / ".hidden.txt").write_text("忽略", encoding="utf-8")
    report = ingestor.ingest_paths([folder, tmp_path / "nope.txt"])
    assert report.added == [_source(folder / "letter-gbk.txt")]
    assert sorted(report.skipped) == sorted([
        (str(folder / "letter.xyz"), "unsupported type .xyz"),
        (str(tmp_path / "nope.txt"), "no such file or folder"),
    ])


@pytest.mark.parametrize(
    ("good", "bad"),
    [("letter-gbk.txt", "junk.txt"), ("letter-gbk.txt", "empty.txt"), ("letter.docx", "corrupt.docx"),
     ("letter.pdf", "corrupt.pdf")],
)
def test_bad_new_version_keeps_the_stored_good_one(ingestor: Ingestor, tmp_path: Path, good: str, bad: str) -> None:
    path = tmp_path / f"letter{Path(good).suffix}"
    shutil.copy(DATA / good, path)
    first = ingestor.ingest_paths([path])
    assert first.added == [_source(path)]
    doc_id = first.doc_ids[_source(path)]
    stored = ingestor.store.document(doc_id)
    chunks_before = ingestor.store.all_chunks()

    shutil.copy(DATA / bad, path)
    report = ingestor.ingest_paths([path])
    assert report.updated == report.added == [] and len(report.skipped) == 1
    assert report.skipped[0][0] == str(path) and BAD[bad] in report.skipped[0][1]
    assert ingestor.store.document(doc_id) == stored
    assert ingestor.store.all_chunks() == chunks_before

    shutil.copy(DATA / good, path)  # the original bytes again: nothing to do
    assert ingestor.ingest_paths([path]).unchanged == [_source(path)]


def test_uploaded_bytes_are_keyed_by_source(ingestor: Ingestor) -> None:
    data = (DATA / "letter-gbk.txt").read_bytes()
    report = ingestor.ingest_bytes(data, "来函.txt", "upload:来函.txt")
    assert report.added == ["upload:来函.txt"]
    doc = ingestor.store.document(report.doc_ids["upload:来函.txt"])
    assert doc.encoding == "gb18030" and doc.meta.bureau == "青山市民政局"
    assert ingestor.ingest_bytes(data, "来函.txt", "upload:来函.txt").unchanged == ["upload:来函.txt"]

    bad = ingestor.ingest_bytes(b"\x00\x01binary", "x.txt", "upload:x.txt", Report())
    assert bad.skipped == [("x.txt", "x.txt: contains NUL bytes, so it looks binary; if it is UTF-16 text, "
                                     "save it with a BOM or as UTF-8")]


@pytest.mark.parametrize("data", [b"x", "测试".encode(), "关于社区食堂的答复函".encode(), b"hello world\n" * 50])
def test_a_file_with_next_to_no_chinese_text_is_not_taken_for_a_letter(ingestor: Ingestor, data: bytes) -> None:
    report = ingestor.ingest_bytes(data, "x.txt", "upload:x.txt")
    assert report.added == [] and ingestor.store.count()[0] == 0
    ((name, reason),) = report.skipped
    assert name == "x.txt" and reason.startswith("x.txt: no letter text found: ")
    assert f"{len(data):,} bytes" in reason and "upload its full text" in reason


def test_a_one_paragraph_note_is_still_a_letter(ingestor: Ingestor) -> None:
    note = "您提出的关于社区食堂的建议收悉，我局将认真研究办理。"  # 23 Chinese characters
    assert ingestor.ingest_bytes(note.encode(), "短函.txt", "upload:短函.txt").added == ["upload:短函.txt"]
    assert ingestor.ingest_paths([DATA / "no-meta.txt"]).added == [_source(DATA / "no-meta.txt")]


@pytest.mark.parametrize("limit_mb, indexed", [(4 / 1024, False), (20 / 1024, True)])  # whole KB: exact bytes
def test_letter_size_limit_follows_rag_max_upload_mb(settings, fake_embedder: FakeEmbedder, corpus_copy: Path,
                                                     limit_mb: float, indexed: bool) -> None:
    """One limit for uploads and `rag index`: a RAG_MAX_UPLOAD_MB above or below the default applies to
    files read from disk too, and the refusal names the setting."""
    letter = max(corpus_copy.glob("*.*"), key=lambda p: p.stat().st_size)
    size_mb = letter.stat().st_size / 2**20
    assert 4 / 1024 < size_mb < 20 / 1024, size_mb  # the fixture straddles the two limits
    pipe = Pipeline(settings.model_copy(update={"max_upload_mb": limit_mb}), embedder=fake_embedder)
    report, _ = pipe.index([letter])
    if indexed:
        assert report.added == [str(letter.resolve())] and not report.skipped
    else:
        assert report.added == []
        assert f"over the {limit_mb:g} MB limit for one letter" in report.skipped[0][1]
        assert "RAG_MAX_UPLOAD_MB" in report.skipped[0][1]
