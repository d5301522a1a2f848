"""The Answerer role: question + retrieved hits → Answer with verified citations.

Implementations: `rag.answer.extractive.ExtractiveAnswerer` (default, no LLM) and `rag.answer.llm.LLMAnswerer`
(llama.cpp or an OpenAI-compatible server). Both refuse the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

from rag.answer.values import labelled
from rag.core.records import Answer, Hit
from rag.core.text import split_sentences, squash

NOT_FOUND = "资料中未找到与该问题直接相关的内容。"


@dataclass(frozen=True)
class AnswerEvent:
    """One step of a streamed answer: text as it is produced, then the final Answer."""

    kind: Literal["token", "final"]
    text: str = ""
    answer: Answer | None = None


def events_of(ans: Answer) -> Iterator[AnswerEvent]:
    """An answer ready at once, streamed sentence by sentence: one UI code path for every answerer."""
    for piece in split_sentences(ans.answer):
        yield AnswerEvent("token", piece)
    yield AnswerEvent("final", answer=ans)


class Answerer(Protocol):
    name: str

    def answer(self, question: str, hits: Sequence[Hit]) -> Answer: ...

    def stream(self, question: str, hits: Sequence[Hit]) -> Iterator[AnswerEvent]: ...


def refusal(hits: Sequence[Hit], mode: str, reason: str = "", lead: str = NOT_FOUND) -> Answer:
    """Say plainly that the corpus does not answer (`lead` says how); show the nearest sources looked at."""
    text = lead
    if hits:
        near = "；".join(h.meta.name for h in _unique_docs(hits)[:3])  # bureau and 文号: ids mean nothing to people
        text += f"最接近的资料：{near}。"
    if reason:
        text += reason
    return Answer(answer=text, found=False, citations=(), sources=tuple(hits), mode=mode)


def _unique_docs(hits: Sequence[Hit]) -> list[Hit]:
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.chunk.doc_id not in seen:
            seen.add(h.chunk.doc_id)
            out.append(h)
    return out


_MARK = re.compile(r"\[(\d+)\]")


def combine(answers: Sequence[Answer], hits: Sequence[Hit], mode: str) -> Answer:
    """One answer to a multi-part question: each part's answer in turn (its citation markers renumbered), a
    part the letters do not answer said to be so. Refused only when no part is answered."""
    if not any(a.found for a in answers):
        return refusal(hits, mode)
    # parts answered from one sentence in one measure word are told apart by what each counts, as the letter
    # names it ("县级中心敬老院12个；区域性敬老院2个", not "12个；2个")
    kinds = [(squash(a.citations[0].quote), re.sub(r"^[\d.,\-～~]+", "", a.direct or "")) if a.found and a.citations
             else None for a in answers]
    answers = [_labelled(a) if a.direct and k and kinds.count(k) > 1 else a
               for a, k in zip(answers, kinds, strict=True)]
    texts, directs, citations, parts = [], [], [], []
    for i, a in enumerate(answers, 1):
        parts.append(a.direct or a.answer if a.found else "")
        if not a.found:
            texts.append(f"（{i}）资料中未找到这一问的答案。")
            continue
        offset = len(citations)
        texts.append(f"（{i}）" + _MARK.sub(lambda m, o=offset: f"[{int(m.group(1)) + o}]", a.answer))
        directs.append(a.direct or a.answer)
        citations.extend(a.citations)
    return Answer("\n".join(texts), True, tuple(citations), tuple(hits), mode, direct="；".join(directs),
                  parts=tuple(parts))


def _labelled(a: Answer) -> Answer:
    """The part's value with what it counts, in its direct answer and the sentence that opens its text."""
    named = labelled(a.direct, a.citations[0].quote)
    text = named + a.answer[len(a.direct) :] if a.answer.startswith(a.direct) else a.answer
    return replace(a, direct=named, answer=text)
