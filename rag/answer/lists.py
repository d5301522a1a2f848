"""Lists: a question asking 有哪些/包括哪几类/分哪几种 gets every item of the enumeration that answers it, in
the letter's order, each cited. Letters enumerate three ways, and all three are read from the whole letter:

- ordinals: 一是…二是…, （一）…（二）…, 1. 2. — inside a paragraph or one paragraph per item; the lead is the
  text before the first item (or the paragraph before it: "重点做好以下几点工作：") and the section heading;
- a series in one sentence: "健康讲座、防骗课堂、兴趣学堂、文娱活动等多元化服务" — items of like length
  between 、 (the last may be joined by 和/及), closed by 等 or the clause end;
- items after a colon, split by ；: "包括:政府分散供养的特困老年人;低保低收入家庭中失能、高龄老年人;…".

The enumeration whose lead and items best cover the question's subject answers it (character bigrams, as for
values); a count the question states ("哪六大方面", "5所…是哪几所") must match. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.values import Subject, around_asking, bigrams
from rag.core import pos
from rag.core.places import gazetteer
from rag.core.records import Document, Paragraph
from rag.core.text import squash, word_set

_CN = "一二三四五六七八九十"
_ORDINAL = re.compile(rf"(?:^|(?<=[。；;！？!?\s*]))\**\s*([{_CN}]{{1,2}})是")
_PAREN = re.compile(rf"^\s*\**\s*[（(]([{_CN}]{{1,2}}|\d{{1,2}})[）)]")
_NUMBERED = re.compile(r"^\s*\**\s*(\d{1,2})[.、．](?!\d)")
# how many items are asked for: 哪六大, 这5所; not 一个不落 / 一个都不能少 / 一个个说, which ask for every one
# what items are counted in when a question says how many it wants (哪六大方面, 哪五项, 哪三块, 哪两部分)
ITEM_MEASURE = r"(?:[个类种项所家件条点大样块]|方面|部分)"
_COUNT = re.compile(rf"(?:哪|这)?([{_CN}两]|\d+){ITEM_MEASURE}(?![不都也个])")
_SERIES_END = re.compile(r"等|以及|$")
_CLAUSE = re.compile(r"[，,。；;：:！？!?]")
# where the words leading into a series end: "为社会老年人开设|健康讲座、…", "推动敬老院在|服务对象、…"
_BOUNDARY = re.compile(r"是集|在|的|为|对|给|向|从|由|开设|开展|包括|包含|提供|联动|统筹|发展|推动|推进|建立|实施|设立"
                       r"|完成|通过|围绕|实现|覆盖|涉及|出台|印发|助力|进行|整合|涵盖|推广|与|同|跟|加强|利用|调动|依托"
                       r"|运用|采取")


@dataclass(frozen=True)
class Item:
    text: str  # concise: the item's first clause
    para: Paragraph
    quote: str  # what the citation quotes, verbatim: the item's sentence (a series shares one)


@dataclass(frozen=True)
class Enumeration:
    lead: str  # what introduces the items: lead sentence, heading, the words around a series
    items: tuple[Item, ...]
    category: str = ""  # what a series says its items are: "…等多元化服务" → 多元化服务
    beside: str = ""  # the words right before and after a series in its clause ("开设|…|等多元化服务")


def _cn_number(s: str) -> int:
    if s.isdigit():
        return int(s)
    if s == "两":
        return 2
    if s.startswith("十"):
        return 10 + (_CN.index(s[1]) + 1 if len(s) > 1 else 0)
    return _CN.index(s[0]) + 1 if len(s) == 1 else (_CN.index(s[0]) + 1) * 10 + (_CN.index(s[-1]) + 1)


_LIST_WORD = re.compile(rf"哪些|哪几(?:{ITEM_MEASURE}|位)?|哪[{_CN}两\d]+{ITEM_MEASURE}?")


def beside_asking(question: str) -> set[str]:
    """Bigrams of the words either side of 哪些/哪几个 in the question, within its clause."""
    m = _LIST_WORD.search(question)
    return around_asking(question, m.group()) if m else set()


def asks_which(question: str) -> bool:
    """The question asks which ones (哪些, 哪几个, 哪六大…), not what a counted thing is ("那135个老人是啥条件")."""
    return bool(_LIST_WORD.search(question))


def asked_count(question: str) -> int | None:
    """The number of items a question expects: 哪六大方面 → 6, 这5所…哪几所 → 5, 哪三个体系 → 3."""
    m = _COUNT.search(question)
    return _cn_number(m.group(1)) if m else None


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[。！？!?])", text.strip(), maxsplit=1)[0].strip() or text.strip()


_ANGLE = re.compile(r"(?:着眼|立足|围绕|聚焦|紧扣|坚持|突出|着力于?)[\u4e00-\u9fff]{2,8}$")


def _first_clause(text: str, limit: int = 40) -> str:
    t = text.strip().strip("*").strip()
    clause = _CLAUSE.split(t, 1)[0].strip("*").strip()
    if len(clause) < 4 or _ANGLE.match(clause):
        # "一是医中有养，东凤…" is too short alone, and "三是着眼精准服务，全面拓展养老服务功能" only states the angle
        # its measure is taken from: keep the next clause too
        parts = _CLAUSE.split(t, 2)
        clause = "，".join(p for p in parts[:2] if p)
    return clause[:limit]


def enumerations(doc: Document) -> list[Enumeration]:
    out: list[Enumeration] = []
    paras = [p for p in doc.letter_paragraphs if p.kind != "meta"]
    # ordinals inside one paragraph: 一是…二是…
    for i, p in enumerate(paras):
        marks = [m for m in _ORDINAL.finditer(p.text)]
        if len(marks) >= 2 and _cn_number(marks[0].group(1)) == 1:
            ends = [m.start() for m in marks[1:]] + [len(p.text)]
            items = tuple(Item(_first_clause(p.text[m.end() : e]), p, _first_sentence(p.text[m.start() : e]))
                          for m, e in zip(marks, ends, strict=True))
            lead = p.text[: marks[0].start()] or (paras[i - 1].text if i else "")
            out.append(Enumeration(f"{p.section_title} {lead}", items))
    # one paragraph per item: 一是… / （一）… / 1. …
    for pattern in (_ORDINAL, _PAREN, _NUMBERED):
        run: list[tuple[Paragraph, re.Match[str]]] = []
        for p in [*paras, None]:  # None flushes the last run
            m = pattern.match(p.text) if p is not None else None
            if m and ((not run and _cn_number(m.group(1)) == 1) or (run and _cn_number(m.group(1)) == len(run) + 1)):
                run.append((p, m))  # type: ignore[arg-type]
                continue
            if len(run) >= 2:
                first = paras.index(run[0][0])
                lead = paras[first - 1].text if first else ""
                items = tuple(Item(_first_clause(q.text[mm.end() :]), q, _first_sentence(q.text)) for q, mm in run)
                out.append(Enumeration(f"{run[0][0].section_title} {lead}", items))
            run = []
            if m and _cn_number(m.group(1)) == 1 and p is not None:
                run = [(p, m)]
    # a series in a sentence, and items after a colon
    for p in paras:
        prev = ""
        for sentence in re.split(r"(?<=[。！？!?])", p.text):
            out += _series(sentence, p, prev)
            prev = sentence
    return out


def _series(sentence: str, p: Paragraph, prev: str = "") -> list[Enumeration]:
    out = []
    colon = re.search(r"[：:]", sentence)
    if colon and sentence.count("；") + sentence.count(";") >= 2:
        items = [x.strip() for x in re.split(r"[；;]", sentence[colon.end() :].rstrip("。")) if x.strip()]
        if len(items) >= 3:
            listed = tuple(Item(_first_clause(x), p, sentence) for x in items)
            lead = sentence[: colon.start()]
            lead = prev + lead if len(lead) < 6 else lead  # "…为困难老年人提供服务资助。包括:…": the sentence before
            out.append(Enumeration(lead, listed, beside=lead[-8:]))
    pieces = re.split(r"([，,；;：:。！？!?（）()])", sentence)
    clauses, opened_by = [], []
    for clause, opener in zip(pieces[0::2], ["", *pieces[1::2]], strict=True):
        runs = _closed_runs(clause)
        clauses += runs
        opened_by += [opener] + [""] * (len(runs) - 1)
    for n, clause in enumerate(clauses):
        names = _NAMES.split(clause)
        if len(names) == 1:
            out += _pair(clause, clauses[n - 1] if n else "", p, sentence)
            continue
        tail = [x for x in _AND.split(names[-1].split("等", 1)[0]) if x]  # "A、B和C": the last 、 item holds two
        # two items and what they are ("闲置校舍、厂房等村集体资源") list as surely as three
        kind = re.search(r"等([\u4e00-\u9fff]{2,6})$", names[-1])
        named_kind = bool(kind) and list(pos.cut(kind.group(1)))[-1].flag[:1] == "n"  # type: ignore[union-attr]
        if len(names) - 1 + min(len(tail), 2) < (2 if named_kind else 3):
            continue
        category = _kind_named(m.group(1)) if (m := re.search(r"等(.*)$", names[-1])) else ""  # "…等多元化服务"
        if n and (m := re.search(r"(?:包括|包含|涵盖|分为|有)([^，,]{2,8})$", clauses[n - 1])):
            names = [m.group(1), *names]  # "包括健康教育,预防保健、…": the first item behind a comma
        middle = [*names[1:-1], *tail[:-1]] or (tail if named_kind else names[1:])  # "…、厂房等资源": 厂房
        width = sorted(len(x) for x in middle)[len(middle) // 2]  # items of a series are of like length
        # a series right after a bracket or colon starts with its first item: "（养老服务扶持政策、…）"
        first, cut = (names[0], "") if opened_by[n] in "（(：:" and opened_by[n] else _trim_first(names[0], width)
        names = [first, *names[1:-1], *_trim_last(names[-1], width)]
        names = [x.strip("“”\"'《》 ") for x in names if x.strip("“”\"'《》 ")]
        if len(names) >= (2 if named_kind else 3):
            # the words around the series say what it lists: the clause before it, what leads into it, 等…,
            # and what the clause goes on to say of the items ("…和卫生计生委三部门联合开展…试点示范")
            rest = clause[clause.rfind(names[-1]) + len(names[-1]) :] if names[-1] in clause else ""
            # the sentence up to the series says what it is about ("市民政局依托…中心和站点，…，为社会老年人开设"),
            # less any other series in it
            before = "".join(c for c in clauses[:n] if c.count("、") < 2)
            if len(re.sub(r"[^\u4e00-\u9fff]", "", before)) < 8:  # "利用智能设备，实现…": what it is of is said before
                before = f"{_tail(prev)} {before}"
            lead = f"{before} {cut} {category} {rest}"
            out.append(Enumeration(lead, tuple(Item(x, p, sentence) for x in names), category, f"{cut} {rest}"))
    return out


# the 、 between items, not one inside a title (《…建设、移交及管理实施细则》)
_NAMES = re.compile(r"、(?![^《]*》)")


def _closed_runs(clause: str) -> list[str]:
    """等 closes a series: "对城乡高龄、留守、空巢等老年人提供日间休息、就餐服务…等…服务" is two series, the one
    closed by 等老年人 and the one its item opens; "失能、半失能老年人等特殊人群提供优质、便利的护理服务" lists
    no 便利 beside 失能."""
    names = _NAMES.split(clause)
    i = next((i for i, x in enumerate(names[:-1]) if "等" in x), None)
    if i is None:
        return [clause]
    return ["、".join(names[: i + 1]), *_closed_runs("、".join([names[i].split("等", 1)[1], *names[i + 1 :]]))]


def _kind_named(text: str) -> str:
    """What 等 says the items are: its noun phrase, not what the clause goes on to do ("老年人|提供日间休息")."""
    words = list(pos.cut(text))
    verb = next((i for i, w in enumerate(words) if i and w.flag[:1] in ("v", "p")), len(words))
    return "".join(w.word for w in words[:verb])


def _tail(sentence: str) -> str:
    """The last clause of the sentence before ("二是启动“一键通”综合服务项目，…免费提供“一键通”服务。")."""
    return re.split(r"[，,；;]", sentence.rstrip("。！？!? "))[-1]


_AND = re.compile(r"和|及|与|以及")
_PAIR = re.compile(rf"([{_CN}\u4e00-\u9fff]{{4,}})(?:和|及|以及|与)([\u4e00-\u9fff]{{4,24}})$")


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


_CATEGORY = re.compile(rf"(?:哪些|哪几|哪([{_CN}两]|\d+)|什么|啥)(?:[个类种项所家件条点大块]|部分)?"
                       r"(.*?)(?:[？?，,。]|$)")


_PLACE_ITEM = re.compile(r"(?:省|市|县|区|镇|乡|街道|州|旗)$")
_BODY_ITEM = re.compile(r"(?:局|厅|委|办|部|会|院|室|中心|公司|协会|银行|医院|机构|企业|单位|组织)$")
_PLACE_WORDS = word_set("区 乡镇 街道 镇街 地方")


class _Division:
    """Items that are administrative divisions China's gazetteer names (兴平市, 乾县, 广州), not anything ending
    in 区 or 市 (住宅小区, 工业园区): what 哪些城市 / 哪几个县 asks for."""

    @staticmethod
    def search(text: str) -> bool:
        return text in gazetteer()


_DIVISION_WORDS = word_set("县市 市县 城市 地市 地区 区县 县区 县 市")
_BODY_WORDS = word_set("单位 部门 机构 机关 企业 组织 医院 协会")
# people: "给哪些老人免费" is answered by kinds of people (…老年人, …对象, …户), not by the services they get
_PERSON_ITEM = re.compile(r"(?:人|者|员|户|老人|群体|对象|家庭|儿童|群众|人口)$")
_PERSON_WORDS = word_set("老人 老年人 人 人员 群体 对象 人群 家庭")
# communities and villages: "哪几个社区" is not answered by 日托、全托… of a 社区养老服务综合体
_COMMUNITY_ITEM = re.compile(r"(?:社区|村|小区|居委会)$")
_COMMUNITY_WORDS = word_set("社区 村 村子 村庄 小区")
_TYPED = (dict.fromkeys(_PLACE_WORDS, _PLACE_ITEM) | dict.fromkeys(_DIVISION_WORDS, _Division)
          | dict.fromkeys(_BODY_WORDS, _BODY_ITEM)
          | dict.fromkeys(_PERSON_WORDS, _PERSON_ITEM) | dict.fromkeys(_COMMUNITY_WORDS, _COMMUNITY_ITEM))
# what any list could be called: says nothing about which list
_GENERIC = word_set("内容 方面 事 事情 工作 措施 做法 东西 情况 举措 办法 项目 服务")


def category_of(question: str) -> str:
    """What the question wants listed: 开了哪些活动课程 → 活动课程, 包括哪几类人 → 人, 统筹哪些单位 → 单位."""
    m = _CATEGORY.search(question)
    # the noun right after 哪些/哪几个, up to what the question goes on to do with it ("部门|联合支持…")
    after = re.sub(r"[的了呢吗]|一起.*|分别.*|是什么.*|(?<=..)(?:联合|共同|支持|开展|出台|推进|参与|负责|提供|实施"
                   r"|获得|享受|被|在|对|给|为|把|将)(?=..).*|(?<=..)(?:(?<![功智技职性效])能|可以|可|免费|有).*",
                   "", m.group(2)) if m else ""
    if after or not m:
        return after
    # nothing after it: the head noun before it ("便捷医疗功能有哪些" → 功能, "面向老人的服务有哪几种" → 服务)
    before = re.search(r"([\u4e00-\u9fff]{2,})$", re.sub(r"(?:都|主要|具体)?(?:有|包括|是|分为|分成)$", "",
                                                          question[: m.start()]))
    words = list(pos.cut(before.group(1))) if before else []
    return words[-1].word if words and words[-1].flag[:1] in ("n", "v") and words[-1].flag != "v" and len(
        words[-1].word) >= 2 else ""  # a noun or a verb used as one (服务: vn)


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


_COUNTED_END = re.compile(rf"(?<=..)[{_CN}两\d]+(?:个|大|家|项|类|种)?(?:部门|单位|方面|机构|领域|家|项|类|种)")


def _trim_last(name: str, width: int) -> list[str]:
    """The last item(s): before 等, split at 和/及/与 when both sides are items, cut where the sentence goes on
    ("永寿县和长武县助力690户…" → 永寿县, 长武县)."""
    closed = "等" in name  # "…配建及国有企业“三供一业”移交等途径": 等 closes the series right after its last item
    name = re.split(r"等", name, maxsplit=1)[0]
    name = _COUNTED_END.split(name, maxsplit=1)[0]  # "…和卫生计生委三部门联合开展…": the count closes the series
    parts = [x for x in re.split(r"和|及|与|以及", name) if x]
    out = []
    for x in parts if len(parts) <= 2 else [name]:
        if len(x) > width + 2 and (m := _BOUNDARY.search(x, 2)):
            x = re.sub(r"(?<=..)[上中里]$", "", x[: m.start()])  # "运营方式上实现…" → 运营方式
        out.append(x)
    if len(out) == 2 and len(out[1]) > width + 3 and not closed:
        out = out[:1]
    return out


def best(enums: list[Enumeration], subject: Subject, count: int | None, category: str = "",
         near: frozenset[str] = frozenset(), quoted: tuple[str, ...] = (), minimum: float = 0.25,
         asked_beside: frozenset[str] | set[str] = frozenset(),
         ) -> tuple[float, Enumeration] | None:
    """The enumeration that best answers, with its score: its lead covers the question's subject, it lists the
    kind of thing asked (活动课程, 单位, 人…: said by its category or lead, or by its items), it stands in a passage
    retrieval found (`near` paragraph ids) and beside the terms the question quotes; a count the question states
    must match; None below `minimum`."""
    generic = category in _GENERIC or (len(category) == 1 and category not in "人所家院站个")
    cat = bigrams(category) if len(category) > 1 and not generic else set()
    scored = []
    for e in enums:
        if count is not None and len(e.items) != count:
            continue
        if len(e.items) == 2 and not (cat and bigrams(e.category) & cat):
            continue  # a pair answers only a question that names its shared head (哪些乱象 → …乱象和…乱象)
        if quoted and not all(q in e.items[0].para.text or q in e.lead for q in quoted):
            continue
        if category and category not in _PERSON_WORDS and _PERSON_ITEM.search(e.category):
            continue  # "提供啥服务" is not answered by 城乡高龄、留守、空巢等老年人: the series says it lists people
        lead = bigrams(e.lead)
        items = bigrams("".join(i.text for i in e.items))
        cover = len((lead | items) & subject.grams) / max(len(subject.grams), 1)
        if typed := _TYPED.get(category):  # 哪些县市 → places, 哪些单位 → bodies: what each item is
            kind = sum(bool(typed.search(i.text)) for i in e.items) / len(e.items)
            if typed.search(e.items[-1].text) and all(len(i.text) <= 3 for i in e.items[:-1]):
                kind = 1.0  # "白玉、登科、麻石社区": short names share the head the last one says
            if kind < 0.5:
                continue  # "给哪些老人免费" is not answered by 紧急呼叫、特殊助急、主动关怀: not one of them is people
        elif cat:
            kind = (len((bigrams(e.category) | lead) & cat) + 0.5 * len(items & cat)) / len(cat)
        elif category and not generic:  # one character: 人, 所 — the items end in it, or the category says it
            kind = float(all(i.text.endswith(category) for i in e.items) or category in e.category)
        else:
            kind = cover
        close = 0.2 if any(i.para.id in near for i in e.items) else 0.0
        # the words beside 哪些 in the question ("给老人开了|哪些") and beside the series in its clause ("开设|…"):
        # of two series in one sentence, the one the question's verb leads into
        aligned = 0.3 * len(bigrams(e.beside) & asked_beside) / len(asked_beside) if asked_beside else 0.0
        # every item is itself one of the kind asked ("哪几个体系" → …制度体系、…供给体系、…保障体系), which says more
        # than a lead that names the kind somewhere
        named = 0.5 if cat and all(i.text.endswith(category) for i in e.items) else 0.0
        scored.append((0.5 * cover + 0.5 * min(kind, 1.0) + close + aligned + named, -len(e.items), e))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return (scored[0][0], scored[0][2]) if scored and scored[0][0] >= minimum else None


def of_asked_kind(e: Enumeration, category: str) -> bool:
    """Whether a list says it lists the specific kind of thing asked (哪些…场所 → "…等公共服务场所和设施"): then
    it answers even when one item also echoes the question's words. A generic ask (哪些做法/措施/事) never says."""
    if len(category) < 2 or category in _GENERIC:
        return False
    return bool(bigrams(category) & bigrams(e.category + e.lead))


def named_item(e: Enumeration, subject: Subject) -> Item | None:
    """The one item a list question is about ("营造敬老爱老氛围打算做哪些事" → 五是大力营造敬老爱老浓厚氛围): it says
    most of the question's subject and no other item comes near; None otherwise."""
    if len(e.items) < 2 or not subject.grams:
        return None
    cover = sorted(((len(bigrams(i.text) & subject.grams) / len(subject.grams), n) for n, i in enumerate(e.items)),
                   reverse=True)
    (top, n), (second, _) = cover[0], cover[1]
    return e.items[n] if top >= 0.4 and top >= 2 * second else None


def within(item: Item) -> Enumeration | None:
    """What an item's paragraph goes on to list under its heading ("五是…氛围。一方面…活动；…；开展…评选活动…"):
    each part between ；/。 after the heading sentence, concise; None when there are fewer than two."""
    text = item.para.text
    head = _first_sentence(text)
    body = text[text.find(head) + len(head) :] if head in text else ""
    parts = [x.strip(" *") for x in re.split(r"[；;。]", body) if len(x.strip(" *")) >= 6]
    if len(parts) < 2:
        return None
    return Enumeration(item.text, tuple(Item(_measure(x), item.para, x) for x in parts))


def _measure(part: str, least: int = 12, limit: int = 60) -> str:
    """A measure, concise: its clauses up to the first that makes it say something (an opening "一方面利用重阳节等
    节日" alone does not), at most `limit` characters."""
    out = ""
    for clause in _CLAUSE.split(part):
        out = f"{out}，{clause}" if out else clause
        if len(out) >= least:
            break
    return out[:limit]


def _in_order(text: str, items: list[str], start: int) -> int:
    """Where the last of the items ends when each follows the one before from `start`, else -1."""
    at = start
    for item in items:
        found = text.find(item, at)
        if found < 0:
            return -1
        at = found + len(item)
    return at


def as_stated(e: Enumeration) -> str:
    """The items as the letter writes them: a series verbatim from its first item to its last ("老年人数据库、
    居家养老、机构养老、服务管理"), ordinal items one per line."""
    text = squash(e.items[0].para.text)
    first = squash(e.items[0].text)
    if all(i.para.id == e.items[0].para.id for i in e.items) and first in text:
        # the shortest run that holds every item in order: "新建" also stands in a title before the series
        spans = [(end - start, start, end) for start in (m.start() for m in re.finditer(re.escape(first), text))
                 if (end := _in_order(text, [squash(i.text) for i in e.items], start)) >= 0]
        if spans and (span := min(spans))[0] < 40 * len(e.items):
            return text[span[1] : span[2]]
    return "；".join(i.text for i in e.items)
