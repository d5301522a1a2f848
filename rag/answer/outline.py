"""Questions about a letter's outline: "正文头一部分的小标题是什么", "最后一条是关于什么的建议", "一共分了几部分".

A reply letter answers a proposal part by part (一、… 二、…, or bold headings), and staff point at those parts
by position. The parts are the letter's top-level headings, read at ingest (`Paragraph.section`); the answer
is the heading itself, cited. A part the letter does not have is refused with how many it has. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.answer.base import refusal
from rag.answer.cite import cite_paragraph
from rag.answer.lists import slice_asked
from rag.answer.located import POINT
from rag.answer.position import place_in
from rag.answer.series import CN_DIGITS, first_clause
from rag.answer.values import bigrams
from rag.core.numerals import cn_int
from rag.core.records import Answer, Document, Hit, Paragraph, letter_name
from rag.core.text import squash

_UNIT = r"(?:个?部分|大?条|大?点|大?块|大?项|个?方面)"
# how a heading may be called beside 标题: 加粗标题, 黑体的标题 (a heading is set off in print)
_BOLD = r"(?:加粗|粗体|黑体)?的?"
_POSITION = (rf"第([{CN_DIGITS}]{{1,2}}|\d{{1,2}})|(头一?|首|开头一?|最后一?|末一?|倒数第([{CN_DIGITS}]|\d))"
             rf"|(倒数第一)")
# what is asked of the part: its heading or what it is about, said right after it (not "第四条里，…有多少家")
_TOPIC = (r"(?:的|里|中)?(?:主要|具体)?(?:(?:小标题|标题|题目|主题|名称)(?:是|叫|写的是?)?(?:什么|啥)?"
          r"|(?:主要|具体)?(?:讲|说|写|谈|回应|回复|答复)的?(?:是|了)?(?:什么|啥|哪方面|哪个方面)(?:内容|事|建议|问题)?"
          r"|(?:是)?关于(?:什么|啥|哪方面)的?(?:建议|提案|内容|事)?|(?:是)?(?:什么|啥)(?:内容|事|建议)?"
          # "第五部分，对应的是提案里关于啥的建议"
          r"|[，,]\s*(?:对应|回应|回复|答复)(?:的|了)?(?:是)?[^？?。，,]{0,6}?(?:关于(?:什么|啥|哪方面)|哪方面|什么内容)"
          r"的?(?:建议|提案|内容)?)")
# a part pointed at by what it is about, its heading asked: "讲公建民营改革的那一节，小标题怎么写的"
_ON_TOPIC = rf"(?:讲|说|写|谈)(?P<topic>[^，,？?。]{{2,14}}?)的?那一?(?:节|部分|块|条|段)[，,]?(?:的)?{_BOLD}小?标题"
# a part pointed at by the marker it is numbered with, asked what it is about in the clause after it: "标着“四、”
# 的那部分，回应的是委员哪方面的建议"
_MARKED = (rf"标(?:着|有|的是|了)?[“\"]?([{CN_DIGITS}]{{1,2}})、[”\"]?(?:的|那)*{_UNIT}[，,]?[^？?。]{{0,10}}?"
           r"(?:哪方面|哪个方面|什么方面|关于什么|什么内容|什么建议|标题|题目)")
# headings picked by the words they start with: "那几个“坚持”小标题", "小标题是“建”字打头的", "“坚持”开头的小标题"
_STARTS = (r"[“\"‘](?P<start>[\u4e00-\u9fff]{1,6})[”\"’]\s*(?:字|二字|两个字)?(?:开头|打头|起头)?的?"
           r"(?:那?几个|那一?个)?小?标题"
           r"|小?标题(?:都|也|全)?(?:是|为|里有?|中有?)?[“\"‘](?P<start2>[\u4e00-\u9fff]{1,6})[”\"’]\s*(?:字|二字|两个字)?"
           r"(?:开头|打头|起头)"
           # headings that hold the quoted words anywhere: "有两条加粗标题都带“留守空巢老人关爱服务”"
           rf"|{_BOLD}小?标题(?:里|中)?(?:都|也|全)?(?:带|含|带有|含有|包含|有)(?:着|了)?[“\"](?P<held>[^”\"]{{2,20}})[”\"]")
PART_ASKED = re.compile(rf"(?:{_POSITION})(?:的那|的)?{_UNIT}{_TOPIC}(?:呢|啊|呀)?\s*(?:[？?。，,；;]|$)|{_MARKED}"
                        # "第二大块的标题里，说要给…什么关怀": what the heading of a part pointed at says
                        rf"|(?:{_POSITION})(?:的那|的)?{_UNIT}的?{_BOLD}小?标题(?:里|中|里面|里头|上)"
                        rf"|{_ON_TOPIC}|{_STARTS}")
# a numbered point of a part its heading names: "“谋全局规划，完善设施建设”那节第二条讲的是啥"
_POINT_WITHIN = re.compile(rf"[“\"]([^”\"]{{4,30}})[”\"](?:那|这)?一?(?:节|部分|块|段|部分里)(?:的|里的?|中的?)?"
                           rf"第([{CN_DIGITS}]{{1,2}}|\d{{1,2}})(?:条|点|项)")
# "一共分了几部分", "分几条回的", "正文有几个部分" (not "有几条热线": a count of something else); and the headings
# themselves, all or at one end: "用了哪几个小标题", "加粗的标题各是啥", "全文最后两个小标题是啥"
PARTS_COUNTED = re.compile(rf"分(?:成|为)?了?几{_UNIT}|有几个?部分"
                           rf"|(?:哪几个|哪些|几个|(?:最后|末|前|头)[{CN_DIGITS}两\d]个){_BOLD}小?标题"
                           rf"|{_BOLD}小?标题(?:各|分别|都|依次|一个个)(?:是|叫)?(?:什么|啥)|{_BOLD}小?标题(?:列一下|挨个|逐个)")


def asks_outline(question: str) -> bool:
    return bool(PART_ASKED.search(question) or PARTS_COUNTED.search(question))


def position_asked(question: str) -> int | None:
    """1 for the first part, -1 for the last, -2 for the one before it; None when no part is pointed at."""
    m = PART_ASKED.search(question)
    if m is None:
        return None
    if marked := re.search(_MARKED, m.group()):  # 标着“四、”的那部分
        return cn_int(marked.group(1))
    at = re.search(_POSITION, m.group())
    if at is None:
        return 1
    if at.group(1):
        return cn_int(at.group(1))
    if at.group(4) or (at.group(2) and at.group(2).startswith(("最后", "末"))):
        return -1
    if at.group(3):
        return -cn_int(at.group(3))
    return 1  # 头一, 首, 开头


def parts(doc: Document) -> list[Paragraph]:
    """The letter's top-level headings, in order."""
    return [p for p in doc.paragraphs if p.kind == "heading" and len(p.section) == 1]


def outline_answer(question: str, doc: Document, hits: Sequence[Hit], name: str) -> Answer:
    """The heading of the part the question points at, or how many parts there are."""
    heads = parts(doc)
    who = letter_name(doc.meta.bureau, doc.meta.doc_number)
    if not heads:
        return refusal(hits, name, f"{who}答复函的正文没有分部分的标题。")
    if (within := _POINT_WITHIN.search(question)) and (got := _point_within(
            within.group(1), cn_int(within.group(2)), doc, heads, who, hits, name)) is not None:
        return got
    on = PART_ASKED.search(question)
    if on is not None and (start := on.group("start") or on.group("start2")):
        return _starting(question.replace(on.group(0), " "), start, doc, hits, name)
    if on is not None and on.group("held"):
        return _starting(question.replace(on.group(0), " "), on.group("held"), doc, hits, name, anywhere=True)
    if on is not None and on.group("topic"):  # the part whose heading and text say most of what it is about
        topic = bigrams(on.group("topic"))
        head = max(heads, key=lambda h: (len(topic & bigrams(_bare(h))), len(topic & bigrams(_section_text(doc, h)))))
        k = heads.index(head) + 1
    else:
        at = position_asked(question)
        if at is None and (ends := slice_asked(question)) is not None:  # "最后两个小标题": those, in order
            shown = heads[ends]
            names = [_bare(p) for p in shown]
            return Answer(f"{who}答复函正文共{len(heads)}部分，所问的小标题：{'；'.join(names)}。[1]", True,
                          (cite_paragraph(doc, shown[0], shown[0].text.strip()),), tuple(hits), name,
                          direct="、".join(names))
        if at is None:  # 分了几部分, 哪几个小标题
            names = [_bare(p) for p in heads]
            # the count when that is asked, else the headings ("用了哪几个小标题")
            counted = bool(re.search(rf"几{_UNIT}|几个?部分", question))
            return Answer(f"{who}答复函正文分{len(heads)}部分：{'；'.join(names)}。[1]", True,
                          (cite_paragraph(doc, heads[0], heads[0].text.strip()),), tuple(hits), name,
                          direct=f"{len(heads)}部分" if counted else "、".join(names))
        if not 1 <= abs(at) <= len(heads):
            return refusal(hits, name, f"{who}答复函正文只有{len(heads)}部分。")
        k = at if at > 0 else len(heads) + at + 1
        head = heads[k - 1]
    return Answer(f"{who}答复函正文第{k}部分（共{len(heads)}部分）的标题是：“{_bare(head)}”。[1]", True,
                  (cite_paragraph(doc, head, head.text.strip()),), tuple(hits), name, direct=_bare(head))


def _starting(question: str, start: str, doc: Document, hits: Sequence[Hit], name: str,
              anywhere: bool = False) -> Answer:
    """The headings (of any level) that start with `start` (`anywhere`: hold it), the one the question asks by its
    place among them, or all of them in order."""
    who = letter_name(doc.meta.bureau, doc.meta.doc_number)
    heads = [p for p in doc.paragraphs if p.kind == "heading" and (
        start in _bare(p) if anywhere else _bare(p).startswith(start))]
    kind = f"含有“{start}”" if anywhere else f"以“{start}”开头"
    if not heads:
        return refusal(hits, name, f"{who}答复函中没有{kind}的小标题。")
    at = place_in(question, [_bare(h) for h in heads])
    if at is None and len(heads) > 1:
        listed = "；".join(f"{n}. {_bare(h)}[{n}]" for n, h in enumerate(heads, 1))
        return Answer(f"{who}答复函中{kind}的小标题共{len(heads)}个：{listed}。", True,
                      tuple(cite_paragraph(doc, h, h.text.strip()) for h in heads), tuple(hits), name,
                      direct="、".join(_bare(h) for h in heads))
    head = heads[at or 0]
    where = f"第{(at or 0) + 1}个（共{len(heads)}个）" if len(heads) > 1 else "只有一个"
    return Answer(f"{who}答复函中{kind}的小标题{where}：“{_bare(head)}”。[1]", True,
                  (cite_paragraph(doc, head, head.text.strip()),), tuple(hits), name, direct=_bare(head))


def _point_within(heading: str, n: int, doc: Document, heads: list[Paragraph], who: str, hits: Sequence[Hit],
                  name: str) -> Answer | None:
    """The n-th numbered point (一是, 二是…) of the part whose heading the question quotes; None when no part's
    heading holds the quote. A part with fewer points is refused."""
    head = next((h for h in heads if squash(heading) in squash(_bare(h))), None)
    if head is None:
        return None
    points = [(p, m) for p in _section(doc, head) if p.kind != "heading" for m in POINT.finditer(p.text)]
    if not 1 <= n <= len(points):
        return refusal(hits, name, f"{who}答复函“{_bare(head)}”部分没有第{n}条。")
    p, m = points[n - 1]
    said = first_clause(p.text[m.start() :].lstrip(), 60)
    return Answer(f"{who}答复函“{_bare(head)}”部分的第{n}条：“{said}”。[1]", True,
                  (cite_paragraph(doc, p, said),), tuple(hits), name, direct=POINT.sub("", said, count=1))


def _section(doc: Document, head: Paragraph) -> list[Paragraph]:
    """A top-level part's paragraphs: its heading's and those under it."""
    return [p for p in doc.paragraphs if p.section[:1] == head.section[:1]]


def _section_text(doc: Document, head: Paragraph) -> str:
    """The words of a top-level part."""
    return "".join(p.text for p in _section(doc, head))


def _bare(p: Paragraph) -> str:
    """The heading without its marker and closing stop: 二、加大资金支持力度。 → 加大资金支持力度."""
    text = p.text.strip().strip("*").strip()
    if p.section and text.startswith(p.section[0]):
        text = text[len(p.section[0]) :]
    return text.rstrip("。.；; ")
