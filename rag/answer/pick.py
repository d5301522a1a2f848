"""Which value of a sentence answers a typed question (a count, amount, share, date, rank or name): the one
whose clause speaks of what is asked, of the place and the figures the question names, and not a target when
the question asks what exists. Pure (jieba's tags for names and places).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer.agents import agent, holder, into_word, kind_said, person_named
from rag.answer.asked import (
    YEAR_SAID,
    act_asked,
    asked_figures,
    event_share,
    event_words,
    figure,
    one_of,
    years_named,
)
from rag.answer.kinds import DOCUMENT_ITEM, PERSON_ITEM
from rag.answer.question import (
    BODY_TARGET,
    COUNTERPARTS,
    DATE,
    MONEY,
    NUM,
    ORDINAL,
    PART_POINTED,
    RANK,
    SPAN,
    Question,
    leading_nouns,
)
from rag.answer.refs import parse_doc_refs
from rag.answer.spans import ASIDE, clause_of, clause_span, governs, own_clause, spent_on, statement
from rag.answer.values import after_verb, around_asking, bigrams, novel_value, segment_fit, segments, subject_of
from rag.answer.whose import (
    AGE_BAND,
    age_of,
    asking_clause,
    listed_with_figures,
    named_things,
    of_another_item,
    per_thing_of,
    said_of_another,
)
from rag.core import pos
from rag.core.places import is_city_level, is_place, places_of
from rag.core.text import squash

# any unit but ages, calendar words and grades: "有多少" asks for a count, never for "80岁", "2019年" or "二级"
# (a unit of two characters whole: 4.9万小时, not 4.9万小)
_GENERIC_UNIT = r"(?:万人次|万人|人次|万元|亿元|万张|小时|平方米|%|㎡|(?![岁年月日号级星])[\u4e00-\u9fff])"
# what a clause that plans says (今年再建成47个, 将…, 力争…, 到2022年…)
_PLAN_CLAUSE = re.compile(r"将|计划|力争|拟|要(?!求)|今年|明年|到20\d\d|至20\d\d|下一步|再")
# a goal (力争, 目标…) is set for the rest of its sentence; a planned action (计划投资30万元) for its own clause only:
# their figures are not what exists or was done
_GOAL = re.compile(r"力争|目标|预计|争取")
# money named by the level of government that gives it: 中央资金, 省市补助资金, 省级财政补助, 市级配套资金
_FUNDED_BY = re.compile(r"(中央|省市|省级|市级|区级|县级|[省市区县]本级|(?<![全本各])[省市区县])(?:财政)?(?:预算内)?"
                        r"(?:专项|配套)?(?:补助|补贴|资金|投资|拨付|下达|福彩公益金|彩票公益金)")
_PLANNED = re.compile(r"计划|拟")
_PEOPLE_COUNTED = frozenset(("人", "名", "位", "人次", "户"))
# what a date must say to name the part asked
_GRAIN_SAID = {"day": "日", "month": "月", "year": "年", "quarter": "季度"}
_DONE_S = re.compile(r"已|完成|建成|累计|目前|现有")  # a sentence that goes on from its plan to what is done
# a lower bound set on a figure ("新增不少于3500个", "按不低于55%的比例") is a requirement, not what was done; it
# answers a question that asks what is required (要求, 规定, 至少, 不低于…)
_BOUND = re.compile(r"(?:不少于|不低于|不小于|至少(?:[建设配]有|要有|有|达到?)?)\s*"
                    r"(?:[\d.]+\s*(?:%|[\u4e00-\u9fff]{1,2})?\s*[和、及与]\s*)?$")
# a comparison the letter states a figure with: "超过50%", "不足10%", "近3000人" are not 50%, 10%, 3000人
# (a minimum asked for, 不低于/不少于30%, is answered by its figure: _REQUIRED_Q)
_BOUND_BEFORE = re.compile(r"(?:(?<!不)(?:超过|超出|高于|低于)|不足|不到|逾|将近|近|约)\s*$")
_REQUIRED_Q = re.compile(r"要求|规定|标准|至少|最少|不低于|不少于|最低|下限")
# a question about the whole ("一共", "总共") and the part of a sentence that breaks a whole down ("其中…")
_TOTAL_Q = re.compile(r"一共|总共|共计|合计|总数|总量")
_SUBSET_Q = re.compile(rf"其中|里面|里边|里头|当中|{PART_POINTED}")  # "…的那部分有多少": a part of the whole
_PART = re.compile(r"其中[^。；;]*$")
# how many there are, and the prepositions that make a count the ones an action is done to (对3家…给予)
_EXISTS_Q = re.compile(r"有(?:多少|几)")
_TO = frozenset("对给向")  # not 为: "总数为151.1万人" states the count
# a question that asks a share, a rate or a degree, which a percentage answers
_SHARE_Q = re.compile(r"占|比例|比重|率|百分|成|覆盖|度|份额")
# "…有多少", "一共多少": how many there are, not how much was done ("整治了多少" may be a rate)
_HAS_HOW_MANY = re.compile(r"(?:有|共|一共|总共)多少")
_RATE = re.compile(r"[\u4e00-\u9fff]{2}率")  # a rate the question names: 入住率, 覆盖率, 配备率
_RATE_PHRASE = re.compile(r"[\u4e00-\u9fff]{1,6}率")
PER_Q = re.compile(r"每(?:[十百千万]名?)?(?:人|月|年|个|床|张|户|位|名|次|家|所)|人均|户均")  # 每万人, 每千名老人
_PER = re.compile(r"每|人均|户均|元\s*/|/\s*(?:人|月|年|床)")
_BOUND_AFTER = re.compile(r"及?以上|以下|左右")
# "100张床位以下的…机构", "200张床位以上公办护理型养老机构": a bound with a noun that sorts things, counts nothing
_THRESHOLD = re.compile(r"\s*[\u4e00-\u9fff]{0,4}?(?:及?以上|以下)的"
                        r"|\s*[\u4e00-\u9fff]{1,4}?(?:及?以上|以下)(?=[\u4e00-\u9fff])")
_BOUND_Q = re.compile(r"以上|以下|多大|几岁|多少岁|门槛|标准|条件|(?:要|超|超过|过|达到)多少[^，,]{0,3}[，,]?(?:就|才)")
# a place that holds people or things, counted: "福利中心现在住了多少位老人", "敬老院里有几张床"
_HELD_IN = re.compile(r"([\u4e00-\u9fff]{2,12}(?:中心|敬老院|养老院|福利院|幸福院|颐养院|公寓|站|基地))(?:现在|目前)?"
                      r"(?:里|内|里面)?(?:住了?|入住了?|收住了?|住着|共有|有)(?:多少|几)(?:位|名|张|个?(?:老人|人|床))")
# what a period added ("2021年新建了多少座"), against a total so far ("累计建成…6451座")
_NEW_Q = re.compile(r"新建|新增|新开|新设|新添|新落成|新招")
_CUMULATIVE = re.compile(r"累计|总计|共计|至今|以来")
_REVISED = re.compile(r"\s*(?:修订|修正|修改|版|印发)?\s*[）)]")  # what a date in brackets after a title dates
_REVISED_Q = re.compile(r"修订|修正|修改|哪一?版|版本")
# a modifier between a count and its noun ("3家民办养老机构"): the count is of those only
_SUBTYPE = re.compile(r"\s*[\u4e00-\u9fff]?\s*(民办|公办|城镇|农村|城市|集中|分散|线上|线下|男性|女性)")
# who runs a thing, said before it: a part of all such things (城镇社区… may be what 社区… means)
_OWNED_BY = re.compile(r"(民办|公办|公建民营)([\u4e00-\u9fff]{2,8})$")
_TITLES = re.compile(r"《[^》]*》|“[^”]*”")  # a title (《…行动计划》) names a document, it sets no target
_SCOPE = re.compile(r"全国|全省|全市|全区|全县|省内|市内|国内")
_LEADS_INTO = re.compile(r"^(?:[一二三四五六七八九十]是)?(?:今年|去年|明年|目前|同时|此外|下一步|近年来)?"
                         r"(?:与|和|同|由|依托|通过|联合|委托|在|为|是|的|将|对)*")


# what a place may name in a question besides an area: a document ("广东省的通报"), as the letters title them
_DOCUMENT = rf"(?:通报|报告|{DOCUMENT_ITEM.pattern.removesuffix('$')})"


def _untitled(s: str) -> str:
    """The text with each document title (《…》) blanked to its length, so positions hold."""
    return re.sub(r"《[^》]*》", lambda t: "＿" * len(t.group(0)), s)


def _named_after(s: str, end: int, obj: Sequence[str]) -> str:
    """The nouns of the question's counted phrase that follow a count in the letter, as many as follow in a row
    ("254项" + 数字技术产品)."""
    out = ""
    while nxt := next((o for o in obj if s.startswith(o, end + len(out)) and _is_noun(o)), None):
        out += nxt
    # the whole noun or nothing: "19个民办养老机构" is not stated as 19个民办养老
    if out:
        return out if leading_nouns(re.match(r"[\u4e00-\u9fff]*", s[end : end + 16]).group(0)) == out else ""
    # what the counted things are, when the letter says they serve as the thing asked: "24个部门为成员单位"
    serves = re.match(rf"([\u4e00-\u9fff]{{1,6}}?)(?:为|作为|担任){re.escape(''.join(obj))}", s[end:]) if obj else None
    return serves.group(1) if serves and _is_noun(serves.group(1)) else ""


def _is_noun(word: str) -> bool:
    """jieba tags the word, read alone, as a noun (部门, 单位; not 享受)."""
    return all(w.flag.startswith("n") for w in pos.cut(word))


# the holder of a rank asked for: "第一名是哪个市", "排第一的是哪里"
_RANK_HOLDER = re.compile(r"(第[一二三四五六七八九十\d]+)名?(?:的|是|的是)*哪")
_CITY_ASK = re.compile(r"哪(?:个|座|些)城市|哪(?:个|些)市")


def _modifiers_asked(asking: str, obj: str | None) -> set[str]:
    """The modifiers the asking clause narrows the counted thing with (线下服务, 农村幸福院), or narrows a whole
    named before it with ("…养老机构里，民办的有几家", "特困人员…分散供养的有多少人")."""
    return {w for pair in COUNTERPARTS for w in pair
            if re.search(rf"{w}[\u4e00-\u9fff]{{0,4}}{re.escape(obj)}" if obj else rf"{w}[\u4e00-\u9fff]{{0,2}}的",
                         asking)}


def _lacks_modifier(s: str, start: int, asked: set[str]) -> bool:
    """The question narrows the thing it counts with a modifier (`asked`) that the sentence says, but not in the
    value's segment or the one leading into it: in "19种居家养老服务,其中线上…8项,线下服务种类11项" 19种 is the
    whole, not the 线下 part asked about."""
    if not asked:
        return False
    spans = segments(s)
    i = next((n for n, (a, b) in enumerate(spans) if a <= start < b), len(spans) - 1)
    near = s[spans[max(i - 1, 0)][0] : spans[i][1]]
    return any(w not in near for w in asked)


def _after_noun(text: str) -> str:
    """What a clause says after the noun phrase it opens with: "民办养老机构给予一次性建设补贴" → 给予一次性建设补贴."""
    return text[len(leading_nouns(text)) :]


def _longest_in(phrase: str, s: str) -> str:
    """The longest ending of the phrase that s contains ("险的基金支付率" → 基金支付率), else ""."""
    return next((phrase[i:] for i in range(len(phrase) - 1) if phrase[i:] in s), "")


_QUOTED_NAME = re.compile(r"“[^“”]{0,12}$")  # an open quotation mark shortly before: inside a quoted name


def value_in(
    q: Question, s: str, weights: dict[str, float], obj: str | None, bureau: str | None,
    domain_terms: frozenset[str] = frozenset(), foreign: Sequence[str] = (), letter: str | None = None,
    year: int | None = None,
) -> tuple[str | None, float]:
    """The value the question asks for, verbatim from the sentence, with a 0–1 fit; or (None, 0). `letter` is
    the 文号 of the sentence's own letter."""
    if q.kind in ("list", "fact"):
        return None, 0.0
    if q.kind == "number":
        unit = q.unit or _GENERIC_UNIT
        if q.unit_word == "个" and obj:  # "联合6部门": a count may drop its measure word before the noun
            unit = f"(?:{unit}|{re.escape(obj)})"
        # a bare 万 or 亿 followed by a measure word counts things ("803万名参保人员"), it is no amount of money
        money = rf"(?:{MONEY})(?![人名张个家所户次项座条种类床位份件台辆套批支间场])"
        # a small count the letters write in characters ("每年组织两期…培训班", "三部门联合"): not 一, which
        # starts words (一次性, 一体化, 一站式)
        count = rf"(?:{NUM}|(?<![一二三四五六七八九十两第])[两二三四五六七八九十]{{1,2}}(?![是届次]))"
        pattern = rf"({count}\s*(?:万|亿)?)\s*({unit})" if unit != MONEY else rf"({NUM})\s*({money})"
        if q.unit:  # the unit may come first, with what qualifies the value: "服务人次超33万"
            qualified = rf"(?:超过?|达到?|约|逾|共计?|累计)\s*{NUM}\s*(?:万|亿)?"
            pattern += rf"|(?:{q.unit})(?P<after>{qualified})(?![\d%\u4e00-\u9fff])"
    elif q.kind == "date":
        pattern = SPAN if q.grain == "span" else DATE.pattern
    elif q.kind == "ordinal":
        pattern = RANK.pattern if re.search(r"排|名", q.text) else ORDINAL.pattern
    elif q.target == "NOVEL":
        if (held := holder(q.text, s)) is not None:
            return held if held[0] else (None, 0.0)
        found = agent(q.text, s) or novel_value(s, subject_of(q.text, places_of(bureau)), around_asking(q.text))
        return found if person_named(q.text, found[0]) else (None, 0.0)
    elif q.target == "PLACE":
        own = set(places_of(bureau))
        # a place in a document's title (《广东省…通报》) names the document, and "哪个市" asks for a city
        city = bool(_CITY_ASK.search(q.text))
        found = [w for w, f in pos.cut(_TITLES.sub("", s)) if f.startswith("ns") and w not in own and len(w) >= 2
                 and is_place(w) and (not city or is_city_level(w))]
        pattern = "|".join(re.escape(w) for w in found) if found else None
    else:
        pattern = q.target
    if not pattern:
        return None, 0.0
    best: tuple[float, str] | None = None
    subject = replace(subject_of(q.text, places_of(bureau)), counted=bigrams(obj or ""),
                      head=obj[-2:] if obj else "")
    # where a count of the thing the question names ends ("2个基地": after 2个), if the sentence has one
    counted_at = [m.end() for m in re.finditer(pattern, s)] if q.kind == "number" and q.obj else []
    # a year the letter calls 今年 (the year it was written) is said by 今年 ("2019年…" of "今年我们要推动339家…")
    figures = [figure(x, q.text) for x in asked_figures(q) if not (x == f"{year}年" and "今年" in s)
               ] if q.kind == "number" else []
    # (for any kind: "那2个基地，分别在哪个市" is answered only where the 2个 are named)
    pointed = [figure(x, q.text) for x in asked_figures(q, pointed=True)]
    if not all(f.search(s) for f in pointed):
        return None, 0.0  # the things the question points at are not this sentence's
    own_places = set(places_of(bureau))
    asking = asking_clause(q.text)
    # the years the question names, less the letter's own date it may state to point at the letter
    said_years = years_named(q.text)
    # (the question's one year when the asking clause names none: "到了2019年，省级财政又拨了多少钱")
    years = (YEAR_SAID.findall(asking) or one_of(said_years)) if q.kind == "number" else []
    things = named_things(q)
    listed = listed_with_figures(things, s) if q.kind == "number" else []
    modifiers = _modifiers_asked(asking, obj) if q.kind == "number" else set()
    titled = q.asks_title  # a document's title, whole as written
    # a 文号 the question names that is not the letter's own is one it cites: the title asked is the one the
    # letter puts right before it
    cited = [r for r in parse_doc_refs(q.text) if not r.matches(letter)] if titled else []
    # the question counts the thing with no modifier of its own ("多少家养老机构", not "多少在职职工")
    bare = bool(obj) and bool(re.search(rf"(?:多少|几)\s*[\u4e00-\u9fff]?{re.escape(obj or '')}", q.text))
    per_thing = per_thing_of(q.text) if q.kind == "number" else ""
    required_by = {r.text for r in parse_doc_refs(q.text) if not r.matches(letter)}  # documents it names
    banded: list[tuple[int, float, str]] = []  # (age, fit, value) of the values an age band sorts
    rate = _RATE.search(q.text) if q.unit == "%" else None
    if rate and rate.group(0) not in s:
        return None, 0.0  # "入住率多少" is not answered by a share of something else ("约占全区总人口的20%")
    # the rate as fully as the sentence names it ("基金支付率", not the 支付率 of "总体支付率"): its value's clause
    named_rate = _longest_in(_RATE_PHRASE.findall(q.text)[-1], s) if rate else ""
    rank = _RANK_HOLDER.search(q.text) if q.target == "PLACE" else None  # "第一名是哪个市": the rank asked
    # "由哪家机构主讲": 主讲, whose characters the body's clause must share (赶紧出 is said 尽快出台)
    act = set(re.sub(r"[^\u4e00-\u9fff]", "", act_asked(q.text, q.target == "PLACE"))) if q.target in (
        BODY_TARGET, "PLACE") else set()
    # "2012年出台的那个意见叫什么": a name is of the year the question gives, when its sentence dates anything
    named_years = set(said_years) if q.kind == "who" else set()
    # "恩阳区福利中心现在住了多少位老人": a count of what a place holds is said where that place is
    held_in = _HELD_IN.search(q.text) if q.kind == "number" else None
    if named_years and (dated := set(YEAR_SAID.findall(s))) and not named_years & dated:
        return None, 0.0  # (its sentence dates other years: "（2017年修订）" is not 2012)
    untitled = _untitled(s)  # (a place in a document's title names the document, not the area measured)
    # the places a title may name in answer: the question names the document by them too ("根据广东省的通报") or
    # asks a rank within them ("在广东排老几")
    titled_ok = {p for p in foreign if q.kind == "ordinal" or re.search(rf"{p}[省市]?的?{_DOCUMENT}", q.text)}
    # money asked by the level of government that gives it (多少中央资金)
    level = _FUNDED_BY.search(asking) if q.unit == MONEY else None
    for m in re.finditer(pattern, s):
        value = m.group(1) if q.kind == "who" and q.target != "PLACE" and m.groups() and m.group(1) else m.group(0)
        at, to = m.start(), m.end()
        if q.kind == "who" and (cut := into_word(s, s.find(value, at), value)):
            value = value[cut:]  # "…电信公|司合作开发…系统": a name runs from a word's start, not its last character
        # "什么样的护士": what the letter says before "…的护士", and that
        if m.re.groupindex.get("kind_of") and m.group("kind_of"):
            lo, hi = clause_span(s, m.start())
            said = kind_said(s[lo : m.start()], q.text)
            fit = len(bigrams(s[lo:hi]) & bigrams(q.text)) / max(len(bigrams(q.text)), 1)
            if said and fit and (best is None or fit > best[0]):
                best = (fit, re.sub(r"[“”]", "", said + m.group(0)))
            continue
        if titled and cited and not any(r.matches(x.text) for r in cited
                                        for x in parse_doc_refs(squash(s[m.end() : m.end() + 24]))[:1]):
            continue  # "财综〔2014〕96号印发的是什么办法": 《…〈政府购买服务管理办法(暂行)〉的通知》(财综〔2014〕96号)
        # "一是与电信公司合作…", "在院内开设广弘康复医院": the name, not the words that lead into it
        if q.kind == "who" and not titled:
            value = after_verb(_LEADS_INTO.sub("", value)) if not re.search(r"\d", value) else value  # 文号: as is
            at = s.find(value, m.start())  # what led into it is its context ("在院内开设" for "在院内开了哪家")
            to = at + len(value)
        if m.re.groupindex.get("after") and m.group("after"):
            value = m.group("after")
            if value.count("“") != value.count("”"):  # "打造“康养中心城市”": the name, not half its quotes
                value = value.replace("“", "").replace("”", "")
        if q.kind == "who" and q.target != "PLACE" and (grams := bigrams(value)) and (
                len(grams & bigrams(q.text)) >= 0.6 * len(grams)):
            continue  # "标委会…放在哪家单位" is not answered by the 标委会 itself: what the question names is no answer
        if not all(f.search(statement(s, m.start())) for f in pointed):
            continue  # "那5所敬老院改造出多少张床位": 300张 of the statement that names them, not 120张 after its ；
        if q.kind == "number" and not q.plan and "在建" in re.split(r"[；;。]", s[: m.start()])[-1] and not any(
                a + b in clause_of(s, m.start()) for a, b in listed):
            continue  # "目前在建约19个民办养老机构，约有5481张养老床位": not built yet, not what there is; but a thing
            # the question names that is being built has its figures ("在建项目…明阳区域性养老中心300张")
        if q.kind == "number" and _TOTAL_Q.search(asking) and not _SUBSET_Q.search(q.text) and (
                _PART.search(ASIDE.sub("", s[: m.start()]))) and not any(
                w in asking and w in clause_of(s, m.start()) for w, _ in COUNTERPARTS) and not (
                len(whole := "".join(q.obj)) >= 4 and re.search(
                    rf"(?:^|[、，,：:；;]|其中){re.escape(whole)}\s*$", s[: m.start()]) is not None):
            continue  # "一共能提供多少种服务": 19种, not the 8项 after "其中" (one in an aside that closed,
            # "375家养老机构（其中鹿城区17家），…51086张", governs nothing after it); but "一共几种线下服务" asks
            # the part its clause names (线下服务种类11项), as "智能医疗服务产品一共几个" asks the one the count
            # follows, named whole (…、智能医疗服务产品52个; not 民办养老机构248家 for 养老机构)
        if q.kind == "number" and not q.unit and value.rstrip().endswith("%") and _HAS_HOW_MANY.search(q.text) and (
                not _SHARE_Q.search(q.text)):
            continue  # "失能的有多少", "护理型床位有多少" count things: a share (18.23%, 配备率61.04%) counts none
        if q.kind == "number" and _QUOTED_NAME.search(s[: m.start()]) and re.match(r"[^“”]{0,12}”", s[m.start() :]):
            continue  # "组织“两代表一委员”开展联合视察": a number inside a quoted name names, it counts nothing
        digits = re.findall(r"\d+(?:\.\d+)?", value)
        if q.kind == "number" and digits and digits[0] in q.numbers:
            continue  # a number the question itself gives is not its answer
        if q.kind == "date" and _REVISED.match(s, m.end()) and s[:at].rstrip().endswith(("》（", "》(")) and (
                not _REVISED_Q.search(q.text)):
            continue  # "…规划（2013-2020）》（2017年修订）": when a document was revised, not when anything was done
        if q.grain in _GRAIN_SAID and not re.search(_GRAIN_SAID[q.grain], value):
            continue  # "哪天上线" is not answered by "（2017年修订）": a date names the part asked for
        clause = clause_of(s, m.start())
        if act and not act & set(s[clause_span(s, at)[0] : clause_span(s, clause_span(s, at)[1] + 1)[1]]):
            continue  # "讲座由哪家机构主讲": not a 医院 whose clause (or the next) does nothing of the kind
        if rank and rank.group(1) not in clause:
            continue  # "第一名是哪个市" is not answered by 珠海 of "仅次于珠海、广州": the clause states no such rank
        if named_rate and named_rate not in clause:
            continue  # "基金支付率…多少" is not answered by the 总体支付率 beside it
        if q.kind == "number" and _TOTAL_Q.search(q.text) and not PER_Q.search(q.text) and re.search(
                r"每|人均|户均", s[clause_span(s, m.start())[0] : m.start()]):
            continue  # "运营补贴一共多少钱" is not answered by what each got ("每个给予2-4万元")
        if q.kind == "number" and PER_Q.search(q.text) and not _PER.search(clause):
            continue  # "每人每月多少钱" asks a rate, not the total paid ("发放高龄补贴3040万元")
        if q.kind == "number" and obj and _TOTAL_Q.search(q.text) and (
                sub := re.match(rf"([^，,；;。]{{2,12}}?){re.escape(obj)}", s[m.end() :])) and not (
                bigrams(sub.group(1)) & bigrams(q.text)):
            continue  # "一共有多少老年人" is not answered by "135名80岁以上生活困难老年人": those are some of them
        if q.kind == "number" and obj and re.search(
                rf"有(?:多少|几)[个名位]?{re.escape(obj)}[？?。]?$"
                rf"|{re.escape(obj)}(?:一共|总共|共)?有(?:多少|几)[个名位]?[？?。]?$", asking) and re.search(
                r"人\s*/?\s*次", m.group(0)):
            continue  # "有多少老人", "高龄老人有多少" count people: "老人95000人/次" counts times paid
            # (not "有多少志愿者参加")
        if q.kind == "number" and _NEW_Q.search(asking) and not _NEW_Q.search(clause) and _CUMULATIVE.search(
                s[clause_span(s, m.start())[0] : m.start()]):
            continue  # "2021年新建了多少座5G基站" is not answered by "累计建成5G基站6451座": all built so far
        if held_in and held_in.group(1)[-4:] not in statement(s, m.start()):
            continue  # not the 60岁以上老人130876人 of the whole district
        if q.kind == "number" and per_thing and per_thing[-2:] not in squash(s[: m.start()]):
            continue  # "幸福院每个补贴多少" is not answered by "…日间照料中心每个给予2-4万元": what each is, is said
        if q.kind == "number" and not all(f.search(clause) or (governs(s, f, m.start()) and f.search(
                statement(s, m.start()))) or (q.unit == MONEY and spent_on(s, f, m.end())) for f in figures):
            # "80岁以上的有多少" is not answered by "60岁以上老人130876人": the figure it names leads to it, in its
            # statement ("5所敬老院…床位300张；建成…中心，床位120张": 120张 is not of the 5所)
            continue
        if q.kind == "number" and years and (said := YEAR_SAID.findall(s[: m.end()])) and said[-1] not in years:
            continue  # a year governs what follows it up to the next: "2021年…203场,2022年…计划…50场" for 2021
        if q.kind == "number" and q.unit != "%" and _THRESHOLD.match(s, m.end()) and not _BOUND_Q.search(q.text):
            continue  # "对于100张床位以下的养老服务机构": a threshold that sorts things, no count of them (a share
            # is a quantity: "公益金50%以上的资金" says how much)
        if q.kind == "number" and bare and (sub := _SUBTYPE.match(s, m.end())) and sub.group(1) not in q.text and (
                s.startswith(obj or "", sub.end())):  # type: ignore[arg-type]
            continue  # "对3家民办养老机构": a count of 民办 ones does not answer "有多少家养老机构"
        if q.kind == "number" and bare and (sub := _OWNED_BY.search(s[: m.start()].rstrip())) and (
                sub.group(2).endswith(obj or " ") and sub.group(1) not in q.text):
            continue  # "公办养老机构10所" likewise, said before the thing counted: who runs them sorts them
        if q.kind == "number" and _lacks_modifier(s, m.start(), modifiers):
            continue
        if q.kind == "number" and _EXISTS_Q.search(q.text) and s[max(m.start() - 1, 0) : m.start()] in _TO and not (
                bigrams(_after_noun(s[m.end() : clause_span(s, m.start())[1]])) & bigrams(q.text)):
            continue  # "有几家民办养老机构" is not answered by "对3家民办养老机构给予一次性建设补贴": those it gave to
        if q.kind == "ordinal" and (scope := _SCOPE.findall(q.text)) and (said := _SCOPE.findall(clause)) and (
                not set(scope) & set(said)):
            continue  # "全国排第几" is not answered by 全省排名第四: a rank is within the scope it names
        if level and _FUNDED_BY.search(clause) and level.group(1) not in clause:
            continue  # "多少中央资金" is not answered by "落实省市补助资金70.5万元": another level of government
        if said_of_another(q, re.split(r"[、，,；;：:（(]", s[: m.start()])[-1], asking, own_places) or (
                q.kind != "date" and of_another_item(s, m.start(), things, listed, asking)):
            continue  # (a date dates its sentence: "根据《…2021年第四季度…通报》" dates each figure after it)
        # (a place in a document's title names the document: "根据《广东省…通报》，中山…6451座" is 中山's count,
        # unless the question names the document by it too, or asks a rank within it: "在广东排老几")
        own = own_clause(untitled, m.start()) if foreign and q.kind != "date" else None
        if own is not None and not all(p in own or governs(untitled, p, m.start())
                                       or (p in titled_ok and governs(s, p, m.start())) for p in foreign):
            # "…14.6座，仅次于珠海": 珠海 named after a value is compared with, not measured by it; and a place
            # measures the value it leads to, not one past it ("鹿城区3233张），…中心46个（其中鹿城区5个）"); a
            # date dates its whole sentence ("截至2019年12月底,广州市长期护理保险已覆盖…")
            continue
        if q.unit_word == "个" and obj and not re.search("[个家所座处]$", value) and not bigrams(obj) & bigrams(clause):
            continue  # "几个城市" may be counted in 个 or any unit, but only of 城市
        if q.unit == "%" and obj and _lacks_modifier(s, m.start(), {obj}):
            continue  # "养老床位，护理型的占多少" is not answered by "占全市养老机构66.1%", the share of 民办养老机构
        penalty = 0.0
        if q.kind == "number" and obj and obj not in clause:
            if obj in domain_terms and not (q.unit_word in _PEOPLE_COUNTED and not PERSON_ITEM.search(obj)):
                continue  # "多少家养老机构" must count 养老机构, not 医疗单位 (but "爱心餐厅惠及多少人" counts people:
                # the 爱心餐厅 hold them, and the clause that counts them may not name them again)
            penalty = 0.15  # a plain word may be paraphrased ("公益食堂" for 爱心餐厅)
        seg = segment_fit(s, at, to, subject)
        if seg.counts_other and not any(s.startswith(o, m.end()) for o in q.obj) and any(
                s.startswith(o, e) for o in q.obj for e in counted_at):
            continue  # "2个基地、10个街道、2家企业": when a count names the thing asked, one naming another is not it
        fit = seg.score
        if titled:  # "放开养老服务市场的实施意见叫什么名字": the title that says what the question describes
            fit += 0.5 * len(bigrams(value) & bigrams(q.text)) / max(len(bigrams(q.text)), 1)
        elif q.kind == "who" and (said := bigrams(clause_of(s, at).replace(value, " "))):
            # a name is told apart by what its clause says beside it: "东凤人民医院托管东凤镇敬老院" for "哪家医院把镇上
            # 敬老院接过来管了", not "为二级康复医院"
            fit += 0.5 * len(said & bigrams(q.text)) / len(said)
        if q.kind == "date":  # a date dates its sentence: its segment only chooses within the sentence
            event = event_share(q.text, s, m.end())
            if event == 0.0 and sum(map(len, event_words(q.text))) >= 4:
                continue  # "…什么时候投入运营": a date whose clause says nothing of 投入运营 dates something else
            fit = 0.5 + 0.2 * fit + 0.5 * event
        fit -= penalty
        if q.plan and not _PLAN_CLAUSE.search(clause):
            fit -= 0.3  # "今年计划再建成多少个": a plan is answered by a clause that plans, not by what exists
        before = _TITLES.sub("", s[: m.start()])  # what the sentence says before the value, its titles aside
        if not q.plan and q.kind == "number" and (_GOAL.search(before + clause)
                                                  or _PLANNED.search(_TITLES.sub("", clause))):
            continue  # "实际新建了多少": a target ("到2022年，力争…覆盖率达到90%") says nothing of what was done
        if q.done and (plan := _PLANNED.search(before)) and not _DONE_S.search(before[plan.end() :]):
            continue  # "已经验收了多少户": "计划投资30万元，…为280余户…改造" plans it; nothing says it is done
        if not q.plan and _BOUND.search(s[: m.start()]) and not _REQUIRED_Q.search(q.text) and not (
                required_by & {r.text for r in parse_doc_refs(squash(s[: m.start()]))}):
            # (a bound the document the question names sets, "按照粤府办〔2019〕23号文规定…不低于55%", is what it asks)
            continue  # "实际新增了多少" is not answered by "新增不少于3500个"
        if q.unit_word and value.endswith(q.unit_word):
            fit += 0.1  # the unit as asked (家) over an accepted alternative (个)
        if q.kind == "number" and not AGE_BAND.search(q.text) and (band := AGE_BAND.search(clause_of(s, at))):
            banded.append((age_of(band), fit, value.strip()))
        if q.kind == "number" and (before := _BOUND_BEFORE.search(s[: m.start()])):
            value = before.group(0).strip() + value.strip()  # "超过50%": not 50%
        if q.kind in ("number", "ordinal") and (bound := _BOUND_AFTER.match(s, m.end())):
            value = value.strip() + bound.group(0)  # "80岁以上", "三级以上": the bound is part of what the letter says
        elif q.kind == "number" and (named := _named_after(s, m.end(), q.obj)):
            value = value.strip() + named  # "24个部门": the count with what it counts, as the letter says it
        if best is None or fit > best[0]:
            best = (fit, value.strip())
    if best is None:
        return None, 0.0
    if banded and best[1] in {v for _, _, v in banded}:
        # "有多少老人": of "60岁以上老人130876人，80岁以上高龄老人11604人，百岁老人48人", the widest band
        _, fit, value = min(banded)
        return value, max(fit, 0.0)
    return best[1], max(best[0], 0.0)
