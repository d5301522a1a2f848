"""rag.ingest.load: formats, encodings and bad input. Fixtures come from tests/data/make_fixtures.py."""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

import pytest

from rag.core.errors import InputError
from rag.ingest.load import SUPPORTED_SUFFIXES, decode_text, html_text, read_bytes, read_file
from tests.scaling import FACTOR, LINEAR, growth

DATA = Path(__file__).parents[1] / "data"
CORPUS = Path(__file__).parents[2] / "corpus"


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("letter-gbk.txt", "gb18030"),
        ("letter-utf16.txt", "utf-16"),
        ("letter-utf8-bom.txt", "utf-8-sig"),
        ("no-meta.txt", "utf-8"),
    ],
)
def test_text_encodings_are_detected_not_assumed(name: str, encoding: str) -> None:
    raw = read_file(DATA / name)
    assert raw.encoding == encoding
    assert raw.fmt == "txt"
    assert not raw.text.startswith("\ufeff")  # the BOM is not text
    if name != "no-meta.txt":
        assert raw.text.splitlines()[0] == "青山市民政局"
        assert "青民函〔2024〕12号" in raw.text


def test_all_encodings_give_the_same_text() -> None:
    texts = {read_file(DATA / n).text for n in ("letter-gbk.txt", "letter-utf16.txt", "letter-utf8-bom.txt")}
    assert len(texts) == 1


def test_sha256_is_of_the_raw_bytes_and_source_is_resolved() -> None:
    path = DATA / "letter-gbk.txt"
    raw = read_file(path)
    assert raw.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert raw.source == str(path.resolve())


def test_read_bytes_never_opens_the_name() -> None:
    data = (DATA / "letter-utf8-bom.txt").read_bytes()
    raw = read_bytes(data, "../../etc/passwd.TXT")  # only the extension and the label are used
    assert raw.source == "../../etc/passwd.TXT"
    assert raw.fmt == "txt"
    assert raw.text == read_file(DATA / "letter-utf8-bom.txt").text
    assert raw.sha256 == hashlib.sha256(data).hexdigest()


def test_gb18030_only_when_utf8_fails_and_charset_normalizer_last() -> None:
    assert decode_text("民政局".encode()) == ("民政局", "utf-8")
    assert decode_text("民政局".encode("gbk")) == ("民政局", "gb18030")
    text, enc = decode_text("Réponse à la lettre du ministère, été 2021.".encode("cp1252") * 3)
    assert "lettre" in text
    assert enc not in ("utf-8", "gb18030")


@pytest.mark.parametrize("path", sorted(CORPUS.iterdir()), ids=lambda p: p.name)
def test_corpus_letters_load(path: Path) -> None:
    raw = read_file(path)
    assert raw.encoding == "utf-8"
    assert raw.fmt == ("md" if path.suffix == ".md" else "txt")
    assert len(raw.text) > 2000


def test_docx_paragraphs_and_table_cells_in_order() -> None:
    raw = read_file(DATA / "letter.docx")
    assert (raw.fmt, raw.encoding) == ("docx", "docx")
    lines = raw.text.splitlines()
    assert lines[:2] == ["青山市民政局", "青民函〔2024〕12号"]
    # the table sits between the first paragraph of 一、 and 二、, one line per row
    i = lines.index("项目\t数量")
    assert lines[i + 1] == "养老机构\t20家"
    assert lines.index("二、下一步工作") > i
    assert lines[-1] == "抄送：市政协提案委、市政府办公室"


def test_pdf_text_layer_with_page_break_as_blank_line() -> None:
    raw = read_file(DATA / "letter.pdf")
    assert (raw.fmt, raw.encoding) == ("pdf", "pdf")
    assert "青山市民政局关于市政协五届三次会议第88号提案答复的函" in raw.text
    assert "幸福\n\n" in raw.text  # page 1 ends mid-word; rag.ingest.clean joins it
    assert "青民函〔2024〕12号" in raw.text


def test_html_drops_script_style_nav_header_footer() -> None:
    raw = read_file(DATA / "page.html")
    assert raw.fmt == "html"
    for gone in ("脚本里的字", "font-size", "机构概况", "门户网站", "版权所有", "ICP备"):
        assert gone not in raw.text
    lines = raw.text.splitlines()
    assert "全市共有养老机构20家，老年人的幸福感持续增强。" in lines  # inline spans join without a space
    assert "您提出的《关于加强社区养老服务的建议》（第88号提案）收悉，现答复如下：" in lines  # soft wrap
    # <br> and block tags become line breaks
    assert lines.index("推动居家养老服务提质增效。") == lines.index("加快出台社区养老服务设施建设管理办法。") + 1
    assert "【打印本页】【关闭窗口】" in lines  # page chrome is rag.ingest.clean's job


def test_html_text_keeps_latin_words_apart() -> None:
    assert html_text("<p>policy\nreply</p><p>第二段</p>") == "policy reply\n第二段"


def test_html_comments_and_doctype_are_not_text() -> None:
    markup = "<!DOCTYPE html><html><body><!-- 注释 --><p>正文<!--x-->一段</p></body></html>"
    assert html_text(markup) == "正文一段"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("empty.txt", "empty"),
        ("junk.txt", "NUL bytes"),
        ("junk-control.txt", "control or undecodable"),
        ("letter.xyz", "unsupported file type '.xyz'"),
        ("corrupt.docx", "not a readable .docx"),
        ("corrupt.pdf", "corrupt PDF"),
        ("scanned.pdf", "scanned PDF? run OCR first"),
    ],
)
def test_bad_input_names_the_file_and_the_fix(name: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        read_file(DATA / name)
    assert fragment in str(err.value)
    assert name in str(err.value)


def test_unsupported_suffix_lists_the_supported_ones() -> None:
    with pytest.raises(InputError, match=r"\.docx, \.htm, \.html, \.md, \.pdf, \.txt"):
        read_bytes(b"hello", "letter.rtf")
    with pytest.raises(InputError, match="no extension"):
        read_bytes(b"hello", "README")
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".html", ".htm", ".docx", ".pdf"}


def test_missing_file_folder_and_not_a_pdf() -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(DATA / "missing.txt")
    with pytest.raises(InputError, match="is a folder"):
        read_file(DATA)
    with pytest.raises(InputError, match="not a PDF"):
        read_bytes(b"just text pretending", "x.pdf")


def test_whitespace_only_and_bom_only_files_are_empty() -> None:
    with pytest.raises(InputError, match="empty"):
        read_bytes(b" \n\r\n\t", "blank.txt")
    with pytest.raises(InputError, match="no text found"):
        read_bytes(codecs.BOM_UTF16_LE, "bom.txt")
    with pytest.raises(InputError, match="no text found"):
        read_bytes("\ufeff\u200b\n".encode("utf-16"), "bom.txt")


def test_deeply_nested_html_costs_time_linear_in_its_depth() -> None:
    # bs4 walks to an element's last descendant on every insert: 20,000 nested <div> took 73 s
    def page(depth: int) -> str:
        return "<html><body>" + "<div>" * depth + "<p>答复正文。</p>" + "</div>" * depth + "</body></html>"

    html_text(page(1))  # bs4 and lxml load on first use
    assert growth(html_text, page(600), page(600 * FACTOR)) < LINEAR
    assert html_text(page(3)) == "答复正文。"
