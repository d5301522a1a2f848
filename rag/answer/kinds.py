"""Kinds: what kind of thing a list question asks for, and whether an item is of that kind. "哪些活动课程" asks for
活动课程, "都有谁" for bodies or people; when the kind is a place, body, person or community, each item must be one
(哪些县市: 兴平市, 乾县 — divisions China's gazetteer names, not 住宅小区; 哪几家银行: names ending in 银行; 哪几类
老人: kinds of old people, not 社会工作者、志愿者 who serve them). The list reader (rag.answer.lists) scores its
enumerations by it. Pure (jieba's tags, the gazetteer)."""

from __future__ import annotations

import re

from rag.answer.question import POINTING, leading_nouns
from rag.answer.series import CN_DIGITS
from rag.core import pos
from rag.core.places import gazetteer
from rag.core.text import word_set

# an ask and what it asks for, to the clause end: 哪些|活动课程, 哪几个方面|基本考虑, 哪六大|方面 (1: count, 2: what)
CATEGORY = re.compile(rf"(?:哪些|哪几|哪([{CN_DIGITS}两]|\d+)|什么|啥|(?<=的)几(?=个?方面))"
                      r"(?:个?方面|[个类种项所家件条点大块]|部分)?"
                      r"(.*?)(?:[？?，,。]|$)")


_PLACE_ITEM = re.compile(r"(?:省|市|县|区|镇|乡|街道|州|旗)$")
_BODY_ITEM = re.compile(r"(?:局|厅|委|办|部|会|院|室|中心|公司|协会|银行|医院|机构|企业|单位|组织)$")
_PLACE_WORDS = word_set("区 乡镇 街道 镇街 地方")


class Division:
    """Items that are administrative divisions China's gazetteer names (兴平市, 乾县, 广州), not anything ending
    in 区 or 市 (住宅小区, 工业园区): what 哪些城市 / 哪几个县 asks for."""

    @staticmethod
    def search(text: str) -> bool:
        return text in gazetteer()


_DIVISION_WORDS = word_set("县市 市县 城市 地市 地区 区县 县区 县 市")
# documents: "贯彻哪几份文件" is answered by titles, which end in what they are (意见, 条例, 方案…)
DOCUMENT_ITEM = re.compile(r"(?:意见|条例|方案|通知|办法|规划|规定|细则|决定|纲要|计划|标准|指南|法|函|文件)$")
_DOCUMENT_WORDS = word_set("文件 份文件 政策文件 文 政策 规定 精神")
_DOCUMENTS_ASKED = re.compile(r"份?(?:政策)?文件")
# bodies asked by what their names end in: "哪几个厅委", "哪些委办局" (not 局长, 厅里)
_BODIES_BY_SUFFIX = re.compile(r"([厅局委办部]{1,3})(?![长里内门公员事])")  # (not 部门, 办公室, 委员会)
_BODY_WORDS = word_set("单位 部门 机构 机关 组织")
# a body of one kind (哪几家银行, 哪些养老院, 保险公司): a compound's head is its last word, and the items must be
# bodies with that head ("组织、单位和个人" names no 企业; "核心、互帮互助…" no 医院)
_BODY_HEAD = re.compile(r"(?:银行|医院|企业|公司|学校|高校|院校|大学|协会|商会|养老院|敬老院|福利院|卫生院|幸福院)$")
_SAME_BODY = {"企业": "企业|公司|集团", "公司": "公司|集团", "高校": "大学|学院|高校", "院校": "大学|学院|院校"}
# people: "给哪些老人免费" is answered by kinds of people (…老年人, …对象, …户), not by the services they get
PERSON_ITEM = re.compile(r"(?:人|者|员|户|老人|群体|对象|家庭|儿童|群众|人口)$")
PERSON_WORDS = word_set("老人 老年人 人 人员 群体 对象 人群 家庭")
# communities and villages: "哪几个社区" is not answered by 日托、全托… of a 社区养老服务综合体
_COMMUNITY_ITEM = re.compile(r"(?:社区|村|小区|居委会)$")
_COMMUNITY_WORDS = word_set("社区 村 村子 村庄 小区")
# "都有谁", "发掘哪些对象": bodies or people (…的组织、单位和个人)
_WHO_ITEM = re.compile(f"{_BODY_ITEM.pattern}|{PERSON_ITEM.pattern}")
TYPED = (dict.fromkeys(_PLACE_WORDS, _PLACE_ITEM) | dict.fromkeys(_DIVISION_WORDS, Division)
         | dict.fromkeys(_BODY_WORDS, _BODY_ITEM) | dict.fromkeys(_DOCUMENT_WORDS, DOCUMENT_ITEM)
         | dict.fromkeys(PERSON_WORDS, PERSON_ITEM) | dict.fromkeys(_COMMUNITY_WORDS, _COMMUNITY_ITEM)
         | {"谁": _WHO_ITEM, "对象": _WHO_ITEM})
_TYPED_LONGEST_FIRST = sorted(TYPED, key=len, reverse=True)
# 家 and 所 count bodies: "哪几家是…", "哪所…" whose kind is not one of those above
_BODIES_COUNTED = re.compile(rf"哪(?:些|几|[{CN_DIGITS}两]|\d+)?[家所]")


def kind_asked(category: str, question: str = "") -> re.Pattern[str] | type[Division] | None:
    """What each item must be to be one of the kind the question lists, when that kind is a place, body, person
    or community (None: any kind). A body named by its head word (保险公司 → 公司) must be a body with that head."""
    head = leading_nouns(category)
    if head in _ELDERS or category in _ELDERS:
        return ELDER_ITEM  # "哪几类老人": kinds of old people, not 社会工作者、志愿者 who serve them
    if typed := TYPED.get(category) or TYPED.get(head):
        return typed
    if _DOCUMENTS_ASKED.match(category):  # "哪几份文件精神": documents, whatever the clause goes on to say
        return DOCUMENT_ITEM
    if by_suffix := _BODIES_BY_SUFFIX.match(category):  # "哪几个厅委": bodies whose names end so (省民政厅, …卫健委)
        return re.compile(f"[{by_suffix.group(1)}]$")
    return _body_asked(category, head, question)


_ELDERS = word_set("老人 老年人 长者")
ELDER_ITEM = re.compile(r"(?:老人|老年人|长者)$")


# an ask that counts its items in a measure of its own: 哪几类, 哪几种, 哪几个方面
KINDS_ASKED = re.compile(r"哪几(类|种|项|样|方面|个方面|部分)")
_KINDS_COUNTED = re.compile(rf"哪(?:几|[{CN_DIGITS}两]|\d+)?[种类样]")


def _body_asked(category: str, head: str, question: str) -> re.Pattern[str] | None:
    """The bodies a question lists (哪几家银行, 哪些养老机构), as what each item must end in; None when it asks
    kinds of them ("哪两种养老机构": 护理型…, which no body's name ends)."""
    if _KINDS_COUNTED.search(question):
        return None
    if any(head.endswith(w) for w in _BODY_WORDS):  # 养老机构, 成员单位: bodies of any kind
        return _BODY_ITEM
    first = next(iter(pos.cut(category)), None)  # "医院撑起来": jieba's tags end no noun phrase before 撑起来
    if m := _BODY_HEAD.search(head) or (first is not None and _BODY_HEAD.search(first.word)):
        return re.compile(f"(?:{_SAME_BODY.get(m.group(0), re.escape(m.group(0)[-2:]))})$")
    return _BODY_ITEM if _BODIES_COUNTED.search(question) else None


def bodies_asked(question: str) -> bool:
    """The question lists bodies (哪几家银行, 哪些养老机构, 哪所): their names, which a sentence quoted in place of
    a series of them does not give (one that names bodies short, 财政、住建…等部门, is refused too: a sentence that
    merely says 部门 or 机构 was quoted for 哪几家养老机构用上了智能床垫)."""
    category = category_of(question)
    return _body_asked(category, leading_nouns(category), question) is not None


_NAME_WORDS = frozenset(("名字", "名称", "名儿"))


# "整合的那几样便捷医疗功能，最后两个是什么": the things pointed at, which a later ask names no kind of
_POINTED = re.compile(rf"[{POINTING}]几[样个种项类条块所家]([\u4e00-\u9fff]{{2,10}})(?:[，,]|$)")


def category_of(question: str) -> str:
    """What the question wants listed: 开了哪些活动课程 → 活动课程, 包括哪几类人 → 人, 统筹哪些单位 → 单位; when
    the ask names no kind, what the question points at with 那几样/这几个 (…便捷医疗功能 → 功能)."""
    asked = _asked_category(question)
    if asked or not (pointed := _POINTED.search(question)):
        return asked
    words = list(pos.cut(pointed.group(1)))
    return words[-1].word if words[-1].flag[:1] == "n" and len(words[-1].word) >= 2 else ""


def _asked_category(question: str) -> str:
    if who := re.search(r"都(?:有|是)谁", question):
        # "覆盖的县市都有谁": the kind named right before (县市: divisions); "推广培训都有谁参加": bodies or people
        lead = question[: who.start()]
        return next((k for k in _TYPED_LONGEST_FIRST if lead.endswith(k) and k != "谁"), "谁")
    m = CATEGORY.search(question)
    if not m and (roster := re.search(r"([\u4e00-\u9fff]{2,})[，,]?的?名单", question)):
        last = list(pos.cut(roster.group(1)))[-1]  # "这6个单位名单给一下": the 单位, named one by one
        if last.flag[:1] != "n":
            last = next(iter(pos.cut(last.word[-2:])))  # jieba tags 试点单位 a verb: its head, 单位
        return last.word if last.flag[:1] == "n" and len(last.word) >= 2 else ""
    # the noun right after 哪些/哪几个, up to what the question goes on to do with it ("部门|联合支持…")
    after = re.sub(r"[的了呢吗]|一起.*|分别.*|是什么.*|(?<=..)(?:联合|共同|支持|开展|出台|推进|参与|负责|提供|实施"
                   r"|获得|享受|被|在|对|给|为|把|将)(?=..).*|(?<=..)(?:(?<![功智技职性效])能|可以|可|免费|有).*",
                   "", m.group(2)) if m else ""
    # a kind of item a verb follows ("哪几个市建养老信息平台"): the kind, which the cut above does not know the verb of
    typed = next((k for k in _TYPED_LONGEST_FIRST if after.startswith(k) and len(after) > len(k)), "")
    if typed and (rest := list(pos.cut(after[len(typed) :]))) and rest[0].flag == "v":
        return typed
    # names asked ("那4所…民办养老机构，分别叫什么名字"): the names of what the words before name
    named = after in _NAME_WORDS
    if (after and not named) or not m:
        return after
    # nothing after it: the head noun before it ("便捷医疗功能有哪些" → 功能, "面向老人的服务有哪几种" → 服务)
    lead = question[: m.start()]
    if named:
        lead = re.sub(r"[，,]?(?:名字|名称)?(?:分别|各自|各|都)?(?:叫|是)$", "", lead)
    before = re.search(r"([\u4e00-\u9fff]{2,})$", re.sub(r"(?:都|主要|具体)?(?:有|包括|是|分为|分成)$", "", lead))
    words = list(pos.cut(before.group(1))) if before else []
    return words[-1].word if words and words[-1].flag[:1] in ("n", "v") and words[-1].flag != "v" and len(
        words[-1].word) >= 2 else ""  # a noun or a verb used as one (服务: vn)
