"""A Draft as a Word file laid out like an official letter (after GB/T 9704 公文格式).

A4; margins 3.7 cm top, 3.5 cm bottom, 2.8 cm left (binding side), 2.6 cm right — the 156 × 225 mm
type area of GB/T 9704. Title 二号 (22 pt) bold 方正小标宋简体; body 三号 (16 pt) 仿宋_GB2312 on a
fixed 28 pt line, first line indented two characters; section headings 黑体. Western text uses
SimSun/FangSong/SimHei, so a machine without the 方正/GB2312 fonts still shows Chinese type.

Sources become Word comments on the paragraph they support (python-docx ≥ 1.2), each section's demand
(对应建议：…) a comment on its heading, and the drafting note (how many marks are left) a comment on
the title. Where comments are unavailable, or `comments=False`, each cited paragraph ends in [n], and
a 先例来源 list and a 起草说明 list (the note, then each heading with its demand) close the letter.
Markers are highlighted: 【待核实：…】 yellow (another place's fact), 【待填：…】 【本地】 【待补充：…】
turquoise (something the drafter fills in).
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from rag.core.records import Citation
from rag.draft.compose import DEMAND_LABEL, drafting_note
from rag.draft.facts import FOREIGN_RE, MARKER_RE
from rag.draft.records import Draft, DraftParagraph

log = logging.getLogger(__name__)

TITLE_FONT = ("方正小标宋简体", "SimSun")  # (east-asian, western/fallback)
BODY_FONT = ("仿宋_GB2312", "FangSong")
HEADING_FONT = ("黑体", "SimHei")
TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
LINE = Pt(28)
INDENT = Pt(32)  # two characters of 三号
AUTHOR, INITIALS = "答复函起草助手", "RAG"


def docx_bytes(draft: Draft, comments: bool = True) -> bytes:
    """The letter as .docx bytes (for an HTTP response)."""
    doc = docx.Document()
    _page(doc)
    _body_style(doc)
    _line(doc, draft.doc_number, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    title = _line(doc, draft.title, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    title.paragraph_format.space_before = Pt(12)
    title.paragraph_format.space_after = Pt(12)
    use_comments = comments and hasattr(doc, "add_comment")
    if use_comments:  # before the type is set: the comment's reference mark is a run of the title too
        use_comments = _note(doc, title, drafting_note(draft))
    for run in title.runs:
        _font(run, TITLE_FONT, TITLE_SIZE, bold=True)
    _line(doc, draft.salutation, indent=False)
    _line(doc, draft.opening)

    endnotes: list[Citation] = []
    for section in draft.sections:
        heading = _line(doc, section.heading)
        if use_comments and section.demand:
            use_comments = _note(doc, heading, DEMAND_LABEL + section.demand)
        for run in heading.runs:
            _font(run, HEADING_FONT, BODY_SIZE, bold=True)
        for para in section.paragraphs:
            p = _line(doc, para.text)
            if not para.sources:
                continue
            if use_comments:
                use_comments = _comment(doc, p, para)
            if not use_comments:
                refs = ""
                for c in para.sources:
                    endnotes.append(c)
                    refs += f"[{len(endnotes)}]"
                sup = p.add_run(refs)
                sup.font.superscript = True

    _line(doc, draft.closing)
    _line(doc, draft.contact)
    _line(doc, draft.signature, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _line(doc, draft.date, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    if endnotes:
        head = _line(doc, "先例来源", indent=False)
        for run in head.runs:
            _font(run, HEADING_FONT, BODY_SIZE, bold=True)
        for i, c in enumerate(endnotes, 1):
            _line(doc, f"[{i}] {_source_text(c)}", indent=False)
    if not use_comments:
        head = _line(doc, "起草说明", indent=False)
        for run in head.runs:
            _font(run, HEADING_FONT, BODY_SIZE, bold=True)
        _line(doc, drafting_note(draft), indent=False)
        for section in draft.sections:
            if section.demand:
                _line(doc, f"{section.heading}：{DEMAND_LABEL}{section.demand}", indent=False)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def write_docx(draft: Draft, path: str | Path, comments: bool = True) -> Path:
    out = Path(path)
    out.write_bytes(docx_bytes(draft, comments=comments))
    return out


def _page(doc: docx.document.Document) -> None:
    for s in doc.sections:
        s.page_width, s.page_height = Cm(21.0), Cm(29.7)
        s.top_margin, s.bottom_margin = Cm(3.7), Cm(3.5)
        s.left_margin, s.right_margin = Cm(2.8), Cm(2.6)


def _body_style(doc: docx.document.Document) -> None:
    style = doc.styles["Normal"]
    style.font.name = BODY_FONT[1]
    style.font.size = BODY_SIZE
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT[0])
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE
    fmt.space_before = fmt.space_after = Pt(0)


def _line(
    doc: docx.document.Document,
    text: str,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
) -> DocxParagraph:
    """One paragraph in body type; markers become their own highlighted runs."""
    p = doc.add_paragraph()
    p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = INDENT
    pos = 0
    for m in MARKER_RE.finditer(text):
        if m.start() > pos:
            _font(p.add_run(text[pos : m.start()]), BODY_FONT, BODY_SIZE)
        run = p.add_run(m.group(0))
        _font(run, BODY_FONT, BODY_SIZE)
        foreign = FOREIGN_RE.fullmatch(m.group(0))
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW if foreign else WD_COLOR_INDEX.TURQUOISE
        pos = m.end()
    if pos < len(text) or not text:
        _font(p.add_run(text[pos:]), BODY_FONT, BODY_SIZE)
    return p


def _font(run: docx.text.run.Run, font: tuple[str, str], size: Pt, bold: bool = False) -> None:
    # python-docx's font.name sets only the western faces; Chinese needs w:eastAsia as well
    run.font.name = font[1]
    run.font.size = size
    run.font.bold = bold or None
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font[0])


def _comment(doc: docx.document.Document, p: DocxParagraph, para: DraftParagraph) -> bool:
    """Attach one comment per source to the paragraph; False when this python-docx cannot."""
    try:
        for c in para.sources:
            doc.add_comment(p.runs, text=_source_text(c), author=AUTHOR, initials=INITIALS)
    except Exception as exc:  # an older or changed comments API: fall back to the source list
        log.warning("docx: comments unavailable (%s); listing sources at the end", exc)
        return False
    return True


def _note(doc: docx.document.Document, p: DocxParagraph, text: str) -> bool:
    """One comment for the drafter on a paragraph; False when this python-docx cannot."""
    try:
        doc.add_comment(p.runs, text=text, author=AUTHOR, initials=INITIALS)
    except Exception as exc:  # an older or changed comments API: fall back to the notes at the end
        log.warning("docx: comments unavailable (%s); listing notes at the end", exc)
        return False
    return True


def _source_text(c: Citation) -> str:
    quote = "".join(c.quote.split())
    short = quote if len(quote) <= 60 else quote[:60] + "…"
    date = f"（{c.date}）" if c.date else ""
    return f"来源：{c.label}{date} 原文：“{short}”"
