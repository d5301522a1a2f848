"""The optional LLM pass of drafting: rewrite a section's precedent text, keep it only if it checks out.

The generator gets the section's template paragraphs (markers included) and is told to keep every
【待核实：…】 and 【本地】 marker and add no number. The rewrite replaces the template text only if

- it is not empty,
- every 【待核实：…】 marker of the paragraph(s) it replaces is still there, verbatim,
- every number in it occurs in the cited precedent quotes or in the request's own title/text,
- it does not name the precedent's region (温州…) outside a marker;

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
from rag.core.places import region_names, same_bureau
from rag.core.text import squash
from rag.draft.facts import MARKER_RE, tidy
from rag.draft.records import DraftParagraph, DraftRequest, DraftSection

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
    listing = "\n".join(f"[{i}] {p.text}" for i, p in enumerate(paras, 1))
    demands = f"\n{request.kind}要点：{request.text.strip()[:600]}" if request.text.strip() else ""
    user = (
        f"新{request.kind}：《{request.title.strip().strip('《》')}》{demands}\n"
        f"本部分标题：{section.heading}\n"
        f"先例段落（摘自其他答复函，已作标记）：\n{listing}\n\n"
        "改写要求：\n"
        f"1. 逐段改写为答复本{request.kind}的正文，共{len(paras)}段，段与段之间空一行，"
        "不要编号、标题或任何说明；\n"
        "2. 形如【待核实：…】和【本地】的标记必须逐字保留；\n"
        "3. 不得新增任何数字、日期、地名、文件或项目名称；\n"
        "4. 语气正式简洁，以“我局”“我市”自称。"
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
    allowed = {n for p in paras for c in p.sources for n in _NUMBER.findall(c.quote)}
    allowed |= set(_NUMBER.findall(request.title + request.text))
    foreign = {n for c in section.sources if not same_bureau(c.bureau, request.bureau) for n in region_names(c.bureau)}
    rewritten = []
    for text, group in groups:
        problem = _check(text, group, allowed, foreign)
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
    return [tidy(re.sub(r"^\s*(?:\[\d+\]|\d+[.、．]|[（(]\d+[）)])\s*", "", p)) for p in pieces]


def _check(text: str, group: Sequence[DraftParagraph], allowed: set[str], foreign: set[str]) -> str:
    """Why a rewritten paragraph cannot replace the template text, or "" if it can."""
    if len(squash(text)) < 10:
        return "empty output"
    dropped = [ph for p in group for ph in p.placeholders if ph not in text]
    if dropped:
        return f"dropped {dropped[0]}"
    new = [n for n in _NUMBER.findall(text) if n not in allowed]
    if new:
        return f"new number {new[0]}"
    bare = MARKER_RE.sub("", text)
    named = [n for n in foreign if n in bare]
    if named:
        return f"names the precedent's place {named[0]}"
    return ""
