"""Where a letter says something: "“电子围栏”这个词出现在哪个小标题底下", "GD/TC134出现在正文第几部分",
"提到“两院一体”的是一是到七是里的第几条".

Staff who have a term (a quoted word, a code) and need to cite or find it ask for its place in the letter's
outline: the part (一、…), the heading under it (a bold heading) and the numbered point (一是…七是) it stands in.
The outline is read at ingest (`Paragraph.section`, `section_title`); the points are read here from the
paragraph's own text. The answer names every level, cites the paragraph, and refuses a term the letter does not
hold. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.base import refusal
from rag.answer.cite import cite_paragraph
from rag.answer.series import first_clause
from rag.core.records import Answer, Document, Hit, Paragraph, letter_name
from rag.core.text import squash

_WHERE = r"(?:哪个|哪一个|哪一|哪|第几)(?:个)?"
_LEVEL = r"(?P<level>小标题|标题|大?部分|大?条|大?点|大?块|节|段|项)"
# the place of a term asked: "出现在哪个小标题底下", "写在“下一步”的第几点里", "在正文第几部分",
# "是一是到七是里的第几条"
LOCATED_ASKED = re.compile(rf"(?:出现|写|放|列|提|落|归|在|位于|属于)[^，,？?。]{{0,12}}?{_WHERE}{_LEVEL}"
                           rf"|[一二三四五六七八九十]是[里中]的?{_WHERE}{_LEVEL.replace('level', 'point')}")
# what a question names to be found: a quoted term, or a code the letters write in Latin letters (GD/TC134)
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,30})[”\"」]")
_CODE = re.compile(r"[A-Za-z]{2,}(?:/[A-Za-z]{1,6})?\d+")
_SCOPE = re.compile(rf"(?:的|下面|底下|下的|里的?|中的?)?{_WHERE}")
POINT = re.compile(r"(?:^|(?<=[。；;：:\s]))([一二三四五六七八九十]+)是")  # a numbered point: 一是, 二是
_PART_MARK = re.compile(r"([一二三四五六七八九十]+)、")


def asks_location(question: str) -> bool:
    return bool(LOCATED_ASKED.search(question)) and bool(_QUOTED.search(question) or _CODE.search(question))


def _terms(question: str, doc: Document) -> list[str]:
    """What the question names to be found in the letter's body: not a heading it names as the scope
    (“推进养老产业发展的措施”下面), nor a word the body never says."""
    heads = {squash(p.section_title) for p in doc.paragraphs if p.kind == "heading"}
    body = [squash(p.text) for p in doc.paragraphs if p.kind == "body"]
    # (a quote the place asked is of, "写在“下一步”的第几点里", is where to look, not what)
    named = [m.group(1) for m in _QUOTED.finditer(question) if not _SCOPE.match(question, m.end())]
    named += _CODE.findall(question)
    return [t for t in dict.fromkeys(squash(x) for x in named) if t not in heads and any(t in b for b in body)]


def _heading(doc: Document, path: tuple[str, ...]) -> Paragraph | None:
    """The heading of the part at this outline path."""
    return next((p for p in doc.paragraphs if p.kind == "heading" and p.section == path), None)


def _part_name(doc: Document, path: tuple[str, ...]) -> str:
    """The parts a paragraph stands in, outermost first: 第五部分“…”, 小标题“…”."""
    names = []
    for depth in range(1, len(path) + 1):
        head = _heading(doc, path[:depth])
        title = f"“{head.section_title}”" if head is not None else ""
        mark = _PART_MARK.fullmatch(path[depth - 1])
        names.append(f"第{mark.group(1)}部分{title}" if mark else f"小标题{title}")
    return "下的".join(names)


def _point(text: str, at: int) -> str:
    """The numbered point (三是…) that holds position `at` of a paragraph, with its opening clause; "" if none."""
    marks = [m for m in POINT.finditer(text) if m.start() <= at]
    if not marks:
        return ""
    m = marks[-1]
    return f"{m.group(0)}{first_clause(text[m.end():])}"


def located_answer(question: str, doc: Document, hits: Sequence[Hit], name: str) -> Answer:
    """Where in the letter's outline each term the question names stands, cited."""
    who = letter_name(doc.meta.bureau, doc.meta.doc_number)
    terms = _terms(question, doc)
    if not terms:
        named = "、".join(f"“{x}”" for x in [*_QUOTED.findall(question), *_CODE.findall(question)])
        return refusal(hits, name, f"{who}答复函正文中没有找到{named}。")
    asked = LOCATED_ASKED.search(question)
    level = (asked.group("level") or asked.group("point") or "") if asked else ""
    lines, citations, direct = [], [], []
    for term in terms:
        for p in [p for p in doc.paragraphs if p.kind == "body" and term in squash(p.text)][:3]:
            text = squash(p.text)
            point = _point(text, text.find(term))
            where = _part_name(doc, p.section) if p.section else "正文"
            said = f"{where}的“{point}”一条里" if point else f"{where}里"
            citations.append(cite_paragraph(doc, p, p.text.strip()))
            lines.append(f"“{term}”在{who}答复函{said}。[{len(citations)}]")
            direct.append(_asked_of(doc, p, point, level))
    return Answer("\n".join(lines), True, tuple(citations), tuple(hits), name,
                  direct="；".join(d for d in direct if d) or lines[0])


def _asked_of(doc: Document, p: Paragraph, point: str, level: str) -> str:
    """What the question asks of the place: a point (第几条 → 三是…), a part (第几部分 → its heading), a heading
    (哪个小标题 → the innermost one)."""
    if point and level[-1:] in ("条", "点", "项"):
        return point
    if level.endswith("部分") and p.section:
        return head.section_title if (head := _heading(doc, p.section[:1])) is not None else p.section_title
    return p.section_title if p.section else point
