"""Records passed between pipeline stages. All frozen: a stage never mutates what it was given.

Data path: load → clean → structure (Document, Paragraph) → chunk (Chunk) → index → retrieve (Hit)
→ answer (Citation, Answer) / draft (Draft).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from rag.core.text import comparison_text


def content_hash(*parts: str, length: int = 16) -> str:
    """Stable hex id of some text; the same text always gets the same id."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


UNNAMED = "未署名的答复函"  # a letter that states neither its bureau, nor its 文号, nor a title


def letter_name(bureau: str | None, doc_number: str | None, fallback: str = "") -> str:
    """How answers, citations and refusals name a letter: "温州市民政局 温民提〔2019〕70号"."""
    return " ".join(x for x in (bureau, doc_number) if x) or fallback


def letter_identity(meta: Metadata, text_hash: str) -> str:
    if meta.bureau and meta.doc_number:
        return f"number:{comparison_text(meta.bureau)}|{comparison_text(meta.doc_number)}"
    return f"text:{text_hash}"


@dataclass(frozen=True)
class RawText:
    """A file decoded to text, before cleaning."""

    source: str  # resolved path (or upload name) the text came from
    text: str
    fmt: str  # txt | md | html | docx | pdf
    encoding: str  # detected encoding, or the container format for docx/pdf
    sha256: str  # of the raw file bytes: re-ingesting unchanged bytes is a no-op


@dataclass(frozen=True)
class Metadata:
    """What a reply letter says about itself. Missing fields are None, never guessed."""

    bureau: str | None = None  # 巴中市恩阳区民政局
    doc_number: str | None = None  # 恩民政函〔2021〕3号
    date: str | None = None  # ISO yyyy-mm-dd (signature or 印发 date)
    addressee: str | None = None  # 温蓉委员 / 肖石龙代表
    proposal: str | None = None  # 区政协二届七次会议第13号提案 (meeting + number)
    proposal_title: str | None = None  # 《关于促进养老产业发展的建议》
    title: str | None = None  # the letter's own title line
    contact: str | None = None  # 陈庆；联系电话：15284747333
    copy_to: tuple[str, ...] = ()  # 抄送 list

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date else None

    @property
    def written_year(self) -> int | None:
        """The year the letter was written: its date, else its 文号's year (中民函〔2022〕40号 has no date)."""
        m = re.search(r"[〔\[［(（]\s*((?:19|20)\d\d)\s*[〕\]］)）]", self.doc_number or "")
        return self.year or (int(m.group(1)) if m else None)

    @property
    def name(self) -> str:
        """How people are told which letter: bureau and 文号, else its title or what it answers; never an id."""
        if named := letter_name(self.bureau, self.doc_number):
            return named
        if self.title:
            return self.title if len(self.title) <= 40 else self.title[:39] + "…"
        return f"{self.proposal_title}的答复" if self.proposal_title else UNNAMED


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of the letter, verbatim, with its place in the outline.

    `section` is the outline path of markers, e.g. ("三、", "（二）"); `ordinal` counts the body
    paragraphs inside that section from 1, so a citation can say "第三部分（二）第2段".
    """

    id: str  # f"{doc_id}-p{index:03d}": stable while the letter is unchanged
    doc_id: str
    index: int  # position in the letter, from 0
    text: str
    section: tuple[str, ...] = ()
    section_title: str = ""  # heading text of the innermost section
    ordinal: int = 1
    kind: str = "body"  # heading | body | meta (title, salutation, signature, contact…) | page (the portal's
    # publication line of a saved web page: "2020-07-09 16:40:22 来源:…"; not the letter's words)


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    sha256: str
    fmt: str
    encoding: str
    meta: Metadata
    paragraphs: tuple[Paragraph, ...]

    @property
    def letter_paragraphs(self) -> tuple[Paragraph, ...]:
        """The letter's own paragraphs: without a saved page's publication line (kind "page"), whose read count
        changes with every visit and which is not searched; only questions about the letter itself read it."""
        return tuple(p for p in self.paragraphs if p.kind != "page")

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.letter_paragraphs)

    @property
    def text_hash(self) -> str:
        """The same for the same words, whatever the file's name, format, encoding, spacing or punctuation."""
        return content_hash(comparison_text(self.text), length=32)

    @property
    def identity(self) -> str:
        """Which letter this is: its bureau and 文号 when it states both (a corrected re-issue is the same
        letter), else its text. A new version of a letter replaces the one of the same identity."""
        return letter_identity(self.meta, self.text_hash)

    def to_json(self) -> dict[str, Any]:
        meta = asdict(self.meta)
        meta["copy_to"] = list(self.meta.copy_to)
        return {
            "doc_id": self.doc_id,
            "source": self.source,
            "fmt": self.fmt,
            "encoding": self.encoding,
            "meta": meta,
            "paragraphs": [
                {
                    "id": p.id,
                    "index": p.index,
                    "kind": p.kind,
                    "section": "".join(p.section),
                    "section_title": p.section_title,
                    "ordinal": p.ordinal,
                    "label": section_label("".join(p.section), p.ordinal) if p.kind == "body" else None,
                    "text": p.text,
                }
                for p in self.paragraphs
            ],
        }


@dataclass(frozen=True)
class Chunk:
    """A retrieval unit inside one section. `text` is verbatim; `header` is only for embedding."""

    id: str  # content hash of doc id, header and text
    doc_id: str
    index: int  # position among the document's chunks
    paragraph_ids: tuple[str, ...]
    section: tuple[str, ...]
    section_title: str
    header: str  # "巴中市恩阳区民政局 · 恩民政函〔2021〕3号 · 二、推进养老产业发展的措施"
    text: str

    @property
    def embed_text(self) -> str:
        return f"{self.header}\n{self.text}" if self.header else self.text


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the rank it had in each mode (None = absent)."""

    chunk: Chunk
    score: float
    meta: Metadata
    ranks: dict[str, int] = field(default_factory=dict)
    paragraphs: tuple[Paragraph, ...] = ()  # the chunk's paragraphs, for citing an exact one
    # (doc id, letter name) of the other letters holding a copy of this passage (identical or nearly): a
    # result list shows each passage once (rag.search.collapse)
    also_in: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        c = self.chunk
        return {
            "chunk_id": c.id,
            "doc_id": c.doc_id,
            "score": round(self.score, 6),
            "bureau": self.meta.bureau,
            "doc_number": self.meta.doc_number,
            "name": self.meta.name,
            "date": self.meta.date,
            "section": "".join(c.section),
            "section_title": c.section_title,
            "paragraph_ids": list(c.paragraph_ids),
            "text": c.text,
            "ranks": self.ranks,
            "also_in": [{"doc_id": d, "name": name} for d, name in self.also_in],
        }


@dataclass(frozen=True)
class Citation:
    doc_id: str
    bureau: str | None
    doc_number: str | None
    date: str | None
    section: str  # outline path such as "六、（三）"
    paragraph: str  # paragraph id
    quote: str  # verbatim supporting text, found in the paragraph
    ordinal: int = 1  # paragraph number inside the section

    @property
    def label(self) -> str:
        """Human rendering: 〔温州市民政局 温民提〔2019〕70号 · 第三部分（二）第2段〕"""
        who = letter_name(self.bureau, self.doc_number, UNNAMED)
        return f"〔{who} · {section_label(self.section, self.ordinal)}〕"

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["label"] = self.label
        return d


@dataclass(frozen=True)
class Answer:
    answer: str
    found: bool
    citations: tuple[Citation, ...]
    sources: tuple[Hit, ...]
    mode: str = "extractive"
    # what the answer states, without the quotes that support it ("375家"; list items; for a description the
    # quoted clauses themselves); empty = the whole answer. Evaluation judges this, so a right number inside
    # a quote never excuses a wrong one stated as the answer.
    direct: str = ""
    # a multi-part answer: each part's direct answer in the question's order, "" for a part the letters do not
    # answer (evaluation tells such a partial answer from a wrong one)
    parts: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "found": self.found,
            "mode": self.mode,
            "direct": self.direct or self.answer,
            "citations": [c.to_json() for c in self.citations],
            "sources": [h.to_json() for h in self.sources],
        }


def section_label(section: str, ordinal: int) -> str:
    """"三、（二）", 2 → "第三部分（二）第2段"; "" → "正文第2段"; ordinal 0 (a header or closing line, no body
    paragraph: 文号, 落款, 联系人) → "函头或落款"."""
    if ordinal == 0 and not section:
        return "函头或落款"
    if not section:
        return f"正文第{ordinal}段"
    head, _, rest = section.partition("、")
    if rest or section.endswith("、"):
        return f"第{head}部分{rest}第{ordinal}段"
    return f"{section}第{ordinal}段"


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval. Matching is by substring on the letter's metadata (bureau "温州" matches
    温州市民政局; region matches the bureau too; doc_number ignores whitespace)."""

    bureau: str | None = None
    region: str | None = None
    year: int | None = None
    doc_number: str | None = None
    doc_ids: frozenset[str] | None = None  # exactly these letters (what a question's 文号 or 提案号 selects)

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.bureau, self.region, self.year, self.doc_number, self.doc_ids))
