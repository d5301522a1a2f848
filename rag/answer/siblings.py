"""What stands beside a thing the question names: the one thing a sentence joins to it ("除了老年人运动会还有个啥"
→ 老年人文化艺术节) and the item of a counted series it belongs to ("它算四种医养结合模式里的哪一种" → 养中有医).
Each answer is cited to the sentence or item it is read from."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.answer import lists
from rag.answer.cite import cite_paragraph, make_citation
from rag.answer.focus import focus
from rag.answer.question import Question
from rag.answer.series import BESIDES_ASKED, besides
from rag.core.records import Answer, Document, Hit, letter_name


def besides_answer(q: Question, hits: Sequence[Hit], sentences: Callable[[Hit], list[tuple[str, str]]],
                   mode: str) -> Answer | None:
    """"除了老年人运动会还有个啥": what a retrieved sentence joins to the thing the question names, cited."""
    m = BESIDES_ASKED.search(q.text)
    named = re.sub(r"^(?:要|会|在|有|是|办|搞|开展|举办|建)", "", m.group(1)) if m else ""
    for hit in hits if len(named) >= 4 else ():
        for _, sentence in sentences(hit):
            if (other := besides(sentence, named)) and (cit := make_citation(hit, sentence)) is not None:
                who = letter_name(hit.meta.bureau, hit.meta.doc_number)
                said = focus(sentence, other, q, {})
                return Answer(f"{other}。据{who}答复：“{said}”[1]", True, (cit,), tuple(hits), mode, direct=other)
    return None


def kind_answer(q: Question, hits: Sequence[Hit], library: Callable[[str], Document | None] | None,
                mode: str) -> Answer | None:
    """"它算四种医养结合模式里的哪一种": the label of the one item of that series that names the thing asked of."""
    if not lists.KIND_OF_ITEM.search(q.text) or library is None:
        return None
    names = [t for t, _ in q.keywords if len(t) >= 3 and not lists.KIND_OF_ITEM.search(t)]
    for doc_id in dict.fromkeys(h.chunk.doc_id for h in hits) if names else ():
        doc = library(doc_id)
        item = lists.item_holding(lists.enumerations(doc), names, q.text) if doc is not None else None
        if doc is not None and item is not None:
            who = letter_name(doc.meta.bureau, doc.meta.doc_number)
            cit = cite_paragraph(doc, item.para, item.quote.strip())
            return Answer(f"{item.text}。据{who}答复：“{item.quote.strip()}”[1]", True, (cit,), tuple(hits), mode,
                          direct=item.text)
    return None
