"""Property tests (hypothesis): hostile bytes and text never crash the loaders or the chunker.

Loaders: any bytes under any supported suffix give a RawText or an InputError, nothing else. Damaged
copies of the real fixtures reach deep into python-docx and pypdf, where the odd errors live.
Text path: any Unicode through clean → structure → chunk keeps every paragraph a verbatim slice of the
cleaned lines and every chunk a verbatim slice of the cleaned letter, losing no character.
Linear rewrites of regexes that backtracked on hostile lines: each gives what its regex (kept here as the
reference) gave, on strings made of the characters that matter to it.
Example counts are modest so the file runs in seconds; raise them with RAG_FUZZ_EXAMPLES=2000.
"""

from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.core.errors import InputError
from rag.core.records import RawText
from rag.ingest.chunk import chunk_document
from rag.ingest.clean import _md_heading, clean_text, contact_of
from rag.ingest.load import _CJK, SUPPORTED_SUFFIXES, read_bytes, unwrap
from rag.ingest.structure import _plain_title, parse_document
from tests.conftest import DATA

# local settings, not a global profile: other modules' hypothesis tests (schemathesis) keep theirs
EXAMPLES = int(os.environ.get("RAG_FUZZ_EXAMPLES", "60"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FIXTURES = {name: (DATA / name).read_bytes() for name in
            ("letter.docx", "letter.pdf", "letter-gbk.txt", "letter-utf16.txt", "page.html")}
PREFIXES = [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"<html><body>",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1"]
# letter-shaped text: outline markers, CJK and full-width punctuation, meta lines, markdown, odd spaces
PIECES = ["一、", "（二）", "3.", "（4）", "第一节", "。", "；", "！", "？", "，", "、", "：", "\n", "\n\n",
          "\r\n", " ", "\u3000", "\t", "\ufeff", "\u200b", "\u2028", "\x0c", "民政局", "关于", "的答复函", "委员：",
          "联系人：李华", "抄送：", "2024年5月20日", "〔2024〕12号", "# ", "**", "---", "> ", "- ", "养老机构20家",
          "【打印本页】", "ABC", "123", "\x00", "\ud7ff", "\U0001f600"]
letterish = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=80).map("".join)


def _load_or_input_error(data: bytes, name: str) -> RawText | None:
    try:
        raw = read_bytes(data, name)
    except InputError:
        return None
    assert raw.text.strip() and raw.sha256 and raw.source == name
    return raw


@fuzz
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=3000), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_random_bytes_give_text_or_input_error(prefix: bytes, body: bytes, suffix: str) -> None:
    _load_or_input_error(prefix + body, f"fuzz{suffix}")


@settings(fuzz, max_examples=max(1, EXAMPLES * 2 // 3))
@given(name=st.sampled_from(sorted(FIXTURES)), data=st.data())
def test_damaged_fixtures_give_text_or_input_error(name: str, data: st.DataObject) -> None:
    blob = bytearray(FIXTURES[name])
    for _ in range(data.draw(st.integers(1, 6), label="edits")):
        at = data.draw(st.integers(0, len(blob) - 1), label="at")
        kind = data.draw(st.sampled_from(["flip", "cut", "insert", "zero"]), label="kind")
        if kind == "flip":
            blob[at] ^= data.draw(st.integers(1, 255))
        elif kind == "cut":
            del blob[at : at + data.draw(st.integers(1, 4096))]
        elif kind == "insert":
            blob[at:at] = data.draw(st.binary(min_size=1, max_size=64))
        else:
            blob[at : at + 64] = bytes(len(blob[at : at + 64]))
        if not blob:
            break
    suffix = name[name.rindex(".") :]
    _load_or_input_error(bytes(blob), f"fuzz{suffix}")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@fuzz
@given(text=st.text(max_size=400))
def test_utf8_text_is_read_back_verbatim_or_refused(suffix: str, text: str) -> None:
    raw = _load_or_input_error(text.encode("utf-8"), f"fuzz{suffix}")
    if raw is not None and suffix != ".html" and not text.startswith("\ufeff"):
        assert raw.text == text  # decoding never alters a UTF-8 letter (a leading BOM is not text)


@fuzz
@given(text=st.one_of(letterish, st.text(max_size=600)), fmt=st.sampled_from(["txt", "md", "html", "pdf", "docx"]),
       max_chars=st.integers(50, 400))
def test_chunks_are_verbatim_slices_of_the_cleaned_letter(text: str, fmt: str, max_chars: int) -> None:
    raw = RawText(source="fuzz", text=text, fmt=fmt, encoding="utf-8", sha256="0" * 64)
    try:
        doc = parse_document(raw, "fuzzdoc")
    except InputError:
        return
    cleaned = "\n".join(clean_text(text, fmt))
    for p in doc.paragraphs:
        assert p.text and p.text in cleaned, p
    chunks = chunk_document(doc, max_chars)
    letter = doc.text  # the cleaned letter: its paragraphs, one per line
    for c in chunks:
        assert c.text and c.text in letter, c
        assert set(c.paragraph_ids) <= {p.id for p in doc.paragraphs}
    # in order, nothing lost and nothing repeated: the chunks put back together are the paragraphs
    assert "".join(c.text for c in chunks).replace("\n", "") == "".join(p.text for p in doc.paragraphs)


# -- linear rewrites against the regexes they replace ---------------------------------------------------

SOFT_WRAP = re.compile(rf"(?<=[{_CJK}])\s*\n\s*(?=[{_CJK}])")
CONTACT_LINE = re.compile(
    r"[（(]?\s*(?:联系人|联系单位及电话|联系单位|联系方式|联系电话)\s*[：:]\s*(.+?)\s*[）)]?\s*[。.]?"
)
MD_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*")
PLAIN_TITLE = re.compile(r"(?:提出|所提出?|提交|递交)的(关于.+?(?:建议|提案|议案|意见))(?:已)?收悉")


def _made_of(*pieces: str) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=24).map("".join)


@fuzz
@given(_made_of("字", "a", " ", "\n", "\u3000", "\t", "、", "1", "\r", "\u2003", "，"))
def test_unwrap_removes_what_the_soft_wrap_regex_removed(text: str) -> None:
    assert unwrap(text) == SOFT_WRAP.sub("", text)


@fuzz
@given(_made_of("（", "(", " ", "联系人", "联系单位", "联系单位及电话", "：", ":", "）", ")", "。", ".", "刘", "a",
                "\u3000", "\t"))
def test_contact_of_gives_the_contact_regex_group(line: str) -> None:
    m = CONTACT_LINE.fullmatch(line)
    assert contact_of(line) == (m.group(1) if m else None)


@fuzz
@given(_made_of(" ", "#", "##", "a", "标题", "\t", "\u3000", "*"))
def test_md_heading_gives_the_heading_regex_group(line: str) -> None:
    m = MD_HEADING.fullmatch(line)
    assert _md_heading(line) == (m.group(1) if m else None)


@fuzz
@given(_made_of("提出", "所提", "所提出", "提交", "的", "关于", "X", "建议", "意见", "已", "收悉", "。", " "))
def test_plain_title_gives_the_title_regex_group(line: str) -> None:
    m = PLAIN_TITLE.search(line)
    assert _plain_title(line) == (m.group(1) if m else None)
