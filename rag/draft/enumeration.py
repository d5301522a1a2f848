"""Lists inside letter text: ordinals (一是/二是, （一）, 一、, 1., 第一，, ①), their items, and lead
sentences ("重点做好以下几点工作：") that announce them.

A window cut from a precedent paragraph must keep whole thoughts: an item keeps its ordinal only next to
its siblings, numbered from one within the draft; a lead sentence stays only when its items follow.
Pure functions on strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from rag.core.numerals import cn_int

_CN_DIGITS = "一二三四五六七八九十"
_CN = f"[{_CN_DIGITS}]{{1,3}}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
# where a list item may begin: the start of the text or after a clause mark, then optional bold marks
_AT = r"(?:^|(?<=[。；;！？!?：:，,\n]))\s*(?:\*\*)?\s*"
_MARKERS = {
    "是": rf"(?P<n>{_CN})是",
    "（一）": rf"[（(](?P<n>{_CN})[）)]",
    "（1）": r"[（(](?P<n>\d{1,2})[）)]",
    "一、": rf"(?P<n>{_CN})、",
    "1.": r"(?P<n>\d{1,2})(?:[.．、](?!\d)|\s)",
    "第一，": rf"第(?P<n>{_CN})[，,、]",
    "其一，": rf"其(?P<n>{_CN})[，,、]",
}
_STYLES: dict[str, re.Pattern[str]] = {k: re.compile(rf"{_AT}(?P<m>{v})") for k, v in _MARKERS.items()}
_STYLES["①"] = re.compile(rf"(?P<m>(?P<n>[{_CIRCLED}]))")
_FORMAT = {"是": "{}是", "（一）": "（{}）", "（1）": "（{}）", "一、": "{}、", "1.": "{}.", "第一，": "第{}，",
           "其一，": "其{}，", "①": "{}"}
# a sentence that announces a list: it ends in a colon (具体做法如下： 重点做好以下几点工作：)
LEAD_END = re.compile(r"[：:]\s*(?:\*\*)?\s*$")


@dataclass(frozen=True)
class Ordinal:
    start: int  # where the marker starts (after any bold marks and spaces)
    end: int
    style: str  # a key of _STYLES
    n: int  # 1 for 一是 / （一） / 1. / ①


def cn_number(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十 → 20 (up to 九十九: enough for list items)."""
    if s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    return cn_int(s)


def _numeral(n: int, style: str) -> str:
    if style == "①":
        return _CIRCLED[n - 1] if n <= len(_CIRCLED) else f"（{n}）"
    if style in ("（1）", "1."):
        return str(n)
    if n <= 10:
        return _CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens - 1] if tens > 1 else "") + "十" + (_CN_DIGITS[ones - 1] if ones else "")


def ordinals(text: str) -> list[Ordinal]:
    """Every list marker in `text`, in order."""
    out = []
    for style, rx in _STYLES.items():
        for m in rx.finditer(text):
            try:
                out.append(Ordinal(m.start("m"), m.end("m"), style, cn_number(m.group("n"))))
            except ValueError:  # 十十 and other non-numbers
                continue
    return sorted(out, key=lambda o: o.start)


def dangling(marks: list[Ordinal]) -> list[Ordinal]:
    """The markers that are not part of a list numbered 1, 2, 3… of at least two items, per style."""
    bad: list[Ordinal] = []
    for style in dict.fromkeys(o.style for o in marks):
        seq = [o for o in marks if o.style == style]
        expect, run = 1, []
        for o in seq:
            if o.n == expect:
                run.append(o)
                expect += 1
            else:
                bad.append(o)
        if len(run) < 2:
            bad += run
    return sorted(bad, key=lambda o: o.start)


def items(text: str) -> tuple[str, list[str]]:
    """Split a paragraph into the text before its list and the list's items (each with its marker), by
    the style with the longest run numbered from one; ("", []) items when there is no such list."""
    marks = ordinals(text)
    best: list[Ordinal] = []
    for style in dict.fromkeys(o.style for o in marks):
        run: list[Ordinal] = []
        for o in (o for o in marks if o.style == style):
            if o.n == len(run) + 1:
                run.append(o)
        if len(run) > len(best):
            best = run
    if len(best) < 2:
        return text, []
    bounds = [_item_start(text, o) for o in best] + [len(text)]
    return text[: bounds[0]], [text[a:b] for a, b in pairwise(bounds)]


def _item_start(text: str, o: Ordinal) -> int:
    """An item starts at its marker, bold marks included."""
    start = o.start
    while start >= 2 and text[start - 2 : start] == "**":
        start -= 2
    return start


def renumber(text: str) -> str:
    """Number each style's markers 1, 2, 3… in order; a style with one marker loses it (an item on
    its own is plain text). Text between markers is untouched."""
    marks = ordinals(text)
    counts: dict[str, int] = {}
    for o in marks:
        counts[o.style] = counts.get(o.style, 0) + 1
    seen: dict[str, int] = {}
    out: list[str] = []
    pos = 0
    for o in marks:
        if o.start < pos:
            continue
        out.append(text[pos : o.start])
        if counts[o.style] >= 2:
            seen[o.style] = seen.get(o.style, 0) + 1
            out.append(_FORMAT[o.style].format(_numeral(seen[o.style], o.style)))
        pos = o.end
    out.append(text[pos:])
    return "".join(out)


def is_lead(sentence: str) -> bool:
    return bool(LEAD_END.search(sentence))
