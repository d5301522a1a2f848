"""A series in one sentence, read into items: "健康讲座、防骗课堂、兴趣学堂、文娱活动等多元化服务" (items of like
length between 、, the last may be joined by 和/及, closed by 等 or the clause end), a colon list split by ；, and
two items of one head joined by 和/及 ("…乱象和…乱象"). The records the list reader (rag.answer.lists) scores. Pure
(jieba's tags for what 等 names)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from rag.core import pos
from rag.core.numerals import cn_int
from rag.core.records import Document, Paragraph

# the numerals of ordinals (一是, （二）) and counts (六大), and what ends a clause: shared with rag.answer.lists
CN_DIGITS = "一二三四五六七八九十"
CLAUSE = re.compile(r"[，,。；;：:！？!?]")
# where the words leading into a series end: "为社会老年人开设|健康讲座、…", "推动敬老院在|服务对象、…"
_BOUNDARY = re.compile(r"是集|在|的|为了?|对(?!象)|给|向|从|由|开设|开展|包括|包含|提供|联动|统筹|发展|推动|推进|建立"
                       r"|实施|设立|完成|通过|围绕|实现|覆盖|涉及|出台|印发|助力|进行|整合|涵盖|推广|与|同|跟|加强|利用|调动|依托"
                       r"|运用|采取|享受到?|按照|依照|根据|摸索出|探索出|形成了?")


@dataclass(frozen=True)
class Item:
    text: str  # concise: the item's first clause
    para: Paragraph
    quote: str  # what the citation quotes, verbatim: the item's sentence (a series shares one)
    span: str = ""  # an ordinal item's whole text, up to the next item (一是…。…。二是): what it goes on to list


@dataclass(frozen=True)
class Enumeration:
    lead: str  # what introduces the items: lead sentence, heading, the words around a series
    items: tuple[Item, ...]
    category: str = ""  # what a series says its items are: "…等多元化服务" → 多元化服务
    beside: str = ""  # the words right before and after a series in its clause ("开设|…|等多元化服务")


_ANGLE = re.compile(r"(?:着眼|立足|围绕|聚焦|紧扣|坚持|突出|着力于?)[\u4e00-\u9fff]{2,8}$")


def first_clause(text: str, limit: int = 40) -> str:
    t = text.strip().strip("*").strip()
    clause = CLAUSE.split(t, 1)[0].strip("*").strip()
    if len(clause) < 4 or _ANGLE.match(clause):
        # "一是医中有养，东凤…" is too short alone, and "三是着眼精准服务，全面拓展养老服务功能" only states the angle
        # its measure is taken from: keep the next clause too
        parts = CLAUSE.split(t, 2)
        clause = "，".join(p for p in parts[:2] if p)
    return clause[:limit]


# documents cited in a row: "贯彻《…指导意见》《…条例》和国务院《…实施方案》精神" (an issuer may stand before one)
_TITLE = r"《([^《》]{2,60})》"
DOCUMENTS = "文件"  # the category of a series of titles
_TITLES_RUN = re.compile(rf"{_TITLE}(?:\s*(?:[、，,]|和|及|与|以及)?\s*[\u4e00-\u9fff]{{0,8}}?{_TITLE})+")


def _titles(sentence: str, p: Paragraph) -> list[Enumeration]:
    """Two or more titles in a row are a series of documents, whatever joins them."""
    out = []
    for run in _TITLES_RUN.finditer(sentence):
        names = re.findall(_TITLE, run.group(0))
        lead = f"{sentence[: run.start()]} {DOCUMENTS} {sentence[run.end() :]}"
        out.append(Enumeration(lead, tuple(Item(x, p, sentence) for x in names), DOCUMENTS, lead))
    return out


def series_in(sentence: str, p: Paragraph, prev: str = "") -> list[Enumeration]:
    out = _titles(sentence, p)
    colon = re.search(r"[：:]", sentence)
    if colon and sentence.count("；") + sentence.count(";") >= 2:
        items = [x.strip() for x in re.split(r"[；;]", sentence[colon.end() :].rstrip("。")) if x.strip()]
        if len(items) >= 3:
            listed = tuple(Item(first_clause(x), p, sentence) for x in items)
            lead = sentence[: colon.start()]
            lead = prev + lead if len(lead) < 6 else lead  # "…为困难老年人提供服务资助。包括:…": the sentence before
            out.append(Enumeration(lead, listed, beside=lead[-8:]))
    by = _BY_WAYS.search(sentence)
    if by and len(ways := [x.strip() for x in CLAUSE.split(by.group(1)) if x.strip()]) >= 3:
        # "通过升级硬件设施，打造…网点、延伸服务链条，开设…通道，…等方式": the clauses are the ways
        lead = f"{prev if by.start() < 6 else ''}{sentence[: by.start()]} 通过 等{by.group(2)} {sentence[by.end() :]}"
        out.append(Enumeration(lead, tuple(Item(x, p, sentence) for x in ways), by.group(2), f"通过 等{by.group(2)}"))
    aspects = _FROM_ASPECTS.search(sentence)
    if aspects and len(sides := [x.strip() for x in re.split(r"[、，,]", aspects.group(1)) if x.strip()]) >= 3:
        # "从提高…补助、民办床位补助、…，保障…用地等方面": a comma joins one more aspect to the 、 series
        lead = f"{prev if aspects.start() < 6 else ''}{sentence[: aspects.start()]} 从 等{aspects.group(2)} " \
               f"{sentence[aspects.end() :]}"
        out.append(Enumeration(lead, tuple(Item(x, p, sentence) for x in sides), aspects.group(2),
                               f"从 等{aspects.group(2)}"))
    pieces = _pieces(sentence)
    clauses, opened_by = [], []
    for clause, opener in zip(pieces[0::2], ["", *pieces[1::2]], strict=True):
        runs = _closed_runs(clause)
        clauses += runs
        opened_by += [opener] + [""] * (len(runs) - 1)
    listed_at: set[int] = set()  # the clauses that hold a series: they say what their own items are
    for n, clause in enumerate(clauses):
        names = _NAMES.split(clause)
        if len(names) == 1:
            out += _pair(clause, clauses[n - 1] if n else "", p, sentence)
            continue
        tail = [x for x in _AND.split(names[-1].split("等", 1)[0]) if x]  # "A、B和C": the last 、 item holds two
        # two items and what they are ("闲置校舍、厂房等村集体资源") list as surely as three
        kind = re.search(r"等([\u4e00-\u9fff]{2,6})$", names[-1])
        named_kind = bool(kind) and list(pos.cut(kind.group(1)))[-1].flag[:1] == "n"  # type: ignore[union-attr]
        pair = _same_head(names)
        if len(names) - 1 + min(len(tail), 2) < (2 if named_kind or pair else 3):
            continue
        category = _kind_named(m.group(1)) if (m := re.search(r"等(.*)$", names[-1])) else ""  # "…等多元化服务"
        if n and (m := re.search(r"(?:包括|包含|涵盖|分为|(?<!没)有)([^，,]{2,8})$", clauses[n - 1])):
            names = [m.group(1), *names]  # "包括健康教育,预防保健、…": the first item behind a comma
        middle = [*names[1:-1], *tail[:-1]] or (tail if named_kind else names[1:])  # "…、厂房等资源": 厂房
        width = sorted(len(x) for x in middle)[len(middle) // 2]  # items of a series are of like length
        # a series right after a bracket or colon starts with its first item: "（养老服务扶持政策、…）"
        first, cut = (names[0], "") if opened_by[n] in "（(：:" and opened_by[n] else _trim_first(names[0], width)
        # "特困供养对象以及高龄、失能…": 以及 joins one more item before the series' first
        names = [*first.split("以及", 1), *names[1:-1], *_trim_last(names[-1], width)]
        if any(x.count("《") != x.count("》") for x in names[1:]):
            continue  # "…转发《关于加强农村互助幸福院建设运营和…的通知》": 和 inside a title cut it, no item does
        names = [x.strip("“”\"'《》 ") for x in names if x.strip("“”\"'《》 ")]
        if len(names) >= 3 and (held := _of_like_length(names)) is not None:
            names[0], cut = held, cut + names[0][: -len(held)]
        if len(names) >= 3 and any(len(x) > max(12, 4 * min(len(y) for y in names)) and re.search(r"\d", x)
                                   for x in names[1:-1]):
            continue  # "要求村、组集体每年收益中…不低于20%和10%": a middle item of no sibling's length, stating a
            # figure, is a clause the 、 of "村、组" ran into, not an item
        if len(names) >= (2 if named_kind or pair else 3):
            # the words around the series say what it lists: the clause before it, what leads into it, 等…,
            # and what the clause goes on to say of the items ("…和卫生计生委三部门联合开展…试点示范")
            rest = clause[clause.rfind(names[-1]) + len(names[-1]) :] if names[-1] in clause else ""
            if n + 1 < len(clauses) and opened_by[n + 1] == "" and _SHARED_HEAD.search(names[-1][-3:]):
                rest += clauses[n + 1]  # the series the shared head joins it to: "…老人|定期走访、探望关爱服务制度"
            # the sentence up to the series says what it is about ("市民政局依托…中心和站点，…，为社会老年人开设"),
            # less any other series in it
            before = "".join(c for i, c in enumerate(clauses[:n]) if c.count("、") < 2 and i not in listed_at)
            if len(re.sub(r"[^\u4e00-\u9fff]", "", before)) < 8:  # "利用智能设备，实现…": what it is of is said before
                before = f"{_tail(prev)} {before}"
            lead = f"{before} {cut} {category} {rest}"
            out.append(Enumeration(lead, tuple(Item(x, p, sentence) for x in names), category, f"{cut} {rest}"))
            listed_at.add(n)
    return out


# ways listed as clauses between 通过 and 等方式 (等途径, 等形式…)
_BY_WAYS = re.compile(r"通过([^。；;！？!?]{6,200}?[，,][^。；;！？!?]{2,200}?)等(方式|途径|形式|手段|渠道|措施|办法)")
# aspects listed between 从 and 等方面, a comma among the 、 (without one, the 、 series below lists them)
_FROM_ASPECTS = re.compile(r"从([^。；;！？!?从]{4,200}?、[^。；;！？!?从]{2,200}?[，,][^。；;！？!?从]{2,100}?)"
                           r"等(方面|角度|领域|维度)")
# the 、 between items, not one inside a title (《…建设、移交及管理实施细则》)
_NAMES = re.compile(r"、(?![^《]*》)")


# a short aside between characters of an item ("空巢（独居）老人") glosses it: it does not end the clause
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])（[\u4e00-\u9fff]{1,4}）(?=[\u4e00-\u9fff])")


def _pieces(sentence: str) -> list[str]:
    """The sentence split at punctuation and brackets, each mark kept between the pieces it separates (as
    re.split with a group gives them), but not at the brackets of a gloss."""
    glosses = {m.start() for m in _GLOSS.finditer(sentence)} | {m.end() - 1 for m in _GLOSS.finditer(sentence)}
    out, start = [], 0
    for m in re.finditer(r"[，,；;：:。！？!?（）()]", sentence):
        if m.start() not in glosses:
            out += [sentence[start : m.start()], m.group()]
            start = m.end()
    return [*out, sentence[start:]]


def _closed_runs(clause: str) -> list[str]:
    """等 closes a series: "对城乡高龄、留守、空巢等老年人提供日间休息、就餐服务…等…服务" is two series, the one
    closed by 等老年人 and the one its item opens; "失能、半失能老年人等特殊人群提供优质、便利的护理服务" lists
    no 便利 beside 失能."""
    names = _NAMES.split(clause)
    i = next((i for i, x in enumerate(names[:-1]) if "等" in x), None)
    if i is not None:
        return ["、".join(names[: i + 1]), *_closed_runs("、".join([names[i].split("等", 1)[1], *names[i + 1 :]]))]
    j = _joint(names)
    if j is None:
        return [clause]
    head = _SHARED_HEAD.search(names[j], 1)
    cut = head.end() if head and "的" not in names[j][1:-1] else names[j].rfind("的") + 1
    left, right = "、".join([*names[:j], names[j][:cut]]), "、".join([names[j][cut:], *names[j + 1 :]])
    return [*_closed_runs(left), *_closed_runs(right)]


def _joint(names: list[str]) -> int | None:
    """The middle item where two series meet: "发掘更多在敬老、助老方面做出突出贡献的组织、单位和个人" is 敬老、助老
    and 组织、单位、个人, joined by a 的-clause that no item of like length holds ("修缮一些方便村民、特别是老年村民就近
    活动的书报阅览、棋牌切磋…" likewise). Items of a series are of like length, so an item over twice its
    siblings' length with a 的 inside, whose words after the 的 are again of like length, is the end of one
    series and the head of the next. "从事养老服务的家政" among items as long is an item, and so is "农户中无人照顾的
    重度残疾老年人和…生活不能自理" among short ones: what follows its 的 is no sibling's length."""
    middle = names[1:-1]
    siblings = [*middle, *[x for x in _AND.split(names[-1].split("等", 1)[0]) if x]] if len(names) > 1 else []
    for j, x in enumerate(middle, 1):
        others = sorted(len(y) for y in siblings if y is not x)
        width = others[(len(others) - 1) // 2] if others else 0  # the lower median: the last item runs on
        if "的" in x[1:-1] and len(x) > 2 * width and len(x) - x.rfind("的") - 1 <= 2 * width:
            return j
        # or the head one series' modifiers share, with the next series after it ("留守、高龄、空巢（独居）老人定期
        # 走访、探望关爱服务制度")
        if (head := _SHARED_HEAD.search(x, 1)) and head.end() < len(x) and len(x) > 2 * width and (
                len(x) - head.end() <= 2 * width):
            return j
    return None


def _same_head(names: list[str]) -> bool:
    """Two names that end in the same noun of three characters or more (not a bare 机构), each with its own
    modifier ("为老服务综合信息平台、居家养老综合服务信息平台"): a pair of one kind, which lists as surely as three."""
    if len(names) != 2:
        return False
    a, b = names[0].split("等", 1)[0], names[1].split("等", 1)[0]
    n = next((i for i in range(min(len(a), len(b))) if a[-1 - i] != b[-1 - i]), min(len(a), len(b)))
    return n >= 3 and len(b) >= n + 2 and bool(re.fullmatch(r"[\u4e00-\u9fff]+", b[-n:]))


def _kind_named(text: str) -> str:
    """What 等 says the items are: its noun phrase, not what the clause goes on to do ("老年人|提供日间休息")."""
    words = list(pos.cut(text))
    verb = next((i for i, w in enumerate(words) if i and w.flag[:1] in ("v", "p")), len(words))
    return "".join(w.word for w in words[:verb])


def _tail(sentence: str) -> str:
    """The last clause of the sentence before ("二是启动“一键通”综合服务项目，…免费提供“一键通”服务。")."""
    return re.split(r"[，,；;]", sentence.rstrip("。！？!? "))[-1]


_AND = re.compile(r"和|及|与|以及")
_PAIR = re.compile(rf"([{CN_DIGITS}\u4e00-\u9fff“”+]{{4,}})(?:和|及|以及|与)([\u4e00-\u9fff]{{4,24}})$")


def _pair(clause: str, before: str, p: Paragraph, sentence: str) -> list[Enumeration]:
    """Two items joined by 和/及/与 that end in the same noun ("整治…非法集资乱象和保健品推销乱象", "出台…管理方法和
    …管理办法"): Chinese coordinates like with like, so a shared head marks a list of two, not "A and B" as one
    thing. Only answers a question whose category names that head (see `best`)."""
    m = _PAIR.search(clause)
    if not m or m.group(1)[-1] != m.group(2)[-1]:
        return []
    second = m.group(2)
    first, cut = _trim_first(m.group(1), len(second))
    lead = f"{before} {clause[: m.start()]}{cut}"
    return [Enumeration(lead, (Item(first, p, sentence), Item(second, p, sentence)), second[-2:],
                        f"{clause[: m.start()][-6:]}{cut}")]


def _trim_first(name: str, width: int) -> tuple[str, str]:
    """The first item of a series, cut from the words leading into it at the boundary that leaves an item
    closest to the others' length; (item, what was cut)."""
    if len(name) <= width + 1:
        lead = re.match(r"^(?:在|从|对|向|为|由|给|是集|集)(?=..)", name)  # "在兴平市、…", "是集日托、全托…为一体"
        return (name[lead.end() :], lead.group()) if lead else (name, "")
    cuts = [m.end() for m in _BOUNDARY.finditer(name) if m.end() < len(name)]
    if not cuts:  # no word that leads into a list ("省工业和信息化厅、…"): the clause is the item
        return name, ""
    end = min(cuts, key=lambda c: (abs(len(name) - c - width), -c))
    return name[end:], name[:end]


def _of_like_length(names: list[str]) -> str | None:
    """A first item still far longer than its siblings, which are all of one length ("…负责人及业务骨干政策水平、安全
    意识及管理能力"): the holder of what is listed runs into it with no word between; the item is its last words of
    that length, when jieba ends a word there (政策水平). None when nothing is to be cut."""
    width = len(names[1])
    if width < 3 or any(len(x) != width for x in names[1:]) or len(names[0]) <= 2 * width + 2:
        return None
    ends = set(accumulate(len(w.word) for w in pos.cut(names[0])))  # where jieba ends its words
    return names[0][-width:] if len(names[0]) - width in ends else None


_COUNTED_END = re.compile(rf"(?<=..)[“”]?[{CN_DIGITS}两几\d]+(?:个|大|家|项|类|种)?"
                          r"(?:部门|单位|方面|机构|领域|家|项|类|种)")  # "…能力提升”几方面": 几 counts too


# the head noun a series of modifiers shares, written once after the last ("高龄、失能、失智老年人")
_SHARED_HEAD = re.compile(r"老年人|老人|人员|人群|群体")


# the close of a 以…为… frame around a series ("以推进…试点、…试点为抓手")
_FRAME_END = re.compile(r"(?<=..)为(?:抓手|重点|主线|核心|目标|突破口|载体|依托|基础|补充|导向|引领|主体|支撑|切入点)$")


def _trim_last(name: str, width: int) -> list[str]:
    """The last item(s): before 等, split at 和/及/与 when both sides are items, cut where the sentence goes on
    ("永寿县和长武县助力690户…" → 永寿县, 长武县)."""
    closed = "等" in name  # "…配建及国有企业“三供一业”移交等途径": 等 closes the series right after its last item
    name = re.split(r"等", name, maxsplit=1)[0]
    name = _FRAME_END.sub("", name)  # "以推进A、B、C为抓手": the 以…为 frame closes it
    name = _COUNTED_END.split(name, maxsplit=1)[0]  # "…和卫生计生委三部门联合开展…": the count closes the series
    parts = [x for x in re.split(r"和|及|与|以及", name) if x]
    if len(parts) == 2 and _BODY_END.search(parts[1]) and not _BODY_END.search(parts[0]):
        parts = [name]  # "市发展和改革局": one body's name, 和 inside it (市发展 is no body)
    out = []
    headed = False  # the last item ends in a person noun, as the one before it does ("孤寡老人和建档立卡贫困人群")
    for x in parts if len(parts) <= 2 else [name]:
        if len(x) > width + 2 and (m := _BOUNDARY.search(x, 2)):
            x = re.sub(r"(?<=..)[上中里]$", "", x[: m.start()])  # "运营方式上实现…" → 运营方式
        if len(x) > width + 2 and (m := _SHARED_HEAD.search(x, width)):
            x = x[: m.end()]  # "高龄、失能、失智老年人长期照护服务": the head the items share ends the series
            headed = len(out) == 1 and bool(_SHARED_HEAD.search(out[0][-3:]))
        out.append(x)
    if len(out) == 2 and len(out[1]) > width + 3 and not closed and not headed:
        out = out[:1]
    return out


_BODY_END = re.compile(r"(?:局|厅|委|部|办|院|中心|公司|银行)$")  # what a body's name ends in


# "除了老年人运动会还有个啥", "除了A以外，还有哪些": one of things joined by 或/和/、 is named, the rest asked
BESIDES_ASKED = re.compile(r"除了?([^，,？?。]{2,24}?)(?:以外|之外|外)?[，,]?\s*还(?:有|在|要|会|能)?[^，,？?。]{0,10}?"
                           r"(?:什么|啥|哪些|哪个|哪几|哪一|谁)")
_JOIN = r"(?:或者?|和|及|与|以及|、|还有)"
_PART = r"[^，,。；;：:、或和及与“”]{2,24}"


def besides(sentence: str, named: str) -> str | None:
    """The one thing `sentence` joins to the one named (…老年人运动会或老年人文化艺术节 → 老年人文化艺术节), or None;
    None too when they stand in a longer series (A、B、C: the rest is a list, read as one). The named thing must end
    where an item ends (省民政厅 is not the start of 省民政厅厅长)."""
    for m in re.finditer(re.escape(named), sentence):
        head, tail = sentence[: m.start()], sentence[m.end() :]
        if tail and not re.match(rf"{_JOIN}|[，,。；;：:）)”等]", tail):
            continue
        after = re.match(rf"{_JOIN}({_PART})", tail)
        before = re.search(rf"({_PART}){_JOIN}$", head)
        if after and not before and not re.match(_JOIN, tail[after.end() :]):
            return after.group(1)
        if before and not after and not re.search(rf"{_JOIN}$", head[: before.start()]):
            return re.sub(r"^(?:为|向|对|给|由|在|把|将)", "", before.group(1))
    return None


# how letters number their items: 一是…, （一）…, 1. …
_ORDINAL = re.compile(rf"(?:^|(?<=[。；;！？!?\s*]))\**\s*([{CN_DIGITS}]{{1,2}})是")
_PAREN = re.compile(rf"^\s*\**\s*[（(]([{CN_DIGITS}]{{1,2}}|\d{{1,2}})[）)]")
_NUMBERED = re.compile(r"^\s*\**\s*(\d{1,2})[.、．](?!\d)")
_PARALLEL = re.compile(r"(?:^|(?<=[，,。；;]))\s*在([\u4e00-\u9fff]{2,12}?)(层面|方面|领域|环节)(?=[，,上])")


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[。！？!?])", text.strip(), maxsplit=1)[0].strip() or text.strip()


def enumerations(doc: Document) -> list[Enumeration]:
    """Every enumeration of a letter, read from the whole letter: ordinals inside a paragraph or one paragraph per
    item, parallel clauses opened alike, and the series and colon lists of each sentence."""
    out: list[Enumeration] = []
    paras = [p for p in doc.letter_paragraphs if p.kind != "meta"]
    # ordinals inside one paragraph: 一是…二是…
    for i, p in enumerate(paras):
        marks = [m for m in _ORDINAL.finditer(p.text)]
        if len(marks) >= 2 and cn_int(marks[0].group(1)) == 1:
            ends = [m.start() for m in marks[1:]] + [len(p.text)]
            items = tuple(Item(first_clause(p.text[m.end() : e]), p, first_sentence(p.text[m.start() : e]),
                               p.text[m.start() : e]) for m, e in zip(marks, ends, strict=True))
            lead = p.text[: marks[0].start()] or (paras[i - 1].text if i else "")
            out.append(Enumeration(f"{p.section_title} {lead}", items))
    # one paragraph per item: 一是… / （一）… / 1. …
    for pattern in (_ORDINAL, _PAREN, _NUMBERED):
        run: list[tuple[Paragraph, re.Match[str]]] = []
        for p in [*paras, None]:  # None flushes the last run
            m = pattern.match(p.text) if p is not None else None
            if m and ((not run and cn_int(m.group(1)) == 1) or (run and cn_int(m.group(1)) == len(run) + 1)):
                run.append((p, m))  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                first = paras.index(run[0][0])
                lead = paras[first - 1].text if first else ""
                items = tuple(Item(first_clause(q.text[mm.end() :]), q, first_sentence(q.text), q.text)
                              for q, mm in run)
                out.append(Enumeration(f"{run[0][0].section_title} {lead}", items))
            run = []
            if m and cn_int(m.group(1)) == 1 and p is not None:
                run = [(p, m)]
    # parallel clauses of one paragraph, each opening with 在…层面 / 在…方面: "在居家社区养老层面，…。在机构养老层面，…"
    for p in paras:
        for head in dict.fromkeys(m.group(2) for m in _PARALLEL.finditer(p.text)):
            marks = [m for m in _PARALLEL.finditer(p.text) if m.group(2) == head]
            if len(marks) >= 2:
                items = tuple(Item(m.group(1) + head, p, first_sentence(p.text[m.start() :])) for m in marks)
                out.append(Enumeration(f"{p.section_title} {p.text[: marks[0].start()]}", items, head, head))
    # a series in a sentence, and items after a colon
    for p in paras:
        prev = ""
        for sentence in re.split(r"(?<=[。！？!?])", p.text):
            out += series_in(sentence, p, prev)
            prev = sentence
    return out
