"""Drafting a new reply letter (答复函) from precedent letters.

request → the proposal's demands, in its order (rag.draft.themes) → for each demand the closest
precedent paragraphs, each a window of whole sentences and whole list items, cited verbatim → in the
draft's text: lists renumbered, leads kept only with their items (rag.draft.enumeration), full-width
punctuation and the drafting bureau's level (rag.draft.voice), another place's facts, places and units
marked (rag.draft.facts) → optionally rewritten by an LLM (rag.draft.rewrite), kept only if the
rewrite passes its checks → letter-shaped Draft (Markdown here, Word in rag.draft.docx).

A demand no precedent paragraph speaks to gets a 【待补充：…】 section rather than an unrelated
paragraph. The Draft is a starting point for a human drafter, never a finished letter: every
precedent-derived paragraph carries its Citation, and every fact that belongs to the precedent's
region is wrapped in 【待核实：…】 until someone replaces it with a local fact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date as Date

from rag.answer.cite import make_citation
from rag.answer.generate import Generator
from rag.core.errors import InputError
from rag.core.places import same_bureau, speaking_level
from rag.core.records import Citation, Filters, Hit
from rag.core.text import squash
from rag.draft.enumeration import is_lead, items, renumber
from rag.draft.facts import FILL, MISSING, mark_foreign, tidy
from rag.draft.records import Draft, DraftParagraph, DraftRequest, DraftSection, Searcher
from rag.draft.rewrite import rewrite_section
from rag.draft.themes import Demand, answers_demand, find_demands, keywords
from rag.draft.voice import full_width

QUOTE_LIMIT = 300  # longer precedent paragraphs are cut to their most relevant sentences or items
_MIN_CHARS = 30  # shorter body text is rarely a fact worth reusing
_ENOUGH = 150  # characters: a window this long says enough; a longer one only for more of the demand's words
_CN = "一二三四五六七八九十"
DEMAND_LABEL = "对应建议："  # how a section's demand is introduced in Markdown, Word and the page
_BOILER = re.compile(r"收悉|专此答复|现答复如下|感谢.{0,12}(?:关心|支持)|联系人|联系电话")
_FUTURE = re.compile(r"下一步|今后|将进一步|计划|力争|拟")
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
# a sentence that goes on from the one before it: never the first of a window
_GOES_ON = re.compile(r"^\s*(?:\*\*)?\s*(?:另一方面|其次|再次|此外|除此之外|除此|最后|与此同时)")


def draft(
    request: DraftRequest,
    searcher: Searcher,
    generator: Generator | None = None,
    k_per_theme: int = 3,
    *,
    filters: Filters | None = None,
    signed: Date | None = None,
    temperature: float = 0.2,
) -> Draft:
    """Draft a reply letter for `request` from the precedent `searcher` finds: one section per demand.

    `signed` fills the date line (2024年5月1日); without it the line is 【待填：成文日期】, because a
    letter is dated when signed, not when drafted.
    """
    request.validate()
    if not 1 <= k_per_theme <= 10:
        raise InputError(f"k_per_theme must be between 1 and 10, got {k_per_theme}")
    demands = find_demands(request.title, request.text)
    used: list[str] = []  # squashed texts already placed: no paragraph twice in one letter
    sections = []
    for i, demand in enumerate(demands):
        heading = f"{_CN[i]}、{demand.heading}"
        hits = searcher.search(demand.query, k=max(5, 3 * k_per_theme), mode="hybrid", filters=filters)
        paras = _select(demand, hits, request, k_per_theme, used)
        if not paras:
            topic = demand.heading.removeprefix("关于")
            gap = MISSING.format(f"现有答复函中未找到与“{topic}”相关的做法，请承办单位补充")
            paras = [DraftParagraph(text=gap)]
        section = DraftSection(
            heading=heading,
            paragraphs=tuple(paras),
            sources=tuple(c for p in paras for c in p.sources),
            demand=demand.text,
        )
        if generator is not None and section.sources:
            section = rewrite_section(section, request, generator, temperature)
        sections.append(section)
    return _letter(request, tuple(sections), tuple(demands), signed)


# --- choosing precedent -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    score: float
    hit: Hit
    quote: str  # verbatim window of the precedent paragraph
    future: bool  # a plan (下一步…将…): placed after what has been done


def _select(
    demand: Demand, hits: Sequence[Hit], request: DraftRequest, k: int, used: list[str]
) -> list[DraftParagraph]:
    kw = keywords(demand.query)
    found: list[_Candidate] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        own = same_bureau(hit.meta.bureau, request.bureau)
        for para in hit.paragraphs:
            if para.id in seen or para.kind != "body" or _BOILER.search(para.text):
                continue
            seen.add(para.id)
            quote = best_window(para.text, kw, taken=lambda unit: any(squash(unit) in u for u in used))
            if len(squash(quote)) < _MIN_CHARS:
                continue
            # it answers the demand only if it speaks of what the demand is about, not just of 养老服务
            if not answers_demand(demand, quote):
                continue
            overlap = len(kw & keywords(quote)) / max(1, len(kw))
            # the searcher's order counts, the demand's words count more; own facts need no checking
            score = overlap + 0.3 / (1 + rank) + (0.2 if own else 0.0)
            found.append(_Candidate(score, hit, quote, bool(_FUTURE.search(quote[:40]))))
    found.sort(key=lambda c: -c.score)
    chosen: list[_Candidate] = []
    for cand in found:
        if len(chosen) >= k:
            break
        key = squash(cand.quote)
        if any(_similar(key, u) or _overlap(key, u) for u in used):
            continue
        if make_citation(cand.hit, cand.quote) is None:  # never place text we cannot cite verbatim
            continue
        chosen.append(cand)
        used.append(key)
    chosen.sort(key=lambda c: c.future)  # what was done, then what will be done (stable: best first)
    return [_paragraph(c, request) for c in chosen]


def _paragraph(cand: _Candidate, request: DraftRequest) -> DraftParagraph:
    citation = make_citation(cand.hit, cand.quote)
    assert citation is not None
    level = speaking_level(request.bureau, request.meeting) or "市"
    text, placeholders = mark_foreign(draft_text(cand.quote), cand.hit.meta.bureau, request.bureau, level=level,
                                      own_text=request.title + request.text)
    return DraftParagraph(text=text, sources=(citation,), placeholders=placeholders)


def draft_text(quote: str) -> str:
    """A precedent window as draft text: bold marks gone, its list renumbered from one (an item on its
    own loses its ordinal), PDF spaces removed, punctuation full-width, and a paragraph that stopped at
    an item's ；or ，ends with 。."""
    text = full_width(tidy(renumber(quote.replace("**", ""))))
    return text[:-1] + "。" if text.endswith(("；", "，")) else text


def best_window(
    text: str, kw: set[str], limit: int = QUOTE_LIMIT, taken: Callable[[str], bool] = lambda unit: False
) -> str:
    """The run of whole units (sentences, or list items) of at most `limit` characters that shares most
    words with the demand; verbatim. A run never starts inside an item or on a 另一方面, holds no unit
    already `taken` by another section, and holds a lead sentence (…如下：) only when at least two of
    its items follow; "" when no run qualifies."""
    units = _units(text.strip())
    free = [not (len(squash(u)) >= 10 and taken(u)) for u, _kind in units]
    best, best_score = "", (-1, 0)
    for i, (first, first_kind) in enumerate(units):
        if first_kind == "more" or _GOES_ON.match(first):
            continue  # the rest of a long item, or a 另一方面 whose 一方面 is elsewhere
        words: set[str] = set()
        size = 0
        for j in range(i, len(units)):
            if (j > i and size + len(units[j][0]) > limit) or not free[j]:
                break
            size += len(units[j][0])
            words |= keywords(units[j][0])
            if not _whole(units[i : j + 1]):
                continue
            # most demand words, then substance up to _ENOUGH characters (going over costs double): a long
            # paragraph that covers several demands is shared out window by window
            score = (len(words & kw), size if size <= _ENOUGH else _ENOUGH - 2 * (size - _ENOUGH))
            if score > best_score:
                best, best_score = "".join(u for u, _ in units[i : j + 1]), score
    return best.strip()


def _units(text: str) -> list[tuple[str, str]]:
    """(unit, kind): kind "sent" (a sentence before or outside a list), "item" (a list item, whole or
    its opening sentences), "more" (the rest of an item longer than QUOTE_LIMIT)."""
    intro, listed = items(text)
    out = [(s, "sent") for s in _SENTENCE.findall(intro) if s]
    for item in listed:
        if len(item) <= QUOTE_LIMIT:
            out.append((item, "item"))
            continue
        sents = [s for s in _SENTENCE.findall(item) if s]
        out += [(sents[0], "item")] + [(s, "more") for s in sents[1:]]
    return out


def _whole(run: Sequence[tuple[str, str]]) -> bool:
    """A run is a whole thought: it does not end on a lead, and a lead in it has two items after it."""
    for n, (unit, _kind) in enumerate(run):
        if is_lead(unit.replace("**", "")) and sum(1 for _u, kind in run[n + 1 :] if kind == "item") < 2:
            return False
    return True


def _similar(a: str, b: str, threshold: float = 0.5) -> bool:
    """Near-duplicate test on character bigrams (the same passage cut or quoted twice)."""
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    return bool(ga and gb) and len(ga & gb) / len(ga | gb) >= threshold


def _overlap(a: str, b: str) -> bool:
    """Two windows of one long paragraph that share a sentence."""
    return any(len(s) >= 10 and s in b for s in (squash(x) for x in _SENTENCE.findall(a)))


# --- the letter ---------------------------------------------------------------------------------


def _letter(
    request: DraftRequest, sections: tuple[DraftSection, ...], demands: tuple[Demand, ...], signed: Date | None
) -> Draft:
    kind = request.kind
    bureau = (request.bureau or "").strip() or FILL.format("答复单位")
    meeting = (request.meeting or "").strip() or FILL.format("会议届次")
    number = re.sub(r"^第|号$", "", (request.number or "").strip()) or FILL.format("编号")
    addressee = (request.addressee or "").strip() or FILL.format("代表或委员姓名")
    you = "你们" if "等" in addressee else "您"  # 杨兴全等委员 are answered in the plural
    merged = f"经综合{'、'.join(request.co_units)}意见，" if request.co_units else ""
    contact = (request.contact or "").strip() or FILL.format("联系人")
    phone = (request.phone or "").strip() or FILL.format("联系电话")
    letter = Draft(
        title=full_width(f"{bureau}关于{meeting}第{number}号{kind}答复的函"),
        markdown="",
        sections=sections,
        salutation=f"{addressee}：",
        opening=full_width(f"{you}提出的《{request.title.strip().strip('《》')}》收悉。{merged}现答复如下："),
        closing=f"专此答复，感谢{you}对我们工作的关心和支持。",
        contact=f"（联系人：{contact}；联系电话：{phone}）",
        signature=bureau,
        date=f"{signed.year}年{signed.month}月{signed.day}日" if signed else FILL.format("成文日期"),
        demands=demands,
    )
    return replace(letter, markdown=render_markdown(letter))


def render_markdown(d: Draft) -> str:
    """The letter as Markdown; each cited paragraph ends in footnotes [^n] naming its sources.

    Markdown cannot right-align, so the document-number line, signature and date stand alone.
    """
    lines = [d.doc_number, "", f"# {d.title}", "", d.salutation, "", d.opening, ""]
    notes: list[str] = []
    for section in d.sections:
        lines += [f"## {section.heading}", ""]
        if section.demand:
            lines += [f"> {DEMAND_LABEL}{section.demand}", ""]
        for para in section.paragraphs:
            refs = ""
            for c in para.sources:
                notes.append(f"[^{len(notes) + 1}]: {_note(c)}")
                refs += f"[^{len(notes)}]"
            lines += [para.text + refs, ""]
    lines += [d.closing, "", d.contact, "", d.signature, "", d.date, "", f"> {drafting_note(d)}", ""]
    if notes:
        lines += [*notes, ""]
    return "\n".join(lines)


def drafting_note(d: Draft) -> str:
    """What the drafter must still do, counted (shown below the letter, never part of it)."""
    fills = sum(len(re.findall(r"【(?:待填|待补充)：", x)) for x in (d.title, d.salutation, d.contact, d.signature,
                d.date, *(p.text for s in d.sections for p in s.paragraphs)))
    return (f"起草提示：本稿有{d.marks}处【待核实】（先例中其他地区的数字、日期、文件、地名和单位名），"
            f"{fills}处【待填】或【待补充】；请逐一核实、替换后再印发。")


def _note(c: Citation) -> str:
    """Footnote text: 〔bureau doc number · section label〕, date, and the quote's first 40 characters."""
    quote = tidy(c.quote.replace("**", ""))
    short = quote if len(quote) <= 40 else quote[:40] + "…"
    date = f"，{c.date}" if c.date else ""
    return f"{c.label}{date} “{short}”"
