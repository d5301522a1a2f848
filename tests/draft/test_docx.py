"""The .docx letter: opens with python-docx, official layout, sources as comments (or a list)."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from rag.draft import Draft, draft
from rag.draft.docx import docx_bytes, write_docx
from tests.draft.test_draft import FakeSearcher, _request


@pytest.fixture(scope="module")
def letter() -> Draft:
    return draft(
        _request(title="关于加强养老机构和养老床位建设的建议", co_units=("市卫生健康局",)),
        FakeSearcher(),
        signed=date(2024, 5, 1),
    )


def _open(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def _para(doc: docx.document.Document, text: str):
    found = [p for p in doc.paragraphs if p.text == text]
    assert found, f"no paragraph {text!r}"
    return found[0]


def test_page_is_a4_with_official_margins(letter):
    s = _open(docx_bytes(letter)).sections[0]
    assert (round(s.page_width.cm, 1), round(s.page_height.cm, 1)) == (21.0, 29.7)
    assert abs(s.top_margin - Cm(3.7)) < Cm(0.01) and abs(s.left_margin - Cm(2.8)) < Cm(0.01)


def test_title_centred_bold_and_letter_lines_in_order(letter):
    doc = _open(docx_bytes(letter))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "〔文号待填〕"
    title = _para(doc, letter.title)
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(r.bold for r in title.runs) and title.runs[0].font.size == Pt(22)
    fonts = title.runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    order = [letter.salutation, letter.opening, *(s.heading for s in letter.sections), letter.closing]
    order += [letter.contact, letter.signature, "2024年5月1日"]
    assert [texts.index(t) for t in order] == sorted(texts.index(t) for t in order)
    assert _para(doc, "2024年5月1日").alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_headings_bold_heiti_and_body_fangsong_indented(letter):
    doc = _open(docx_bytes(letter))
    assert [s.heading for s in letter.sections] == ["一、关于加强养老机构", "二、关于加强养老床位建设"]
    for section in letter.sections:
        heading = _para(doc, section.heading)
        assert all(r.bold for r in heading.runs)
        assert heading.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    body = _para(doc, letter.opening)
    assert body.paragraph_format.first_line_indent == Pt(32)
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)


def test_sources_are_comments_naming_doc_numbers(letter):
    doc = _open(docx_bytes(letter))
    comments = [c.text for c in doc.comments if c.text.startswith("来源：")]
    expected = {c.doc_number for s in letter.sections for c in s.sources}
    assert len(comments) == sum(len(s.sources) for s in letter.sections)
    assert "温民提〔2019〕70号" in expected
    for number in expected:
        assert any(number in c for c in comments)
    assert all(c.startswith("来源：〔") and "原文：“" in c for c in comments)


def test_each_heading_carries_its_demand_and_the_title_the_count_of_marks(letter):
    doc = _open(docx_bytes(letter))
    notes = [c.text for c in doc.comments if not c.text.startswith("来源：")]
    assert notes[0].startswith(f"起草提示：本稿有{letter.marks}处【待核实】") and letter.marks > 0
    assert notes[1:] == [f"对应建议：{s.demand}" for s in letter.sections]
    # the demand's comment sits on its heading (the comment range starts in the heading paragraph)
    for section in letter.sections:
        assert _para(doc, section.heading)._p.xpath(".//w:commentRangeStart")


def test_foreign_facts_highlighted_yellow_fill_ins_turquoise():
    d = draft(_request(title="关于加强养老机构和养老床位建设的建议", contact=None), FakeSearcher())
    doc = _open(docx_bytes(d))
    runs = [r for p in doc.paragraphs for r in p.runs]
    assert any(r.text == "【待核实：375家】" and r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in runs)
    fill = [r for r in runs if r.text == "【待填：联系人】"]
    assert fill and fill[0].font.highlight_color == WD_COLOR_INDEX.TURQUOISE
    plain = [r for r in runs if "【" not in r.text and r.text]
    assert all(r.font.highlight_color is None for r in plain)


def test_fallback_lists_sources_at_the_end(letter, tmp_path):
    path = write_docx(letter, tmp_path / "draft.docx", comments=False)
    doc = docx.Document(str(path))
    assert not list(doc.comments)
    texts = [p.text for p in doc.paragraphs]
    start, notes = texts.index("先例来源"), texts.index("起草说明")
    listed = texts[start + 1 : notes]
    assert len(listed) == sum(len(s.sources) for s in letter.sections)
    assert texts[notes + 1].startswith(f"起草提示：本稿有{letter.marks}处【待核实】")
    assert texts[notes + 2 :] == [f"{s.heading}：对应建议：{s.demand}" for s in letter.sections]
    assert listed[0].startswith("[1] 来源：〔")
    assert any("温民提〔2019〕70号" in t for t in listed)
    cited = [p for p in doc.paragraphs if p.runs and p.runs[-1].font.superscript]
    assert cited and cited[0].runs[-1].text == "[1]"
