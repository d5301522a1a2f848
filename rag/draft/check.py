"""The draft checker: what a drafter would still have to fix in a draft, counted.

    dangling_ordinals   a list marker (七是, （二）, 3.) that is not part of a list numbered from one
    leads_without_items a paragraph ending in a lead sentence (…以下几点工作：) with no items after it
    foreign_names       another bureau's place or unit name (湛江, 市农业农村局), or a 我市/全区 of another
                        level than the drafting bureau's, left unmarked in text copied from its letter
    half_width          half-width punctuation (, ; : ( ) " …) in the draft's own text
    off_demand          a section that is not the next demand of the proposal, or that answers it with a
                        paragraph sharing no topic word with it
    unflagged_facts     a number, date or 《document》 from another bureau's letter left unmarked
    demands_unanswered  demands of the proposal no section answers

It reads a draft as its JSON (`Draft.to_json()`), so drafts made by any version of the code can be
checked alike (eval/bench/drafts.py measures the code before and after a change that way). Demands are
the proposal's own (rag.draft.themes.find_demands) unless a hand-labelled list of key phrases is given.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rag.core.places import NATIONAL, place_spans, places_of, same_bureau, same_place, speaking_level, unit_spans
from rag.core.text import squash
from rag.draft.enumeration import dangling, is_lead, items, ordinals
from rag.draft.facts import FOREIGN_RE, MARKER_RE
from rag.draft.themes import answers, demand_clauses, find_demands
from rag.draft.voice import half_width_spans, voice_spans

COUNTS = ("dangling_ordinals", "leads_without_items", "foreign_names", "half_width", "off_demand",
          "unflagged_facts", "demands_unanswered")
_HOLE = "□"  # stands in for a marker, so text on both sides of it never joins into a name
_DIGITS = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)*(?![A-Za-z\d])")  # 375, 3,000, TC134; not 5G
_RELATIVE_DATE = re.compile(r"今年|去年|明年|前年|上年度|本年度")
_BOOK = re.compile(r"《[^》]{2,}》")
_UNWRAP = re.compile(r"【待核实：([^】]*)】")
_OTHER_HAND = re.compile(r"另一方面")
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+|$)")


@dataclass(frozen=True)
class Issue:
    kind: str  # one of COUNTS
    where: str  # "二、关于… ¶2" or "heading"
    text: str  # the offending words


@dataclass(frozen=True)
class DraftCheck:
    issues: tuple[Issue, ...]
    marks: int  # 【待核实：…】 markers in the letter
    gaps: int  # sections that say no precedent covers their demand
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts, "marks": self.marks, "gaps": self.gaps,
                "issues": [vars(i) for i in self.issues]}


def check_draft(
    draft: Mapping[str, Any], request: Mapping[str, Any], demands: Sequence[str] | None = None
) -> DraftCheck:
    """Check a draft (its JSON) made for `request` (title, text, bureau, meeting). `demands`: key phrases
    of the proposal's demands in order, each found in the demand's wording (default: the parsed ones)."""
    title, text = request.get("title") or "", request.get("text") or ""
    bureau = request.get("bureau")
    sections = draft.get("sections") or []
    issues: list[Issue] = []
    level = speaking_level(bureau, request.get("meeting")) or _majority_level(sections)

    lines = [draft.get(k) or "" for k in ("title", "salutation", "opening", "closing")]
    for s in sections:
        lines.append(s.get("heading") or "")
        lines += [p.get("text") or "" for p in s.get("paragraphs") or []]
    for line in lines:
        issues += [Issue("half_width", line[:20], line[a:b]) for a, b in half_width_spans(line)]

    for s in sections:
        paras = s.get("paragraphs") or []
        heading = s.get("heading") or ""
        leading = []
        for i, p in enumerate(paras):
            where = f"{heading} ¶{i + 1}"
            plain = MARKER_RE.sub(_HOLE, p.get("text") or "")
            marks = ordinals(plain)
            # a marker opening the paragraph with no sibling inside it is an item of a list of paragraphs
            leading += [o for o in marks if o.start == 0 and not any(x.style == o.style for x in marks if x.start)]
            following = paras[i + 1].get("text") or "" if i + 1 < len(paras) else ""
            issues += paragraph_issues(p.get("text") or "", p.get("sources") or [], bureau, level, title + text,
                                       where, following=following, punctuation=False)
        issues += [Issue("dangling_ordinals", heading, f"段首{o.style}{o.n}") for o in dangling(leading)]

    wanted = list(demands) if demands is not None else [d.text for d in find_demands(title, text)]
    issues += _against_demands(sections, wanted, text)
    counts = Counter(i.kind for i in issues)
    marks = sum(len(FOREIGN_RE.findall(p.get("text") or "")) for s in sections for p in s.get("paragraphs") or [])
    gaps = sum(1 for s in sections if not s.get("sources"))
    return DraftCheck(tuple(issues), marks, gaps, {k: counts.get(k, 0) for k in COUNTS})


def _majority_level(sections: Sequence[Mapping[str, Any]]) -> str:
    words = Counter(w for s in sections for p in s.get("paragraphs") or []
                    for _a, _b, w in voice_spans(MARKER_RE.sub(_HOLE, p.get("text") or "")))
    # the level most of the draft speaks at (a tie goes to 市, the usual level of these letters)
    return min(words, key=lambda w: (-words[w], w != "市")) if words else "市"


def paragraph_issues(
    text: str,
    sources: Sequence[Mapping[str, Any]],
    bureau: str | None,
    level: str,
    own_text: str = "",
    where: str = "",
    *,
    following: str | None = None,
    punctuation: bool = True,
) -> list[Issue]:
    """What is wrong with one draft paragraph (the rewrite checks each rewritten paragraph with it).
    `following`: the next paragraph of its section (None: it is the last); `punctuation`: count
    half-width marks too (check_draft counts them line by line)."""
    plain = MARKER_RE.sub(_HOLE, text)
    marks = ordinals(plain)
    alone = [o for o in marks if o.start == 0 and not any(x.style == o.style for x in marks if x.start)]
    out = [Issue("dangling_ordinals", where, plain[o.start : o.end + 8])
           for o in dangling([o for o in marks if o not in alone])]
    out += [Issue("dangling_ordinals", where, plain[m.start() : m.end() + 8])  # 另一方面 without 一方面
            for m in _OTHER_HAND.finditer(plain) if "一方面" not in _OTHER_HAND.sub("", plain[: m.start()])]
    last = [x for x in _SENTENCE.findall(plain.strip()) if x.strip()]
    items_follow = any(o.start == 0 for o in ordinals(MARKER_RE.sub(_HOLE, following or "")))
    if last and is_lead(last[-1]) and not items_follow:
        out.append(Issue("leads_without_items", where, last[-1][-30:]))
    if punctuation:
        out += [Issue("half_width", where, text[a:b]) for a, b in half_width_spans(text)]
    return out + _foreign(plain, sources, bureau, level, own_text, where)


def _foreign(plain: str, sources: Sequence[Mapping[str, Any]], bureau: str | None, level: str, own_text: str,
             where: str) -> list[Issue]:
    """Another bureau's names, levels and facts left unmarked in a paragraph copied from its letter."""
    theirs = [c.get("bureau") for c in sources if not same_bureau(c.get("bureau"), bureau)]
    if not theirs:
        return []  # the drafting bureau's own letters, or text the draft wrote itself
    out: list[Issue] = []
    if not all(same_place(b, bureau) for b in theirs):
        ours = set(places_of(bureau)) | {bureau or ""}
        for a, b in (*place_spans(plain), *unit_spans(plain)):
            name = plain[a:b]
            if name in NATIONAL or name in ours or name in own_text or any(name in o for o in ours if o):
                continue
            out.append(Issue("foreign_names", where, name))
    out += [Issue("foreign_names", where, plain[max(0, a - 1) : b + 1])
            for a, b, w in voice_spans(plain) if w != level]
    facts = [m.group(0) for rx in (_DIGITS, _RELATIVE_DATE, _BOOK) for m in rx.finditer(plain)]
    out += [Issue("unflagged_facts", where, f) for f in facts if f not in own_text and not re.fullmatch(r"[45]", f)]
    return out


def _against_demands(sections: Sequence[Mapping[str, Any]], demands: Sequence[str], text: str) -> list[Issue]:
    """Section i answers demand i: its demand (or heading) holds the demand's key phrase, and each
    precedent paragraph speaks to a clause of the proposal's sentence holding that phrase (the phrase
    itself for a title's demand; rag.draft.themes.answers)."""
    out: list[Issue] = []
    for i, s in enumerate(sections):
        heading = s.get("heading") or ""
        if i >= len(demands):
            out.append(Issue("off_demand", heading, "no demand of the proposal left for this section"))
            continue
        key = squash(demands[i])
        said = squash((s.get("demand") or "") + heading)
        core = re.sub(r"^[一二三四五六七八九十]+、(?:关于)?", "", squash(heading))
        if key not in said and not (len(core) >= 2 and core in key):
            out.append(Issue("off_demand", heading, f"demand {i + 1} is “{demands[i]}”"))
            continue
        clauses = demand_clauses(_wording(demands[i], text)) or [demands[i]]
        for j, p in enumerate(s.get("paragraphs") or []):
            said = _UNWRAP.sub(r"\1", p.get("text") or "")  # a marked fact still says what it says
            if p.get("sources") and not any(answers(c, said) for c in clauses):
                out.append(Issue("off_demand", f"{heading} ¶{j + 1}", f"does not speak to “{demands[i]}”"))
    out += [Issue("demands_unanswered", "", d) for d in demands[len(sections):]]
    return out


def _wording(key: str, text: str) -> str:
    """The proposal's list item, else its sentence, that holds a demand's key phrase (the key itself
    when none does)."""
    pieces = [p for p in items(text)[1] if key in p] or [p for p in re.split(r"[。；;！？!?\n]", text) if key in p]
    return min(pieces, key=len) if pieces else key
