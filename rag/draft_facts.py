"""Marking another place's facts in precedent text, so a drafter never signs them by mistake.

A precedent letter from another bureau describes *its* region: its counts, dates, districts,
local programmes and documents. Copied into a new letter they would be false. Every such span is
wrapped in a marker the drafter must resolve before the letter goes out:

    【待核实：375家】   a foreign fact kept verbatim: number with unit, date, sub-place, quoted
                        programme name, local document title or document number
    【本地】            the precedent's own region name (温州市 / 温州): read it as "our region"
    【待填：联系人】    a piece of the new letter the request did not give (see rag.draft)
    【待补充：…】       a section for which no precedent was found (see rag.draft)

"我市/我区/我省" are left alone: they already mean "our region" in the new letter. A precedent from
the drafting bureau itself is never marked; one from another bureau of the same city keeps its
place names but still has its figures, programmes and documents marked.
"""

from __future__ import annotations

import logging
import re

import jieba
import jieba.posseg as pseg

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to print


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


FOREIGN = "【待核实：{}】"
LOCAL = "【本地】"
FILL = "【待填：{}】"
MISSING = "【待补充：{}】"
MARKER_RE = re.compile(r"【(?:待核实|待填|待补充)：[^】]*】|【本地】")
FOREIGN_RE = re.compile(r"【待核实：[^】]*】")

_CJK = "\u4e00-\u9fff"
# administrative units in a bureau name, outermost first: 巴中市恩阳区民政局 → 巴中市, 恩阳区
_ADMIN = re.compile(rf"[{_CJK}]{{2,8}}?(?:自治区|自治州|特别行政区|新区|省|市|地区|盟|区|县|旗)")
_ADMIN_SUFFIX = re.compile(r"(?:自治区|自治州|特别行政区|新区|省|市|地区|盟|区|县|旗)$")

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
NATIONAL_TERMS = _words(
    "一老一小 十四五 十三五 放管服 两代表一委员 互联网+ 互联网＋ 以奖代补 三供一业 敬老月 医养结合 "
    "智慧养老 时间银行 保基本、兜底线 保基本、广覆盖、可持续 金民系统"
)

_PLACE_END = re.compile(r"(?:省|市|区|县|镇|乡|街道)$")
_BARE_SUFFIX = frozenset(("市", "区", "县", "镇", "乡", "街道"))
# words that end like a place but name none
_GENERIC = _words(
    "社区 我市 全市 街道 乡镇 城乡 地区 城市 辖区 小区 市区 城镇 镇街 城区 省市 居住区 县市区 本市 地市 "
    "住宅小区 工业园区 老区 新区 园区 景区 片区 山区 街区 县区 市县 县市 超市 上市 都市 门市 夜市 "
    "示范区 先行区 开发区 试验区 保护区 城市社区 农村社区 村镇 集镇 乡村 镇区 郊区 市县区 全省 我省 本省"
)
_FUNC_CHARS = frozenset("在和的与及是为对将向从到由等各全本我该每其于并或以把被给让")


def region_names(bureau: str | None) -> tuple[str, ...]:
    """Place names a bureau's own letters use for its region, longest first.

    "巴中市恩阳区民政局" → ("巴中市", "恩阳区", "巴中", "恩阳"); unknown bureau → ().
    """
    if not bureau:
        return ()
    units: list[str] = []
    pos = 0
    while m := _ADMIN.match(bureau, pos):
        units.append(m.group(0))
        pos = m.end()
    short = [s for u in units if len(s := _ADMIN_SUFFIX.sub("", u)) >= 2]
    return tuple(sorted(dict.fromkeys(units + short), key=len, reverse=True))


def same_bureau(a: str | None, b: str | None) -> bool:
    return bool(a and b) and re.sub(r"\s+", "", a or "") == re.sub(r"\s+", "", b or "")


def same_place(precedent_bureau: str | None, own_bureau: str | None) -> bool:
    """True when both bureaus sit in the same innermost region (温州市民政局 / 温州市卫健委)."""
    theirs = [u for u in region_names(precedent_bureau) if _ADMIN_SUFFIX.search(u)]
    ours = region_names(own_bureau)
    if not theirs or not ours:
        return False
    innermost = max(theirs, key=lambda u: (precedent_bureau or "").find(u))
    return innermost in ours


def sub_places(text: str) -> list[tuple[int, int]]:
    """Spans of district/county/town names (鹿城区, 东凤镇, 武功县, 彬州市) found with jieba."""
    toks: list[tuple[str, str, int]] = []
    pos = 0
    for w in pseg.cut(text):
        toks.append((w.word, w.flag, pos))
        pos += len(w.word)
    spans = []
    for i, (w, flag, start) in enumerate(toks):
        prev = toks[i - 1] if i else None
        if w in _BARE_SUFFIX:
            # jieba often splits "武功|县": join a name-like word with the bare suffix after it
            flags = ("ns", "nr", "nz", "n") if w in ("镇", "街道") else ("ns", "nr", "nz")
            name_like = prev and _is_cjk(prev[0]) and 2 <= len(prev[0]) <= 3 and prev[1] in flags
            if name_like and prev[0] not in _GENERIC:
                spans.append((prev[2], start + len(w)))
            continue
        if not _PLACE_END.search(w) or w in _GENERIC or w[0] in "各全本我该每两" or not _is_cjk(w):
            continue
        if len(w) >= 3:
            spans.append((start, start + len(w)))
        elif prev and len(prev[0]) == 1 and _is_cjk(prev[0]) and prev[0] not in _FUNC_CHARS:
            spans.append((prev[2], start + len(w)))  # "彬|州市", "玉|山镇"
        elif flag == "ns":
            spans.append((start, start + len(w)))  # "乾县"
    return spans


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
    place_names |= {n for p in list(place_names) if len(n := _PLACE_END.sub("", p)) >= 2}
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


def foreign_markers(text: str) -> list[str]:
    return FOREIGN_RE.findall(text)


def _is_cjk(s: str) -> bool:
    return bool(s) and all("\u4e00" <= ch <= "\u9fff" for ch in s)


def tidy(text: str) -> str:
    """Remove PDF-style spaces next to Chinese characters; keep spaces between ASCII words."""
    return re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", text).strip()
