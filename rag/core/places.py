"""What a place is, in one module: the regions a bureau serves, place names in questions and letters,
and whether two bureaus are the same one or sit in the same place. Pure (jieba only for sub-places).

Two suffix sets, on purpose:
- a bureau's name is a run of administrative units, outermost first (广西壮族自治区 · 巴中市 · 恩阳区 ·
  浦东新区): `ADMIN_UNIT`. A bare 州 ends a unit only when no 市/区/县 follows (温州 · 杭州市 is one unit).
- free text names places down to towns and streets (东凤镇, 城关街道): `PLACE_NAME` and `ends_like_place`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import jieba.posseg as pseg

from rag.core.text import word_set

_CJK = "\u4e00-\u9fff"
_ADMIN_SUFFIXES = "特别行政区|自治区|自治州|自治县|新区|省|市|州(?![市区县])|盟|地区|区|县|旗"
# one administrative unit of a bureau name: the shortest run of characters up to a suffix
ADMIN_UNIT = re.compile(rf".+?(?:{_ADMIN_SUFFIXES})")
_ADMIN_END = re.compile(r"(?:特别行政区|自治区|自治州|自治县|新区|省|市|州|盟|地区|区|县|旗)$")
# what follows the places in a bureau's name: 民政局, 人民政府办公室 …
_BUREAU_TAIL = re.compile(r"(?:人民政府)?[^省市区县州旗]*$")
# a place written with its suffix in running text (温州市, 恩阳区, 东凤镇, 城关街道)
PLACE_NAME = re.compile(rf"[{_CJK}]{{2,8}}?(?:自治区|省|市|区|县|州|镇|街道)")
# a jieba word that ends like a place; 州 is left out because jieba keeps 温州/杭州 whole as names
_WORD_PLACE_END = re.compile(r"(?:省|市|区|县|镇|乡|街道)$")
_BARE_SUFFIX = frozenset(("市", "区", "县", "镇", "乡", "街道"))
# words that end like a place but name none
GENERIC = word_set(
    "社区 我市 全市 街道 乡镇 城乡 地区 城市 辖区 小区 市区 城镇 镇街 城区 省市 居住区 县市区 本市 地市 "
    "住宅小区 工业园区 老区 新区 园区 景区 片区 山区 街区 县区 市县 县市 超市 上市 都市 门市 夜市 "
    "示范区 先行区 开发区 试验区 保护区 城市社区 农村社区 村镇 集镇 乡村 镇区 郊区 市县区 全省 我省 本省"
)
_FUNC_CHARS = frozenset("在和的与及是为对将向从到由等各全本我该每其于并或以把被给让")


def admin_units(bureau: str | None) -> list[str]:
    """The administrative units a bureau is named after, outermost first: 巴中市恩阳区民政局 → 巴中市, 恩阳区."""
    if not bureau:
        return []
    return [m.group(0) for m in ADMIN_UNIT.finditer(_BUREAU_TAIL.sub("", bureau))]


def places_of(bureau: str | None) -> list[str]:
    """Place names a question may use for a bureau, each unit then its short form:
    巴中市恩阳区民政局 → 巴中市, 巴中, 恩阳区, 恩阳."""
    out: list[str] = []
    for unit in admin_units(bureau):
        out.append(unit)
        short = _ADMIN_END.sub("", unit)
        if len(short) >= 2:
            out.append(short)
    return out


def region_names(bureau: str | None) -> tuple[str, ...]:
    """The same names longest first, as text is searched for them: ("巴中市", "恩阳区", "巴中", "恩阳")."""
    return tuple(sorted(dict.fromkeys(places_of(bureau)), key=len, reverse=True))


def places_in(question: str, known: Iterable[str]) -> set[str]:
    """Known place names mentioned in the question (恩阳区 and its short form 恩阳 both count)."""
    return {p for p in sorted(known, key=len, reverse=True) if p in question}


def same_bureau(a: str | None, b: str | None) -> bool:
    return bool(a and b) and re.sub(r"\s+", "", a or "") == re.sub(r"\s+", "", b or "")


def same_place(precedent_bureau: str | None, own_bureau: str | None) -> bool:
    """True when both bureaus sit in the same innermost region (温州市民政局 / 温州市卫健委)."""
    theirs = admin_units(precedent_bureau)
    ours = region_names(own_bureau)
    return bool(theirs and ours) and theirs[-1] in ours


def _is_cjk(s: str) -> bool:
    return bool(s) and all("\u4e00" <= ch <= "\u9fff" for ch in s)


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
            if name_like and prev[0] not in GENERIC:
                spans.append((prev[2], start + len(w)))
            continue
        if not ends_like_place(w) or w in GENERIC or w[0] in "各全本我该每两" or not _is_cjk(w):
            continue
        if len(w) >= 3:
            spans.append((start, start + len(w)))
        elif prev and len(prev[0]) == 1 and _is_cjk(prev[0]) and prev[0] not in _FUNC_CHARS:
            spans.append((prev[2], start + len(w)))  # "彬|州市", "玉|山镇"
        elif flag == "ns":
            spans.append((start, start + len(w)))  # "乾县"
    return spans


def ends_like_place(word: str) -> bool:
    return bool(_WORD_PLACE_END.search(word))


def strip_place_suffix(name: str) -> str:
    """鹿城区 → 鹿城 (the short form a letter may also use)."""
    return _WORD_PLACE_END.sub("", name)
