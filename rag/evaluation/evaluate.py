"""`rag eval`: score retrieval, answers, citations and refusals on a QA file (JSON Lines).

Each QA line: {"id", "question", "evidence" (verbatim source text or null), "answers": [...] (any one must
appear), "answers_all"?: [...] (every one must appear: lists, multi-part questions), "history"?: [...]
(earlier questions of the conversation, oldest first), "bureau"?, "type"?}; unknown keys are ignored.
Questions go through the same path as `rag ask`, the page and /api/ask (Pipeline.respond). Output: a flat
metric dict (sentence-transformers style), accuracy by question type, and per-question outcomes.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.core.errors import InputError
from rag.evaluation import metrics as M
from rag.index.store import Store

if TYPE_CHECKING:  # evaluation scores a pipeline; the pipeline never needs evaluation
    from rag.pipeline import Pipeline

PRIMARY = "retrieval.mrr@10"


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    evidence: str | None
    answers: tuple[str, ...] = ()
    bureau: str | None = None
    type: str | None = None
    answers_all: tuple[str, ...] = ()
    history: tuple[str, ...] = ()

    @property
    def answerable(self) -> bool:
        return self.evidence is not None


def load_qa(path: Path) -> list[QAItem]:
    """Read and validate a QA file; errors name the line and the fix."""
    if not path.exists():
        raise InputError(f"QA file {path} does not exist: pass --qa with a JSON Lines file")
    items: list[QAItem] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}:{n}: not valid JSON ({e.msg}); each line must be one JSON object") from e
        if not isinstance(d, dict) or not isinstance(d.get("question"), str) or not d["question"].strip():
            raise InputError(f"{path}:{n}: needs a non-empty string 'question'")
        qid = str(d.get("id") or f"line{n}")
        if qid in seen:
            raise InputError(f"{path}:{n}: duplicate id {qid!r}; ids must be unique")
        seen.add(qid)
        ev = d.get("evidence")
        if ev is not None and not isinstance(ev, str):
            raise InputError(f"{path}:{n}: 'evidence' must be a string or null")
        lists = {}
        for key in ("answers", "answers_all", "history"):
            value = d.get(key) or []
            if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                raise InputError(f"{path}:{n}: '{key}' must be a list of strings")
            lists[key] = tuple(value)
        items.append(QAItem(qid, d["question"], ev, lists["answers"], d.get("bureau"), d.get("type"),
                            lists["answers_all"], lists["history"]))
    if not items:
        raise InputError(f"QA file {path} has no items")
    return items


@dataclass
class Outcome:
    id: str
    question: str
    type: str | None
    hit_rank: int | None
    found: bool
    correct: bool | None
    cited: bool | None
    answer: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    latency_ms: float = 0.0
    rouge_l: float | None = None
    resolved: str = ""  # the question actually answered (a follow-up rewritten with its history)
    wrong: bool = False  # answered, but wrongly or where the letters do not say: worse than a refusal
    # a multi-part answer that says which parts the letters do not answer, every part it states being right:
    # not right, yet nothing wrong is stated, so it is no wrong answer
    partial: bool = False


def evaluate(
    pipe: Pipeline, items: Sequence[QAItem], mode: str | None = None, k: int | None = None,
    answer_mode: str | None = None, on_item: Callable[[], None] | None = None,
) -> tuple[dict[str, Any], list[Outcome]]:
    k = k or pipe.settings.k
    mode = mode or pipe.settings.mode
    answerer = pipe.answerer(answer_mode)
    outcomes: list[Outcome] = []
    for it in items:
        t0 = time.perf_counter()
        r = pipe.respond(it.question, history=it.history, k=k, mode=mode, answer_mode=answer_mode,
                         depth=max(k, 10))
        ans = r.answer
        ms = (time.perf_counter() - t0) * 1000
        rank = M.first_hit_rank([h.chunk.text for h in r.ranked], it.evidence) if it.evidence else None
        correct = _correct(ans.direct or ans.answer, it) if ans.found and (it.answers or it.answers_all) else (
            False if it.answers or it.answers_all else None)
        partial = bool(ans.found and it.answerable and correct is False and _parts_right(ans.parts, it))
        outcomes.append(Outcome(
            id=it.id, question=it.question, type=it.type, hit_rank=rank, found=ans.found, correct=correct,
            cited=M.citation_supports([c.quote for c in ans.citations], it.evidence) if it.evidence else None,
            answer=ans.answer, citations=[c.to_json() for c in ans.citations], latency_ms=ms,
            rouge_l=M.rouge_l(ans.answer, it.answers, pipe.tokenizer.tokens)
            if ans.mode == "llm" and it.answers else None,
            resolved=r.question, wrong=ans.found and (not it.answerable or correct is False) and not partial,
            partial=partial,
        ))
        if on_item:
            on_item()
    return summarize(outcomes, items, pipe.store, {
        "embedder": pipe.embedder.name, "mode": mode, "k": k, "answerer": answerer.name,
        "place_boost": pipe.settings.place_boost, "min_support": pipe.settings.min_support,
    }), outcomes


def _correct(answer: str, it: QAItem) -> bool:
    """Any of `answers` (when given) and every one of `answers_all` appear in the answer."""
    return (not it.answers or M.answer_correct(answer, it.answers)) and all(
        M.answer_correct(answer, [a]) for a in it.answers_all)


def _parts_right(parts: Sequence[str], it: QAItem) -> bool:
    """Some part is said to be unanswered and every part stated holds one of the gold strings."""
    gold = [*it.answers, *it.answers_all]
    stated = [p for p in parts if p]
    return len(stated) < len(parts) and all(M.answer_correct(p, gold) for p in stated)


def summarize(outcomes: Sequence[Outcome], items: Sequence[QAItem], store: Store | None,
              config: dict[str, Any]) -> dict[str, Any]:
    by_id = {it.id: it for it in items}
    answerable = [o for o in outcomes if by_id[o.id].evidence is not None]
    ranks = [o.hit_rank for o in answerable]
    with_answers = [o for o in outcomes if o.correct is not None]
    unanswerable = [o for o in outcomes if by_id[o.id].evidence is None]
    all_cits = [c for o in outcomes for c in o.citations]
    paras = store.paragraphs(c["paragraph"] for c in all_cits) if store and all_cits else {}
    precise = [c for c in all_cits
               if c["paragraph"] in paras and M.squash(c["quote"]) in M.squash(paras[c["paragraph"]].text)]
    rouge = [o.rouge_l for o in outcomes if o.rouge_l is not None]
    out: dict[str, Any] = {"n": len(outcomes)}
    for kk in M.KS:
        out[f"retrieval.hit@{kk}"] = M.hit_at(ranks, kk)
    out["retrieval.mrr@10"] = M.mrr_at(ranks, 10)
    out["answer.accuracy"] = _mean([bool(o.correct) for o in with_answers])
    out["citation.accuracy"] = _mean([bool(o.cited) for o in answerable])
    out["citation.precision"] = len(precise) / len(all_cits) if all_cits else None
    out["refusal.accuracy"] = _mean([not o.found for o in unanswerable])
    out["answer.false_refusal"] = _mean([not o.found for o in answerable])
    # answered but wrong, or answered where the letters do not say: counted apart from refusals
    out["answer.wrong_rate"] = _mean([o.wrong for o in outcomes])
    out["answer.partial_rate"] = _mean([o.partial for o in outcomes])
    if rouge:
        out["answer.rouge_l"] = sum(rouge) / len(rouge)
    lat = [o.latency_ms for o in outcomes]
    out["latency_ms.p50"] = M.percentile(lat, 50)
    out["latency_ms.p95"] = M.percentile(lat, 95)
    out["primary"] = PRIMARY
    out["by_type"] = by_type(outcomes, by_id)
    out["config"] = config
    return out


def by_type(outcomes: Sequence[Outcome], by_id: dict[str, QAItem]) -> dict[str, dict[str, Any]]:
    """Per question type: how many, the share handled right (answered right, or refused when the letters do
    not say) and the share answered wrongly."""
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(o.type or "—", []).append(o)
    return {t: {"n": len(os), "ok": _mean([bool(o.correct) if by_id[o.id].answerable else not o.found for o in os]),
                "wrong": _mean([o.wrong for o in os])} for t, os in sorted(groups.items())}


def _mean(xs: Sequence[bool]) -> float | None:
    return sum(xs) / len(xs) if xs else None
