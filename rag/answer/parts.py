"""The asks of one question: "投入了多少资金，惠及多少户？", "A和B各有多少个？", "…：A、B、C，各建成运营几个？",
"一个是…，一个是…" are answered part by part, each part carrying the context the question shares. Pure (jieba's
tags for nouns)."""

from __future__ import annotations

import re
from itertools import pairwise

from rag.answer.conversation import is_follow_up, resolve
from rag.answer.frame import Frame, meta_field
from rag.answer.position import PLACE_ASKED
from rag.answer.question import COUNTERPARTS, MEASURED_ASK, POINTING, leading_nouns, without_verb
from rag.core import pos
from rag.core.places import place_spans

_CLAUSE_END = re.compile(r"[？?，,；;]")
_EACH = re.compile(r"(.+?)(?:各|分别)((?:有|是|为|叫|[\u4e00-\u9fff]{1,6}?了?)?(?:多少|几|什么|啥|谁|哪).*)$")
# a second ask inside one clause: "发了多少钱、多少人次"
_SECOND_ASK = re.compile(r"[、和](?=(?:又|还)?(?:多少|几[个家张人名座所户次项场条种类]|哪))")
# a count asked of each of several things in one run: "选上了几个基地几个街道几家企业"
_COUNT_ASK = re.compile(r"(?:多少|几)(?:万人次|人次|万人|[个家张人名座所户次项场条种类])(?=[\u4e00-\u9fff]|$)")
# "有几种模式" then "各叫什么 / 分别是什么 / 都有哪些": the kinds counted, then named; the list answers both
_KINDS_ASK = re.compile(r"(?:多少|几)(?:种|类|个|项|条|大|个方面)")
_EACH_NAMED = re.compile(r"(?:各|分别|都|具体|每(?:种|类|个|项|条))(?:叫|是|有|包括)?(?:什么|啥|哪些|哪几)")
_VAGUE = re.compile(r"(?:是)?(?:怎么|如何|怎样)(?:做|搞|弄|开展|推进|落实)的?$|(?:情况|进展)(?:怎么样|如何)$")
# a count of bodies or buildings: what a later ask names (床位, 员工) is theirs
_BODY_COUNT = re.compile(r"(?:多少|几)[家所座处]")
# a yes/no ask ("有没有建农村互助幸福院"): all it names is the subject a later ask ("建了几个") is about
# an A-not-A ask: "开没开张", "收不收费" (the verb, 没/不, the verb again)
_A_NOT_A = r"([\u4e00-\u9fff])[没不]\1"
YES_NO = re.compile(rf"有没有|是不是|是否|有无|{_A_NOT_A}")
# an A-not-A ask ("开没开张") is an ask of its own; "是不是…了？哪天…" only leads into the ask after it
INTERROGATIVE = re.compile(rf"多少|多大|多高|多久|(?<![好十])几|哪|谁|什么|是否|有没有|没有$|吗|怎么|如何|何时"
                            rf"|(?!是不是){_A_NOT_A}"
                            r"|^(?:请|麻烦|再)?(?:报|告诉我)(?:一下|下|个|出来?)?(?=\S)"  # "报一下建议编号": asked too
                            r"|(?<=\S)(?:也|再|顺便|一并)?(?:报|说|给)(?:全|一下|下|出来)$")  # "文号也报全"
# a clause that says only how to answer ("一口气报下", "挨个说一下", "简单说下"): it asks nothing of its own
_MANNER_ONLY = re.compile(r"^(?:请|麻烦)?(?:给我|帮我)?"
                          r"(?:一口气|挨个儿?|一个个|一个一个|一条条|逐一|简单|简要|直接|大概|都|全部?|一并|也|再|顺便|顺带)"
                          r"(?:报|说|列|讲|写)(?:一下|下|出来|清楚|全)?[吧啊呀]?$"
                          # "能列一下吗", "可以报一下不": a request to answer, asking nothing the clause names
                          r"|^(?:能不能|能否|能|可以|可不可以|可否)(?:帮我|给我)?(?:列|报|说|讲)(?:一下|下|出来|全)?"
                          r"(?:吗|么|嘛|不)?$"
                          # "报层面名就行", "写名字即可": a form asked for, no ask of its own
                          r"|^(?:(?!哪|什么|多少|几|谁)[\u4e00-\u9fff]){0,10}(?:就行|就好|就可以|即可)了?$")
# rows listed after a dash or colon and split by ；, which name what they ask ("——A；B；C"), and the words before
# them that ask for figures (的数, 数据, 数值)
_FORM = re.compile(r"(?:——|—|：|:)\s*([^：:—]+?[；;][^：:—]+?)[。？?]?$")
_FIGURES_ASKED = re.compile(r"的数|数据|数值|数字|多少")
# "问下…：成立时间，外加成员单位的数量": with no asking word anywhere, each clause names what it asks
_NAME_AGAIN = re.compile(r"(?:具体|到底)?(?:姓甚名谁|叫什么名字?|叫啥名?字?|姓什么|名字(?:是|叫)?(?:什么|啥))[呢啊]?$"
                         # "…出现在第几部分？那部分标题叫啥": the heading of the place just asked
                         r"|^[那这](?:一?部分|一?点|一?条|一?节|块)的?小?标题(?:是|叫)?(?:什么|啥)?[呢啊]?$")
_NOUN_ASK = re.compile(r"(?:时间|日期|数量|个数|人数|总数|金额|比例|比重|占比)$")
_AND_ALSO = re.compile(r"还有|以及|另外|外加|再加上|再有|并且")


def _items(text: str) -> list[str]:
    """"A和B" / "A、B" are the items; 及 and 与 only join items when nothing else does ("公建民营及民办养老机构"
    is one item of "县级中心敬老院和公建民营及民办养老机构")."""
    items = [x for x in re.split(r"和|跟|同|、", text) if x]  # 跟, 同: "数量跟总投资额各是多少"
    return items if len(items) > 1 else [x for x in re.split(r"与|及", text) if x]


def _asks_in_a_row(clause: str) -> list[str]:
    """"共涉及几家机构、金额多大", "发了多少钱 惠及多少人次": two asks joined by 、 or a space, each with its own asking
    word."""
    for m in re.finditer(r"、|\s+", clause):
        if INTERROGATIVE.search(clause[: m.start()]) and INTERROGATIVE.search(clause[m.end() :]):
            return [clause[: m.start()], *_asks_in_a_row(clause[m.end() :])]
    return [clause]


_LISTED_ASK = re.compile(r"^(?:[^：:]*[：:])?\s*(?:另一个|一个|第[一二三四五]个?|[一二三四五])是")


def _figures_listed(clauses: list[str]) -> list[str]:
    """"问两个温州的数：一个是…家数，一个是覆盖率": figures asked one by one without an asking word each ask for the
    figure (…家数是多少); what comes before the colon is their context."""
    listed = [c for c in clauses if _LISTED_ASK.match(c) and not INTERROGATIVE.search(c)]
    if len(listed) < 2:
        return clauses
    out = []
    for c in clauses:
        if c in listed:
            before, _colon, _ = c.rpartition("：") if "：" in c else c.rpartition(":")
            out += [x for x in (before, _LISTED_ASK.sub("", c) + "是多少") if x]
        else:
            out.append(c)
    return out


def _counts_of(clause: str) -> list[str]:
    """"广东选上了几个基地几个街道几家企业" → 广东选上了几个基地 / 广东选上了几个街道 / 广东选上了几家企业: each count
    with the words that lead into the first."""
    starts = [m.start() for m in _COUNT_ASK.finditer(clause)]
    # "几所几张": counts side by side are asks of their own; "多少个多少" is not two
    if len(starts) < 2 or any(b - a < 4 and not _COUNT_ASK.fullmatch(clause[a:b]) for a, b in pairwise(starts)):
        return [clause]
    lead = clause[: starts[0]]
    return [lead + clause[a:b] for a, b in zip(starts, [*starts[1:], len(clause)], strict=True)]


def _elliptic_asks(clauses: list[str]) -> list[str]:
    """"…建了多少个？农村互助幸福院呢？": a clause that only names what changes is the ask before it about that, read
    the way a follow-up is read against the question before it."""
    places = [c[a:b] for c in clauses for a, b in place_spans(c)]
    out: list[str] = []
    for c in clauses:
        before = next((x for x in reversed(out) if INTERROGATIVE.search(x)), None)
        out.append(resolve(c, [before], places).rstrip("？?") if before and is_follow_up(c) and c.endswith("呢") and
                   not INTERROGATIVE.search(c) else c)
    return out


# "平台从开建到上线，起止日期分别是？": two dates, one of each event
_SPAN_ASK = re.compile(r"从([^，,到]{1,8})到([^，,]{1,8}?)[，,的]?(?:它的|其)?(?:起止|起讫|始末|开始和结束)的?"
                       r"(?:日期|时间)")


_JOINED = re.compile(r"^(?:还有|以及|另外|和|及|与)")
_ORDER_SAID = re.compile(r"^(?:先|再|然后|接着|最后|其次|首先)(?:说|讲|告诉我|问)(?:一下|下)?")


def _items_then_each(clauses: list[str]) -> list[tuple[str, str]]:
    """"民办养老院新添床位按张补贴的标准，还有按护理程度给的月度床位运营补贴，各是多少钱": clauses joined by 还有/
    以及 before an ask that opens with 各/分别 are its items, each asked; [] for any other shape."""
    if len(clauses) < 3 or not re.match(r"(?:各|分别)", clauses[-1]) or not INTERROGATIVE.search(clauses[-1]):
        return []
    items = clauses[:-1]
    if any(INTERROGATIVE.search(c) for c in items) or not all(_JOINED.match(c) for c in items[1:]):
        return []
    ask = re.sub(r"^(?:各|分别)(?:自)?", "", clauses[-1])
    asked = [_JOINED.sub("", c) + ask for c in items]
    return [(a, a) for a in asked]


def _points_only(clause: str) -> bool:
    """The clause's only asking word is a 几 after 那/这 ("那几样", "这几种"): it points, it asks nothing."""
    found = list(INTERROGATIVE.finditer(clause))
    return bool(found) and all(m.group() == "几" and m.start() > 0 and clause[m.start() - 1] in POINTING for m in found)


def split_parts(content: str) -> list[tuple[str, str]]:
    """A question with several asks ("投入了多少资金，惠及多少户？", "联系人是谁？电话多少？", "A和B各有多少个？") →
    (question, ask) per ask, each question carrying the shared context: the clauses that ask nothing, and for
    an ask too short to say what it is about ("电话多少", "在全省排第几"), the first ask's subject."""
    if span := _SPAN_ASK.search(content):
        lead = content[: span.start()]
        return [(f"{lead}{event}是什么时候", f"{event}是什么时候") for event in span.groups()]
    if (form := _FORM.search(content)) and _FIGURES_ASKED.search(lead := content[: form.start()]) and len(
            items := [x.strip() for x in re.split(r"[；;]", form.group(1)) if x.strip()]) > 1 and not any(
            INTERROGATIVE.search(x) for x in items):
        # "…的数，按“项目：数值”给我——服务申请审批记录；话务坐席接听咨询；…": a form to fill, each row's figure asked
        return [(f"{lead}，{x}有多少", f"{x}有多少") for x in items]  # (not 电话是多少: a number to dial)
    clauses = [c.strip() for c in _CLAUSE_END.split(content) if c.strip()]
    clauses = [c for c in clauses if not _MANNER_ONLY.match(c)] or clauses  # "…？一口气报下": how, not what
    clauses = [x for c in clauses for x in _SECOND_ASK.split(c) if x]
    clauses = [x for c in clauses for x in _asks_in_a_row(c)]
    clauses = [x for c in clauses for x in _counts_of(c)]
    # "…哪家发的？文号呢": a fragment read against the ask before it ("…那封的文号") asks what it names
    said_again = set(resolved := _elliptic_asks(clauses)) - set(clauses)
    clauses = _figures_listed(resolved)
    if items := _items_then_each(clauses):  # "…的标准，还有…的运营补贴，各是多少钱"
        return items
    lead = ""
    for i in range(len(clauses) - 1, 0, -1):  # "…：A、B、C，各建成运营几个": the items the ask is of come before it
        if re.match(r"各|分别", clauses[i]) and not INTERROGATIVE.search(clauses[i - 1]) and len(
                _items(re.split(r"[：:]", clauses[i - 1])[-1])) > 1:
            *before, listed = re.split(r"[：:]", clauses[i - 1])
            lead = "".join(before)  # "咸阳机构养老这块": what the items are of
            clauses[i - 1 : i + 1] = [listed + clauses[i]]
    # "温州鹿城区：养老机构几家，养老床位几张，…": what the question opens with before a colon, asking nothing, is
    # what every ask is about
    if len(clauses) > 1 and (topic := re.match(r"([^：:]+)[：:](?=.)", clauses[0])) and not INTERROGATIVE.search(
            topic.group(1)):
        lead, clauses[0] = lead + topic.group(1), clauses[0][topic.end() :]
    # "…覆盖哪几年？是不是今年就到期了？": a 是不是 clause that no ask follows asks itself
    last_yes_no = clauses[-1] if clauses and YES_NO.search(clauses[-1]) else None

    named_only = not any(INTERROGATIVE.search(c) or YES_NO.search(c) for c in clauses)
    # "咸阳那份的印发日期，还有抄送了谁": a field named, then 还有 another ask: the field is asked too
    listed_on = {c for c, nxt in pairwise(clauses) if _NOUN_ASK.search(c) and _AND_ALSO.match(nxt)}

    # "…老人占户籍人口比例？养老床位几张": a clause the asker closes with a question mark asks, asking word or not
    marked = {m.group(1).strip() for m in re.finditer(r"([^？?。！!；;，,：:]+)[？?]", content)}

    # "广东…整合的那几样…功能，最后两个是什么": a clause whose only 几 points (那几样, 这几种) names what a later
    # clause asks of
    pointing = {c for n, c in enumerate(clauses) if _points_only(c) and any(
        INTERROGATIVE.search(x) and not _points_only(x) for x in clauses[n + 1 :])}

    def asking(c: str) -> bool:
        return (bool(INTERROGATIVE.search(c)) and c not in pointing) or c == last_yes_no or (
            (named_only or c in listed_on or c in marked) and bool(_NOUN_ASK.search(c))) or c in said_again

    context = lead + "".join(c for c in clauses if not asking(c))
    asks: list[str] = []
    shared: set[str] = set()
    for c in clauses:
        each = _EACH.search(c) if INTERROGATIVE.search(c) else None
        items = _items(each.group(1)) if each else []
        if len(items) > 1:  # "在线医疗产品和智能医疗服务产品各有多少个", "集中供养和分散供养分别多少"
            if len(clauses) == 1 or sum(1 for x in clauses if INTERROGATIVE.search(x)) == 1:
                return [(f"{context}{'，' if context else ''}{x}{each.group(2)}", x + each.group(2))  # type: ignore
                        for x in items]
            asks += [x + each.group(2) for x in items]  # type: ignore[union-attr]
            shared.update(asks[-len(items) :])  # items of one ask share the subject it leaves out
        elif asking(c):
            asks.append(c)
    # "…具体是谁，姓甚名谁": an ask that only asks the name of what the ask before it asks for says it again
    for i in range(len(asks) - 1, 0, -1):
        if _NAME_AGAIN.match(asks[i]) and re.search(r"谁|什么|啥|哪|第几", asks[i - 1]):
            asks[i - 1 : i + 1] = [f"{asks[i - 1]}，{asks[i]}"]
    vague = [a for a in asks if _VAGUE.search(a)]
    if len(asks) > len(vague) and vague:  # "医养结合是怎么做的，分哪几种": the list is how it is done
        asks = [a for a in asks if a not in vague]
        content = "，".join(_VAGUE.sub("", c) if c in vague else c for c in clauses) if len(asks) == 1 else content
    if len(asks) < 2 or (len(asks) == 2 and _KINDS_ASK.search(asks[0]) and _EACH_NAMED.match(asks[1])):
        return [(content, content)]  # "有几种模式，各叫什么": one list, its items counted
    asks = _same_count(asks)
    first = asks[0]
    yes_no = YES_NO.search(first)
    # what the first ask is about, without its asking words ("咸阳给几家民办养老机构发了一次性建设补贴，一共多少钱",
    # "人社部是哪年哪月定的长护险试点")
    plain = re.sub(r"是?(?:哪年哪月|哪一?年|哪个?月|哪一?天|什么时候|何时)", "", first)
    asked = MEASURED_ASK.search(plain) or INTERROGATIVE.search(plain)
    subject = first.split("：")[0] if "：" in plain[: asked.start() if asked else None] else (
        plain[: asked.start()] + plain[asked.end() :]) if yes_no is None and asked else (
        first[: yes_no.start()] + first[yes_no.end() :] if yes_no else plain)
    # without the words that lead into the ask, and without "每个": what each gets is the first ask's own
    led = r"(?:有|是|为|总共|一共|共|达|的|了|给|接了|建成了?|投入了?|由|被|把|对|向|每[个家人户所张]?)+$"
    subject = without_verb(re.sub(led, "", subject))
    parts = []
    for i, ask in enumerate(asks):
        words = INTERROGATIVE.sub("", re.sub(r"[^\u4e00-\u9fff]|[的了是有呢吗啊在第排每个]", "", ask))
        words = re.sub(r"^(?:计划|预计|打算|准备|拟|将|要|还|又|再|共|一共|总共)+", "", words)  # they name nothing
        # (with a context of its own, an ask that names nothing at all still leaves out the first ask's subject:
        # "联席会议，成员单位一共多少个？文中点名的有哪些")
        bare = not INTERROGATIVE.sub("", _POINTING.sub("", ask))
        elliptic = bare or len(words) <= 4 or re.match(r"其中|每|那|这", ask) or ask in shared or (
            ask == last_yes_no and not _names_a_thing(ask)) or (  # "是不是今年就到期了": of what the first ask named
            not _names_a_thing(_SCOPE_SAID.sub("", _COUNTED.sub("", ask))))  # "全国一共几个城市": only what it counts
        # "下面有几个“坚持”开头的小标题，排第二的是哪个": an ask by place alone is of the list the first ask named
        by_place = bool(re.match(rf"[^，,]{{0,3}}{PLACE_ASKED}", ask)) and elliptic
        lead = subject if i and (not context or by_place or bare) and elliptic and not ask.startswith(subject) else ""
        if lead and asked and _COUNTS_ANOTHER.match(ask) and plain[: asked.start()].strip():
            # "辖几个镇（街道）、几个村（社区）": an ask of the first one's shape counts another thing of what comes
            # before the first ask (恩阳区辖), not of the thing that one counted
            lead = without_verb(re.sub(led, "", plain[: asked.start()])) or plain[: asked.start()]
        at = INTERROGATIVE.search(ask) or YES_NO.search(ask) or _NOUN_ASK.search(ask)
        own = ask[: at.start()] if at else ask
        if lead and by_place:
            lead += "中"  # "…小标题中排第二的是哪个": the list whole, a place in it asked
        elif lead and "的" in lead and len(re.sub(r"[^\u4e00-\u9fff]|是|有|为", "", _SCOPE_SAID.sub("", own))) >= 2:
            lead = lead[: lead.rfind("的") + 1]  # "…会议的召集人由谁担任，副召集人是谁": the ask names its own head
        elif lead and _is_noun_phrase(re.sub(r"(?:是|有|为)$", "", own)):
            # "华宇乐颐养院床位几张、医护几个人": 医护 of 华宇乐颐养院, not of its 床位; but what is counted by 所, 家,
            # 座 is a body or a building, and what the next ask names is its own ("公办养老机构几所，床位多少")
            lead = lead + "的" if _BODY_COUNT.search(first) else _without_last_noun(lead)
        if lead and ask in shared:  # "特困供养人员总共多少人？集中供养和分散供养分别多少": a part of that subject
            lead += "中"
        ask = _ORDER_SAID.sub("", ask)  # "先说…，再说…": the order to answer in, no words of the ask
        parts.append((f"{context}{'，' if context else ''}{lead}{ask}", ask))
    return _counterparts(parts)


# an ask that counts a thing of its own the way the first ask counted ("…几个镇（街道）、几个村（社区）")
_COUNTS_ANOTHER = re.compile(r"(?:有|共有|一共)?(?:多少|几)[个家所张座户名项条](?=[\u4e00-\u9fff])")
_YEARS_SAID = re.compile(r"(?:19|20)\d\d(?:\s*[-~至到]\s*(?:19|20)\d\d)?年")


# what an ask says that names nothing: where to look (文中, 原文里) and how it is said (点名的, 提到的)
_POINTING = re.compile(r"[^\u4e00-\u9fff]|[的了是有呢吗啊在些]|文中|原文|里面|其中|点名|提到|列出")
_VERB_COUNT = re.compile(r"([\u4e00-\u9fff]{2})了?(?:多少|几)([家个所座张户])")


def _same_count(asks: list[str]) -> list[str]:
    """"已经推动了多少家养老机构？2019年又要推动多少家社会化运营？": an ask counting with the same verb and measure
    word as the first counts the same thing, which it leaves out: 多少家养老机构社会化运营."""
    first = _VERB_COUNT.search(asks[0])
    noun = leading_nouns(asks[0][first.end() :]) if first else ""
    if not first or len(noun) < 2:
        return asks
    out = [asks[0]]
    for ask in asks[1:]:
        m = _VERB_COUNT.search(ask)
        said = list(pos.cut(re.split(r"[，,？?。；;]", ask[m.end() :])[0])) if m else []
        # (what follows the count is what is done with them, or nothing: not a thing of its own, 几个街道)
        if m and m.groups() == first.groups() and noun not in ask and (not said or said[-1].flag[:1] == "v"):
            ask = ask[: m.end()] + noun + ask[m.end() :]
        out.append(ask)
    return out


def _scope_of(text: str) -> str:
    """The place and years a question's ask is said of ("广东三年（2016-2018年）砸进…" → 广东2016-2018年), "" if
    it names neither."""
    spans = place_spans(text)
    return "".join([*(text[a:b] for a, b in spans[:1]), *_YEARS_SAID.findall(text)[:1]])


_MEASURE_ASKED = re.compile(r"(?:多少|几)([个家张人名座所户次项场条种类])")


def _counterparts(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """"公办养老机构几所、床位几张，民办的再说下几所几张": an ask that names only the counterpart of a modifier (民办
    for 公办) and a count is the earlier ask counted in the same measure word, with the modifier swapped."""
    out = list(parts)
    for i, (_text, ask) in enumerate(parts):
        measure = _MEASURE_ASKED.search(ask)
        pair = next(((new, old) for new, old in COUNTERPARTS if new in ask), None)
        if not i or measure is None or pair is None or _names_a_thing(
                _MEASURE_ASKED.sub("", ask).replace(pair[0], "")):
            continue
        earlier = next((t for t, a in reversed(out[:i]) if pair[1] in t and (m := _MEASURE_ASKED.search(a))
                        and m.group(1) == measure.group(1)), None)
        if earlier is not None:
            out[i] = (earlier.replace(pair[1], pair[0]), ask)
    return out


# what a count says it counts ("几个城市") and the scope it counts in (全国): neither says what it is about
_COUNTED = re.compile(r"(?:多少|几)[个家张人名座所户次项场条种类]?[\u4e00-\u9fff]{0,4}$")
_SCOPE_SAID = re.compile(r"全国|全省|全市|全区|全县|一共|总共|共计")


def _names_a_thing(text: str) -> bool:
    """Whether a word of two or more characters in the text is a noun to jieba (not a time word: 今年)."""
    return any(w.flag[:1] == "n" and len(w.word) >= 2 for w in pos.cut(text))


def _is_noun_phrase(text: str) -> bool:
    """Two or more characters, every word of them a noun to jieba ("医护", "联系电话"); not one it takes for a
    place (it tags 惠及 so)."""
    words = list(pos.cut(text))
    return len(text) >= 2 and bool(words) and all(w.flag.startswith("n") and w.flag != "ns" for w in words)


def _without_last_noun(text: str) -> str:
    """The phrase without its last word when that is a noun: the thing the first ask counted."""
    words = list(pos.cut(text))
    return "".join(w.word for w in words[:-1]) if len(words) > 1 and words[-1].flag.startswith("n") else text


def parts_of(frame: Frame, names_letter: bool | None = None) -> list[Frame]:
    """The frame of each ask of a multi-part question; the letter references stay the whole question's.
    `names_letter` is False when the references name only documents a letter cites (default: any reference)."""
    parts = split_parts(frame.content)
    if len(parts) == 1 or frame.meta == "contact_phone":  # "联系人和电话分别是什么": one field of two values
        return [frame]
    if scope := _scope_of(parts[0][0]):  # "广东…2016-2018年…总钱数，以及省财政出的那块": where and when hold for
        parts = [parts[0], *((t if _scope_of(t) else f"{scope}，{t}", a) for t, a in parts[1:])]  # every ask
    out = []
    named = bool(frame.refs) if names_letter is None else names_letter
    for text, ask in parts:  # the field an ask names ("电话多少") wins over one its borrowed subject names
        meta = meta_field(frame.text, ask, named) or meta_field(frame.text, text, named)
        out.append(Frame(text, text, frame.refs, meta, frame.points_back))
    return out
