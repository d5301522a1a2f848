"""Records of drafting: what the drafter asks for (DraftRequest) and the letter-shaped Draft it gets back,
section by section and paragraph by paragraph, each reused paragraph with its Citation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from rag.core.errors import InputError
from rag.core.limits import MAX_TEXT, MAX_TITLE
from rag.core.records import Citation, Filters, Hit
from rag.draft.facts import FOREIGN_RE
from rag.draft.themes import Demand

DOC_NUMBER_LINE = "〔文号待填〕"


class Searcher(Protocol):
    """The retrieval role drafting depends on (implemented by the retrieval layer)."""

    def search(self, query: str, k: int = 5, mode: str | None = None, filters: Filters | None = None) -> list[Hit]: ...


@dataclass(frozen=True)
class DraftRequest:
    """What the drafter knows about the proposal being answered. Only the title is required."""

    title: str
    text: str = ""  # the proposal's full text, if at hand
    addressee: str | None = None  # 张三委员 / 李四代表
    meeting: str | None = None  # 市政协十三届二次会议
    number: str | None = None  # proposal number
    bureau: str | None = None  # the answering bureau
    co_units: tuple[str, ...] = ()  # 会办单位 whose opinions were merged
    contact: str | None = None
    phone: str | None = None

    def __post_init__(self) -> None:
        if self.text is None:  # JSON null from the API means "no text"
            object.__setattr__(self, "text", "")
        if isinstance(self.co_units, list | str):  # callers pass lists; a bare string is one unit
            units = (self.co_units,) if isinstance(self.co_units, str) else tuple(self.co_units)
            object.__setattr__(self, "co_units", units)
        self.validate()

    def validate(self) -> None:
        if not isinstance(self.title, str) or not self.title.strip():
            raise InputError(
                "标题不能为空：请填写提案或建议的标题，如《关于加强农村养老服务的建议》"
                "（title must not be empty: give the proposal's title）"
            )
        if len(self.title) > MAX_TITLE:
            raise InputError(
                f"标题过长：最多{MAX_TITLE}字，实际{len(self.title)}字"
                f"（title is limited to {MAX_TITLE} characters, got {len(self.title)}）"
            )
        if self.text and len(self.text) > MAX_TEXT:
            raise InputError(
                f"提案正文过长：最多{MAX_TEXT}字，实际{len(self.text)}字，请只提交建议部分"
                f"（text is limited to {MAX_TEXT:,} characters, got {len(self.text):,}; "
                "pass only the demands）"
            )

    @property
    def kind(self) -> str:
        """人大代表 make 建议, 政协委员 make 提案."""
        if (self.addressee or "").strip().endswith("代表") or "人大" in (self.meeting or ""):
            return "建议"
        return "提案"


@dataclass(frozen=True)
class DraftParagraph:
    text: str  # may contain markers (rag.draft.facts); never footnote references
    sources: tuple[Citation, ...] = ()
    placeholders: tuple[str, ...] = ()  # the 【待核实：…】 markers in `text`, in order

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "sources": [c.to_json() for c in self.sources],
            "placeholders": list(self.placeholders),
        }


@dataclass(frozen=True)
class DraftSection:
    heading: str  # "一、关于加强农村养老服务"
    paragraphs: tuple[DraftParagraph, ...]
    sources: tuple[Citation, ...]
    rewritten: bool = False  # True only when an LLM rewrite passed every check
    demand: str = ""  # the proposal's demand this section answers, in the proposal's words

    def to_json(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "demand": self.demand,
            "rewritten": self.rewritten,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "sources": [c.to_json() for c in self.sources],
        }


@dataclass(frozen=True)
class Draft:
    """A letter-shaped draft. `markdown` renders all of it, with footnotes for the sources."""

    title: str
    markdown: str
    sections: tuple[DraftSection, ...]
    salutation: str = ""
    opening: str = ""
    closing: str = ""
    contact: str = ""
    signature: str = ""
    date: str = ""
    doc_number: str = DOC_NUMBER_LINE
    demands: tuple[Demand, ...] = field(default=(), compare=False)

    @property
    def placeholders(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(ph for s in self.sections for p in s.paragraphs for ph in p.placeholders))

    @property
    def marks(self) -> int:
        """How many 【待核实：…】 marks the letter has (a fact repeated is marked each time)."""
        return sum(len(FOREIGN_RE.findall(p.text)) for s in self.sections for p in s.paragraphs)

    def to_json(self) -> dict[str, Any]:
        d = {k: getattr(self, k) for k in ("title", "doc_number", "salutation", "opening")}
        d["sections"] = [s.to_json() for s in self.sections]
        d |= {k: getattr(self, k) for k in ("closing", "contact", "signature", "date", "markdown")}
        d["placeholders"] = list(self.placeholders)
        d["marks"] = self.marks
        return d
