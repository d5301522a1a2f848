"""Wording: how staff type questions, read in the words the letters and the rest of the reader use (啥 → 什么, 回的 →
答复的, 16年到18年 → 2016-2018年, 4.98个亿 → 4.98亿元), and everyday words or official short names the passages
never use read as the letters' (寿星 → 老人, 人社部 → 人力资源社会保障部). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from itertools import pairwise

from rag.answer.slips import unslipped
from rag.core import pos
from rag.core.numerals import cn_int
from rag.core.places import is_place
from rag.core.records import Document
from rag.core.text import squash

# how staff type questions → the words the rest of the reader knows (啥 → 什么, 回的 → 答复的)
_COLLOQUIAL = (
    # the form an answer is wanted in ("按“项目：数值”格式给我"): how to answer, not what
    (r"[，,]?\s*按(?:照)?\s*“[^”]{1,12}”\s*的?(?:格式|形式|样式)(?:给我|写|列|报)?", ""),
    # a note on the question itself in brackets, before it ("（语音转的文字，可能有错字）"): it asks nothing (not a
    # part's marker, （一）)
    (r"^\s*[（(](?![一二三四五六七八九十\d]+[）)])(?![^（()）]*(?:多少|几|哪|什么|啥|谁))[^（()）]{4,30}[）)]\s*", ""),
    # English words staff mix in ("民办的share是多少", "list一下名字", "原来的title", "国家级pilot")
    *((rf"(?i)(?<![A-Za-z]){en}(?![A-Za-z])", zh) for en, zh in (
        ("share", "占比"), ("total", "总共"), (r"list\s*一下", "列一下"), ("list", "列出"), ("pilots?", "试点"),
        ("title", "题目"), ("deadline", "截止时间"), (r"double[\s-]?check", "核对"), ("cc", "抄送"),
        (r"bullet\s*points?", "逐条"), ("session", "会议"), ("report", "报告"), ("excel", "表格"))),
    (r"啥时候|啥时", "什么时候"), (r"啥", "什么"), (r"咋样|咋么样", "怎么样"), (r"咋", "怎么"), (r"哪儿", "哪里"),
    (r"几多", "多少"), (r"个?钟头", "小时"), (r"多少号", "几号"), (r"俩", "两个"),  # "哪俩层面": 哪两个
    (r"(?:几|多少)万块(?:钱)?", "多少万元"), (r"(?:几|多少)块钱", "多少元"),  # "拨了几万块": money in 元
    (r"(\d+(?:\.\d+)?)\s*个亿(?:元)?", r"\1亿元"), (r"几个亿", "多少亿元"),  # "这4.98个亿": 4.98亿元
    # the measure said before the ask: "按人次算是多少" asks 多少人次
    (r"按\s*(人次|人|户|个|家|张|所)\s*(?:来)?(?:算|计|统计)(?:的话)?[，,]?\s*(?:是|有|一共|共|总共)?(多少|几)",
     r"\2\1"),
    (r"回复|回的|回函", "答复"), (r"对接人|经办人|承办人", "联系人"),
    (r"联系方式", "联系电话"),
    (r"路子", "途径"),  # "通过哪些路子建起来的", "走的什么路子": the letters' 途径
    # "靠谁来张罗？原文说调动了哪些力量": the ask put again in the letter's words replaces the one before it
    (r"[^，,。？?]*[？?]\s*原文(?:里)?(?:说|讲|写)(?:的是|了)?(?=[^？?]*(?:哪|什么|谁|多少|几))", ""),
    # "那一个中心能拿几万": what each gets (每个), not a count of one
    (r"(?<![第多几十百千万\d])一(个|家|所|户|人|张|位|名)(?=[\u4e00-\u9fff]{0,6}?(?:能拿|能领|能得|可以拿|拿|领|补|分到))",
     r"每\1"),
    # "A / B，数量各报一下": a bar between two names lists them, and their counts are asked each
    (r"(?<=[\u4e00-\u9fff])\s+[/／]\s+(?=[\u4e00-\u9fff])", "、"),
    (r"[，,]?\s*(?:的)?(?:数量|数目|个数)(?:各|分别)(?:报|说|给)(?:一下|下|个)?", "分别有多少"),
    # "A、B，两个数都给我": the values of each, asked
    (r"[，,]?\s*(?:这)?[两二三几]个(?:数|数字|数据|值)?(?:都|一起|分别|各)"
     r"(?:给我|报一下|报下|说一下|说下|列出来|要)", "分别是多少"),
    # who runs it, said plainly: "公家办的" is 公办, "私人办的" 民办
    (r"公家(?:办|开)的?", "公办"), (r"(?:私人|个人|私营)(?:办|开)的?", "民办"),
    # a partner asked by the kind of body: "跟哪家一起建的" is 跟谁一起建的
    (r"([跟和与同])哪(?:家|个单位|个部门|家单位|家公司|个局|个厅|个委)(?=一起|一同|共同|合作|联合|联手|[建办搞做发签出])",
     r"\1谁"),
    # a role asked by who takes it: "主任委员让谁当", "召集人谁来当" are 由谁担任 (not 谁当天, 谁当地)
    (r"(?:让|叫|安排|派|由)?谁(?:来)?当(?![天地时日面场])", "由谁担任"),
    # being built, and not built yet, are what the letters call 在建
    (r"正在盖|还在盖|在盖|正在建设?|还在建|(?:还|尚)?没(?:有)?(?:建完|建好|盖完|盖好|完工)|尚未(?:建成|完工)", "在建"),
    (r"按(张|人|户|个|月|年|天|次)(?=补|给|发|算|计|收)", r"每\1"), (r"新添|新加", "新增"),  # 按张补贴 = 每张补贴
    # a separable verb split by 上/了/起/过 (挂上钩, 结了对, 签了约): the letters write it whole
    (r"(挂|结|签|上|见)(?:上|了|起|过|成)(钩|对|约|岗|面)", r"\1\2"),
    (r"(?:平均)?(?:每一?|一)([千万百])个?(?=老人|老年人)", r"每\1名"),  # "平均一千个老人", "每千个老人": 每千名老人
    (r"(?:平均)?每?一([千万百])个?人", r"每\1人"),
    # what the user will do with the answer ("，汇报要用", "，想发给老人家属", "，写材料用") asks nothing of the letters
    (r"(?:[，,。；;]|(?<=[？?]))\s*(?:我|我们)?(?:[\u4e00-\u9fff]{1,6}?(?:要用|用得上|备用|要引用?|用)"
     r"|想?(?:发给|转给|拿给|报给)[\u4e00-\u9fff]{1,8}?(?:看一?下|看看|看)?"
     r"|(?:要|得|需要)?(?:填|录|登)(?:返|回|进|到|入)?[\u4e00-\u9fff]{0,6}?(?:表|表格|系统|台账|簿))"  # 填返登记表
     r"\s*[。！!～~]*\s*$", ""),
    # how to lay the answer out ("用斜杠隔开给我", "一条一行", "按JSON回我：{…}", "一句话回我：") and asides on how the
    # question was typed ("（PDF里复制出来的，空格去不掉）"): nothing of them is asked of the letters
    (r"[，,。]?\s*(?:用|以)(?:斜杠|顿号|逗号|分号|空格|竖线|换行)(?:隔开|分隔|分开)(?:给我|写|列)?"
     r"|[，,。]?\s*(?:一条一行|一行一条|一项一行|一个一行|分行(?:写|列)?)"
     r"|[，,。]?\s*(?:按|用|以)\s*(?:JSON|json|Json|表格|markdown|Markdown)(?:格式)?(?:回我|回复|给我|输出|写)?[：:]?\s*"
     r"(?:\{[^}]*\})?"
     r"|^(?:一句话|简单|简短)(?:回我|回复|说|说下|回)[：:，,]\s*"
     r"|[（(][^（）()]{0,20}?(?:复制|粘贴|空格|截图|扫描件)[^（）()]{0,20}?[）)]"
     # "…跟哪些行业联动，原文列的那几个": the list asked, pointed at again
     r"|[，,。]\s*(?:就是|要|照|按)?(?:原文|原话|文中)(?:里|中)?(?:列|写|提)(?:了|出)?的?(?:那|这)?"
     r"(?:几个|几项|几条|些|几样)\s*[吧啊呀。]?$", ""),
    # the labels asks are numbered with ("Q1 …？Q2 …？", "（1）…（2）…", "①…②…"): no figure of what is asked
    (r"(?:^|(?<=[？?。；;，,\s]))\s*(?:[Qq问]\s*\d{1,2}|[（(]\d{1,2}[)）]|[①②③④⑤⑥⑦⑧⑨])\s*[:：.、]?\s*", ""),
    # a table to fill in ("| 设老年科的医院占比 | ？ |"): each row's blank asks its label
    (r"\|\s*([^|？?\n]{2,40}?)\s*\|\s*[？?_＿]+\s*(?=\|)", r"\1是多少？"), (r"(?<=[？?])\s*\|\s*$", ""),
    # a blank to fill ("建立时间是？", "召集人是？"): what it is, asked
    (r"(?<=时间|日期)(?:是|为)\s*(?=[？?])", "是什么时候"), (r"(?<=[\u4e00-\u9fff])(?:是|为)\s*(?=[？?])", "是什么"),
    (r"(?<=\d)来(?=[个家张人户名所座次项元])", "余"),  # "这280来户": about 280, which the letters write 280余户
    (r"(?<![\d.])([12]\d)\s*(?:到|至|[-~～—–－])\s*([12]\d)年", r"20\1-20\2年"),  # "16到18年": 2016-2018年
    (r"(?<![\d.])([12]\d)年(?!代|来|间|多|以)", r"20\1年"),  # "19年省财政安排了多少" is 2019, as the letters write it
    (r"((?:19|20)\d\d)年\s*(?:到|至|[-~～—–－])\s*((?:19|20)\d\d)年", r"\1-\2年"),  # "2016年到2018年": 2016-2018年
    (r"(?<![\d.])((?:19|20)\d\d)\s*(?:那|这)一?年", r"\1年"),  # "到了2019那年": 2019年
)


# everyday words and the letters' words for the same thing; read so only where the passages lack the user's own
# word (a letter may well say 社区食堂: then 食堂 stays)
# (钱 as what a thing is about, "讲钱的那条", is 资金; "多少钱", "掏钱", "投了钱" say an amount or its spending)
_EVERYDAY = (("老百姓", "群众"), ("白天照看", "日间照料"), ("白天照顾", "日间照料"), ("饭堂", "餐厅"), ("食堂", "餐厅"),
             ("寿星", "老人"), (r"歇(?:一)?口气|喘(?:一)?口气", "喘息"), ("家里人", "家庭成员"),
             ("组建", "成立"),  # a body founded: "标委会哪年哪月组建的" (the letters say 成立)
             (r"(?<![多少几块毛掏花投出拨给了])钱(?=的)", "资金"))


# an official short name ends in what the body or scheme is (人社部, 发改委, 医保局, 长护险): its other characters
# begin the words of the full name (人力资源社会保障部, 长期护理保险), which the letters write out
_SHORT_NAME = re.compile(r"[\u4e00-\u9fff]{1,3}[部委局厅办险]")
_NOT_IN_NAMES = re.compile(r"[哪这那个的是了在和与给让把被多少几啥么]")


# a name the question quotes ("“时光银行”", "“一键呼”"): staff remember a programme's name nearly, not always exactly
_QUOTED_NAME = re.compile(r"[“\"「]([\u4e00-\u9fff]{3,12})[”\"」]")
_ASKING_WORD = re.compile(r"什么|啥|哪|几|多少|谁")
_NAME_LIKENESS = 0.66  # SequenceMatcher ratio of a name remembered and the letters' (时光银行/时间银行 0.75)


def renamed_quotes(question: str, passages: Iterable[str]) -> list[tuple[str, str]]:
    """(as quoted, as the letters write it) for each name the question quotes that the passages never say, when
    they quote one name like it: the same opening or closing two characters, at most two characters longer or one
    shorter, and most characters shared in order (时光银行 → 时间银行, 一键呼 → 一键通, 家庭养老病床补助 →
    家庭养老床位服务补助). The first such name in the passages' order wins a tie."""
    # (not a template the question fills in: "题目是“关于加强什么”的建议")
    quoted = [x for x in dict.fromkeys(_QUOTED_NAME.findall(question)) if not _ASKING_WORD.search(x)]
    if not quoted:
        return []
    seen = squash(" ".join(passages))
    theirs = list(dict.fromkeys(_QUOTED_NAME.findall(seen)))  # the names the letters quote
    out = []
    for name in quoted:
        if name in seen or is_place(name[:2]) or is_place(name[:3]):
            continue  # (a name opening with a place, "深圳智慧平台", is that place's: no other place's name is it)
        near = [(SequenceMatcher(None, name, x).ratio(), x) for x in theirs if len(name) - 1 <= len(x) <= len(name) + 2
                and (x[:2] == name[:2] or x[-2:] == name[-2:])]
        if near and (best := max(near, key=lambda r: r[0]))[0] >= _NAME_LIKENESS:
            out.append((name, best[1]))
    return out


def in_letters_words(question: str, passages: Iterable[str]) -> str:
    """The question with an everyday word, an official short name or a name it quotes nearly that the passages
    never use replaced by the letters' word for it (the passages are read only when the question has such a word:
    most have none)."""
    passages = list(passages)
    # ("爱心餐听" is 爱心餐厅, "一键同" the letters' “一键通”)
    question = unslipped(question, passages, _QUOTED_NAME.findall(" ".join(passages)))
    for name, theirs in renamed_quotes(question, passages):
        question = question.replace(name, theirs)
    said = [(word, m.group(0), theirs) for word, theirs in _EVERYDAY if (m := re.search(word, question))]
    shorts = _short_names(question)
    pairs = list(_JOINED.finditer(question))
    seen = squash(" ".join(passages)) if said or shorts or pairs else ""
    for m in pairs:  # "多少个村和社区": the letters count 村（社区）, one thing with the other name it goes by
        at, to = m.span()
        found = next(((question[at - i : at], question[to : to + j]) for i in range(1, 5) for j in range(1, 5)
                      if f"{question[at - i : at]}（{question[to : to + j]}）" in seen), None)
        if found and f"{found[0]}{m.group(0)}{found[1]}" not in seen:
            question = question.replace(f"{found[0]}{m.group(0)}{found[1]}", f"{found[0]}（{found[1]}）", 1)
    for pattern, word, theirs in said:
        if word not in seen:
            question = re.sub(pattern, theirs, question)
    for short in shorts:
        if short not in seen and (full := full_name(short, seen)):
            question = question.replace(short, full)
    return question


# what joins two names said together ("村和社区", "镇、街道"), which a letter may write as one thing with its other
# name in brackets: 村（社区）
_JOINED = re.compile(r"和|及|与|或|、|跟")


def _short_names(question: str) -> list[str]:
    """What may be a short name: three or two characters ending in 部, 委, 局…, no asking or function word."""
    out = []
    for m in re.finditer(r"[部委局厅办险]", question):
        for size in (3, 2):
            cand = question[max(m.end() - size, 0) : m.end()]
            # (not "厅委", "委办局": kinds of body, each character one's ending)
            if len(cand) == size and _SHORT_NAME.fullmatch(cand) and not _NOT_IN_NAMES.search(cand) and not (
                    re.fullmatch(r"[部委局厅办]+", cand)):
                out.append(cand)
                break
    return out


def full_name(short: str, text: str) -> str | None:
    """The name in `text` that `short` abbreviates: it starts with the short name's first character, ends with
    its last, holds the others in order, and is at least two characters longer (人社部 → 人力资源社会保障部);
    None when the short name is not shaped as one (张床 is no name) or the text has none or several."""
    if not _SHORT_NAME.fullmatch(short) or _NOT_IN_NAMES.search(short):
        return None
    gap = r"[\u4e00-\u9fff]{0,5}?"
    pattern = re.escape(short[0]) + "".join(gap + re.escape(c) for c in short[1:])
    found = {m for m in re.findall(pattern, text) if len(m) >= len(short) + 2}
    return found.pop() if len(found) == 1 else None


# figures staff write in characters ("三千多万", "六百张", "百分之五十五", "二〇二三年五月十一日", "八八三零一六三三"),
# which the letters write in digits: a run with a place value (十百千) or before 万/亿, before what a figure measures
# (not an age: the letters' 百岁老人 is "一百岁的")
_CN_DIGIT = "零〇一二两三四五六七八九"
_CN_FIGURE = re.compile(rf"(?<![第{_CN_DIGIT}十百千])([{_CN_DIGIT}]*[十百千][{_CN_DIGIT}十百千]*)"
                        r"(?=(?:多|余|来)?(?:万|亿|[个家张人名座所户项场条种元块%])|多|余|来个|出头)"
                        rf"|(?<![第{_CN_DIGIT}十百千])([{_CN_DIGIT}])(?=(?:多|余)?[万亿])")
_CN_DIGITS = re.compile(rf"[{_CN_DIGIT}]{{5,}}|[{_CN_DIGIT}]*[〇零][{_CN_DIGIT}]*(?=年)|[{_CN_DIGIT}]{{4}}(?=年)")
_CN_SHARE = re.compile(rf"百分之([{_CN_DIGIT}十百]+)")
_CN_MONTH_DAY = re.compile(r"(?<=\d年)([一二三四五六七八九十]{1,2})月(?:([一二三四五六七八九十]{1,3})([日号]))?")
# confirming a figure ("医护人员有没有二十个", "人数上没上千", "是不是七个多亿"): the figure the letter gives is asked
_CONFIRMED = re.compile(r"(?:有没有|够不够|上没上|过没过|超没超过?|到没到|达没达到|满没满|是不是)\s*(?:\d+(?:\.\d+)?\s*"
                        r"(?:多|来|余)?\s*[万亿千百]?(?:多|余|出头)?|[千万百])\s*([个家张人名座所户次项场条种]?)(?=[？?，,。]|$)")
_QUOTED_NUMBER = re.compile(r"[“\"‘]\s*(\d[\d\-]{4,14})\s*[”\"’]")
# confirming a date ("是2019年7月12号落款的吗"): the date the letter gives for it is asked
_DATE_CONFIRMED = re.compile(r"是(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:那天)?([\u4e00-\u9fff]{1,4}?)的?吗")


# a figure written with place values, each under the one before (三千五百, 一千零二十, 四十五, 十): not 百千万人才
_NINE = "[一二两三四五六七八九]"
_PLACED = re.compile(rf"(?:{_NINE}千)?(?:[零〇]|{_NINE}百)?(?:[零〇]|{_NINE}?十)?{_NINE}?")


def _number(chars: str) -> str | None:
    """A run of numeral characters as digits, None when it is no figure (百, 百千)."""
    return str(cn_int(chars)) if _PLACED.fullmatch(chars) else None


def digits(text: str) -> str:
    """Figures written in characters, in digits: 三千多万 → 3000多万, 三个多亿 → 3多亿, 百分之五十五 → 55%,
    二〇二三年五月十一日 → 2023年5月11日; names that hold numerals (一老一小, 十三届, 五助, 四个转变) stay."""
    if not re.search(rf"[{_CN_DIGIT}十百千]", text):
        return text
    text = re.sub(rf"([{_CN_DIGIT}十])个(多)?亿", r"\1\2亿", text)  # "三个多亿" is 3亿多
    text = _CN_SHARE.sub(lambda m: f"{n}%" if (n := _number(m.group(1))) else m.group(0), text)
    text = _CN_DIGITS.sub(lambda m: str(cn_int(m.group(0))).zfill(len(m.group(0))), text)  # (digit by digit)
    text = _CN_MONTH_DAY.sub(lambda m: f"{_number(m.group(1))}月" + (
        f"{_number(m.group(2))}{m.group(3)}" if m.group(2) else ""), text)
    return _CN_FIGURE.sub(lambda m: _number(m.group(0)) or m.group(0), text)


# the words of a letter's own fields, which a typing slip may hit before any passage is read ("连系人", "文好")
FIELD_WORDS = ("联系人", "联系电话", "文号", "签发人", "抄送", "落款", "印发", "成文日期", "公开方式", "答复函", "提案",
               "建议", "委员", "代表")


# a form's blank cell: a label, a colon and nothing filled in ("联系人：（空）", "电话：____", "签发人：（待填）")
_BLANK_CELL = re.compile(r"([\u4e00-\u9fff]{2,8})[：:]\s*"
                         r"(?:[（(]\s*(?:空|空白|待填|待补|未填|缺)?\s*[）)]|[_＿]{2,}|[？?]{1,3})(?=\s*(?:[|｜，,；;。—-]|$))")


def blank_cells(text: str) -> str:
    """A form with cells left blank asks their labels: "中山市民政局｜联系人：（空）｜电话：（空）" asks 联系人和电话,
    together, as one question (each cell alone would lose the letter the row names)."""
    cells = list(_BLANK_CELL.finditer(text))
    if not cells:
        return text
    labels = [c.group(1) for c in cells]
    asked = labels[0] if len(labels) == 1 else "、".join(labels[:-1]) + "和" + labels[-1] + "分别"
    out = text[: cells[0].start()] + asked + "是什么？"
    for prev, cell in pairwise(cells):
        out += text[prev.end() : cell.start()].rstrip("|｜，,；; ")  # the separators between cells go
    return out + text[cells[-1].end() :]


def normalise(text: str) -> str:
    text = blank_cells(unslipped(text, words=FIELD_WORDS))
    for pattern, word in _COLLOQUIAL:
        text = re.sub(pattern, word, text)
    # (after the everyday wording, which reads "一千个老人" as 每千名老人)
    text = _DATE_CONFIRMED.sub(r"是哪天\1的", _CONFIRMED.sub(r"有多少\1", digits(text)))
    return _QUOTED_NUMBER.sub(r"\1", text)  # "有个号码“88301633”": a number, quoted or not


def longest_said(question: str, doc: Document) -> str:
    """The longest run of the question's whole words (five characters or more, its first and last word content
    words of two characters or more: "智慧养老大|平台" is cut inside a phrase) that the letter's body says; "" when
    none. An answer that stands nowhere near it answers something else."""
    body = [squash(p.text) for p in doc.letter_paragraphs if p.kind != "meta"]
    words = list(pos.cut(squash(question)))
    best = ""
    for lo, first in enumerate(words):
        if not _CONTENT.match(first.flag) or len(first.word) < 2:
            continue
        run = ""
        for w in words[lo:]:
            run += w.word
            if not re.fullmatch(r"[\u4e00-\u9fff]+", w.word) or not any(run in b for b in body):
                break
            if len(run) > len(best) and len(run) >= 5 and _CONTENT.match(w.flag) and len(w.word) >= 2:
                best = run
    return best


_CONTENT = re.compile(r"n|v|a|j|l|i")  # a noun, verb or adjective (or an abbreviation, idiom, set phrase)
