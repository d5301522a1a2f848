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


# --- a letter is known by what it is, not by its file (issue 16) ------------------------------------

def _wenzhou(corpus_copy: Path) -> bytes:
    return (corpus_copy / "reply-03.txt").read_bytes()


def test_the_same_letter_under_another_name_or_encoding_is_unchanged(pipeline: Pipeline, corpus_copy: Path) -> None:
    pipeline.index([corpus_copy])
    wenzhou = doc_id_for(_source(corpus_copy / "reply-03.txt"))
    data = _wenzhou(corpus_copy)
    gbk = data.decode("utf-8").encode("gb18030")
    retyped = data.decode("utf-8").replace("，", ",").replace("\n\n", "\n  \n").encode("utf-8")  # spacing, commas
    report, stats = pipeline.add_bytes([
        ("温州答复.txt", data, f"{UPLOAD_PREFIX}aaa:温州答复.txt"),
        ("温州答复-gbk.txt", gbk, f"{UPLOAD_PREFIX}bbb:温州答复-gbk.txt"),
        ("另存为.txt", retyped, f"{UPLOAD_PREFIX}ccc:另存为.txt"),
    ])
    assert len(report.unchanged) == 3 and report.added == report.updated == []
    assert set(report.doc_ids.values()) == {wenzhou}
    assert stats is None and pipeline.store.count()[0] == 5  # nothing to rebuild: one letter, one entry
    copy = corpus_copy / "sub" / "温州-副本.txt"  # the same file in another folder given to `rag index`
    copy.parent.mkdir()
    copy.write_bytes(gbk)
    again, _ = pipeline.index([corpus_copy])
    assert _source(copy) in again.unchanged and again.doc_ids[_source(copy)] == wenzhou
    assert pipeline.store.count()[0] == 5


def test_a_new_version_of_a_letter_replaces_it_and_the_old_one_is_history(
    pipeline: Pipeline, corpus_copy: Path
) -> None:
    pipeline.index([corpus_copy])
    wenzhou = doc_id_for(_source(corpus_copy / "reply-03.txt"))
    v2 = _wenzhou(corpus_copy).replace("我市共有375家养老机构".encode(), "我市共有380家养老机构".encode())
    up = f"{UPLOAD_PREFIX}v2:温州答复（更正）.txt"  # another name: the 文号 and bureau say which letter it is
    report, stats = pipeline.add_bytes([("温州答复（更正）.txt", v2, up)])
    assert report.updated == [up] and report.added == []
    assert report.replaced == {up: _source(corpus_copy / "reply-03.txt")}
    assert report.doc_ids[up] == wenzhou and stats is not None  # the letter keeps its id
    assert pipeline.store.count()[0] == 5
    assert "380家" in pipeline.ask("温州市有多少家养老机构？").direct
    texts = [h.chunk.text for h in pipeline.search("温州市有多少家养老机构", k=20)]
    assert any("380家" in t for t in texts) and not any("375家" in t for t in texts)  # history is never searched
    [old] = pipeline.store.history(wenzhou)
    assert old["reason"] == "replaced" and old["replaced_by"] == up
    assert any("375家" in p for p in old["paragraphs"])
    assert [d["doc_id"] for d in pipeline.store.list_documents()].count(wenzhou) == 1

    # the folder still holds the first version: re-indexing it does not bring it back over the correction
    rerun, _ = pipeline.index([corpus_copy])
    assert _source(corpus_copy / "reply-03.txt") in rerun.unchanged and not rerun.changed
    assert "380家" in pipeline.ask("温州市有多少家养老机构？").direct


def test_a_letter_in_a_folder_and_uploaded_lives_while_either_remains(pipeline: Pipeline, corpus_copy: Path) -> None:
    pipeline.index([corpus_copy])
    path = corpus_copy / "reply-03.txt"
    wenzhou = doc_id_for(_source(path))
    up = f"{UPLOAD_PREFIX}x:温州.txt"
    pipeline.add_bytes([("温州.txt", path.read_bytes(), up)])
    path.unlink()
    report, _ = pipeline.index([corpus_copy], prune=True)
    assert report.removed == [] and wenzhou in pipeline.store.doc_ids()  # the upload keeps it
    assert pipeline.store.sources_of(wenzhou) == [up]
    assert pipeline.store.source_of(wenzhou) == up  # listed under the source it still has


def test_deleting_a_letter_keeps_its_versions_as_history_and_brings_none_back(
    pipeline: Pipeline, corpus_copy: Path
) -> None:
    pipeline.index([corpus_copy])
    path = corpus_copy / "reply-03.txt"
    wenzhou = doc_id_for(_source(path))
    v2 = path.read_bytes().replace("我市共有375家养老机构".encode(), "我市共有380家养老机构".encode())
    pipeline.add_bytes([("v2.txt", v2, f"{UPLOAD_PREFIX}v2:v2.txt")])
    removed, _ = pipeline.remove([wenzhou])
    assert removed == [wenzhou] and wenzhou not in pipeline.store.doc_ids()
    assert [v["reason"] for v in pipeline.store.history(wenzhou)] == ["deleted", "replaced"]
    assert all(h.meta.bureau != "温州市民政局" for h in pipeline.search("温州市养老机构", k=20))
    assert not pipeline.ask("温州市有多少家养老机构？").found  # the older version did not come back
    # the file is still in the folder: indexing the folder again adds it, and says so
    report, _ = pipeline.index([corpus_copy])
    assert report.added == [_source(path)]


def test_prune_retires_a_letter_whose_only_file_is_gone(pipeline: Pipeline, corpus_copy: Path) -> None:
    pipeline.index([corpus_copy])
    gone = corpus_copy / "reply-05.md"
    doc_id = doc_id_for(_source(gone))
    gone.unlink()
    report, _ = pipeline.index([corpus_copy], prune=True)
    assert report.removed == [_source(gone)]
    assert [v["reason"] for v in pipeline.store.history(doc_id)] == ["removed"]


def test_letters_without_a_number_are_known_by_their_text(ingestor: Ingestor, tmp_path: Path) -> None:
    text = (DATA / "no-meta.txt").read_text(encoding="utf-8")
    first = ingestor.ingest_bytes(text.encode(), "a.txt", "upload:1:a.txt")
    same = ingestor.ingest_bytes(text.encode("gb18030"), "b.txt", "upload:2:b.txt")
    other = ingestor.ingest_bytes((text + "\n周三供应饺子。\n").encode(), "a.txt", "upload:3:a.txt")
    assert first.added and same.unchanged and other.added  # no 文号: another text is another letter
    assert same.doc_ids["upload:2:b.txt"] == first.doc_ids["upload:1:a.txt"]
    assert ingestor.store.count()[0] == 2
    # a file edited in place is its letter's next version, whatever it says
    path = tmp_path / "菜单.txt"
    path.write_text(text, encoding="utf-8")
    ingestor.ingest_paths([path])  # the same text as upload 1: unchanged
    path.write_text(text.replace("面条", "馄饨"), encoding="utf-8")
    edited = ingestor.ingest_paths([path])
    assert edited.added == [_source(path)]  # this file shared its letter with an upload: the upload keeps it
    assert ingestor.store.count()[0] == 3
    path.write_text(text.replace("面条", "水饺"), encoding="utf-8")
    again = ingestor.ingest_paths([path])
    assert again.updated == [_source(path)] and again.doc_ids == edited.doc_ids
    assert ingestor.store.count()[0] == 3
