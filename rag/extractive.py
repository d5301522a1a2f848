"""Grounded extractive answering (the default: no LLM needed).

From the retrieved chunks pick the sentence that answers the question — for 多少/几 the sentence with a
number of the asked-for unit next to the asked-about thing, for 什么时候 a date, for 谁/联系人 a name or
phone — and answer with the key value plus the quoted clause, each quote cited to its paragraph.
When no sentence covers enough of the question (or the question names a place the letters do not
cover), it refuses instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rag.answer import AnswerEvent, refusal
from rag.cite import make_citation
from rag.records import Answer, Citation, Hit
from rag.retrieve import places_of
from rag.text import split_sentences
from rag.tokenize import Tokenizer

NUM = r"\d+(?:[.,，]\d+)*(?:\s*[-~—至到]\s*\d+(?:[.,]\d+)*)?"
_UNITS_MONEY = r"(?:亿元|万元|千元|元)"
_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?(?:底|初|末|起)?|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")
_PHONE = re.compile(r"\d{7,12}")
_PLACE_Q = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:自治区|省|市|区|县)")
_CLAUSE = re.compile(r"[^，,；;：:。！？!?]*[，,；;：:。！？!?]?")


@dataclass(frozen=True)
class Question:
    kind: str  # number | date | who | list | fact
    unit: str | None  # regex of acceptable units for number questions
    keywords: tuple[tuple[str, float], ...]  # content tokens with weights


def analyse(question: str, tokenizer: Tokenizer) -> Question:
    q = question
    kind, unit = "fact", None
    if re.search(r"多少钱|资金|金额|投入|投资|花了|花多少|补贴多少|补助多少|经费|拨付|下拨|多少万", q):
        kind, unit = "number", _UNITS_MONEY
    elif m := re.search(r"(?:多少|几)\s*(个|家|张|人次|人|名|座|所|户|次|场|条|项|万|类|种|期|床|岁|小时|平方米|㎡)", q):
        kind, unit = "number", _unit_alternatives(m.group(1))
    elif re.search(r"比例|覆盖率|百分之|占比|率是|率达|率为|多大比例|百分比", q):
        kind, unit = "number", r"%"
    elif re.search(r"多少|几|数量|规模|多大", q):
        kind = "number"
    elif re.search(r"什么时候|何时|哪一年|哪年|几月|哪天|日期|时间|什么时间|何年", q):
        kind = "date"
    elif re.search(r"联系人|联系电话|电话|谁|哪位|签发人|姓名|名字", q):
        kind = "who"
    elif re.search(r"哪些|包括|有什么|有哪|哪几", q):
        kind = "list"
    words: dict[str, float] = {}
    for tok in tokenizer.tokens(q):
        if re.fullmatch(r"\d+", tok):
            continue
        words[tok] = max(words.get(tok, 0.0), min(len(tok), 4) / 2)
    return Question(kind, unit, tuple(words.items()))


def _unit_alternatives(u: str) -> str:
    alts = {
        "人": r"(?:万人|人次|人|名)",
        "名": r"(?:名|人)",
        "床": r"(?:张|床)",
        "张": r"(?:万张|张)",
        "个": r"(?:个|家|所|座)",
        "家": r"(?:家|所|个)",
        "万": r"(?:万[\u4e00-\u9fff]?)",
    }
    return alts.get(u, re.escape(u))


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    sentence: str
    score: float
    coverage: float
    key: str | None
    rank: int


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, tokenizer: Tokenizer, min_support: float = 0.35, known_places: set[str] | None = None) -> None:
        self.tokenizer = tokenizer
        self.min_support = min_support
        self.known_places = known_places or set()

    def answer(self, question: str, hits: Sequence[Hit]) -> Answer:
        q = analyse(question, self.tokenizer)
        if not hits or not q.keywords:
            return refusal(hits, self.name)
        foreign = self._unknown_places(question, hits)
        cands = [c for c in self._candidates(q, hits, foreign) if c.score > 0]
        if not cands:
            return refusal(hits, self.name)
        cands.sort(key=lambda c: (-c.score, c.rank))
        best = cands[0]
        if best.coverage < self.min_support or (q.kind in ("number", "date", "who") and best.key is None):
            return refusal(hits, self.name)
        chosen = [best]
        if q.kind == "list":  # a second supporting sentence often completes a list
            chosen += [c for c in cands[1:3] if c.score >= 0.8 * best.score and c.sentence != best.sentence][:1]
        citations: list[Citation] = []
        parts: list[str] = []
        for c in chosen:
            cit = make_citation(c.hit, c.sentence)
            if cit is None:
                continue
            citations.append(cit)
            parts.append(f"“{_focus(c.sentence, c.key)}”[{len(citations)}]")
        if not citations:
            return refusal(hits, self.name)
        lead = f"{best.key}。" if best.key else ""
        who = " ".join(x for x in (best.hit.meta.bureau, best.hit.meta.doc_number) if x)
        text = f"{lead}据{who}答复：" + "；".join(parts)
        return Answer(text, True, tuple(citations), tuple(hits), self.name)

    def stream(self, question: str, hits: Sequence[Hit]) -> Iterator[AnswerEvent]:
        ans = self.answer(question, hits)
        # extractive answers are instant; stream them sentence by sentence for one UI code path
        for piece in split_sentences(ans.answer):
            yield AnswerEvent("token", piece)
        yield AnswerEvent("final", answer=ans)

    # -- scoring ---------------------------------------------------------------------------
    def _unknown_places(self, question: str, hits: Sequence[Hit]) -> list[str]:
        """Places the question names that no retrieved letter's bureau serves (e.g. 深圳市)."""
        served = set(self.known_places)
        for h in hits:
            served.update(places_of(h.meta.bureau))
        out = []
        for m in _PLACE_Q.finditer(question):
            name = m.group(0)
            short = re.sub(r"(?:自治区|省|市|区|县)$", "", name)
            if name not in served and short not in served:
                out.append(short)
        return out

    def _candidates(self, q: Question, hits: Sequence[Hit], foreign: list[str]) -> Iterator[Candidate]:
        total = sum(w for _, w in q.keywords) or 1.0
        for rank, hit in enumerate(hits):
            ctx = " ".join([hit.meta.bureau or "", hit.chunk.section_title, *places_of(hit.meta.bureau)])
            for line in hit.chunk.text.split("\n"):
                for sent in split_sentences(line):
                    s = sent.strip()
                    if len(s) < 4:
                        continue
                    if foreign and not all(p in s for p in foreign):
                        continue  # the letters answer for their own place, not for the one asked about
                    cov = sum(w for t, w in q.keywords if t in s or t in ctx) / total
                    own = sum(w for t, w in q.keywords if t in s) / total
                    key = _key(q, s)
                    score = cov + 0.5 * own + 0.15 / (1 + rank)
                    if q.kind in ("number", "date", "who"):
                        score += 0.6 if key else -0.6
                    yield Candidate(hit, s, score, cov, key, rank)


def _key(q: Question, s: str) -> str | None:
    """The value the question asks for, verbatim from the sentence, or None."""
    if q.kind == "date":
        m = _DATE.search(s)
        return m.group(0) if m else None
    if q.kind == "who":
        m = re.search(r"联系人[:：]\s*([\u4e00-\u9fff]{2,4})", s)
        if m:
            return m.group(1)
        m = _PHONE.search(s)
        return m.group(0) if m else None
    if q.kind != "number":
        return None
    unit = q.unit or r"(?:万人|万元|亿元|[\u4e00-\u9fff%㎡])"
    matches = list(re.finditer(rf"({NUM})\s*({unit})", s))
    if not matches:
        return None
    # the number glued to the longest asked-about word is the one asked for: "375家养老机构" or
    # "民办养老机构248家"; the number-before-word form wins ties ("有N家X" is how totals are written)
    spots = [(m.start(), m.end(), len(t)) for t, _ in q.keywords if len(t) >= 2
             for m in re.finditer(re.escape(t), s)]

    def fit(m: re.Match[str]) -> tuple[float, int]:
        best = 0.0
        for a, b, n in spots:
            gap_after = a - m.end()  # keyword follows the number
            gap_before = m.start() - b  # keyword precedes the number
            if 0 <= gap_after <= 2:
                best = max(best, n + 0.5 - 0.1 * gap_after)
            elif 0 <= gap_before <= 4:
                best = max(best, n - 0.1 * gap_before)
            else:
                near = min(abs(gap_after), abs(gap_before))
                best = max(best, n / (1 + near))
        return best, -m.start()

    return max(matches, key=fit).group(0)


def _focus(sentence: str, key: str | None, width: int = 90) -> str:
    """The clauses around the key value, so the answer stays short; the citation keeps the sentence."""
    if len(sentence) <= width:
        return sentence
    clauses = [c for c in _CLAUSE.findall(sentence) if c]
    at = next((i for i, c in enumerate(clauses) if key and key in c), 0)
    lo, hi = at, at + 1
    while hi - lo < len(clauses):
        size = sum(len(c) for c in clauses[lo:hi])
        grow_left = lo > 0 and size + len(clauses[lo - 1]) <= width
        grow_right = hi < len(clauses) and size + len(clauses[hi]) <= width
        if grow_left:
            lo -= 1
        elif grow_right:
            hi += 1
        else:
            break
    out = "".join(clauses[lo:hi])
    return ("…" if lo else "") + out + ("…" if hi < len(clauses) else "")
