"""The optional LLM pass of drafting: rewrite a section in the drafting bureau's voice, keep it only if it
checks out.

The generator gets the demand the section answers and the section's template paragraphs (markers
included), and is told to speak as the drafting bureau (我局, 我市 at its level), keep every
【待核实：…】 and 【本地】 marker and add no number, place or unit. Its output is put in full-width
punctuation and replaces the template text only if, paragraph by paragraph,

- it is not empty, and every 【待核实：…】 marker of the paragraph(s) it replaces is still there,
  verbatim, and it makes up no marker of its own;
- every number outside a marker is the proposal's own (title or text) or comes from the drafting
  bureau's own precedent: a fact the template marked may not reappear unmarked;
- it adds no list ordinal, and the draft checker (rag.draft.check.paragraph_issues) finds nothing: no
  dangling ordinal, no lead without items, no unmarked place, unit or 我市/全区 of another level;
- it still speaks to the section's demand (rag.draft.themes.answers) when the template did;

otherwise, or when the generator raises or the prompt does not fit its context, the section keeps
its template text. One output paragraph per input keeps per-paragraph sources; a different count is
judged as one paragraph that cites all the section's sources.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer.generate import Generator
from rag.core.places import same_bureau, speaking_level
from rag.core.text import squash
from rag.draft.check import paragraph_issues
from rag.draft.enumeration import ordinals
from rag.draft.facts import FOREIGN_RE, MARKER_RE, tidy
from rag.draft.records import DraftParagraph, DraftRequest, DraftSection
from rag.draft.themes import answers, demand_clauses
from rag.draft.voice import full_width

log = logging.getLogger(__name__)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


_SYSTEM = (
    "你是政府机关公文写作助手，负责为人大代表建议、政协委员提案起草答复函正文。"
    "只依据给出的先例段落改写，不编造任何事实。"
)


def rewrite_section(
    section: DraftSection, request: DraftRequest, generator: Generator, temperature: float
) -> DraftSection:
    """Ask the generator to rewrite a section; keep the template text unless the rewrite checks out."""
    paras = [p for p in section.paragraphs if p.sources]
    level = speaking_level(request.bureau, request.meeting) or "市"
    listing = "\n".join(f"[{i}] {p.text}" for i, p in enumerate(paras, 1))
    demand = f"\n本部分答复的{request.kind}要点：{section.demand}" if section.demand else ""
    who = (request.bureau or "").strip() or "答复单位"
    user = (
        f"新{request.kind}：《{request.title.strip().strip('《》')}》{demand}\n"
        f"答复单位：{who}\n"
        f"本部分标题：{section.heading}\n"
        f"先例段落（摘自其他答复函，已作标记）：\n{listing}\n\n"
        "改写要求：\n"
        f"1. 逐段改写为答复本{request.kind}要点的正文，共{len(paras)}段，段与段之间空一行，"
        "不要标题或任何说明；段内“一是、二是”等序号保持原样；\n"
        "2. 形如【待核实：…】和【本地】的标记必须逐字保留，不得去掉括号或改写其中文字；\n"
        "3. 不得新增任何数字、日期、地名、单位、文件或项目名称；\n"
        f"4. 语气正式简洁，以“我局”“我{level}”自称，使用中文全角标点。"
    )
    messages = [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": user}]
    try:
        used = generator.count_tokens(_SYSTEM + user)
        want = generator.count_tokens("".join(p.text for p in paras))
        budget = generator.n_ctx - used - 32
        if budget < want:
            log.info("draft: %s does not fit the context window; keeping template text", section.heading)
            return section
        out = "".join(generator.stream(messages, max_tokens=min(budget, 2 * want + 64), temperature=temperature))
    except Exception as exc:  # any backend failure leaves the checked template text in place
        log.warning("draft: generator failed on %s: %s", section.heading, exc)
        return section

    pieces = _split_output(out)
    if len(pieces) == len(paras):
        groups = [(text, [p]) for text, p in zip(pieces, paras, strict=True)]
    else:  # paragraph count changed: judge the section as one paragraph citing all its sources
        groups = [("".join(pieces), paras)]
    allowed = set(_NUMBER.findall(request.title + request.text))
    allowed |= {n for p in paras for c in p.sources if same_bureau(c.bureau, request.bureau)
                for n in _NUMBER.findall(c.quote)}
    rewritten = []
    for i, (text, group) in enumerate(groups):
        following = groups[i + 1][0] if i + 1 < len(groups) else None
        problem = _check(text, group, allowed, request, level, section.demand, following)
        if problem:
            log.info("draft: rewrite of %s rejected (%s); keeping template text", section.heading, problem)
            return section
        rewritten.append(
            DraftParagraph(
                text=text,
                sources=tuple(c for p in group for c in p.sources),
                placeholders=tuple(dict.fromkeys(ph for p in group for ph in p.placeholders)),
            )
        )
    others = [p for p in section.paragraphs if not p.sources]
    return replace(section, paragraphs=tuple(rewritten + others), rewritten=True)


def _split_output(out: str) -> list[str]:
    text = out.strip().strip("`")
    pieces = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(pieces) == 1:
        pieces = [p for p in text.splitlines() if p.strip()]
    return [full_width(tidy(re.sub(r"^\s*(?:\[\d+\]|\d+[.、．]|[（(]\d+[）)])\s*", "", p))) for p in pieces]


def _check(
    text: str,
    group: Sequence[DraftParagraph],
    allowed: set[str],
    request: DraftRequest,
    level: str,
    demand: str,
    following: str | None,
) -> str:
    """Why a rewritten paragraph cannot replace the template text, or "" if it can."""
    if len(squash(text)) < 10:
        return "empty output"
    dropped = [ph for p in group for ph in p.placeholders if ph not in text]
    if dropped:
        return f"dropped {dropped[0]}"
    template = {m for p in group for m in MARKER_RE.findall(p.text)}
    made_up = [m for m in FOREIGN_RE.findall(text) if m not in template]
    if made_up:
        return f"made up the marker {made_up[0]}"
    new = [n for n in _NUMBER.findall(MARKER_RE.sub("", text)) if n not in allowed]
    if new:
        return f"number {new[0]} outside a marker"
    if len(ordinals(text)) > sum(len(ordinals(p.text)) for p in group):
        return "an ordinal the template does not have"  # 七是 in front of a paragraph is a list of one
    sources = [c.to_json() for p in group for c in p.sources]
    issues = paragraph_issues(text, sources, request.bureau, level, request.title + request.text,
                              following=following)
    if issues:
        return f"{issues[0].kind}: {issues[0].text}"
    clauses = demand_clauses(demand)
    if clauses and any(answers(c, _unwrap(p.text)) for p in group for c in clauses) and not any(
        answers(c, _unwrap(text)) for c in clauses
    ):
        return "no longer speaks to the demand"
    return ""


def _unwrap(text: str) -> str:
    """A marked fact still says what it says: 【待核实：“一键通”】 → “一键通”."""
    return FOREIGN_RE.sub(lambda m: m.group(0)[len("【待核实：") : -1], text)
