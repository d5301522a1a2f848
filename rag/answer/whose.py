"""Whose a value is: of what the question asks about, or of another thing its sentence speaks of — a sub-place
the question does not name, one home of a city ("我市市华宇乐颐养院有养老床位600张" for the city), the
counterpart of a modifier (城镇 for 农村), another of a sentence's parallel items (一是…；二是…), or a programme other
than the one the question names; the age band that sorts the people a value counts, and the unit a per-unit
question names. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rag.answer.question import COUNTERPARTS, Question, leading_nouns, noun_before
from rag.answer.values import bigrams, segments
from rag.core.places import PLACE_NAME, gazetteer, strip_place_suffix
from rag.core.text import squash


def asking_clause(question: str) -> str:
    """The clause of the question that asks (the last one with an asking word), else the whole question."""
    return next((c for c in reversed(re.split(r"[，,；;：:]", question)) if re.search(r"多少|几|哪|什么", c)), question)


def said_of_another(q: Question, lead_in: str, asking: str, own_places: set[str]) -> bool:
    """The words leading into a value say it is of something the question does not ask about: a sub-place it
    does not name ("渭城区202所社区日间照料中心" for the city), or the counterpart of the modifier it asks with
    ("城镇社区日间照料中心266个" for 农村)."""
    for x in PLACE_NAME.finditer(lead_in) if q.kind == "number" else ():
        place = x.group(0)
        if place in gazetteer() and strip_place_suffix(place) not in q.text and place not in own_places and (
                re.fullmatch(r"(?:有|共有|共|建成了?|已建成)?", lead_in[x.end() :])):
            return True
    if q.kind == "number" and (owner := _OWNER.match(lead_in)):
        # "我市市华宇乐颐养院有养老床位600张" for "中山有多少张养老床位": what has the value is one home, not the city
        named = _HERE.sub("", owner.group(1))
        for p in own_places:
            named = named.replace(p, "")
        if len(named) >= 3 and not bigrams(named) & bigrams(q.text):
            return True
    return any(w in asking and p not in asking and p in lead_in and w not in lead_in for w, p in COUNTERPARTS)


# the words before 有 that say what has the value ("我市市华宇乐颐养院|有养老床位"), and the words that only say
# where (我市, 全市…), which the city's own figures have too ("我市共有375家")
_OWNER = re.compile(r"^(.*?)(?:共有|建有|拥有|有)(?!.*有)")
_HERE = re.compile(r"^(?:我|本|全|该)?(?:市|省|区|县)(?:市|省|区|县)?|^目前|^现|^共|^已")


def of_another_item(s: str, pos: int, named: list[tuple[str, str]], listed: list[tuple[str, str]],
                     asking: str = "") -> bool:
    """In a sentence of parallel items (一是…；二是…) each item's values are said of its own subject: in "华宇乐颐养院
    有养老床位600张；…广弘颐养院…住院病床99张" 600张 is not 广弘颐养院's. The question names a name and its head
    (广弘|颐养院) in the clause that asks (`named`); the value's item has the head without the name, and another
    item has both."""
    # a thing the question names that has its own figure beside others of its kind (`listed`: "在建项目雪山区域性养老
    # 中心150张、明阳区域性养老中心300张") is not what a figure before it is said of ("公办养老机构10所、床位1200张")
    end = next((y for x, y in segments(s) if x <= pos < y), pos)
    if any(end <= s.find(a + b) for a, b in listed):
        return True
    items = re.split(r"[；;]", s)
    if len(items) < 2:
        return False
    own = items[len(re.findall(r"[；;]", s[:pos]))]
    # an item of its own ("二是…") speaks of its own subject even when it does not share the head (华宇乐颐养院 for
    # a question whose asking clause names 东凤镇敬老院, which another item names)
    ordinal = bool(re.match(r"\s*[一二三四五六七八九十]是", own))
    return any((b in own or (a, b) in listed or (ordinal and a + b in asking)) and a not in own
               and any(a + b in x for x in items if x is not own) for a, b in named)


def listed_with_figures(named: list[tuple[str, str]], s: str) -> list[tuple[str, str]]:
    """The things the question names that the sentence lists with a figure of their own beside another of their
    kind with its own ("雪山区域性养老中心150张、明阳区域性养老中心300张"): parallel items."""
    with_figure = [s[x:y] for x, y in segments(s) if re.search(r"\d", s[x:y])]
    return [(a, b) for a, b in named if any(a + b in x for x in with_figure) and any(
        b in x and a + b not in x for x in with_figure)]


_SCOPE_WORD = re.compile(r"(?:全|我|本|整个)(?:市|省|区|县|镇)|全国")


def named_things(q: Question) -> list[tuple[str, str]]:
    """What the question names by a name and its head (华宇乐|颐养院, 雪山|区域性): the one in the asking clause
    when it names two of a kind ("华宇乐颐养院…，广弘颐养院…几张")."""
    words, asking = [t for t, _ in q.keywords if len(t) >= 2], asking_clause(q.text)
    # (全市养老机构 is every home of the city: a scope names no one thing)
    named = [(a, b) for a in words for b in words if a != b and a + b in q.text and not _SCOPE_WORD.fullmatch(a)]
    return [(a, b) for a, b in named if a + b in asking or sum(1 for _, y in named if y == b) == 1]


# an age band that sorts the people counted (60岁以上, 80周岁及以上, 高龄, 百岁)
AGE_BAND = re.compile(r"(\d{2,3})\s*周?岁(?:及)?以上|百岁|高龄")


def age_of(band: re.Match[str]) -> int:
    """60岁以上 → 60, 高龄 → 80, 百岁 → 100."""
    return 100 if band.group(0) == "百岁" else 80 if band.group(0) == "高龄" else int(band.group(1))


# "幸福院每个补贴多少", "每个中心给多少": the thing each value is for, named before 每个 or after it
_PER_THING = re.compile(r"([\u4e00-\u9fff]{2,12}?)每[个所家座]|每[个所家座]([\u4e00-\u9fff]{2,8})")


def per_thing_of(question: str) -> str:
    """The noun a per-unit question names as the unit ("咸阳的农村互助幸福院每个补贴多少" → 农村互助幸福院), or ""."""
    m = _PER_THING.search(question)
    if not m:
        return ""
    noun = noun_before(re.split(r"[，,的]", m.group(1))[-1]) if m.group(1) else leading_nouns(m.group(2))
    return noun if len(noun) >= 2 and not re.search(r"多少|几", noun) else ""


QUOTES = re.compile(r"[“”‘’\"]")  # set a name off: “互联网+护理”服务 is 互联网+护理服务
# a named programme (银龄安康行动, 时间银行, 暖心工程), not a term a letter sets in quotes (“适老化”, “智慧养老”)
PROGRAMME = re.compile(r"(?:行动|工程|计划|活动|项目|银行|专项)$")


def said_near(sentence: str, value: str, names: Iterable[str]) -> bool:
    """A programme the question names is named in the value's clause or the one before it: in "…开展“银龄安康行动”,
    落实智慧助老各项活动,…开展智慧助老活动203场,直接服务老年人10000多人" the 10000多人 are 智慧助老's."""
    at = sentence.find(squash(value))
    if at < 0:
        return True
    clauses = re.split(r"[，,；;。]", sentence[:at])
    end = re.split(r"[，,；;。]", sentence[at:], maxsplit=1)[0]
    near = "".join(clauses[-2:]) + end
    return any(QUOTES.sub("", n) in QUOTES.sub("", near) for n in names)
