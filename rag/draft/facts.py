"""Marking another place's facts in precedent text, so a drafter never signs them by mistake.

A precedent letter from another bureau describes *its* region: its counts, dates, districts,
local programmes and documents. Copied into a new letter they would be false. Every such span is
wrapped in a marker the drafter must resolve before the letter goes out:

    【待核实：375家】   a foreign fact kept verbatim: number with unit, date, sub-place, quoted
                        programme name, local document title or document number
    【本地】            the precedent's own region name (温州市 / 温州): read it as "our region"
    【待填：联系人】    a piece of the new letter the request did not give (see rag.draft.compose)
    【待补充：…】       a section for which no precedent was found (see rag.draft.compose)

"我市/我区/我省" are left alone: they already mean "our region" in the new letter. A precedent from
the drafting bureau itself is never marked; one from another bureau of the same city keeps its
place names but still has its figures, programmes and documents marked.
"""

from __future__ import annotations

import logging
import re

import jieba

from rag.core.places import region_names, same_bureau, same_place, strip_place_suffix, sub_places
from rag.core.text import word_set

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to print


FOREIGN = "【待核实：{}】"
LOCAL = "【本地】"
FILL = "【待填：{}】"
MISSING = "【待补充：{}】"
MARKER_RE = re.compile(r"【(?:待核实|待填|待补充)：[^】]*】|【本地】")
FOREIGN_RE = re.compile(r"【待核实：[^】]*】")

_CJK = "\u4e00-\u9fff"
_UNITS = (
    "万人次|人次|万人|万元|亿元|万张|万个|万条|万户|万小时|个百分点|平方米|平方公里|小时|周岁|"
    "万|亿|元|家|张|个|人|名|所|座|条|次|户|场|项|床|岁|倍|㎡|%|％|期|批|类|种|件|处|间|套|台|天|座"
)
_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
# dates first (2018年底, 2021 年 7 月), then counts/amounts with a unit (375家, 0.2783万张, 87.8%)
_FACT = re.compile(
    rf"{_NUM}\s*(?:[-—~～至]\s*{_NUM}\s*)?年(?:\s*\d{{1,2}}\s*月)?(?:\s*\d{{1,2}}\s*日)?(?:底|初|末|起|以来)?"
    rf"|\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?(?:底|初|起)?"
    rf"|{_NUM}\s*(?:[-—~～至]\s*{_NUM}\s*)?(?:余|多)?\s*(?:{_UNITS})"
)
_DOCNO = re.compile(rf"[{_CJK}]{{1,8}}[〔\[［(（]\s*\d{{4}}\s*[〕\]］)）]\s*\d+\s*号")
_QUOTE = re.compile(r"“[^“”\n]{1,40}”")
_BOOK = re.compile(r"《[^《》\n]{2,80}》")
_BOOK_PLACE = re.compile(rf"^《[{_CJK}]{{2,6}}?(?:省|市|区|县)")
# quoted terms used nationwide, not a place's own programme: left unmarked
NATIONAL_TERMS = word_set(
    "一老一小 十四五 十三五 放管服 两代表一委员 互联网+ 互联网＋ 以奖代补 三供一业 敬老月 医养结合 "
    "智慧养老 时间银行 保基本、兜底线 保基本、广覆盖、可持续 金民系统"
)


def mark_foreign(text: str, precedent_bureau: str | None, own_bureau: str | None) -> tuple[str, tuple[str, ...]]:
    """Wrap another place's facts in 【待核实：…】 and its region name in 【本地】.

    Returns the marked text and the distinct 【待核实：…】 markers in order. Text from the drafting
    bureau's own letters is returned unchanged. Bureau unknown on either side counts as foreign:
    a wrong mark costs the drafter a glance, a missed one a false statement.
    """
    if same_bureau(precedent_bureau, own_bureau):
        return text, ()
    local = same_place(precedent_bureau, own_bureau)
    regions = () if local else region_names(precedent_bureau)
    places: list[tuple[int, int]] = [] if local else sub_places(text)
    # short forms of sub-places found with a suffix also count: 鹿城区 → "加强鹿城困难老年人"
    place_names = {text[s:e] for s, e in places}
    place_names |= {n for p in list(place_names) if len(n := strip_place_suffix(p)) >= 2}
    place_names -= set(regions)

    spans: list[tuple[int, int, str]] = []  # (start, end, kind) kind: fact | local
    for m in _BOOK.finditer(text):
        if _BOOK_PLACE.match(m.group(0)) or any(n in m.group(0) for n in (*regions, *place_names)):
            spans.append((m.start(), m.end(), "fact"))
    for m in _QUOTE.finditer(text):
        if m.group(0)[1:-1] not in NATIONAL_TERMS:
            spans.append((m.start(), m.end(), "fact"))
    spans += [(m.start(), m.end(), "fact") for rx in (_DOCNO, _FACT) for m in rx.finditer(text)]
    spans += [(m.start(), m.end(), "fact") for n in place_names for m in re.finditer(re.escape(n), text)]
    spans += [(m.start(), m.end(), "local") for n in regions for m in re.finditer(re.escape(n), text)]

    out: list[str] = []
    found: list[str] = []
    pos = 0
    # earliest first, longest first at the same start: 《温州市…》 wins over the 温州 inside it
    for start, end, kind in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start < pos:
            continue
        out.append(text[pos:start])
        if kind == "local":
            out.append(LOCAL)
        else:
            marker = FOREIGN.format(text[start:end].strip())
            out.append(marker)
            found.append(marker)
        pos = end
    out.append(text[pos:])
    return "".join(out), tuple(dict.fromkeys(found))


def tidy(text: str) -> str:
    """Remove PDF-style spaces next to Chinese characters; keep spaces between ASCII words."""
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text).strip()
