"""One voice in a draft: full-width Chinese punctuation, and 我市/全区/本县 at the drafting bureau's level.

Precedent letters mix half-width commas and brackets (copied from PDFs and web pages) with full-width
ones, and each speaks of its own place at its own level (恩阳区: 全区, 广东省民政厅: 我省). A letter one
bureau signs uses one set of marks and one level. Only the draft's text changes: citations keep the
precedent's words verbatim.
"""

from __future__ import annotations

import re

from rag.core.places import VOICE_WORD

_CJK = "\u4e00-\u9fff"
_PAIRS = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# a half-width mark that reads as Chinese punctuation: not between two digits (3,000 / 10:30 / 1.5),
# not inside an ASCII word or link (http://, GD/TC134); a "." only right after a Chinese character
HALF_WIDTH = re.compile(
    rf"(?<!\d)[,:]|[,:](?!\d)|[;!?()]|\"|(?<=[{_CJK}）”\"])\.(?![\d.])"
)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S+")


def half_width_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` uses half-width punctuation a Chinese letter writes full-width (links excluded)."""
    links = [(m.start(), m.end()) for m in _URL.finditer(text)]
    return [(m.start(), m.end()) for m in HALF_WIDTH.finditer(text)
            if not any(s <= m.start() < e for s, e in links)]


def full_width(text: str) -> str:
    """Half-width punctuation → full-width (, → ，  ( → （  "…" → “…”  。 after Chinese)."""
    spans = half_width_spans(text)
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    quote_open = True
    for s, e in spans:
        out.append(text[pos:s])
        ch = text[s:e]
        if ch == '"':
            out.append("“" if quote_open else "”")
            quote_open = not quote_open
        elif ch == ".":
            out.append("。")
        else:
            out.append(_PAIRS[ch])
        pos = e
    out.append(text[pos:])
    return "".join(out)


def voice_spans(text: str) -> list[tuple[int, int, str]]:
    """Each word by which a letter speaks of its own place: (start, end, level character)."""
    return [(m.start(), m.end(), m.group(0)) for m in VOICE_WORD.finditer(text)]


def relevel(text: str, theirs: str | None, ours: str) -> str:
    """The precedent's own level → the drafting bureau's: 全区 → 全市 when a 区 letter is reused by a 市."""
    if not theirs or theirs == ours:
        return text
    return VOICE_WORD.sub(lambda m: ours if m.group(0) == theirs else m.group(0), text)
