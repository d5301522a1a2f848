"""Lists: a question asking 有哪些/包括哪几类/分哪几种 gets every item of the enumeration that answers it, in
the letter's order, each cited. Letters enumerate three ways, and all three are read from the whole letter:

- ordinals: 一是…二是…, （一）…（二）…, 1. 2. — inside a paragraph or one paragraph per item; the lead is the
  text before the first item (or the paragraph before it: "重点做好以下几点工作：") and the section heading;
- a series in one sentence: "健康讲座、防骗课堂、兴趣学堂、文娱活动等多元化服务" — items of like length
  between 、 (the last may be joined by 和/及), closed by 等 or the clause end;
- items after a colon, split by ；: "包括:政府分散供养的特困老年人;低保低收入家庭中失能、高龄老年人;…".

The enumeration whose lead and items best cover the question's subject answers it (character bigrams, as for
values), its items of the kind asked (rag.answer.kinds: 哪些县市 → places, 哪几家银行 → banks); a count the question
states ("哪六大方面", "5所…是哪几所") must match. Pure.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise

from rag.answer.asked import YEAR_SAID, years_named
from rag.answer.kinds import (
    CATEGORY,
    DOCUMENT_ITEM,
    ELDER_ITEM,
    KINDS_ASKED,
    PERSON_ITEM,
    PERSON_WORDS,
    TYPED,
    Division,
    kind_asked,
)
from rag.answer.question import leading_nouns
from rag.answer.series import CLAUSE, CN_DIGITS, DOCUMENTS, Enumeration, Item, first_sentence
from rag.answer.series import enumerations as enumerations  # the list reader's input, read where series are
from rag.answer.values import Subject, around_asking, bigrams
from rag.core import pos
from rag.core.numerals import cn_int
from rag.core.text import squash, word_set

# how many items are asked for: 哪六大, 这5所; not 一个不落 / 一个都不能少 / 一个个说, which ask for every one
# what items are counted in when a question says how many it wants (哪六大方面, 哪五项, 哪三块, 哪两部分)
ITEM_MEASURE = r"(?:[个类种项所家件条点大样块]|方面|部分)"
# (第一条, 第十一条: an ordinal, not a count)
_COUNT = re.compile(rf"(?:哪|这)?(?<!第)(?<!第十)([{CN_DIGITS}两]|\d+){ITEM_MEASURE}(?![不都也个])")


_LIST_WORD = re.compile(rf"哪些|哪几(?:{ITEM_MEASURE}|位)?|哪[{CN_DIGITS}两\d]+{ITEM_MEASURE}?")


def beside_asking(question: str) -> set[str]:
    """Bigrams of the words either side of 哪些/哪几个 in the question, within its clause."""
    m = _LIST_WORD.search(question)
    return around_asking(question, m.group()) if m else set()


def asks_which(question: str) -> bool:
    """The question asks which ones (哪些, 哪几个, 哪六大…), not what a counted thing is ("那135个老人是啥条件")."""
    return bool(_LIST_WORD.search(question))


# "最后三块是啥", "前两项": a run of a list's items at one end, not how many the list has
_SLICE = re.compile(rf"(最后|后|末|倒数|前|头)([{CN_DIGITS}两]|\d)(?:块|项|条|个|点|类|方面|样|件)")


def slice_asked(question: str) -> slice | None:
    """The items a question asks at one end of a list (最后三块 → the last three), or None."""
    m = _SLICE.search(question)
    if m is None or not (n := cn_int(m.group(2))):
        return None
    return slice(0, n) if m.group(1) in ("前", "头") else slice(-n, None)


def asked_count(question: str) -> int | None:
    """The number of items a question expects: 哪六大方面 → 6, 这5所…哪几所 → 5, 哪三个体系 → 3."""
    question = _SLICE.sub("", question)  # "最后三块": three of the list, which has more
    # the count the ask says ("选了6个单位开展哪两种试点": 哪两种), else the one a demonstrative or the question gives
    found = list(_COUNT.finditer(question))
    m = next((x for x in found if x.group().startswith("哪")), found[0] if found else None)
    if m and not m.group().startswith("哪") and (ask := KINDS_ASKED.search(question)) and (
            ask.group(1) not in m.group()):
        return None  # "那266个中心…照应哪几类老人": the count is of the centres, the ask is of kinds
    return cn_int(m.group(1)) if m else None


# what any list could be called: says nothing about which list
_GENERIC = word_set("内容 方面 事 事情 工作 措施 做法 东西 情况 举措 办法 项目 服务 要求")
_GENERIC_GRAMS = frozenset(g for w in _GENERIC for g in bigrams(w))
_ASIDE = re.compile(r"[（(][^（()）]*[）)]")  # a gloss in brackets: 空巢（独居）老人
_ASK_VERB = re.compile(r"(实现|提供|开展|采取|包括|包含)了?(?:什么|啥|哪些|哪几)")
# what is done, asked as the kind of a list ("具体干哪些活", "做了哪些工作", "有哪些措施")
_ACTS = re.compile(r"活儿?|事儿?|事情|工作|措施|举措|做法|办法|手段|行动")
_CARRYING = re.compile(r"(?:带|含|带有|含有|包含|有)\s*[“\"‘]([^”\"’]{1,8})[”\"’]\s*(?:字|二字|两个字)?的")
_ALL_ASKED = re.compile(r"全部|所有|全都|一个不落|全列|都列|挨个全")
# (in that sentence: not "每条打头那句是啥", which asks a sentence of each item)
_SAME_SENTENCE = re.compile(r"同一句|[这那]一?句(?:里|中|话里)|一句话里|同句")
# the rest of a list asked after what the asker has: 除了…还有, 剩下四条, 一是医中有养，二三四分别叫什么
REST_ASKED = re.compile(rf"除了|除去|以外|之外|还有|其他|其余|剩下|剩余|余下|另外|还(?:列|包括|提到|写)了?|"
                        rf"[{CN_DIGITS}]{{2,}}(?:分别|各|条|项|是)")


_HEAD_NOUN = re.compile(r"[\u4e00-\u9fff]{2}")  # a noun an item ends in (讲座), not a code (5G)


def ordinals_named(question: str) -> int:
    """The last of a run of ordinals a question names in order ("一二三四分别叫啥", "二三四呢" → 4), else 0."""
    for run in re.findall(rf"[{CN_DIGITS}]{{2,}}", question):
        values = [cn_int(c) for c in run]
        if all(b == a + 1 for a, b in pairwise(values)):  # (not 二十三: a number)
            return values[-1]
    return 0


def known_items(e: Enumeration, question: str) -> tuple[Item, ...]:
    """The items of a list a question that asks the rest says it has: said whole ("第一条完善配套政策体系我知道"),
    or by the noun they end in beside 除了/以外 ("讲座以外还有哪三样" → 健康讲座). (Two characters are as likely a
    word of the question: "除了5G，…哪两种网络" asks another list.)"""
    if not REST_ASKED.search(question):
        return ()
    said = squash(question)

    def by_head(text: str) -> bool:
        head = re.escape(text[-2:])
        return len(text) >= 4 and bool(_HEAD_NOUN.fullmatch(text[-2:])) and re.search(
            rf"(?:除了|除去){head}|{head}(?:以外|之外)", said) is not None

    return tuple(i for i in e.items if len(i.text) >= 3 and (squash(i.text) in said or by_head(i.text)))


def best(enums: list[Enumeration], subject: Subject, count: int | None, category: str = "",
         near: frozenset[str] = frozenset(), quoted: tuple[str, ...] = (), minimum: float = 0.25,
         asked_beside: frozenset[str] | set[str] = frozenset(), question: str = "",
         ) -> tuple[float, Enumeration] | None:
    """The enumeration that best answers, with its score: its lead covers the question's subject, it lists the
    kind of thing asked (活动课程, 单位, 人…: said by its category or lead, or by its items), it stands in a passage
    retrieval found (`near` paragraph ids) and beside the terms the question quotes; a count the question states
    must match; None below `minimum`."""
    generic = category in _GENERIC or (len(category) == 1 and category not in "人所家院站个")
    # what the question itself lists as known; "除了…还有哪些" lists them to ask the rest, which the list holds
    # (the clauses before the one that asks: "A、B等服务包括哪些" names items in the ask itself, as its list's)
    clauses = [c for c in CLAUSE.split(question) if c.strip()]
    asking = next((n for n in range(len(clauses) - 1, -1, -1) if re.search(r"哪|什么|啥", clauses[n])), len(clauses))
    given = "" if REST_ASKED.search(question) else squash("，".join(clauses[:asking]))
    # the kind named after the ask ("哪几方面基本考虑"), not the whole before it ("平台分成哪几块": its parts)
    kind_after = bool(m := CATEGORY.search(question)) and bool(category) and category in m.group(2)
    # its head noun, before a verb the category ran on to ("哪些途径建成的" → 途径; not "技术与养老服务业结合",
    # whose words after the head tell two series of 技术 apart)
    head = leading_nouns(category) if kind_after else ""
    head = head if len(head) >= 2 and head != category and head not in _GENERIC and all(
        w.flag[:1] in ("v", "u", "d", "y") for w in pos.cut(category[len(head) :])) else ""
    # ("哪三个试点来推": the kind is 试点, what follows it is what is done with them)
    cat = bigrams(head or category) if len(category) > 1 and not generic else set()
    typed = kind_asked(category, question)
    # what the items of a kind (bodies, places, people) are asked to have done: "哪些养老院|被评上了星级", "哪几家银行
    # |建的" — names of that kind cannot say it, so the passage they stand in must
    done = _done_nouns(m.group(2), typed) if typed and m else []
    # the verb that asks for the items ("给全国提供了什么", "能实现哪些功能") says nothing of which list: a series
    # beside another 提供 does not speak of the question for it
    verb = _ASK_VERB.search(question)
    topic = subject.grams - bigrams(verb.group(1)) if verb else subject.grams
    # "资助对象里，带“孤寡”的是哪两类人": the items that carry the quoted word, of a list that has others too
    carried = _CARRYING.search(question)
    # "“四化一站”…四化是哪四条": the items a numbered abbreviation names by the character they share (…便捷化、
    # …智能化), of the series it sums up, which holds the 一站 too
    abbreviated = abbreviation_asked(question)
    # "哪几种“智慧”服务": every item carries the word the question quotes in the kind it asks (智慧养老、智慧医疗、
    # 智慧社区); a quoted topic ("“公建民营”做了哪些事") is no kind its items carry
    kinds_quoted = [t for t in quoted if t in category] + re.findall(r"[“\"]([^”\"]{1,6})[”\"]", category)
    said_quoted = [t for t in quoted if f"“{t}”" in question]  # quoted by the question itself, not a name it says
    scored = []
    # "2012年出的意见在哪几块使劲": a year the question dates its list by (not the letter's own date) picks, of the
    # lists whose sentences name a year, one that names it
    if years := set(years_named(question)):
        enums = [e for e in enums if years <= set(YEAR_SAID.findall(_said_by(e)))] or enums
    documents = typed is DOCUMENT_ITEM
    by_ordinal = ordinals_named(question)
    for e in enums:
        if e.category == DOCUMENTS and not documents:
            continue  # documents cited in a row answer a question that lists documents, and no other
        if by_ordinal and not (e.items[0].span and len(e.items) >= by_ordinal):
            continue  # "一二三四分别叫啥": the items the letter numbers 一是…四是, not a series in one of them
        narrowed = bool(carried) and 0 < len(kept := [i for i in e.items if carried.group(1) in i.text]) < len(
            e.items)  # type: ignore[union-attr]
        if not narrowed and abbreviated and abbreviated[0] in e.items[0].quote and 0 < len(
                kept := [i for i in e.items if abbreviated[2] in i.text]) < len(e.items) and len(
                kept) == abbreviated[1]:
            narrowed = True
        if narrowed:
            e = replace(e, items=tuple(kept))  # the list as the question narrows it (a pair of a longer list)
        known = known_items(e, question) if len(e.items) > 2 else ()
        rest_counted = bool(known) and count == len(e.items) - len(known)  # "讲座以外还有哪三样": the rest of four
        if count is not None and not rest_counted and len(e.items) != count and (
                _ALL_ASKED.search(question) or not re.match(rf"\s*等\s*{count}(?!\d)", e.beside.split(" ")[-1])):
            continue  # (a series the letter closes with the count, "…、省医保局等24个部门", names some of those asked,
            # which answers "点出名字的是哪些", not "全部报一下")
        if len(e.items) == 2 and not narrowed and not (cat and bigrams(e.category) & cat) and not _heading_said(
                e, subject) and not (len(category) >= 3 and all(i.text.endswith(category) for i in e.items)):
            # (or whose items are each one of the kind asked: "哪两个信息平台" → …综合信息平台、…服务信息平台)
            # a pair answers only a question that names its shared head (哪些乱象 → …乱象和…乱象), or two ordinals
            # (一是…二是…) the heading the question names ("建智慧平台方面做了哪些事")
            continue
        # (in any item's paragraph: "从“一是”到“七是”" quotes the first and the last item's)
        if quoted and not all(any(q in i.para.text for i in e.items) or q in e.lead for q in quoted):
            continue
        if said_quoted and _SAME_SENTENCE.search(question) and not all(
                any(t in i.text for i in e.items) for t in said_quoted):
            continue  # "搜到了“双向转诊”，同一句的…还列了哪几样": the series it is an item of
        # (an item given by its head, the noun it ends in, in a series the question lists: "开讲座、防骗课堂那些"
        # gives 健康讲座 and 防骗课堂)
        if given and sum(squash(i.text) in given or (len(i.text) >= 4 and re.search(
                rf"{re.escape(i.text[-2:])}、|、[\u4e00-\u9fff]{{0,2}}{re.escape(i.text[-2:])}", given) is not None)
                         for i in e.items) >= 2:
            continue  # "搞健康讲座、防骗课堂这些，镇街联动的是哪几方": the items a question gives are not what it asks
        if category and category not in PERSON_WORDS and PERSON_ITEM.search(e.category):
            continue  # "提供啥服务" is not answered by 城乡高龄、留守、空巢等老年人: the series says it lists people
        if _ACTS.fullmatch(category) and PERSON_ITEM.search(re.sub(r"\W+$", "", e.items[-1].text)):
            continue  # "具体干哪些活" is not answered by 农村留守、高龄、空巢（独居）老人: people, not what is done
        lead = bigrams(e.lead)
        items = bigrams("".join(i.text for i in e.items))
        cover = len((lead | items) & topic) / max(len(topic), 1)
        # 哪些县市 → places, 哪些单位 → bodies: what each item is ("哪几个部门发的": the noun, not the verb after it)
        if done and not all(w in e.items[0].para.text or w in e.lead for w in done):
            continue
        if typed:
            kind = sum(bool(typed.search(i.text)) for i in e.items) / len(e.items)
            # kinds of old people are read off a series only in a passage about more than old people: "新建、改建、
            # 扩建老年人居住建筑" names none
            elders = typed is ELDER_ITEM and bool((lead | items) & (subject.grams - bigrams(category)))
            if typed.search(e.items[-1].text) and len(e.items[-1].text) > 2 and all(
                    len(i.text) <= 3 for i in e.items[:-1]) and (elders or typed is not ELDER_ITEM):
                kind = 1.0  # "白玉、登科、麻石社区": short names share the head the last one says (not "…、社区、机构")
            elif elders and len(e.items) >= 3 and (shared := typed.search(e.items[-1].text)) and (
                    0 < len(_ASIDE.sub("", e.items[-1].text[: shared.start()])) <= min(
                        len(i.text) for i in e.items[1:-1]) + 1):  # (a gloss aside: 空巢（独居）老人)
                kind = 1.0  # "哪几类老人": "高龄、失能、失智老年人", modifiers as long as their siblings, share the
                # head the last says (not kinds of people at large: "为了改善农村残疾、空巢、孤寡老人…")
            if (elders or all(len(i.text) <= 3 for i in e.items)) and f"等{e.category}" in e.beside and (
                    typed.search(re.sub(r"\W+$", "", e.category))):
                kind = 1.0  # "上八庙、渔溪…等5所敬老院": names too short to say what they are; the series says it
                # (and "城乡高龄、留守、空巢等老年人" says its items are kinds of old people)
            if kind < 0.5 and _closed_with_asked(e, count, question):
                kind = 1.0  # "那5所…敬老院，落在哪几个地方": the series the letter closes with them (…等5所敬老院)
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
        # every item is itself one of the kind asked ("哪几个体系" → …制度体系、…供给体系、…保障体系), or the words
        # right beside the series call its items that ("…、综合监管能力提升”几方面的基本考虑"), which says more than a
        # lead that names the kind somewhere
        named = 0.5 if cat and (all(i.text.endswith(category) or (head and i.text.endswith(head)) for i in e.items) or (
            kind_after and (category in e.beside or (head and head in e.beside)))) else 0.0
        if kinds_quoted and all(
                any(t in i.text for t in kinds_quoted) for i in e.items):
            named = max(named, 0.5)
        if any(len(i.text) >= 4 and squash(i.text) in squash(question) for i in known):
            # the list holding an item the asker says whole is the one whose rest is asked (not one sharing a
            # noun: "除了5G，…哪两种网络" asks another list)
            named = max(named, 0.5)
        if said_quoted and e.items[0].span and all(t in e.lead and t not in e.items[0].span for t in said_quoted):
            # "“下一步”那五条": the words the question quotes lead into these numbered items (一是…五是)
            named = max(named, 0.5)
        scored.append((0.5 * cover + 0.5 * min(kind, 1.0) + close + aligned + named, -len(e.items), e))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    return (scored[0][0], scored[0][2]) if scored and scored[0][0] >= minimum else None


def _said_by(e: Enumeration) -> str:
    """What a list's own sentences say: its lead and the sentences its items stand in."""
    return e.lead + "".join(dict.fromkeys(i.quote for i in e.items))


def _closed_with_asked(e: Enumeration, count: int | None, question: str) -> bool:
    """The series is closed with the count the question gives and the thing it counts ("上八庙…等5所敬老院" for
    "那5所…敬老院…哪几个"): it names those things, whatever kind of word the ask uses for them."""
    m = re.match(rf"\s*([{CN_DIGITS}两]|\d+)\s*{ITEM_MEASURE}?\s*([\u4e00-\u9fff]{{2,}})", e.category)
    return bool(m) and count is not None and cn_int(m.group(1)) == count and m.group(2)[-3:] in question


# a numbered abbreviation: "四化一站", "三供一业", "五助" — each piece a count and the character its items share
_PIECE = re.compile(rf"([{CN_DIGITS}两])([\u4e00-\u9fff])")


def abbreviation_asked(question: str) -> tuple[str, int, str] | None:
    """The piece of a numbered abbreviation the question quotes that it asks about, as (the abbreviation, count,
    shared character): "“四化一站”…四化是哪四条" → (四化一站, 4, 化); "“五助”有哪些" → (五助, 5, 助)."""
    for quoted in re.findall(r"[“\"]([^”\"]{2,8})[”\"]", question):
        pieces = _PIECE.findall(quoted)
        if not pieces or "".join(n + c for n, c in pieces) != quoted or any(c == "是" for _, c in pieces):
            continue  # (“一是”…“七是” quote an ordinal's markers, not an abbreviation)
        rest = question.replace(quoted, "")
        named = [(n, c) for n, c in pieces if n + c in rest]
        piece = named[0] if len(named) == 1 else pieces[0] if len(pieces) == 1 else None
        if piece:
            return quoted, cn_int(piece[0]), piece[1]
    return None


def _done_nouns(asked: str, typed: re.Pattern[str] | type[Division]) -> list[str]:
    """The nouns of the clause that asks for a list, after its ask, but the kind's own head: 医养|结合|机构 → 医养,
    企业|参与了|智慧|养老|平台|建设 → 智慧, 养老, 平台."""
    words = pos.cut(re.sub(r"[的了呢吗？?]", "", asked))
    return [w.word for w in words if w.flag[:1] == "n" and len(w.word) >= 2 and not typed.search(w.word)
            and w.word not in TYPED and w.word not in _NAMING]


# how a question says it wants names ("举了哪几个市…的例子", "…的名单"): no words of what they did
_NAMING = word_set("例子 名单 名字 名称 典型")


def _heading_said(e: Enumeration, subject: Subject) -> bool:
    """Two ordinal items whose section heading's first clause the question says most of (建智慧平台，助力养老事业)."""
    head = bigrams(CLAUSE.split(e.items[0].para.section_title)[0]) if e.items[0].span else set()
    return bool(head) and len(head & subject.grams) / len(head) > 0.6


def of_asked_kind(e: Enumeration, category: str) -> bool:
    """Whether a list says it lists the specific kind of thing asked (哪些…场所 → "…等公共服务场所和设施"): then
    it answers even when one item also echoes the question's words. A generic ask (哪些做法/措施/事) never says."""
    if len(category) < 2 or category in _GENERIC:
        return False
    return bool(bigrams(category) & bigrams(e.category + e.lead))


# an item pointed at by words of it: "农村短板那条", "讲居家那条", "促进养老服务消费那一条"
_POINTER = re.compile(r"的?(?:那|这)一?(?:条|块|项|点)")
_POINTER_LEAD = re.compile(r".*(?:讲|说|关于|提到|里面|里|中)")


def _pointed(question: str) -> list[str]:
    """The words of what a question points at with 那条/这一项 (places left out: 恩阳 is not in 恩阳's items)."""
    m = _POINTER.search(question)
    if m is None:
        return []
    said = _POINTER_LEAD.sub("", CLAUSE.split(question[: m.start()])[-1])
    return [w.word for w in pos.cut(said) if w.flag != "ns" and len(w.word) >= 2]


def named_item(e: Enumeration, subject: Subject, question: str = "") -> Item | None:
    """The one item a list question is about, when no other item comes near: it says most of the question's
    subject ("营造敬老爱老氛围打算做哪些事" → 五是大力营造敬老爱老浓厚氛围), the question says most of it ("温州推进乡镇
    敬老院升级改造，具体有哪些做法"), or the question points at it by its words ("农村短板那条"); None otherwise."""
    if len(e.items) < 2:
        return None
    asked = bigrams(question)
    pointed = _pointed(question)
    ways = [[len(bigrams(i.text) & subject.grams) / len(subject.grams) for i in e.items] if subject.grams else [],
            [len(bigrams(i.text) & asked) / max(len(bigrams(i.text)), 1) for i in e.items] if asked else [],
            [sum(w in i.text for w in pointed) / len(pointed) for i in e.items] if pointed else []]
    for least, cover in zip((0.4, 0.45, 0.5), ways, strict=True):
        ranked = sorted(((c, n) for n, c in enumerate(cover)), reverse=True)
        if ranked and ranked[0][0] >= least and ranked[0][0] >= 2 * ranked[1][0]:
            return e.items[ranked[0][1]]
    return None


# an item pointed at by its number: "措施里第七条", "第三项具体怎么做" (not 第N部分: a part of the letter)
_ORDINAL_ITEM = re.compile(rf"第([{CN_DIGITS}]{{1,2}}|\d{{1,2}})(?:条|项|点)(?!\d)")


def ordinal_asked(question: str) -> int | None:
    """The number of the item a list question points at ("恩阳措施里第七条，具体要干哪几件事" → 7), or None."""
    m = _ORDINAL_ITEM.search(question)
    return cn_int(m.group(1)) if m else None


def clauses_of(item: Item) -> Enumeration | None:
    """The clauses of an item's sentence, when the item is one sentence of several doings ("七是健全…机制，加大…力度，
    广泛发展…服务"); None when it has fewer than two."""
    head = first_sentence(item.span or item.para.text)
    head = re.sub(rf"^\W*(?:[{CN_DIGITS}]是|[（(][{CN_DIGITS}]+[）)]|[{CN_DIGITS}]+、)", "", head).rstrip("。；;")
    clauses = [c.strip(" *") for c in CLAUSE.split(head) if len(c.strip(" *")) >= 4]
    return Enumeration(item.text, tuple(Item(c[:40], item.para, head) for c in clauses)) if len(clauses) >= 2 else None


def within(item: Item, subject: Subject) -> Enumeration | None:
    """What an item goes on to list under its heading ("五是…氛围。一方面…活动；…；开展…评选活动…"): each part
    between ；/。 after the heading sentence, concise. When one part alone speaks of what else the question names
    ("居家那条，落到老人家庭头上的" → the sentence of 家庭…), or the item says one sentence more, that part's clauses
    are the items ("合理确定实施范围和对象，建立多元筹资机制，…"). None when fewer than two."""
    text = item.span or item.para.text
    head = first_sentence(text)
    body = text[text.find(head) + len(head) :] if head in text else ""
    parts = [x.strip(" *") for x in re.split(r"[；;。]", body) if len(x.strip(" *")) >= 6]
    rest = subject.grams - bigrams(item.text) - _GENERIC_GRAMS
    said = sorted(((len(bigrams(x) & rest), n) for n, x in enumerate(parts)), reverse=True)
    if len(parts) == 1 or (len(parts) > 1 and said[0][0] > 0 and said[1][0] == 0):
        clauses = [c.strip(" *") for c in CLAUSE.split(parts[said[0][1]]) if len(c.strip(" *")) >= 4]
        if len(clauses) >= 3:
            return Enumeration(item.text, tuple(Item(c[:40], item.para, parts[said[0][1]]) for c in clauses))
    if len(parts) < 2:
        return None
    return Enumeration(item.text, tuple(Item(_measure(x), item.para, x) for x in parts))


# a clause that only sets the frame of a measure ("在确保城乡五保…集中供养的基础上", "为了…"): says nothing alone
_FRAME = re.compile(r"^(?:在.*(?:上|下|中|时|后|前|里)|为了.*)$")


def _measure(part: str, least: int = 12, limit: int = 60) -> str:
    """A measure, concise: its clauses up to the first that makes it say something (an opening "一方面利用重阳节等
    节日" alone does not, nor a frame "在确保…的基础上"), at most `limit` characters."""
    out = ""
    for clause in CLAUSE.split(part):
        out = f"{out}，{clause}" if out else clause
        if len(out) >= least and not _FRAME.match(clause):
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


# "它算四种医养结合模式里的哪一种", "属于哪一类": which item of a counted series a thing the question names is
_WHICH_ONE = r"哪一[种类个项样]"
KIND_OF_ITEM = re.compile(rf"(?:算|属于|归于?|是)[^，,？?]{{0,14}}?(?:里|中|当中)?的?{_WHICH_ONE}")


def item_holding(enums: list[Enumeration], names: list[str], question: str) -> Item | None:
    """The ordinal item whose text names most of what the question names, in a series whose count and words the
    question gives (四种…模式: four items, led by 医养结合); None when none fits or two fit alike."""
    counted = _COUNT.search(re.sub(_WHICH_ONE, "", question))  # 四种 (哪一种 asks which, it counts nothing)
    count = cn_int(counted.group(1)) if counted else None
    asked = bigrams(question)
    found: list[tuple[int, Item]] = []
    for e in enums:
        if not e.items[0].span or (count is not None and len(e.items) != count) or not bigrams(e.lead) & asked:
            continue
        scores = sorted(((sum(len(n) for n in names if n in squash(i.span)), n) for n, i in enumerate(e.items)),
                        reverse=True)
        if scores[0][0] and (len(scores) < 2 or scores[0][0] > scores[1][0]):
            found.append((scores[0][0], e.items[scores[0][1]]))
    found.sort(key=lambda f: -f[0])
    return found[0][1] if found and (len(found) < 2 or found[0][0] > found[1][0]) else None
