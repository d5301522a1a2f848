"""Marking another place's facts in precedent text, so a drafter never signs them by mistake.

A precedent letter from another bureau describes *its* region: its counts, dates, districts,
local programmes and documents. Copied into a new letter they would be false. Every such span is
wrapped in a marker the drafter must resolve before the letter goes out:

    【待核实：375家】   a foreign fact kept verbatim: number, date (2018年底, 今年), place, unit
                        (市农业农村局), quoted programme name, document title or document number
    【本地】            the precedent's own region name (温州市 / 温州): read it as "our region"
    【待填：联系人】    a piece of the new letter the request did not give (see rag.draft.compose)
    【待补充：…】       a section for which no precedent was found (see rag.draft.compose)

The precedent speaks of its own place at its own level (全区, 我省, 区委); those words are put at the
drafting bureau's level (全市, 我市, 市委), and the ones of other levels (a 区 letter's 全省) are marked.
The precedent bureau's own name (市民政局) becomes 我局 when the drafting bureau does the same work.
A precedent from the drafting bureau itself is never marked; one from another bureau of the same city
keeps its place and unit names but still has its figures, programmes and documents marked.
"""

from __future__ import annotations

import logging
import re

import jieba

from rag.core.places import (
    department,
    dept_core,
    place_spans,
    region_names,
    same_bureau,
    same_place,
    speaking_level,
    strip_place_suffix,
    unit_spans,
)
from rag.core.text import word_set
from rag.draft.voice import voice_spans

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
_BARE_NUMBER = re.compile(rf"(?<![A-Za-z\d.,]){_NUM}(?![A-Za-z\d])")  # 12349 (a hotline), 2 of "2-4"
_CODE = re.compile(r"[A-Za-z]+(?:/[A-Za-z]+)*\d+")  # a body's code (GD/TC134); 5G is no code
_RELATIVE_DATE = re.compile(r"今年|去年|明年|前年|上年度|本年度")  # the precedent's year, not ours
_SELF = re.compile(r"我(局|厅|委|办)")
_TITLE_AFTER = re.compile(r"厅长|局长|主任|书记|副")  # 省民政厅厅长 is a person there, not 我局
_VOICE_AROUND = re.compile(r"[我全本]?[省市区县州旗](?:人民政府|政府|委|本级|直属|直部门)?")
_DOCNO = re.compile(rf"[{_CJK}]{{1,8}}[〔\[［(（]\s*\d{{4}}\s*[〕\]］)）]\s*\d+\s*号")
_QUOTE = re.compile(r"“[^“”\n]{1,40}”")
_BOOK = re.compile(r"《[^《》\n]{2,80}》")
# quoted terms used nationwide, not a place's own programme: left unmarked
NATIONAL_TERMS = word_set(
    "一老一小 十四五 十三五 放管服 两代表一委员 互联网+ 互联网＋ 以奖代补 三供一业 敬老月 医养结合 "
    "智慧养老 时间银行 保基本、兜底线 保基本、广覆盖、可持续 金民系统"
)


def mark_foreign(
    text: str, precedent_bureau: str | None, own_bureau: str | None, *, level: str | None = None, own_text: str = ""
) -> tuple[str, tuple[str, ...]]:
    """Mark another place's facts in `text` (see the module doc) and speak at the drafting bureau's level.

    `level`: the drafting bureau's (市/区/县/省…; default from its name, else 市); `own_text`: the
    proposal's words, whose names are ours to use. Returns the text and its distinct 【待核实：…】
    markers in order. Text from the drafting bureau's own letters is returned unchanged. Bureau unknown
    on either side counts as foreign: a wrong mark costs the drafter a glance, a missed one a false
    statement.
    """
    if same_bureau(precedent_bureau, own_bureau):
        return text, ()
    ours = level or speaking_level(own_bureau) or "市"
    theirs = speaking_level(precedent_bureau)
    local = same_place(precedent_bureau, own_bureau)
    regions = () if local else region_names(precedent_bureau)
    mine = set(region_names(own_bureau))
    spans: list[tuple[int, int, str]] = []  # (start, end, replacement); "" = mark as a fact
    for m in _BOOK.finditer(text):  # every document title: its relevance and wording are the precedent's
        if m.group(0) not in own_text:
            spans.append((m.start(), m.end(), ""))
    for m in _QUOTE.finditer(text):
        if m.group(0)[1:-1] not in NATIONAL_TERMS:
            spans.append((m.start(), m.end(), ""))
    for rx in (_DOCNO, _FACT, _BARE_NUMBER, _CODE, _RELATIVE_DATE):
        spans += [(m.start(), m.end(), "") for m in rx.finditer(text) if m.group(0) not in own_text]
    if not local:
        found = [(s, e) for s, e in place_spans(text) if text[s:e] not in mine and text[s:e] not in own_text]
        # short forms of sub-places found with a suffix also count: 鹿城区 → "加强鹿城困难老年人"
        shorts = {n for s, e in found if len(n := strip_place_suffix(text[s:e])) >= 2 and n != text[s:e]}
        found += [(m.start(), m.end()) for n in shorts for m in re.finditer(re.escape(n), text)]
        spans += [(s, e, LOCAL if text[s:e] in regions else "") for s, e in found]
        spans += [(s, e, "" if _TITLE_AFTER.match(text, e) else _unit(text[s:e], precedent_bureau, own_bureau))
                  for s, e in unit_spans(text) if text[s:e] not in own_text]
    for s, _e, word in voice_spans(text):
        m = _VOICE_AROUND.match(text, max(0, s - 1)) if s and text[s - 1] in "我全本" else _VOICE_AROUND.match(text, s)
        if m is None:
            continue
        if theirs and word == theirs:
            spans.append((s, s + 1, ours))  # 全区 → 全市
        elif word != ours and not local:
            spans.append((m.start(), m.end(), ""))  # a 区 letter's 全省 is not our province
    for m in _SELF.finditer(text):
        mine_dept, their_dept = dept_core(department(own_bureau)), dept_core(department(precedent_bureau))
        if own_bureau and their_dept and mine_dept != their_dept:
            spans.append((m.start(), m.end(), ""))  # 我局 of another kind of bureau is not us
        elif own_bureau and department(own_bureau):
            spans.append((m.start(), m.end(), "我" + department(own_bureau)[-1]))

    out: list[str] = []
    found_marks: list[str] = []
    pos = 0
    # earliest first, longest first at the same start: 《温州市…》 wins over the 温州 inside it
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start < pos:
            continue
        out.append(text[pos:start])
        if replacement:
            out.append(replacement)
        else:
            marker = FOREIGN.format(text[start:end].strip())
            out.append(marker)
            found_marks.append(marker)
        pos = end
    out.append(text[pos:])
    return "".join(out), tuple(dict.fromkeys(found_marks))


def _unit(name: str, precedent_bureau: str | None, own_bureau: str | None) -> str:
    """The precedent bureau's own name → 我局/我厅 when the drafting bureau does the same work; any
    other unit of another place is marked ("")."""
    theirs, mine = dept_core(department(precedent_bureau)), dept_core(department(own_bureau))
    if theirs and theirs == mine and dept_core(name) == theirs:
        return "我" + department(own_bureau)[-1]
    return ""


def tidy(text: str) -> str:
    """Remove PDF-style spaces next to Chinese characters; keep spaces between ASCII words."""
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text).strip()
