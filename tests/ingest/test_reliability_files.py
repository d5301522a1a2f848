"""One batch folder with good letters and every kind of bad file: each bad one is named with a reason, the
good ones are indexed, and a re-run with the bad files still there changes nothing that is stored.

The bad files are made here in tmp_path (the 50 MB one too), never committed.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import Result
from pypdf import PdfReader, PdfWriter

from eval.bench.ingest import docx_of
from rag.core.errors import InputError
from rag.core.settings import Settings
from rag.index import generation as index_mod
from rag.ingest.load import MAX_MB, read_bytes, read_file
from rag.pipeline import Pipeline
from tests.conftest import CORPUS, DATA
from tests.data.make_fixtures import HEADER, LETTER

GOOD_FIXTURES = ("letter-gbk.txt", "letter-utf16.txt", "letter.docx", "letter.pdf", "page.html")
# the mixed-encoding letter: header pasted in as UTF-8, the rest saved by an old editor as GBK
MIXED_SPLIT = len("\n\n".join(HEADER))
MIXED = LETTER[:MIXED_SPLIT].encode("utf-8") + LETTER[MIXED_SPLIT:].encode("gbk")


def _empty_docx() -> bytes:
    buf = io.BytesIO()
    docx.Document().save(buf)  # a valid Word file with no paragraph text
    return buf.getvalue()


def _flip_inside_document_xml(data: bytes) -> bytes:
    """Damage the compressed word/document.xml of a .docx while the zip directory stays intact."""
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    mid = start + info.compress_size // 2
    return data[:mid] + bytes(b ^ 0x5A for b in data[mid : mid + 64]) + data[mid + 64 :]


def _zip_without_word() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "不是Word文件")
    return buf.getvalue()


def _bad_files() -> dict[str, tuple[bytes, str]]:
    """name → (content, a phrase its skip reason must contain)."""
    pdf, docx_bytes = (DATA / "letter.pdf").read_bytes(), (DATA / "letter.docx").read_bytes()
    return {
        "empty.txt": (b"", "file is empty"),
        "blank.md": (b" \r\n\t\n\xe3\x80\x80\n", "no text found in the md file"),
        "binary.txt": (bytes(range(256)) * 64, "looks binary"),
        "control.txt": (bytes(range(1, 32)) * 40, "control or undecodable"),
        "truncated.docx": (docx_bytes[: len(docx_bytes) // 2], "not a readable .docx"),
        "damaged.docx": (_flip_inside_document_xml(docx_bytes), "Bad CRC-32 for file 'word/document.xml'"),
        "truncated.pdf": (pdf[: len(pdf) * 2 // 3], "ends without the %%EOF marker"),
        "corrupt.pdf": ((DATA / "corrupt.pdf").read_bytes(), "corrupt PDF"),
        "pdf-named.txt": (pdf, "named .txt but the content is a PDF file; rename it to .pdf"),
        "docx-named.pdf": (docx_bytes, "named .pdf but the content is a ZIP archive"),
        "pdf-named.docx": (pdf, "named .docx but the content is a PDF file"),
        "photo.txt": (b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image; run OCR"),
        "old-word.docx": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old Word .doc"),
        "archive.docx": (_zip_without_word(), "not a Word document (no word/document.xml)"),
        "no-text.docx": (_empty_docx(), "no text found in the docx file"),
        "scanned.pdf": ((DATA / "scanned.pdf").read_bytes(), "no text layer"),
        "chrome-only.html": ("<html><body><nav>首页</nav><script>x()</script></body></html>".encode(), "no text found"),
        "letter.xyz": (LETTER.encode(), "unsupported type .xyz"),
        "huge.txt": (b"", f"50.0 MB is over the {MAX_MB} MB limit"),  # written below, 50 MB
    }


def _write_bad(folder: Path) -> dict[str, str]:
    bad = _bad_files()
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    with open(folder / "huge.txt", "wb") as f:  # a real 50 MB text file: the limit refuses it unread
        f.truncate(50 * 2**20)
        f.seek(0)
        f.write(LETTER.encode())
    return {name: phrase for name, (_, phrase) in bad.items()}


def _write_good(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for p in sorted(CORPUS.iterdir()):
        shutil.copy(p, folder)
    for name in GOOD_FIXTURES:
        shutil.copy(DATA / name, folder)
    (folder / "mixed-encoding.txt").write_bytes(MIXED)
    return sorted(p.resolve() for p in folder.iterdir())


def _snapshot(pipe: Pipeline, settings: Settings) -> dict[str, object]:
    """Everything a re-run must leave alone: stored documents, chunk ids and text, the live generation's files."""
    store = pipe.store
    gen = index_mod.current_name(settings.index_dir)
    files = {p.relative_to(settings.index_dir).as_posix(): p.read_bytes()
             for p in sorted((settings.index_dir / gen).rglob("*")) if p.is_file()}
    return {"docs": [store.document(d) for d in store.doc_ids()],
            "chunks": [(c.id, c.text, toks) for c, toks in store.all_chunks()],
            "generation": gen, "files": files}


def test_bad_files_are_named_good_ones_indexed_and_a_rerun_changes_nothing(
    pipeline: Pipeline, settings: Settings, tmp_path: Path
) -> None:
    batch = tmp_path / "batch"
    good = _write_good(batch)
    first, stats = pipeline.index([batch])
    # the fixtures are one letter (one 文号) in several encodings and formats: each file is read, and they make
    # one letter ("unchanged" when the text is the same, "updated" when a format reads it a little differently)
    assert sorted(first.added + first.unchanged + first.updated) == [str(p) for p in good] and first.skipped == []
    assert len(set(first.doc_ids.values())) == len(first.added) and stats is not None
    before = _snapshot(pipeline, settings)

    phrases = _write_bad(batch)
    report, stats = pipeline.index([batch])
    reasons = {Path(name).name: reason for name, reason in report.skipped}
    assert sorted(reasons) == sorted(phrases)  # every bad file, once, by name
    for name, phrase in phrases.items():
        assert phrase in reasons[name], (name, reasons[name])
        if name != "letter.xyz":  # the folder walk reports a foreign type by its suffix alone
            assert name in reasons[name], (name, reasons[name])
    assert sorted(report.unchanged) == [str(p) for p in good] and not report.changed
    assert stats is None
    assert _snapshot(pipeline, settings) == before  # same documents, chunk ids, generation, index bytes

    # a fresh process opening the index answers from the good letters, the mixed one included
    fresh = Pipeline(settings, embedder=pipeline.embedder)
    hit = fresh.search("青山市养老护理员培训1000人次", k=1, mode="bm25")[0]
    assert hit.meta.bureau == "青山市民政局"


def test_pdf_cut_inside_an_appended_revision_is_refused_not_read_short(tmp_path: Path) -> None:
    writer = PdfWriter(DATA / "letter.pdf", incremental=True)  # a second revision appended, as editors save
    writer.add_blank_page(200, 200)
    buf = io.BytesIO()
    writer.write(buf)
    cut = buf.getvalue()[:-40]  # the copy stopped just before the end
    before = len(PdfReader(DATA / "letter.pdf").pages)
    assert len(PdfReader(buf).pages) == before + 1
    assert len(PdfReader(io.BytesIO(cut)).pages) == before  # pypdf alone reads the old revision, silently
    with pytest.raises(InputError, match=r"rev\.pdf: corrupt PDF: it ends without the %%EOF marker"):
        read_bytes(cut, "rev.pdf")


def test_cli_prints_file_names_verbatim_even_when_they_look_like_markup(
    tmp_path: Path, rag_cli: Callable[..., Result]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "[red]草稿.txt").write_bytes(b"")
    result = rag_cli("index", folder)
    assert f"skipped {folder / '[red]草稿.txt'}: {folder / '[red]草稿.txt'}: file is empty" in result.stdout


def test_mixed_utf8_and_gbk_lines_decode_verbatim(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(MIXED)
    raw = read_file(path)
    assert raw.encoding == "utf-8+gb18030"
    assert raw.text == LETTER  # neither part turned into mojibake


def test_pure_gbk_is_not_mistaken_for_mixed() -> None:
    raw = read_file(DATA / "letter-gbk.txt")
    assert (raw.encoding, raw.text) == ("gb18030", LETTER)


@pytest.mark.parametrize("limit_mb", [1, 5])
def test_size_limit_names_the_file_the_size_and_the_limit(limit_mb: int) -> None:
    fits = limit_mb * 2**20 // len(LETTER.encode())  # this many copies of the letter fit under the limit
    with pytest.raises(InputError) as e:
        read_bytes(LETTER.encode() * (fits + 1), "来函.txt", max_bytes=limit_mb * 2**20)
    size = len(LETTER.encode()) * (fits + 1) / 2**20
    assert str(e.value).startswith(f"来函.txt: {size:.1f} MB is over the {limit_mb} MB limit for one letter")
    assert read_bytes(LETTER.encode() * fits, "来函.txt", max_bytes=limit_mb * 2**20).text.startswith(LETTER)


def test_a_docx_whose_text_part_unpacks_past_the_limit_is_refused_unread() -> None:
    # 40 KB of file, 0.35 MB of tiny paragraphs once unpacked, which python-docx would read one by one
    data = docx_of(["a"] * 10_000)
    xml = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").file_size
    assert len(data) < 50_000 < 2**18 < xml
    with pytest.raises(InputError) as e:
        read_bytes(data, "碎段落.docx", max_bytes=2**18)
    assert str(e.value).startswith(f"碎段落.docx: its text part (word/document.xml) unpacks to {xml / 2**20:.1f} MB, "
                                   "over the 0.25 MB limit for one letter")
    assert read_bytes(data, "碎段落.docx", max_bytes=2 * xml).text == "\n".join(["a"] * 10_000)
