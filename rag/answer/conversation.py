"""Conversation state: a follow-up inherits the previous question's frame and replaces what it names. Pure.

    温州市有多少家养老机构？  → 那社区养老园呢？    → 温州市有多少家社区养老园？  (the thing asked)
                           → 那民办的呢？        → 温州市有多少家民办养老机构？ (a modifier)
                           → 那温州呢？/那恩阳区呢？ → 恩阳区有多少家养老机构？   (the place)
    温州市有多少个社区养老园？ → 其中鹿城区有几个？   → 温州市社区养老园，其中鹿城区有几个？ (narrowing)
    彬州建了多少个爱心餐厅？  → 现在受益的有多少人？ → 彬州建了爱心餐厅，现在受益的有多少人？ (context)

A question that names its own place or letter, or is a full question of its own, is left as it is. "这封
答复…", "这是哪封函…" point at the previous answer's letter: the pipeline names that letter (rag.pipeline).
The rewritten question is what is answered and what the user is shown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rag.answer.question import (
    COUNTERPARTS,
    DONE_Q,
    MEASURED_ASK,
    PART_POINTED,
    PLAN_Q,
    leading_nouns,
    noun_before,
    without_verb,
)
from rag.core import pos
from rag.core.places import PLACE_NAME, is_place, place_spans

# "same问题换成城里社区的…", "同样的问题，换成…": the previous question, of another thing
_SAME_ASKED = re.compile(r"(?:same|同样的?|一样的?|相同的?)\s*问题?\s*[，,]?\s*(?:换成|换作|换到|改成|改问|问)\s*",
                         re.IGNORECASE)
# 那边: a place; "那个公众号…": the 个 goes with the 那 that points, it is no measure word of what follows
_LEAD = re.compile(rf"^(?:那么|那(?:个|些)(?=[\u4e00-\u9fff])|那(?!边|儿|里(?![边面头]))|还有|另外|再问一下|那请问"
                   rf"|请问)\s*|^{_SAME_ASKED.pattern}", re.IGNORECASE)
_TIME = re.compile(r"(?:从|自)?(?:19|20)\d\d(?:\s*[-~—至到]\s*(?:19|20)?\d\d)?年(?:\d{1,2}月)?"
                   r"(?:底|初|末|以来|起|开始|以后)?"  # "那从2021年起呢": a time said whole
                   r"|今年|明年|去年|前年|下一步")
_TAIL = re.compile(r"\s*(?:呢|又如何|怎么样|如何)?\s*[？?。！!]*$")
_ASKS = re.compile(r"多少|几|哪|谁|什么|是否|吗|怎么|如何|多大|多高|多久|多长|何时|没有")
# the asking phrase of a question, with the measure word it carries ("有多少家", "有几所", "是多少")
# ("…数量是多少": 数量 is how the count was asked)
_ASKING = re.compile(r"(?:的?(?:数量|个数|总数|总额|总量|金额|数额))?"
                     r"(?:一共有|总共有|有|是|为|共有|一共|总共)?(?:多少|几)"
                     r"(?:万|亿)?(?:人次|小时|平方米|元"  # ("有多少万个": 万个, not a 万个 left after the value)
                     r"|[个家张人名座所户次项场条种类期])?(?:/次)?")  # "服务了多少小时": 小时 goes with the ask
_ASK_TAIL = re.compile(r"(?:建在|设在|位于|在|是|有|叫|用)?(?:一?个)?(?:哪里|哪儿|哪|什么|啥|哪些|谁|怎么样|怎样|如何)"
                       r"[^，,]{0,6}$"
                       r"|(?:给|为|对)?(?:多大岁数|多大年纪|多少岁|几岁)[^，,]{0,6}$"  # "给多大岁数的老人"
                       r"|(?:有)?(?:多大|多高|多长|多久|多远|多宽)[^，,]{0,6}$"  # "中心面积多大": its size asked
                       r"|(?:排名?|位列|名列|居)?第几[^，,]{0,6}$")  # "在全省排第几": a rank asked
# an age that sorts people ("80岁以上", "百岁", "60周岁及以上"): another age replaces it
_AGE = re.compile(r"(?:\d+|[一二三四五六七八九十百]+)周?岁(?:及以上|以上|以下)?")
# the whole of the place asked before ("全市", "整个市里"): a province or city, not a part of it
_WHOLE = re.compile(r"(?:全|整个)(?:市|省)(?:里|范围内|范围)?")
_SHORT = 16  # a follow-up is short; a long question carries its own context
# words that point back at what the previous question was about, however long the follow-up ("…的那部分有多少人")
# (它们/他们 open a question about what the previous one named: "它们用的平台是买的还是自己开发的")
# (当时/那时候 place a question at the time of what the previous one named: "那当时是按哪几个部委的部署办的")
POINTS_BACK = re.compile(rf"{PART_POINTED}|[这那](?:些人|批)|^(?:那|那么)?(?:它们|他们|她们|它|当时|那时候?)")
# a correction of how the previous question was taken: what follows is asked of the same subject
_CORRECTION = re.compile(r"^(?:不对|不是|错了|搞错了)[，,。！!\s]+(?:我(?:问|要问|说)的是)?|^我(?:问|要问)的是")


# what a chat message says besides its question: emoji and pictographs, and an opening that acknowledges the
# last answer ("好的👌 那它…", "ok，…", "收到，那…")
_PICTOGRAPH = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
_ACKNOWLEDGED = re.compile(r"^(?:好的?|好滴|行吧?|嗯+|哦+|噢|ok(?:ay)?|收到|明白了?|了解了?|知道了|谢谢|多谢|感谢)"
                           r"(?:[\s，,。.！!~～、]+|(?=那|还有|另外|再))", re.IGNORECASE)


def unchatter(message: str) -> str:
    """The question a chat message asks: without emoji, and without an opening that acknowledges the last answer."""
    q = _PICTOGRAPH.sub(" ", message).strip()
    rest = _ACKNOWLEDGED.sub("", q, count=1).strip()
    return rest or q


def is_follow_up(question: str) -> bool:
    """"那温州呢？", "民办的呢？": it only names what changes."""
    q = question.strip()
    # (one that says it asks the same question of something else is one however long)
    return bool(_SAME_ASKED.match(q)) or (len(q) <= _SHORT and bool(re.match(r"^(那么?|还有|另外)", q)
                                                                 or re.search(r"呢[？?]?$", q)))


def resolve(question: str, history: Sequence[str], known_places: Iterable[str] = ()) -> str:
    """The question as it is meant, given the earlier questions of the conversation (oldest first)."""
    q = unchatter(question)
    places = sorted(set(known_places), key=len, reverse=True)
    prev = ""
    for h in map(unchatter, history):  # each earlier question is itself resolved against those before it
        if h:
            prev = _resolve_one(h, prev, places)
    return _resolve_one(q, prev, places) if prev else q


# "机构呢，定了几家？": what changes, then an ask that names nothing new (定了几家) — the ask before, of it
_THEN_ASK = re.compile(r"^((?:那么?)?[^，,？?。]{1,12}?呢)[，,]\s*([^，,]+)$")


def _restates(ask: str) -> bool:
    """A count asked that names no thing of its own ("定了几家？", "有多少"): it asks again what was asked (not
    "打算让他们做什么", which asks what is done)."""
    named = [w for w in pos.cut(_TAIL.sub("", ask)) if w.flag[:1] in ("n", "j", "l") and len(w.word) >= 2]
    return bool(re.search(r"几|多少", ask)) and not re.search(r"什么|啥|哪|谁", ask) and not named


def _resolve_one(q: str, prev: str, places: list[str]) -> str:
    if not prev:
        return q
    if (then := _THEN_ASK.match(q.strip())) and _restates(then.group(2)):
        q = then.group(1) + "？"
    if (whole := _WHOLE.match(_LEAD.sub("", q))) and len(spans := place_spans(prev)) > 1:
        # "全市一共多少家？" after "温州鹿城区有多少家养老机构？": the whole city, not its district; the places that
        # follow the first one in a run (鹿城区 after 温州) name a part of it
        end = spans[0][1]
        for a, b in spans[1:]:
            if a != end:
                break
            end = b
        prev = prev[: spans[0][1]] + prev[end:]
        rest = _LEAD.sub("", q)[whole.end() :]
        if not _TAIL.sub("", rest).strip(" ，,"):
            return prev  # "全市呢？": the previous question, of the whole
        q = rest
    # a correction of how the previous question was taken ("不对，我问的是…") is a follow-up of it, however long
    corrected = bool(fixed := _CORRECTION.match(q)) and len(q) > fixed.end()
    q = q[fixed.end() :] if corrected and fixed else q
    x = _TAIL.sub("", _LEAD.sub("", q)).strip(" ，,")
    elliptic = (is_follow_up(q) or corrected) and not _ASKS.search(x)
    if elliptic and x and (when := _TIME.search(x)):
        # "那2019年呢？", "那今年呢？": the same question of another time; what else it names is replaced as usual
        prev = _replace_time(prev, when.group(0), places)
        x = (x[: when.start()] + x[when.end() :]).strip(" ，,的")
        if not x:
            return prev
    if elliptic and x:
        if _place(x, places):  # 那温州呢？
            return _replace_place(prev, x, places)
        if is_place(part := re.sub(r"^其中", "", x)) and _place(prev, places):  # 鹿城区呢 after 温州…: a part of it
            return f"{topic_of(prev)}，其中{part}{_asking(prev)}？"
        if x.startswith("其中"):
            return f"{topic_of(prev)}，{x}{_asking(prev)}？"
        return _replace_subject(prev, x, places)
    # 其中鹿城区有几个？ …没集中供养的那部分有多少人？ 不对，我问的是还在建的那两个…: the same subject, narrowed or
    # asked again
    if x.startswith("其中") or POINTS_BACK.search(x) or corrected or (_points_at(x, prev) and not _place(q, places)):
        return f"{topic_of(prev)}，{q}"
    if (part := _ONLY_ASKS.fullmatch(x)) and _place(prev, places) and is_place(where := part.group(1)):
        if _place(where, places):  # "恩阳有几所？" after "温州有多少家养老机构？": the same, of another place
            return _replace_place(prev, where, places)
        # "鹿城区有几个？" after "温州建成了多少个社区养老园？": a part of the place, asked the same of
        return f"{topic_of(prev)}，其中{where}{part.group(2)}？"
    if _place(q, places) or place_spans(q) or len(q) > _SHORT:  # 社区 ends like a place but names none
        return q  # it says where, or says enough to stand alone
    # a short question with no subject of its own: "发了多少慰问金？", "床位多少张？", "这封答复是哪天写的？"; one
    # that says what is done ("今年还要新建多少个") takes only what the previous one was about, not what it said was
    # done to it ("…养老服务中心已经建成了")
    context = topic_of(prev)
    own = re.split(r"多少|几", q)[0]
    if _TIME.search(own):  # "今年计划推动多少家" after "2018年底…": its own time replaces the previous one
        context = _TIME.sub("", context)
    if _AGE.search(own):  # "活到一百岁以上的有几位" after "60岁以上的老人…": its own age replaces the previous one
        context = _AGE.sub("", context)
    if any(w.flag == "v" for w in pos.cut(own)) or (PLAN_Q.search(own) and DONE_Q.search(context)) or (
            DONE_Q.search(own) and PLAN_Q.search(context)):
        subject = noun_before(context)  # a predicate of one character is more likely part of a name (一键通)
        context = subject if subject and len(context) - len(subject) >= 2 else context
    return f"{_without_done(context, places)}，{_LEAD.sub('', q)}"


def _without_done(context: str, places: list[str]) -> str:
    """"咸阳建成了城镇社区日间照料中心" → 咸阳城镇社区日间照料中心: the place and what was counted, without what the
    previous question said was done to it, which the follow-up's own verb replaces."""
    where = _place(context, places)
    if not where or not context.startswith(where):
        return context
    words = list(pos.cut(context[len(where) :]))
    rest = words[2:] if len(words) > 2 and words[1].word == "了" else words[1:]
    if words and words[0].flag == "v" and len(words[0].word) >= 2 and rest and rest[-1].flag[:1] == "n" and (
            words[0].word not in _STATES):
        return where + "".join(w.word for w in rest)
    return context


# what the things are, not what was done to them: "温州在建的民办养老机构" are a part of them, which a follow-up's
# own verb ("能多出多少张床") does not replace
_STATES = frozenset(("在建", "在营", "闲置", "现有"))


# a place and an ask, nothing else: "鹿城区有几个", "其中鹿城区有多少家"
_ONLY_ASKS = re.compile(r"(?:其中)?([\u4e00-\u9fff]{2,6}?)((?:有|共有|一共)?(?:多少|几)"
                        r"[个家张人名座所户次项场条种类]?)")


# a demonstrative and the words after it: "这个医养结合", "那笔资金", "该计划"
# (该/此 point the same way in writing: "该计划…", "此项目…"; not 应该)
_DEMONSTRATIVE = re.compile(r"(?:(?:这|那)(?:个|些|项|种|类|笔|批)|(?<!应)该|此(?:项|个)?)([\u4e00-\u9fff]{2,4})")


def _points_at(question: str, prev: str) -> bool:
    """The question points with 这个/那些… at what the previous question names ("那这个医养结合是通过哪些方式实现
    的？" after "温州今年要推动多少家养老机构实现医养结合？"): it asks about that, however long it is."""
    for m in _DEMONSTRATIVE.finditer(question):
        said = m.group(1)
        if any(said[:n] in prev for n in (4, 3, 2) if len(said) >= n):
            return True
        # (or the one noun it points with, however short: "这些钱覆盖到的…" after "…砸了多少钱进去")
        first = next(iter(pos.cut(said)), None)
        if first is not None and first.flag.startswith("n") and first.word in prev:
            return True
    return False


def _replace_time(prev: str, when: str, places: list[str]) -> str:
    """The previous question at another time: its own time replaced (2021年 → 2022年), else the time put after
    its place (温州有多少家… → 温州2019年有多少家…)."""
    if old := _TIME.search(prev):
        return prev[: old.start()] + when + prev[old.end() :]
    where = _place(prev, places)
    at = prev.index(where) + len(where) if where else 0
    return prev[:at] + when + prev[at:]


def _place(text: str, places: list[str]) -> str | None:
    """The place named first in the text, the longer name on a tie (巴中市 over 巴中)."""
    found = [(text.index(p), -len(p), p) for p in places if p in text]
    return min(found)[2] if found else None


def topic_of(prev: str) -> str:
    """What the previous question is about, without what it asked: 彬州建了多少个爱心餐厅？ → 彬州建了爱心餐厅."""
    # 中心建在哪 → 中心: its asks are answered already, in every clause ("…叫啥，在哪个社区")
    clauses = [_without_ask(c) for c in re.split(r"[，,]", re.sub(r"[？?。！!]+$", "", prev))]
    text = "，".join(c for c in clauses if c.strip(" ，,"))
    # and the words that led into the ask go with it ("平台是跟谁合作建的" → 平台, "…从哪年起执行" → …)
    # ("服务面向哪些老人" → 服务: a verb whose last character is one of them goes whole, not 服务面)
    led = r"(?:面向|针对|用于|是跟|跟|和|与|同|是由|由|是|从|自|于|到|给|为|对|向)$"
    text = re.sub(r"[，,]\s*(?=[，,]|$)", "", _ASKING.sub("", text))  # a clause that only asked is gone whole
    return re.sub(led, "", text.strip(" ，,")).strip(" ，,")


def _without_ask(clause: str) -> str:
    """The clause without its ask; and without the one-character verb that led into it with 在/到 ("试点放在哪两个
    街道" → 试点): a verb of the ask, not of the subject. (Not before 给: "一键通给多大岁数的老人" names 一键通.)"""
    m = _ASK_TAIL.search(clause)
    if not m:
        return clause
    rest = clause[: m.start()]
    return without_verb(rest) if re.match(r"在|到|于", clause[m.start() :]) else rest


def _asking(prev: str) -> str:
    m = _ASKING.search(prev)
    return m.group(0) if m else "有多少"


def _replace_place(prev: str, new: str, places: list[str]) -> str:
    """Replace the previous question's place, with the administrative words glued to it (巴中市恩阳区 → 温州)."""
    old = _place(prev, places)
    if old is None:
        m = PLACE_NAME.search(prev)
        if m is None:
            return f"{new}{prev}"
        old = m.group(0)
    i = prev.index(old)
    j = i + len(old)
    while (tail := PLACE_NAME.match(prev, j)) and len(tail.group(0)) <= 5 and not tail.group(0).endswith("社区"):
        j = tail.end()  # 恩阳区 after 巴中市; not "建了多少个农村社区"
    if re.match(r"的|[那这][封份]", prev[j:]):  # "温州那封呢" after "恩阳那封的文号…": one 那封
        new = re.sub(r"(?:的|[那这][封份])+$", "", new)
    return prev[:i] + new + prev[j:]


# the measure word an ask ends in (多少家, 几张): the counted noun's, which another noun asked may not share
_MEASURE_END = re.compile(r"[家张人名座所户次项场条种类]$")


def _replace_subject(prev: str, new: str, places: list[str]) -> str:
    """"那社区养老园呢？" replaces the thing asked about; "那民办的呢？" is a modifier: it replaces one that
    shares a character (公办 → 民办, 线上 → 线下) or goes before the thing asked."""
    m = _ASKING.search(prev)
    bare = new[:-1] if new.endswith("的") else new
    for word, partner in COUNTERPARTS:  # "农村的呢" after 城镇社区…, "分散的呢" after 其中集中供养的
        if bare == word and partner in prev and word not in prev:
            return prev.replace(partner, word, 1)
    owner, _, owned = new.partition("的")
    if owned and len(owner) >= 2 and owner not in prev and m and _names_owner(owner):
        # "广弘的住院病床呢" after "中山华宇乐颐养院有多少张养老床位": another owner and what it has, asked as before
        where = _place(prev, places) or ""
        return f"{where}{new}{_MEASURE_END.sub('', m.group(0))}？"
    if new.endswith("的"):
        mod = new[:-1]
        narrowed = re.search(r"其中([\u4e00-\u9fff\d]{2,}?)的?(?=多少|几|有|是)", prev)
        if narrowed and narrowed.group(1)[-1] == mod[-1] and narrowed.group(1) != mod:
            # 其中集中供养的多少人 → 农村分散供养的呢: another part of the same whole replaces the part asked
            return prev[: narrowed.start(1)] + mod + prev[narrowed.end(1) :]
        for i in range(len(prev) - len(mod) + 1):
            old = prev[i : i + len(mod)]
            # a modifier of the same shape: 公办 → 民办, 60岁以上 → 80岁以上
            if old != mod and (old[0] == mod[0] or old[-1] == mod[-1]) and re.fullmatch(r"[\u4e00-\u9fff\d]+", old) \
                    and old[0].isdigit() == mod[0].isdigit():
                return prev[:i] + mod + prev[i + len(mod) :]
        if (age := _AGE.search(prev)) and _AGE.fullmatch(mod):  # 百岁老人有几个 → 80岁以上的呢
            return prev[: age.start()] + mod + prev[age.end() :]
        if m:  # 温州市有多少家养老机构 → 温州市有多少家民办养老机构
            return prev[: m.end()] + mod + prev[m.end() :]
        return f"{mod}{prev}"
    if m:
        after = re.match(r"[\u4e00-\u9fff]+", prev[m.end() :])
        if after and not set(after.group(0)) & set(new) and _MEASURE_END.search(m.group(0)):
            # nothing in common with what was counted, which had a measure word of its own (几所公办养老机构 →
            # 床位呢): not another of its kind but a thing it has (its beds). 个 counts anything: there the new
            # noun is another thing counted (多少个日间照料中心 → 农村互助幸福院呢)
            return f"{prev[: m.start()]}{after.group(0)}有多少{new}？"
        if after:  # 温州市有多少家养老机构 → 温州市有多少社区养老园: the measure word was the old noun's (多少张床位)
            ask = _MEASURE_END.sub("", prev[: m.end()])
            # what the old noun was said to do stays ("多少个照料中心|交给社会化运营" → 机构呢: 多少个机构交给…)
            noun = leading_nouns(after.group(0))
            rest = after.group(0)[len(noun) :]
            done = noun and rest and (first := next(iter(pos.cut(rest)), None)) is not None and first.flag == "v" and (
                len(first.word) >= 2)
            return ask + new + (rest if done else "") + prev[m.end() + after.end() :]
        before = re.search(r"([\u4e00-\u9fff]{2,})(?:有|是|为|共)?$", prev[: m.start()])
        if before and _MEASURE_END.search(m.group(0)) and not set(
                noun_before(before.group(1).split("的")[-1])) & set(new):
            # as above: "…开的饭堂有几家" → 目前受益的人数呢 asks a thing the 饭堂 have, not another of their kind
            return f"{prev[: before.end(1)]}，{new}有多少？"
        if before:  # 民办养老机构有多少家 → 床位有多少, keeping a place in front (恩阳区…); the measure word was the
            start = before.start(1)  # old noun's (家 counts 机构, not 床位)
            place = next((p for p in places if prev.startswith(p, start)), "")
            ask = _MEASURE_END.sub("", prev[m.start() : m.end()])
            return prev[: start + len(place)] + new + prev[before.end(1) : m.start()] + ask + prev[m.end() :]
    return f"{topic_of(prev)}的{new}"  # "…综合体叫啥" → 建筑面积呢: its 建筑面积


def _names_owner(words: str) -> bool:
    """Words before 的 that name who has the thing ("广弘的住院病床"), not what is done ("受益的人数")."""
    last = list(pos.cut(words))[-1:]
    return not last or last[0].flag[:1] in ("n", "r")


def with_figure(prev: str, value: str) -> str:
    """The previous question with its answer in place of its ask ("…一共付了多少钱" + 3.31亿元 → "…一共付了3.31亿元"):
    a follow-up about "这个数" is about the passage that states it."""
    return MEASURED_ASK.sub(value, re.sub(r"[？?。！!]+$", "", prev.strip()), count=1)
