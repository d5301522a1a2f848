"""Answers about a letter itself (who answered, its 文号, date, addressee, proposal, the units whose opinions
it merged, 抄送, contact, phone, 签发人, 公开方式, the day a portal published it), read from the letter's record
and cited to the paragraph the value stands in. A field the letter does not state is refused, never guessed; a
question that does not say which letter is asked which, never answered from a guess. Pure (the library is passed
in)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from rag.answer.agents import NAME_ASKED
from rag.answer.base import refusal
from rag.answer.cite import cite_paragraph
from rag.answer.frame import QUOTED_SAID, Frame, meta_field
from rag.answer.located import located_answer
from rag.answer.outline import outline_answer
from rag.answer.position import place_in
from rag.answer.question import analyse
from rag.answer.refs import PROPOSAL_TITLE
from rag.answer.scope import contact_person
from rag.core.places import serves
from rag.core.records import Answer, Citation, Document, Hit, Metadata, Paragraph, letter_name
from rag.core.text import split_sentences, squash
from rag.core.tokens import Tokenizer
from rag.ingest.clean import BREADCRUMB_LINE, PUBLISHED_LINE

_DATE_LINE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*(?:印发|发布|制发|签发))?")
_CO_UNITS = re.compile(r"(?:经|已)?(?:综合|征求|会同|汇总)(?:了)?(.{2,160}?)(?:等(?:单位|部门|\d+个单位))?(?:的)?意见")
_PHONE = re.compile(r"(?<!\d)(\d{3,4}-?\d{7,8}|1\d{10}|\d{7,8})(?!\d)")
_NAME = re.compile(r"^\s*([\u4e00-\u9fff]{2,4})\s*(?:[，,；;：:\s]|$)")
_FIELD_LINE = {
    "signer": re.compile(r"签发人\s*[：:]\s*(\S+)"),
    "publicity": re.compile(r"公开(?:方式|属性)\s*[：:]\s*(\S+)|[（(]\s*(此件[^）)]*)[）)]"),
    "category": re.compile(r"^\s*类别\s*[：:]\s*(\S+)\s*$"),
    "views": re.compile(r"阅读次数\s*[：:]\s*(\d+)"),  # the portal's page line: "…来源:广东省民政厅 阅读次数:860"
}
LABELS = {
    "letter": "出处",
    "bureau": "答复单位", "doc_number": "文号", "date": "日期", "addressee": "提出的代表或委员",
    "proposal_title": "建议或提案的标题", "meeting": "会议", "proposal": "建议或提案", "title": "标题",
    "proposal_number": "建议或提案的编号",
    "co_units": "综合意见的单位", "copy_to": "抄送单位", "contact": "联系人", "phone": "联系电话",
    "contact_phone": "联系人和联系电话",
    "signer": "签发人", "publicity": "公开方式", "published": "发布日期", "category": "类别", "part": "正文的部分",
    "located": "正文中的位置",
    "views": "网页阅读次数", "column": "网站栏目",
    "opening": "开头", "closing": "结尾", "closing_note": "末尾括号里的附注",
}
_THANKS = re.compile(r"感谢|谢谢|此复|专此|欢迎")  # what a closing paragraph says, not a field line under it
_YMD = re.compile(r"(\d{4})\D+(\d{1,2})\D+(\d{1,2})")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")


def meta_answer(field: str, doc: Document, cite: Callable[[Document, Paragraph, str], Citation]
                ) -> tuple[str, str, tuple[Citation, ...]] | None:
    """(answer text, the direct value, citations) for `field` of `doc`, or None when the letter does not
    state it."""
    m = doc.meta
    who = f"{m.bureau or ''}{'（' + m.doc_number + '）' if m.doc_number else ''}"
    value: str | None = None
    said: str | None = None  # what a paragraph states, when the answer words it otherwise (第1146号 代表建议)
    text = ""
    if field == "letter" and (m.bureau or m.doc_number):
        value = letter_name(m.bureau, m.doc_number)
        text = f"出自{value}" + (f"（{m.title}）" if m.title else "") + "。"
    elif field == "bureau" and m.bureau:
        value, text = m.bureau, f"这封答复函由{m.bureau}答复{'，文号' + m.doc_number if m.doc_number else ''}。"
    elif field == "doc_number" and m.doc_number:
        value, text = m.doc_number, f"{m.bureau or '这封答复函'}的文号是{m.doc_number}。"
    elif field == "date":
        line = next((p.text.strip() for p in reversed(doc.paragraphs) if p.kind != "body"
                     and _DATE_LINE.fullmatch(squash(p.text))), None)
        if line:
            value, text = squash(line), f"{who}的落款日期是{squash(line)}。"
    elif field == "addressee" and m.addressee:
        which = f"（{m.proposal}）" if m.proposal else ""
        value, text = m.addressee, f"这是{m.addressee}提出的{_kind(m)}{which}，由{who}答复。"
    elif field == "proposal_title" and m.proposal_title:
        value = m.proposal_title
        text = f"{m.addressee or ''}提出的{_kind(m)}是{m.proposal_title}，由{who}答复。"
    elif field == "title" and m.title:
        value, text = m.title, f"{who}的标题是：{m.title}。"
    elif field == "proposal" and m.proposal:  # "人大建议还是政协提案": the kind first, then its full name
        body = raised_body(m)
        value, said = f"{body}{_kind(m)}（{m.proposal}）", m.proposal
        text = f"这是{body}{_kind(m)}：{m.proposal}（{m.addressee or ''}提出），由{who}答复。"
    elif field in ("meeting", "proposal_number") and (g := re.search(r"(.*?)(第\d+号)", m.proposal or "")):
        value = g.group(1) if field == "meeting" else g.group(2) + _kind(m)
        said = g.group(1) if field == "meeting" else g.group(2)
        text = f"这是{g.group(1)}{g.group(2)}{_kind(m)}（{m.addressee or ''}提出），由{who}答复。"
    elif field == "co_units":
        for p in doc.paragraphs:
            if (g := _CO_UNITS.search(p.text)) and "、" in g.group(1):
                value = g.group(1).strip("，, ")
                return f"{who}的答复综合了{value}等单位的意见。", value, (cite(doc, p, g.group(0)),)
    elif field == "copy_to" and m.copy_to:
        para = next((p for p in doc.paragraphs if re.search(r"抄\s*送", p.text)), None)
        if para:
            value = "、".join(m.copy_to)
            return f"{who}抄送：{value}。", value, (cite(doc, para, para.text.strip()),)
    elif field in ("contact", "phone", "contact_phone") and m.contact:
        phones = _PHONE.findall(m.contact)
        name = _NAME.match(m.contact)
        person = name.group(1) if name else re.sub(r"[\d\s，,；;：:-]+$", "", m.contact).strip()
        phone = "、".join(phones)
        both = "；".join(x for x in (person, phone) if x)  # contact_phone: "联系人和电话"
        value = person if field == "contact" else phone if field == "phone" else both
        if value:
            text = f"{who}的联系人：{person}" + (f"，联系电话：{phone}" if phone else "") + "。"
    elif field == "published":  # the portal's line, never the signing date: a page without one is refused
        for p in doc.paragraphs:
            if p.kind != "body" and (g := PUBLISHED_LINE.match(p.text.strip())):
                written = squash(g.group(1) or g.group(2))
                y, mo, d = _YMD.match(written).groups()  # type: ignore[union-attr]
                value = f"{y}-{int(mo):02d}-{int(d):02d}"
                shown = "" if written == value else f"（网页所载：{written}）"
                if clock := _CLOCK.search(p.text):  # "2020-07-09 16:40:22 来源:…": the time too, when it gives one
                    return (f"{who}在网上的发布时间是{value} {clock.group(0)}{shown}。", f"{value} {clock.group(0)}",
                            (cite(doc, p, p.text.strip()),))
                return f"{who}在网上的发布日期是{value}{shown}。", value, (cite(doc, p, p.text.strip()),)
    elif field == "column":  # the section the portal published it in: the breadcrumb's last step, path shown
        for p in doc.paragraphs:
            if p.kind == "page" and (g := BREADCRUMB_LINE.fullmatch(p.text.strip())):
                path = [x.strip() for x in re.split(r"\s*[-—>»/|]+\s*", g.group(1)) if x.strip()]
                return (f"{who}在网站上的栏目是“{path[-1]}”（{' > '.join(path)}）。", path[-1],
                        (cite(doc, p, p.text.strip()),))
    elif field in ("opening", "closing", "closing_note") and (para := _framing(doc, field)) is not None:
        said = para.text.strip()
        return f"{who}答复函的{LABELS[field]}：“{said}”", said, (cite(doc, para, said),)
    elif field in _FIELD_LINE:
        for p in doc.paragraphs:
            if g := _FIELD_LINE[field].search(p.text):
                value = next(x for x in g.groups() if x)
                return f"{who}的{LABELS[field]}：{value}。", value, (cite(doc, p, g.group(0)),)
    stated = (m.doc_number or m.bureau) if field == "letter" else said or value
    para = _holding(doc, stated or "") or (_holding(doc, m.contact or "") if field in ("contact", "phone",
                                                                                     "contact_phone") else None)
    if not value or para is None:
        return None  # a value no paragraph states is not cited, so not given
    return text, value, (cite(doc, para, para.text.strip()),)


def _framing(doc: Document, field: str) -> Paragraph | None:
    """The paragraph a letter opens with (its first body paragraph, before any heading: "…收悉。经调查研究，现答复如
    下"), closes with (the first line after its body that thanks or signs off, not its contact or date), or the note
    in brackets at its very end ("（此件公开发布）")."""
    paras = list(doc.letter_paragraphs)
    if field == "opening":
        first = next((p for p in paras if p.kind in ("body", "heading")), None)
        return first if first is not None and first.kind == "body" else None
    last = max((i for i, p in enumerate(paras) if p.kind in ("body", "heading")), default=-1)
    after = paras[last + 1 :] if last >= 0 else []
    if field == "closing_note":
        return next((p for p in reversed(after) if re.fullmatch(r"[（(][^（()）]+[）)]", p.text.strip())), None)
    return next((p for p in after if _THANKS.search(p.text)), None)


def raised_body(m: Metadata) -> str:
    """The body a proposal was raised in: 人大 (a 代表's 建议) or 政协 (a 委员's 提案); "" when neither is said."""
    proposal, addressee = m.proposal or "", m.addressee or ""
    return "人大" if "人大" in proposal or "代表" in addressee else (
        "政协" if "政协" in proposal or "委员" in addressee else "")


def _kind(m: object) -> str:
    proposal = getattr(m, "proposal", None) or ""
    return "建议" if "建议" in proposal or "代表" in (getattr(m, "addressee", None) or "") else "提案"


def _holding(doc: Document, value: str) -> Paragraph | None:
    """The paragraph that states `value`: a header or closing line first, then any; never the portal's page
    line ("来源:广东省民政厅" is where the page came from, not who answered)."""
    key = squash(value)
    if not key:
        return None
    paras = sorted(doc.letter_paragraphs, key=lambda p: p.kind == "body")
    return next((p for p in paras if key in squash(p.text)), None)


_PERSONS = ("signer", "contact", "addressee")  # fields that name a person, whom a question may name to ask more
# "哪封回复提到了时间银行", "讲爱心餐厅的那封", "提到“登科白玉”的是哪个单位的回复", "哪封答复里有护理员培训的内容": what
# the letter asked for must say (verbatim, or each of its words)
_MENTION = re.compile(r"(?:提到|提及|提起|讲到|说到|谈到|涉及|写到|[提讲说写]过|讲了?|[里中]有(?!没有)"
                      r"|说(?=要|将|准备|打算|计划)"  # "说要推广时间银行": a plan it states
                      # 征求过省医保局的意见, 标了签发人 (标题 is no 标)
                      r"|征求|会同|标(?!题)注?|注明|写明|列出)(?:了|过|有)?(?:关于)?"
                      # what it does with the thing ("提到要搞“时间银行”"): the thing is what it mentions
                      r"(?:(?:要|将|准备|打算|计划)(?:搞|做|开展|建设?|推广|推进|实施|探索|设立))?"
                      r"(?:“([^”]{2,20})”|([^“”\"，,？?。的]{2,20}?)"
                      r"(?=的?(?:内容|事情?|情况|意见|那[封份]|答复|回复|函|是)|的?[？?，,。]|的?$))"
                      # a value its record gives: "签发人是赵斌正的那份"
                      r"|(?:是|为|叫)([^“”\"，,？?。的]{2,12}?)(?=的[那这]?一?[份封件篇]|的(?:答复|回复|回函|函))"
                      r"|找(?!谁|哪)([\u4e00-\u9fff]{2,3})(?:联系|对接|咨询)的"  # its contact: "找陈庆对接的那份"
                      # words it is said to hold, quoted: "标题叫“…”的那封", "开头写的是“…”"
                      rf"|{QUOTED_SAID}(?=的?[那这]?一?[份封件篇]|的?[？?，,]|是|$|的(?:答复|回复|函))")


def mentioned(question: str) -> str | None:
    """What a question about "the letter that mentions X" names as X, or None; a proposal's title in 《》 names
    the letter that answers it."""
    if title := PROPOSAL_TITLE.search(question):
        return title.group(1)
    m = _MENTION.search(question)
    said = next((g for g in m.groups() if g), None) if m else None
    # "又是市一级民政局发的那封": who wrote it describes the letter (rag.answer.scope.described), it mentions nothing
    return None if said and _WRITER.search(said) else said


_WRITER = re.compile(r"(?:局|厅|委|办)(?:发|写|回|出|答复|回复)$")  # who sent it (not 征求过省医保局的意见)


# the lists a letter's record holds, as a question names them
_LISTS = (("copy_to", re.compile(r"抄送|抄给|抄报")),
          ("co_units", re.compile(r"(?:综合|汇总|征求|会同|会办)[^，,？?]{0,8}意见|会办单位|会同单位")))


def _item_at(question: str, doc: Document, hits: Sequence[Hit], name: str) -> Answer | None:
    """The unit at a place in a list the letter's record holds (its 抄送, the units whose opinions it merged),
    when the question names that list and asks a place in it ("省厅那封综合各厅局意见，打头的是哪个厅", "排在省财政厅
    后头那个是谁"); else None."""
    field = next((f for f, said in _LISTS if said.search(question)), None)
    if field is None or not (found := meta_answer(field, doc, cite_paragraph)):
        return None
    _, value, citations = found
    items = [x.strip() for x in re.split(r"[、，,]", value) if x.strip()]
    if (at := place_in(question, items)) is None:
        return None
    where = "第一个" if at == 0 else "最后一个" if at == len(items) - 1 else f"第{at + 1}个"
    who = letter_name(doc.meta.bureau, doc.meta.doc_number)
    return Answer(f"{who}的{LABELS[field]}中，{where}是{items[at]}（共{len(items)}个：{value}）。[1]", True,
                  citations, tuple(hits), name, direct=items[at])


def _saying(said: str, doc_ids: Sequence[str], library: Callable[[str], Document | None],
            tokenizer: Tokenizer) -> list[str]:
    """The letters that say `said` whole in one sentence, or else each of its words in one sentence (长者饭堂 is not
    长者 here and 餐厅 there; 省医保局 is not the 医保 of 医保定点)."""
    words = [t for t in tokenizer.tokens(said) if len(t) >= 2] or [said]
    sentences = {d: [squash(x) for p in doc.paragraphs for x in split_sentences(p.text)]
                 if (doc := library(d)) else [] for d in doc_ids}
    return [d for d in doc_ids if any(squash(said) in x for x in sentences[d])] or [
        d for d in doc_ids if any(all(w in x for w in words) for x in sentences[d])]


# a legislator's own phone asked ("打给温蓉委员本人", "代表自己的手机"): no letter gives one
_OWN_PHONE = re.compile(r"(代表|委员)(?:本人|自己|个人)")


def letter_answer(frame: Frame, hits: Sequence[Hit], library: Callable[[str], Document | None] | None,
                  tokenizer: Tokenizer, name: str) -> Answer:
    """Who answered, 文号, date, contact…: from the one letter the question (or the conversation) points at,
    or the one retrieved letter that says what the question says it mentions. Several letters and nothing to
    choose between them: ask which, never guess."""
    assert frame.meta is not None
    doc_ids = list(dict.fromkeys(h.chunk.doc_id for h in hits))
    named = analyse(frame.content, tokenizer).places
    if len(doc_ids) > 1 and named:
        served = [d for d in doc_ids if any(serves(h.meta.bureau, p) for h in hits if h.chunk.doc_id == d
                                            for p in named)]
        doc_ids = served or doc_ids  # 温州和咸阳的答复: both, still to choose between
    # what it mentions is how the question says which letter, unless it names the letter or its place
    said = mentioned(frame.text) if not frame.refs and not named and library is not None else None
    if said and library is not None:
        if field := meta_field(said, said, True):  # 标了签发人, 写明了联系人和电话: a field the letter's record states
            holding = [d for d in doc_ids if (doc := library(d)) and meta_answer(field, doc, cite_paragraph)]
        else:
            holding = _saying(said, doc_ids, library, tokenizer)
        if not holding:
            return refusal(hits, name, f"检索到的答复函中没有提到“{said}”。")
        if len(holding) > 1:
            meta_of = {h.chunk.doc_id: h.meta for h in hits}
            letters = "；".join(letter_name(meta_of[d].bureau, meta_of[d].doc_number) for d in holding)
            return refusal(hits, name, f"提到“{said}”的答复函不止一封（{letters}），请写明问的是哪一封。")
        doc_ids = holding
    if len(doc_ids) != 1 or library is None:
        return refusal(hits, name, "问题没有指明是哪一封答复函：请写明文号、建议或提案编号、代表或委员姓名，"
                                   "或答复单位所在地。")
    doc = library(doc_ids[0])
    if doc is not None and frame.meta == "part":
        return outline_answer(frame.text, doc, hits, name)
    if doc is not None and frame.meta == "located":
        return located_answer(frame.text, doc, hits, name)
    if doc is not None and (at := _item_at(frame.text, doc, hits, name)) is not None:
        return at
    found = meta_answer(frame.meta, doc, cite_paragraph) if doc else None
    if doc is not None and found and frame.meta in _PERSONS and squash(found[1]) in squash(frame.text):
        # "签发人赵斌正是什么职务": the person the question names is not what it asks
        who = letter_name(doc.meta.bureau, doc.meta.doc_number)
        return refusal(hits, name, f"{who}答复函写明的{LABELS.get(frame.meta, '')}就是问题里的"
                                   f"“{found[1]}”，没有写明所问的其他内容。")
    if doc is not None and frame.meta in ("phone", "contact_phone") and (own := _OWN_PHONE.search(frame.text)):
        # "想直接打给温蓉委员本人，她电话多少": the letter gives its own contact's phone, never the legislator's
        who = letter_name(doc.meta.bureau, doc.meta.doc_number)
        return refusal(hits, name, f"{who}答复函留的是答复单位联系人的电话，没有{own.group(1)}本人的电话。")
    if doc is not None and found and frame.meta == "contact" and NAME_ASKED.search(frame.text) and not contact_person(
            doc.meta.contact or ""):
        # "负责联系的人叫啥": a letter whose contact line gives an office and a phone names no one
        who = letter_name(doc.meta.bureau, doc.meta.doc_number)
        return refusal(hits, name, f"{who}答复函没有写明联系人姓名，只留了联系单位及电话：{doc.meta.contact}。")
    if doc is None or found is None:
        what = LABELS.get(frame.meta, "")
        who = letter_name(doc.meta.bureau, doc.meta.doc_number) if doc else ""
        return refusal(hits, name, f"{who}答复函中没有写明{what}。" if who else "")
    text, value, citations = found
    return Answer(f"{text}[1]", True, citations, tuple(hits), name, direct=value)
