"""What a new user sees first: which letters are loaded (bureaus, years, how many) and a few questions to
start with, drawn from the letters themselves.

Suggested questions are made from each letter's own sentences and headings (a figure with its unit:
"我市共有375家养老机构" → "温州市共有多少家养老机构？"; an action heading: "一、加强智慧养老的政策支持" →
"广东省在加强智慧养老的政策支持方面做了哪些工作？"), then asked to the pipeline: only those it answers from
the same letter (and, for a figure, with that figure) are offered. Nothing is hard-coded; the result is
kept per index generation.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rag.core.places import admin_units
from rag.core.records import Document
from rag.core.text import split_sentences, squash
from rag.pipeline import Pipeline

SUGGESTIONS = 6  # offered on the welcome screen
TRIES = 24  # candidate questions asked at most (~30 ms each with the default embedder)
SAMPLE = 12  # letters read for candidates
_UNITS = "家个张所座处名人户项"
_NOUN = r"[\u4e00-\u9fff“”]{2,12}?"
# "共有375家养老机构": verb, figure, unit, what is counted
_FIGURE_BEFORE = re.compile(rf"(共有|现有|建有|建成|拥有|设立|培育|新增)\s*(\d+(?:\.\d+)?)\s*([{_UNITS}])({_NOUN})"
                            r"(?=[（(，,。；、和及]|$)")
# "建成城镇社区日间照料中心 266 个": verb, what is counted, figure, unit
_FIGURE_AFTER = re.compile(rf"(共有|现有|建有|建成|拥有|新增|成立)({_NOUN})\s*(\d+(?:\.\d+)?)\s*([{_UNITS}])")
_NOT_A_THING = re.compile(r"^(不|约|近|超|达|以上|其中|运营)")  # "新增不少于3500个" counts nothing nameable
_HEADING_NUMBER = re.compile(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）|^\d+[.．、]")
_ACTION = re.compile(r"^(加强|加大|加快|推进|推动|健全|完善|创新|提升|强化|深化|持续|坚持|建立|构建|落实|实施|"
                     r"发展|促进|扩大|优化|规范|支持|鼓励|培育|开展)")


@dataclass(frozen=True)
class Candidate:
    question: str
    doc_id: str
    bureau: str
    figure: str | None  # the answer must state it


def _place(bureau: str | None) -> str | None:
    units = admin_units(bureau)
    return units[-1] if units else None  # the bureau's own level: 恩阳区, not 巴中市


def candidates(doc: Document) -> Iterator[Candidate]:
    """Questions one letter answers, figures first (their answers are the easiest to check)."""
    place, bureau = _place(doc.meta.bureau), doc.meta.bureau or ""
    if not place:
        return
    for p in doc.paragraphs:
        if p.kind != "body":
            continue
        for sentence in split_sentences(p.text):
            for m in _FIGURE_BEFORE.finditer(sentence):
                verb, figure, unit, noun = m.groups()
                if _usable(sentence, m.start(), noun):
                    yield Candidate(f"{place}{verb}多少{unit}{noun}？", doc.doc_id, bureau, figure)
            for m in _FIGURE_AFTER.finditer(sentence):
                verb, noun, figure, unit = m.groups()
                if _usable(sentence, m.start(), noun):
                    yield Candidate(f"{place}{verb}{noun}多少{unit}？", doc.doc_id, bureau, figure)
    for p in doc.paragraphs:
        if p.kind == "heading":
            topic = _HEADING_NUMBER.sub("", p.text.strip()).rstrip("。；：:").split("，")[0]
            topic = re.sub(r"^关于(.+?)的建议$", r"\1", topic)
            if 4 <= len(topic) <= 16 and _ACTION.match(topic):
                yield Candidate(f"{place}在{topic}方面做了哪些工作？", doc.doc_id, bureau, None)


def _usable(sentence: str, start: int, noun: str) -> bool:
    # "每千名老人拥有各类养老床位21张" is a rate, not a count of the place's beds
    return len(noun) >= 4 and not _NOT_A_THING.match(noun) and "每" not in sentence[max(0, start - 8):start]


def _answered(pipe: Pipeline, c: Candidate) -> bool:
    a = pipe.ask(c.question)
    if not a.found or not any(cit.doc_id == c.doc_id for cit in a.citations):
        return False
    return c.figure is None or squash(c.figure) in squash(a.answer)


def suggest(pipe: Pipeline, docs: list[Document], n: int = SUGGESTIONS, tries: int = TRIES) -> list[Candidate]:
    """Up to n checked questions, one letter after another so several bureaus are represented."""
    queues = [list(dict.fromkeys(candidates(d))) for d in docs]
    out: list[Candidate] = []
    asked: set[str] = set()
    while len(out) < n and tries > 0 and any(queues):
        for q in queues:
            if not q or len(out) >= n or tries <= 0:
                continue
            c = q.pop(0)
            if c.question in asked:
                continue
            asked.add(c.question)
            tries -= 1
            if _answered(pipe, c):
                out.append(c)
                if sum(x.doc_id == c.doc_id for x in out) >= 2:  # at most two per letter
                    q.clear()
    return out


class Welcome:
    """The overview, computed once per index generation (an upload or a removal makes a new one)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str | None, int] | None = None
        self._value: dict[str, Any] | None = None

    def get(self, pipe: Pipeline) -> dict[str, Any]:
        # the index's name changes with every write, also one made by another replica on a shared Milvus
        key = (pipe.index_status()[0], pipe.store.count()[0])
        with self._lock:  # the first visitor computes; the others wait for the same result
            if self._key != key or self._value is None:
                self._value, self._key = _overview(pipe, pipe.store.list_documents()), key
            return self._value


def _sample(rows: list[dict[str, Any]], n: int = SAMPLE) -> list[dict[str, Any]]:
    """The letters suggestions are drawn from: the newest of each bureau first, at most n (with thousands
    of letters, reading every one at each upload would cost seconds for six questions)."""
    newest = sorted(rows, key=lambda r: str(r["added_at"] or ""), reverse=True)
    firsts = list({str(r["bureau"]): r for r in reversed(newest)}.values())[::-1]
    rest = [r for r in newest if all(r is not f for f in firsts)]
    return (firsts + rest)[:n]


def _overview(pipe: Pipeline, rows: list[dict[str, Any]]) -> dict[str, Any]:
    bureaus: dict[str, int] = {}
    for r in rows:
        name = str(r["bureau"] or "未识别机关")
        bureaus[name] = bureaus.get(name, 0) + 1
    years = sorted({str(r["date"])[:4] for r in rows if r["date"]})
    docs = [d for r in _sample(rows) if (d := pipe.store.document(str(r["doc_id"]))) is not None]
    picked = suggest(pipe, docs) if rows and pipe.has_index() else []
    return {
        "documents": len(rows),
        "bureaus": [{"name": b, "letters": n} for b, n in sorted(bureaus.items(), key=lambda x: (-x[1], x[0]))],
        "years": [int(y) for y in years if y.isdigit()],
        "suggestions": [{"question": c.question, "bureau": c.bureau, "doc_id": c.doc_id} for c in picked],
    }
