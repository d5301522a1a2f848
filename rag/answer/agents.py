"""Who does or holds what a question asks about, read from one sentence: the agent of a verb ("时间银行谁牵头" →
市民政局, from "市民政局将负责牵头组织…") and the holder of a role ("谁当召集人" → 分管省领导, from "由分管省领导担任
召集人"). Pure."""

from __future__ import annotations

import re
from itertools import accumulate

from rag.answer.values import after_verb
from rag.core import pos

# (会 and 要 only as words of their own: not the 会 of 社会, the 要 of 主要)
_MODAL = re.compile(r"(?:将|已经|已|还|也|(?<!社|协|学|商|议|大|委|全|年|机|工)会|(?<!主|重|需|纪)要"
                    r"|负责|具体|主要|共同|统一)+$")
_FRAME = re.compile(r"^(?:今年|目前|同时|此外|并|由|另外)+")


def agent(question: str, s: str) -> tuple[str, float] | None:
    """"时间银行谁牵头": who does what the question puts after 谁 is the noun right before that verb in the letter
    ("市民政局将负责牵头组织…" → 市民政局)."""
    # (not "按照谁的决策部署": 谁的 asks whose, read by rag.answer.values.novel_value)
    m = re.search(r"谁(?:来|在|一起|一同|共同|联合)?(?!的)([\u4e00-\u9fff]{1,2})", question)
    verb = re.sub(r"[的了呢吗啊]$", "", m.group(1)) if m else ""  # "谁建的" → 建
    if not verb:
        return None
    partner = re.search(r"[跟和与同]谁", question)  # "跟谁合作建的": who the letter names after 与, not before it
    # "为谁搭建平台": for whom, named after 为/给 right before the verb ("为各地民政部门和…企业搭建…"), not its agent
    beneficiary = re.search(r"[为给替]谁", question)
    for seg in re.split(r"[，,。；;：:]", s):
        at = seg.find(verb)
        if at < 0 and len(verb) == 2 and (split := re.search(f"{verb[0]}[\u4e00-\u9fff]{{1,2}}{verb[1]}", seg)):
            at = split.start()  # "跟谁合建的": 合作建设, the verb a contraction of
        if at > 0 and len(verb) == 1 and _one_word(seg[at - 1 : at + 1]):
            at -= 1  # "跟谁一起发的": 发 is the end of 印发
        elif at > 0 and len(verb) == 1 and _one_word(seg[at : at + 2]):
            verb = seg[at : at + 2]  # "为谁搭的平台": 搭 is the start of 搭建
        # (all the partners a series names: "与医疗机构、养老机构合作")
        if partner and at > 0 and (joined := re.search(r"[与和同跟]([\u4e00-\u9fff、]{2,30})$", seg[:at])):
            # without the words of doing it together: "与中国电信广东公司合作建设" → 中国电信广东公司
            return _TOGETHER.sub("", joined.group(1)) or joined.group(1), 1.0
        if beneficiary:
            served = re.search(r"[为给]([\u4e00-\u9fff、（）()]{2,30})$", seg[:at]) if at > 0 else None
            if served:
                return served.group(1), 1.0
            continue
        if at > 0 and 2 <= at - (by := seg.rfind("由", 0, at)) - 1 <= 40 and by >= 0 and len(verb) > 1:
            # "召开由各县（市、区）政府主要负责人、市直部门负责人参加的…会议": 由 opens the agent, whole
            return seg[by + 1 : at], 1.0
        if at > 0:
            agent = _FRAME.sub("", _MODAL.sub("", _own_clause(seg[:at])))
            # one character (建) may be half a word (构建): then only a body's name is taken as the agent
            if len(verb) > 1 and 2 <= len(agent) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+", agent):
                if re.search(rf"谁{verb}了?谁", question):  # "谁托管了谁": both, as the clause says them
                    return seg[seg.find(agent) :].strip(), 1.0
                return after_verb(agent), 1.0  # "构建政府主导、社会参与": 政府, not the 构建 before it
            if body := _BODY.search(seg[:at]):  # "市民政局于2021年7月启动…平台建设": the body the clause opens with
                return body.group(0), 1.0
    return None


def _own_clause(before: str) -> str:
    """The words before a verb in its own 、-joined clause: "政府主导、社会|参与" → 社会 (clauses, each with its verb),
    but "市民政局、市财政局|印发" whole (names, joined before one verb)."""
    pieces = before.split("、")
    if len(pieces) > 1 and (words := list(pos.cut(pieces[-2]))) and words[-1].flag[:1] in ("v", "b"):
        return pieces[-1]
    return before


_TOGETHER = re.compile(r"(?:合作?|一起|一同|共同|联合|联手)$")


def _one_word(text: str) -> bool:
    """jieba reads the text as one word (印发, 建设)."""
    return len(list(pos.cut(text))) == 1


# the name of a body a clause names before its verb (市民政局, 省卫生健康委)
_BODY = re.compile(r"(?:市|省|区|县)[\u4e00-\u9fff]{1,8}?(?:局|厅|委|办|中心|公司)")


# "谁当主任委员", "由谁来当召集人", "谁当一把手": who holds a role; the letter says "由X担任Y" or "X任Y"
# ("谁担任联席会议的召集人": the role is what 的 leads to, not the body it belongs to)
_HOLDS_Q = re.compile(r"谁(?:来)?(?:当|做|任|担任|出任)(?:[\u4e00-\u9fff]{1,8}?的)?([\u4e00-\u9fff]{1,6}?)"
                      r"(?=[的呢吗啊？?，,。]|$)")
_HOLDS = re.compile(r"([\u4e00-\u9fff]{2,14}?)(?:担任|出任|兼任|任)([\u4e00-\u9fff]{2,8})")
_HEAD_ROLES = ("主任", "召集人", "组长", "主席", "会长", "负责人")  # what "一把手", "头儿" are called in letters


# a role asked for its holders by name: "副召集人有哪些", "主任委员是谁", "召集人由谁担任"
# (the head of a body too: "民政局局长叫什么名字" is answered only by a letter that names who holds the post)
ROLE_ASK = re.compile(r"((?:副|常务)?(?:召集人|主任委员|主任|组长|秘书长|负责人|主席|会长"
                      r"|[局厅处科院站所]长|书记|[省市区县镇]长))"
                      r"(?:有哪些|是哪些|是哪几位|都有谁|都是谁|是谁|由谁(?:来)?(?:担任|当)|叫什么(?:名字)?|叫啥|姓什么"
                      r"|的?(?:名字|姓名))")
NAME_ASKED = re.compile(r"名字|姓名|叫什么|叫啥|姓什么|姓甚名谁")


def person_named(question: str, value: str | None) -> bool:
    """A question that asks someone's name ("分管省领导具体是谁，姓甚名谁") is answered by a person's name, never by a
    post or the words around it ("由分管省领导担任召集人" names nobody); any other value stands."""
    return not (value and "谁" in question and NAME_ASKED.search(question)) or _is_person(value)


def holder(question: str, s: str) -> tuple[str, float] | None:
    """Who holds the role the question names: the X of "由X担任Y" in a clause whose Y is that role. A question
    that asks a role's holder is answered by a clause that says who holds it, or not at all (None, 0)."""
    m = _HOLDS_Q.search(question) or ROLE_ASK.search(question)
    if not m:
        return None
    role = m.group(1)
    roles = _HEAD_ROLES if role in ("一把手", "头儿", "头", "老大", "负责的") else (role,)
    for seg in re.split(r"[，,。；;]", s):
        for h in _HOLDS.finditer(seg):
            if any(h.group(2).startswith(r) for r in roles):
                who = _FRAME.sub("", h.group(1))
                if NAME_ASKED.search(question) and not _is_person(who):
                    return "", 0.0  # "主任委员叫什么名字": 由省民政厅领导担任 gives a post, no name
                return who, 1.0
    return "", 0.0


def _is_person(text: str) -> bool:
    """A person's name as jieba tags it (肖石龙, 金谧), not a post (省民政厅领导)."""
    words = list(pos.cut(text))
    return 2 <= len(text) <= 4 and bool(words) and all(w.flag.startswith("nr") for w in words)


# "派什么样的护士", "招哪种护理员": the kind of a thing the letter describes before it (…注册的护士)
KIND_OF = re.compile(r"([\u4e00-\u9fff]{1,2})(?:什么样|怎样|哪种|哪类|什么类型)的([\u4e00-\u9fff]{1,4}?)"
                      r"(?=上门|[，,？?]|$|去|来)")


def kind_said(left: str, question: str) -> str:
    """What a clause says of a thing before "的…N" (`left`: the clause up to 的): from the question's verb
    ("可派出|在本机构注册…"), or from a quote it opens ("打造“|没有围墙"), or from its last verb; "" when that
    leaves under two characters."""
    asked = KIND_OF.search(question)
    verb = asked.group(1)[-1] if asked else ""
    if verb and (i := left.rfind(verb)) >= 0:
        said = re.sub(r"^[出来去到了]", "", left[i + 1 :])
    elif "“" in left:
        said = left[left.rfind("“") + 1 :]
    else:  # a series of modifiers is said after the verb that leads into its first item ("推进|布局合理、…、覆盖城乡")
        head, sep, rest = left.partition("、")
        said = after_verb(head) + sep + rest
    return said.strip() if len(said.strip()) >= 2 else ""


def into_word(s: str, at: int, value: str) -> int:
    """How far into `value` (found at `at` in `s`) its first whole word starts: 0 when it starts a word; a value
    cut from a longer run (a pattern's length limit) may start inside one."""
    if at <= 0 or not re.match(r"[\u4e00-\u9fff]", s[at - 1 : at] + value[:1]) or len(value) < 3:
        return 0
    lo = max(0, at - 8)
    starts = set(accumulate((len(w.word) for w in pos.cut(s[lo : at + len(value)])), initial=lo))
    return next((i for i in range(len(value) - 1) if at + i in starts), 0)
