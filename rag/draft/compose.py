"""Drafting a new reply letter (答复函) from precedent letters.

request → themes (from the proposal's enumerated demands, else its title) → for each theme the most
relevant precedent paragraphs, each cited verbatim → another place's facts marked (rag.draft.facts)
→ optionally rewritten by an LLM (rag.draft.rewrite), kept only if the rewrite passes its checks →
letter-shaped Draft (Markdown here, Word in rag.draft.docx).

The Draft is a starting point for a human drafter, never a finished letter: every precedent-derived
paragraph carries its Citation, and every fact that belongs to the precedent's region is wrapped in
【待核实：…】 until someone replaces it with a local fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import date as Date

from rag.answer.cite import make_citation
from rag.answer.generate import Generator
from rag.core.errors import InputError
from rag.core.places import same_bureau
from rag.core.records import Citation, Filters, Hit, Paragraph
from rag.core.text import split_sentences, squash
from rag.draft.facts import FILL, MISSING, mark_foreign, tidy
from rag.draft.records import Draft, DraftParagraph, DraftRequest, DraftSection, Searcher
from rag.draft.rewrite import rewrite_section
from rag.draft.themes import Theme, find_themes, keywords

QUOTE_LIMIT = 300  # longer precedent paragraphs are cut to their most relevant sentences
_MIN_CHARS = 30  # shorter body text is rarely a fact worth reusing
_CN = "一二三四五六七八九十"
_BOILER = re.compile(r"收悉|专此答复|现答复如下|感谢.{0,12}(?:关心|支持)|联系人|联系电话")
_FUTURE = re.compile(r"下一步|今后|今年|将进一步|计划|力争|拟")
_LEAD = re.compile(rf"^\s*(?:[（(][{_CN}\d]+[）)]|[{_CN}]+[、是]|\d+[.、．]|第[{_CN}]+[，、,])\s*")


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
    """Draft a reply letter for `request` from the precedent `searcher` finds.

    `signed` fills the date line (2024年5月1日); without it the line is 【待填：成文日期】, because a
    letter is dated when signed, not when drafted.
    """
    request.validate()
    if not 1 <= k_per_theme <= 10:
        raise InputError(f"k_per_theme must be between 1 and 10, got {k_per_theme}")
    themes = find_themes(request.title, request.text)
    used: list[str] = []  # squashed texts already placed: no paragraph twice in one letter
    sections = []
    for i, theme in enumerate(themes):
        heading = f"{_CN[i]}、{theme.heading}"
        hits = searcher.search(theme.query, k=max(5, 3 * k_per_theme), mode="hybrid", filters=filters)
        paras = _select(theme, hits, request.bureau, k_per_theme, used)
        if not paras:
            gap = MISSING.format(f"未检索到与“{theme.heading}”相关的先例，请承办单位补充")
            paras = [DraftParagraph(text=gap)]
        section = DraftSection(
            heading=heading,
            paragraphs=tuple(paras),
            sources=tuple(c for p in paras for c in p.sources),
        )
        if generator is not None and section.sources:
            section = rewrite_section(section, request, generator, temperature)
        sections.append(section)
    return _letter(request, tuple(sections), tuple(themes), signed)


# --- choosing precedent -------------------------------------------------------------------------


def _select(theme: Theme, hits: Sequence[Hit], bureau: str | None, k: int, used: list[str]) -> list[DraftParagraph]:
    kw = keywords(theme.query)
    scored: list[tuple[float, float, Hit, Paragraph, str]] = []
    seen: set[str] = set()
    for rank, hit in enumerate(hits):
        own = same_bureau(hit.meta.bureau, bureau)
        for para in hit.paragraphs:
            if para.id in seen or para.kind != "body" or _BOILER.search(para.text):
                continue
            seen.add(para.id)
            quote = _best_window(para.text, kw)
            if len(squash(quote)) < _MIN_CHARS:
                continue
            overlap = len(kw & keywords(quote)) / max(1, len(kw))
            # the searcher's order counts, the theme's words count more; own facts need no checking
            score = overlap + 0.3 / (1 + rank) + (0.2 if own else 0.0)
            if theme.future and _FUTURE.search(quote):
                score += 0.3
            scored.append((score, overlap, hit, para, quote))
    scored.sort(key=lambda s: -s[0])
    out: list[DraftParagraph] = []
    for _score, overlap, hit, _para, quote in scored:
        if len(out) >= k:
            break
        if out and overlap == 0:
            break  # one weak paragraph is a hint; three are noise
        key = squash(quote)
        if any(_similar(key, u) or _overlap(key, u) for u in used):
            continue
        citation = make_citation(hit, quote)
        if citation is None:  # never place text we cannot cite verbatim
            continue
        text, placeholders = mark_foreign(tidy(_clean(quote)), hit.meta.bureau, bureau)
        out.append(DraftParagraph(text=text, sources=(citation,), placeholders=placeholders))
        used.append(key)
    return out


def _best_window(text: str, kw: set[str], limit: int = QUOTE_LIMIT) -> str:
    """The run of whole sentences (≤ limit chars) sharing most words with the theme; verbatim."""
    text = text.strip()
    if len(text) <= limit:
        return text
    sents = split_sentences(text)
    sent_kw = [keywords(s) for s in sents]
    best, best_score = sents[0], (-1, 0)
    for i in range(len(sents)):
        words: set[str] = set()
        size = 0
        for j in range(i, len(sents)):
            if j > i and size + len(sents[j]) > limit:
                break
            size += len(sents[j])
            words |= sent_kw[j]
            score = (len(words & kw), size)  # most theme words, then most substance
            if score > best_score:
                best, best_score = "".join(sents[i : j + 1]), score
    return best.strip()


def _similar(a: str, b: str, threshold: float = 0.5) -> bool:
    """Near-duplicate test on character bigrams (the same passage cut or quoted twice)."""
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    return bool(ga and gb) and len(ga & gb) / len(ga | gb) >= threshold


def _overlap(a: str, b: str) -> bool:
    """Two windows of one long paragraph that share a sentence."""
    return any(len(s) >= 10 and s in b for s in (squash(x) for x in split_sentences(a)))


def _clean(quote: str) -> str:
    """Drop what only made sense in the precedent's layout: bold marks, its own outline numbers."""
    text = quote.replace("**", "")
    while (m := _LEAD.match(text)) and m.end() < len(text):
        text = text[m.end() :]
    return text


# --- the letter ---------------------------------------------------------------------------------


def _letter(
    request: DraftRequest, sections: tuple[DraftSection, ...], themes: tuple[Theme, ...], signed: Date | None
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
        title=f"{bureau}关于{meeting}第{number}号{kind}答复的函",
        markdown="",
        sections=sections,
        salutation=f"{addressee}：",
        opening=f"{you}提出的《{request.title.strip().strip('《》')}》收悉。{merged}现答复如下：",
        closing=f"专此答复，感谢{you}对我们工作的关心和支持。",
        contact=f"（联系人：{contact}；联系电话：{phone}）",
        signature=bureau,
        date=f"{signed.year}年{signed.month}月{signed.day}日" if signed else FILL.format("成文日期"),
        themes=themes,
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
        for para in section.paragraphs:
            refs = ""
            for c in para.sources:
                notes.append(f"[^{len(notes) + 1}]: {_note(c)}")
                refs += f"[^{len(notes)}]"
            lines += [para.text + refs, ""]
    lines += [d.closing, "", d.contact, "", d.signature, "", d.date, ""]
    if notes:
        lines += [*notes, ""]
    return "\n".join(lines)


def _note(c: Citation) -> str:
    """Footnote text: 〔bureau doc number · section label〕, date, and the quote's first 40 characters."""
    quote = tidy(c.quote.replace("**", ""))
    short = quote if len(quote) <= 40 else quote[:40] + "…"
    date = f"，{c.date}" if c.date else ""
    return f"{c.label}{date} “{short}”"
