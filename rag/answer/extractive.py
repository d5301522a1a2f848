"""Grounded extractive answering (the default: no LLM needed).

From the retrieved chunks (their sentences scored in rag.answer.candidates) pick the sentence that answers the
question — for 多少/几 a number of the asked-for unit beside the thing asked about, for 什么时候 a date, for
谁/联系人/哪家公司 a name — and answer with that value plus the quoted clauses, cited to the exact paragraph. It
refuses instead of guessing when no sentence carries such a value, when too little of the question is covered,
or when the question names a place the retrieved letters do not speak about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from rag.answer import kinds, lists
from rag.answer.base import AnswerEvent, combine, events_of, refusal
from rag.answer.candidates import Candidate, candidates, sentences
from rag.answer.cite import cite_paragraph, make_citation
from rag.answer.focus import context_of, focus
from rag.answer.frame import Frame, meta_field, read
from rag.answer.meta import letter_answer
from rag.answer.parts import parts_of
from rag.answer.question import EACH_ITEM, OFFERS_WHAT, Question, analyse
from rag.answer.refs import DocRef, parse_doc_refs
from rag.answer.scope import at_level, foreign_places, level_asked, whole_not_stated
from rag.answer.siblings import besides_answer, kind_answer
from rag.answer.spans import clause_of
from rag.answer.values import Subject, same_value, subject_of
from rag.answer.wording import in_letters_words, longest_said, renamed_quotes
from rag.core.places import places_of
from rag.core.records import Answer, Citation, Document, Hit, letter_name
from rag.core.text import quoted_phrases, squash
from rag.core.tokens import Tokenizer

# the marker a section heading opens with: "二、", "（一）"
_HEADING_MARK = r"(?:[一二三四五六七八九十]{1,2}、|[（(][一二三四五六七八九十]{1,2}[）)])"
# a sentence that announces the items after it ("重点做好以下几点工作：", "主要有以下措施："), or a section heading
# ("二、推进养老产业发展的措施"): its section's items
_ANNOUNCES = re.compile(rf"[：:]\s*[”’」』）)]*$|^\s*\**\s*{_HEADING_MARK}[^。！？!?；;，,]{{2,30}}$")
# several things counted, then asked each: "那5所敬老院分别有多少张床位", "两个中心各有多少张床位"
_EACH_OF_COUNT = re.compile(r"([两二三四五六七八九十]|\d+)([个所家座项])[\u4e00-\u9fff]{1,12}?(?:分别|各自?)"
                            r"(?:有|是|为)?(?:多少|几)")
# a question that wants items, not a name or a description ("…叫什么", "…指什么" are answered by a passage)
_LIST_ASK = re.compile(rf"哪些|哪几(?![年月天日])|哪[一二三四五六七八九十两\d]+{lists.ITEM_MEASURE}"
                       rf"|包括什么|分为什么|分别是什么|{OFFERS_WHAT}"
                       r"|都(?:有|是)谁"  # "成员单位都有谁": who, many
                       r"|具体(?:指|是|包括)(?:的是)?(?:什么|啥)"  # “五助”具体指什么: its particulars
                       r"|[二三四五六七八九十两\d]+(?:种|个|项|类|大|条|点)[\u4e00-\u9fff]{0,6}(?:是什么|是哪些|指什么)"
                       r"|(?P<n>[二三四五六七八九十两])(?P<h>[\u4e00-\u9fff])\S{0,6}?哪(?P=n)(?P=h)")  # 五助是哪五助
_SAME_PASSAGE = 0.3  # a later part of a multi-part question, for a sentence an earlier part cited
_CLOSE = 0.35  # candidate values this close in score are told apart by meaning
_MEANING_MAX = 4
_MEANING_WEIGHT = 1.0
_EARLIEST = re.compile(r"最早|最先|首次|第一次|头一回")
_NAMES = re.compile(r"名单|名字|名称|叫(?:什么|啥)")  # names asked: of a counted group, one name each


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, tokenizer: Tokenizer, min_support: float = 0.2,
                 library: Callable[[str], Document | None] | None = None,
                 similarity: Callable[[str, Sequence[str]], Sequence[float]] | None = None,
                 names: Callable[[], frozenset[str]] | None = None) -> None:
        self.tokenizer = tokenizer
        self.names = names  # what the library's letters name in quotes (“时间银行”): programmes
        self.min_support = min_support
        self.library = library  # doc id → the whole letter (answers about the letter itself need it)
        self.similarity = similarity  # question, texts → cosine each (the embedder); None: words only

    def answer(self, question: str, hits: Sequence[Hit]) -> Answer:
        got = self._answer(in_letters_words(question, (h.chunk.text for h in hits)), hits)
        if got.found and (renamed := renamed_quotes(question, (h.chunk.text for h in hits))):
            # "“时光银行”": read as the letters' “时间银行”, and the reader is told so
            said = "；".join(f"问题中的“{x}”，答复函中写作“{y}”" for x, y in renamed)
            got = replace(got, answer=f"（{said}。）{got.answer}")
        return got

    def _answer(self, question: str, hits: Sequence[Hit]) -> Answer:
        frame = read(question)
        # a 文号 that is none of the retrieved letters' own is a document they cite (粤府办〔2014〕33号): content
        cited = [r.text for r in _cited(frame.refs.doc_numbers, hits)]
        # named only by documents its letter cites, a question asks about them, not the letter's own record
        # ("粤府办〔2019〕23号是哪天印发的" is not the 713号 letter's date): only their text can answer
        only_cited = bool(hits and cited) and len(cited) == len(frame.refs.doc_numbers) and not (
            frame.refs.proposals or frame.refs.people or frame.refs.serials)
        if only_cited:
            frame = replace(frame, meta=meta_field(frame.text, frame.content, False))
        # (the documents cited stay where the question names them: "老口径跟粤府办〔2019〕23号的新口径各是多少")
        parts = parts_of(replace(frame, content=read(question, keep=cited).content) if cited and hits else frame,
                         names_letter=False if only_cited else None)
        answers: list[Answer] = []
        for f in parts:  # the asks of one question are about one passage: later parts prefer the sentences cited
            # (the sentence that answered, not a close second quoted beside it, which may speak of another case:
            # "一是对于100张床位以下…" answered, "我市分层分类…" beside it)
            cited = frozenset(squash(a.citations[0].quote) for a in answers if a.citations)
            # and about one letter: once a part is answered, the rest are read in the letter it was answered from
            own = _of_letters(hits, answers) or list(hits)
            got = (letter_answer(f, own, self.library, self.tokenizer, self.name) if f.meta
                   else self._from_text(f.content, own, cited))
            if _repeats(got, answers) and not f.meta and cited:  # the passage preferred only breaks ties
                got = self._from_text(f.content, own)  # read without it
            if _repeats(got, answers) and not f.meta:  # (a letter's fields share values: its name holds its 文号)
                got = refusal(own, self.name)  # two asks are not answered by one value: the later one is unsure
            answers.append(got)
        if len(answers) == 1:
            return answers[0]
        return combine(self._one_passage(parts, answers, hits), hits, self.name)

    def _one_passage(self, parts: Sequence[Frame], answers: list[Answer], hits: Sequence[Hit]) -> list[Answer]:
        """Parts answered from different sentences, read again preferring the sentence a later part was answered
        from: the first part was read with no passage to prefer, so a sentence that holds every part's value
        ("今年我们要推动339家养老机构、70%…照料中心实现医养结合") is found only once a later part has cited it."""
        said = [squash(a.citations[0].quote) for a in answers if _valued(a)]
        if any(f.meta for f in parts) or len(said) < len(answers) or len(set(said)) < 2:
            return answers  # (a described part quotes its own passage: "分别靠什么方式" asks two)
        own = _of_letters(hits, answers)
        for sentence in list(dict.fromkeys(said))[1:]:
            again: list[Answer] = []
            for f in parts:
                got = self._from_text(f.content, own, frozenset({sentence}))
                if not (got.found and got.citations and squash(got.citations[0].quote) == sentence) or _repeats(
                        got, again):
                    break
                again.append(got)
            else:
                return again
        return answers

    def _from_text(self, question: str, hits: Sequence[Hit], prefer: frozenset[str] = frozenset()) -> Answer:
        q = analyse(question, self.tokenizer)
        if not hits or not q.keywords:
            return refusal(hits, self.name)
        sliced = lists.slice_asked(q.text)  # "最后三块是啥": items, at one end of a list
        wants_items = bool(_LIST_ASK.search(q.text) or EACH_ITEM.search(q.text) or sliced)
        # the named thing's partner or the item it is, before any list: "除了A还有什么" does not ask them all
        if (other := besides_answer(q, hits, self._sentences, self.name)) is not None:
            return other
        if (kind := kind_answer(q, hits, self.library, self.name)) is not None:
            return kind
        if (q.kind == "list" or sliced) and wants_items and (listed := self._enumeration(q, hits, sliced)) is not None:
            return listed
        if q.kind == "list" and wants_items and kinds.bodies_asked(q.text):
            # "哪几家银行", "哪些养老机构": no series of them answers, and a sentence quoted instead names none
            return refusal(hits, self.name)
        if q.kind == "list" and (lists.asks_which(q.text) or EACH_ITEM.search(q.text) or _NAMES.search(q.text)) and (
                n := lists.asked_count(q.text)) and n >= 3:
            # "那10个街道分别是哪几个", "那4家…叫啥名字": the letters would have to name them, in a series; a sentence
            # that only counts them does not (two may be named by "A和B" or two clauses, which a sentence answers)
            return refusal(hits, self.name, f"答复函中没有逐一列出这{n}项。")
        if q.kind == "number" and (each := _EACH_OF_COUNT.search(q.text)):
            # "那5所敬老院分别有多少张床位": one figure is their total, not each one's; the question names none of
            # them for its parts to be asked one by one
            return refusal(hits, self.name, f"问的是这{each.group(1)}{each.group(2)}各自的数字，无法逐一对应；"
                                            "请写明要问其中哪一项。")
        cands, weights = candidates(q, hits, self.tokenizer, self.library, self.names)
        if q.kind == "date" and _EARLIEST.search(q.text) and (years := [int(c.key[:4]) for c in cands
                                                                        if c.key and c.key[:4].isdigit()]):
            # "最早是哪一年": of the dates the letters give for it, the earliest
            cands = [replace(c, score=c.score + 0.5) if c.key and c.key[:4] == str(min(years)) else c for c in cands]
        typed = q.kind in ("number", "date", "who", "ordinal")
        if prefer:
            cands = [replace(c, score=c.score + _SAME_PASSAGE) if squash(c.sentence) in prefer else c for c in cands]
        # the sentence words alone rank first: the embedder below only tells values apart, so a sentence that says
        # the question's words but gives no value still outranks one saying much less (the check after it)
        by_words = min(cands, key=lambda c: (-c.score, c.rank)) if cands else None
        if typed and self.similarity is not None:
            cands = self._by_meaning(q, cands)
        cands = sorted(cands, key=lambda c: (-c.score, c.rank))
        if not typed:  # "二是推进乡镇敬老院升级改造。" names a topic: what follows it answers
            cands = [c for c in cands if not _topic_only(c.sentence)] or cands
            # "中山金融局准备怎么帮它们和银行牵线": what the body the question names does, said where it is named
            # (not what 市民政局 does in a sentence sharing more words); the bureau that wrote the letter (省厅 for
            # 省民政厅) speaks in every sentence, named or not
            others = [b for b in _bodies_named(q) if not any(b in (h.meta.bureau or "") for h in hits)]
            cands = [c for c in cands if all(b in squash(c.sentence) for b in others)] or cands
        best = next((c for c in cands if c.key or not typed), None)
        if best is None or best.coverage < self.min_support:
            return refusal(hits, self.name, whole_not_stated(q.text, q.places, hits[0].meta.bureau))
        if q.kind == "number" and best.key and (counted := _COUNTED_THING.search(q.text) or _COUNTED_FIRST.search(
                q.text)) and (
                thing := counted.group(1)) not in squash(best.sentence) and any(
                thing in squash(c.sentence) for c in cands if not c.key):
            # "建成多少家综合养老服务中心": the letter speaks of them where it gives no count, and the figure found
            # elsewhere counts something else (入驻服务商118家)
            return refusal(hits, self.name, f"答复函提到了“{thing}”，但没有给出这一数字。")
        # the clause the value stands in: what it is said of
        value_clause = clause_of(best.sentence, max(best.sentence.find(best.key), 0)) if best.key else ""
        if q.kind == "number" and best.key and (among := _COUNTED_AMONG.search(q.text)) and (
                thing := among.group(1)) not in value_clause:
            # "46个乡镇（街道）养老服务中心里，有多少个是公建民营的": a count of some of them is said of them, in the
            # clause that names them (not 375家养老机构, the clause before 建成乡镇（街道）养老服务中心46个)
            return refusal(hits, self.name, f"答复函提到了“{thing}”，但没有给出其中这一部分的数字。")
        if q.kind == "date" and best.key and (dated := _DATED_THING.search(q.text)) and (
                thing := _unplaced(dated.group(1), q.places)) and thing[-2:] not in value_clause and any(
                thing in squash(c.sentence) for c in cands if not c.key):
            # "广弘康复医院是哪一年开业的": the letter names it where it dates nothing, and a year in a clause that
            # says neither it nor its head noun ("平台于2021年10月14日正式上线" says 平台) dates something else
            return refusal(hits, self.name, f"答复函提到了“{thing}”，但没有给出这一日期。")
        if typed and best.key and by_words is not None and by_words.key is None and (
                best.coverage < _SAYS_LESS * by_words.coverage):
            # "各镇街综合性养老服务中心实际建成了几家": the sentence that speaks of them gives no count of what was
            # done ("年内实现各镇街至少建有1家"), and a figure from a sentence saying much less counts something else
            # (so for a date or a name: "床位不到100张的…跟谁签协议" is not answered by who pushed 325家 elsewhere)
            return refusal(hits, self.name, f"答复函提到了这件事，但没有给出{_WHAT_ASKED.get(q.kind, '所问的内容')}。")
        if q.kind in ("list", "fact") and _ANNOUNCES.search(best.sentence) and (
                listed := self._announced(best, hits)) is not None:
            return listed  # "重点做好以下几点工作：" answers nothing by itself: the items it announces do
        chosen = [best]
        if q.kind in ("list", "fact"):  # a close second sentence often completes a list or a description
            chosen += [c for c in cands[1:3] if c.score >= 0.85 * best.score and c.sentence != best.sentence][:1]
        citations: list[Citation] = []
        parts: list[str] = []
        for c in chosen:
            cit = make_citation(c.hit, c.sentence)
            if cit is None:
                continue
            citations.append(cit)
            parts.append(f"“{focus(c.sentence, c.key, q, weights)}”[{len(citations)}]")
        if not citations:
            return refusal(hits, self.name)
        # (a pair said with no 分别 of its own, "不低于20%和10%", is one statement of two holders: both answer)
        key = _paired(best.sentence, best.key) if best.key and q.kind == "number" and (
            "分别" in q.text or "分别" not in best.sentence) else best.key
        lead = f"{key}。" if key else ""
        who = letter_name(best.hit.meta.bureau, best.hit.meta.doc_number)
        text = f"{lead}据{who}答复：" + "；".join(parts)
        direct = key or "；".join(p.rsplit("[", 1)[0] for p in parts)
        return Answer(text, True, tuple(citations), tuple(hits), self.name, direct=direct)

    def _by_meaning(self, q: Question, cands: list[Candidate]) -> list[Candidate]:
        """Values from different sentences that words alone cannot tell apart ("敬老补助" is the letter's
        高龄补贴): the embedder compares the question with each value's clause and the clause before it."""
        keyed = sorted((c for c in cands if c.key), key=lambda c: -c.score)
        close = [c for c in keyed if c.score >= keyed[0].score - _CLOSE][:_MEANING_MAX] if keyed else []
        if len(close) < 2 or len({c.sentence for c in close}) < 2:
            return cands
        texts = [context_of(c.sentence, c.key or "") for c in close]
        sims = self.similarity(q.text, texts)  # type: ignore[misc]
        bonus = {id(c): _MEANING_WEIGHT * s for c, s in zip(close, sims, strict=True)}
        return [replace(c, score=c.score + bonus.get(id(c), 0.0)) for c in cands]

    def _enumeration(self, q: Question, hits: Sequence[Hit], sliced: slice | None = None) -> Answer | None:
        """Every item of the enumeration (一是…, （一）…, A、B、C等) in the retrieved letters that answers a list
        question, in the letter's order, each cited (only the `sliced` ones: "最后三块"); None when no enumeration
        speaks of the question."""
        if self.library is None:
            return None
        found = []
        near = frozenset(p for h in hits for p in h.chunk.paragraph_ids)
        # a programme the letters name in quotes (“一键通”) that the question names: its list stands beside it
        named = tuple(n for n in (self.names() if self.names is not None else ()) if n in squash(q.text))
        level = level_asked(q.text, q.places)  # "省里那份若干措施…": a province's letter, as for values
        # a 文号 the letters cite (财综〔2014〕96号是哪几个部门发的): its list stands in the sentence citing it
        cited = _cited(parse_doc_refs(q.text), hits)
        for doc_id in list(dict.fromkeys(h.chunk.doc_id for h in hits if at_level(h.meta.bureau, level)))[:3]:
            doc = self.library(doc_id)
            if doc is None:
                continue
            served = places_of(doc.meta.bureau)
            foreign = foreign_places(q.text, q.places, doc.meta.bureau)
            # a place the letter's bureau does not serve (东莞 for 中山's letter) must be named where its list stands
            enums = [x for x in lists.enumerations(doc) if all(p in x.lead or p in x.items[0].para.text
                                                               for p in foreign) and all(
                any(r.matches(y.text) for y in parse_doc_refs(squash(x.items[0].quote))) for r in cited)]
            subject = subject_of(q.text, served)
            scored = _best_list(q, enums, subject, near, named) or _best_list(q, enums, subject, near)
            score, e = scored if scored is not None else (0.0, None)
            if (e is not None and not lists.of_asked_kind(e, kinds.category_of(q.text))
                    and not lists.REST_ASKED.search(q.text)  # "搜到了“X”，…还列了哪几样": X named to ask the rest
                    and (item := lists.named_item(e, subject, q.text)) is not None):
                # the question names one item: what that item goes on to list, else the passages answer; never
                # the item's siblings ("人才队伍建设有哪些做法" is not answered by "…、人才队伍建设、…")
                e = lists.within(item, subject)
            if e is not None:
                found.append((score, -len(found), doc, e))
        if not found:
            return None
        # the letter whose enumeration answers best, not merely the first retrieved (ties: retrieval's order)
        _, _, doc, e = max(found, key=lambda f: f[:2])
        if (thing := longest_said(q.text, doc)) and thing not in squash(e.lead + "".join(
                i.para.text + i.para.section_title + i.quote for i in e.items)):
            # "10月底前那次养老服务推进会议最后定了哪些事": the letter names the meeting only as planned, and a list
            # of another section lists something else
            return refusal(hits, self.name, f"答复函提到了“{thing}”，但没有在提到它的地方列出这一问要的内容。")
        if (known := lists.known_items(e, q.text)) and len(known) < len(e.items):
            # "第一条…我知道，剩下四条是啥": the rest, not the first one's own doings (numbered as the letter does
            # when the known ones lead)
            if e.items[: len(known)] == known:
                return self._listed(doc, e, hits, slice(len(known), None))
            return self._listed(doc, replace(e, items=tuple(i for i in e.items if i not in known)), hits)
        if (n := lists.ordinal_asked(q.text)) and n <= len(e.items) and len(e.items) > 2 and (
                inner := lists.within(item := e.items[n - 1], subject_of(q.text, places_of(doc.meta.bureau)))
                or lists.clauses_of(item)) is not None:
            return self._listed(doc, inner, hits)  # "措施里第七条，具体要干哪几件事": that item's own doings
        if sliced is not None and len(e.items[sliced]) < len(e.items):  # "最后三块", read by _from_text
            return self._listed(doc, e, hits, sliced)
        return self._listed(doc, e, hits)

    def _announced(self, best: Candidate, hits: Sequence[Hit]) -> Answer | None:
        """The enumeration a sentence ending in a colon leads into, in the same letter."""
        doc = self.library(best.hit.chunk.doc_id) if self.library is not None else None
        if doc is None:
            return None
        # without a heading's own marker (二、): the enumeration's lead holds the heading's words
        lead = re.sub(rf"^\**{_HEADING_MARK}", "", squash(best.sentence)).rstrip("：:")
        e = next((x for x in lists.enumerations(doc) if lead and lead in squash(x.lead)), None)
        return self._listed(doc, e, hits) if e is not None else None

    def _listed(self, doc: Document, e: lists.Enumeration, hits: Sequence[Hit], part: slice | None = None) -> Answer:
        citations: list[Citation] = []
        lines = []
        total = len(e.items)
        first = part.indices(total)[0] if part is not None else 0
        if part is not None:  # "最后三块": those items, numbered as the letter orders them
            e = replace(e, items=e.items[part])
        for item in e.items:  # items of one sentence share its citation
            cit = cite_paragraph(doc, item.para, item.quote.strip())
            if cit not in citations:
                citations.append(cit)
            lines.append(f"{first + len(lines) + 1}. {item.text}[{citations.index(cit) + 1}]")
        who = letter_name(doc.meta.bureau, doc.meta.doc_number)
        quote, last = squash(e.items[-1].quote), squash(e.items[-1].text)
        after = quote[quote.find(last) + len(last) :]
        # "省民政厅、…、省医保局等24个部门": the letter names these and says there are more
        count = f"列出{len(lines)}项（原文以“等”结尾，未列全）" if after.startswith("等") else f"共{len(lines)}项"
        if part is not None:
            count = f"共{total}项，{'前' if part.start == 0 else '最后'}{len(lines)}项是"
        text = f"据{who}答复，{count}：\n" + "\n".join(lines)
        return Answer(text, True, tuple(citations), tuple(hits), self.name, direct=lists.as_stated(e))

    def stream(self, question: str, hits: Sequence[Hit]) -> Iterator[AnswerEvent]:
        return events_of(self.answer(question, hits))

    def _sentences(self, hit: Hit) -> list[tuple[str, str]]:
        """(line, sentence) of a hit, completed from its letter (rag.answer.candidates)."""
        return sentences(hit, self.library)


# a figure's sentence says "much less" of the question than one that gives no figure when it covers under this
# share of it (0.5, 0.7, 0.85 and 1.0 were tried on the tune files: 2, 3, 4 and 4 wrong answers refused, 0, 0, 1 and
# 1 right one lost)
_SAYS_LESS = 0.7
_WHAT_ASKED = {"number": "这一数字", "date": "这一时间", "ordinal": "这一名次"}  # what a typed question asks, in words
# the thing a count asks for, named right after the measure word ("多少家综合养老服务中心了"): four characters or more,
# so that it names a thing, not a bare noun (多少家机构) a letter says in many ways
_COUNT_ASK = r"(?:多少|几)[个家张座所户项场条种类](?!多)"  # the ask with its measure word, not 多少 of 多少多
_ASK_END = r"(?:了|呢|啊|呀)?[？?。]?$"
_COUNTED_THING = re.compile(rf"{_COUNT_ASK}([\u4e00-\u9fff]{{4,12}}?){_ASK_END}")


# the same thing named before the ask, after what qualifies it ("目前落地的家庭照护床位有多少张了")
_COUNTED_FIRST = re.compile(rf"(?:的|^|[，,])([\u4e00-\u9fff]{{4,12}}?)(?:有|是|为|共有|一共有|总共有)?"
                            rf"{_COUNT_ASK}{_ASK_END}")


# the things a count is taken among ("46个乡镇（街道）养老服务中心里，有多少个是公建民营的"): a count the letter gives
# of them is said where it names them
_COUNTED_AMONG = re.compile(rf"(?:^|[个家所座张的，,])([\u4e00-\u9fff（）()]{{4,16}})(?:里|中|当中|之中)[，,]?"
                            rf"(?:有|共有)?{_COUNT_ASK}")


_BODY_NAMED = re.compile(r"([\u4e00-\u9fff]{2,6}?(?:局|厅))")


def _bodies_named(q: Question) -> list[str]:
    """The bureaus a question names, less the place they open with (中山金融局 → 金融局; the letters write 市金融局)."""
    names = (re.sub(r"^(?:省|市|区|县)", "", _unplaced(m.group(1), q.places, 3)) for m in _BODY_NAMED.finditer(q.text))
    return [n for n in names if len(n) >= 3]


# the thing a date is asked of, named first ("中山广弘康复医院是哪一年开业的")
_DATED_THING = re.compile(r"(?:的|^|[，,])([\u4e00-\u9fff]{4,12}?)(?:是|在|于)?"
                          r"(?:哪一?年|什么时候|何时|哪天|哪一天|几月)")


def _unplaced(name: str, places: Sequence[str], least: int = 4) -> str:
    """A name less the place it opens with (中山广弘康复医院 → 广弘康复医院), when at least `least` characters are
    left: a letter names its own place's things bare."""
    for place in sorted(places, key=len, reverse=True):
        if name.startswith(place) and len(name) - len(place) >= least:
            return name[len(place) :]
    return name


def _cited(refs: Sequence[DocRef], hits: Sequence[Hit]) -> list[DocRef]:
    """The 文号 that are none of the retrieved letters' own: documents those letters cite (粤府办〔2014〕33号)."""
    return [r for r in refs if not any(r.matches(h.meta.doc_number) for h in hits)]


def _paired(sentence: str, key: str) -> str:
    """"村、组…比例分别是多少": a value said together with its pair in the same measure ("不低于20%和10%") is
    answered with both, in the letter's order."""
    unit = re.sub(r"^[\d.,]+", "", key)
    if not unit:
        return key
    m = re.search(rf"{re.escape(key)}\s*(?:和|与|及|、)\s*([\d.]+{re.escape(unit)})", squash(sentence))
    return f"{key}和{m.group(1)}" if m else key


def _topic_only(sentence: str) -> bool:
    """A measure's short opening sentence ("二是推进乡镇敬老院升级改造。"): it names the topic; what the letter does
    about it, which a question asks, follows."""
    # (a section heading, "二、推进养老产业发展的措施", announces its items: rag.answer.extractive._announced)
    m = re.match(r"^\W*[一二三四五六七八九十]是(.*?)[。；;]?$", squash(sentence))
    return bool(m) and 2 <= len(m.group(1)) <= 16 and not re.search(r"[\d，,：:]", m.group(1))


def _of_letters(hits: Sequence[Hit], answers: Sequence[Answer]) -> list[Hit]:
    """The hits of the letters the answers so far cite: the asks of one question are about one letter."""
    letters = {c.doc_id for a in answers for c in a.citations}
    return [h for h in hits if h.chunk.doc_id in letters]


def _is_value(a: Answer) -> bool:
    """Answered with a value (a figure, a date, a name), not with a quoted passage."""
    return a.found and bool(a.direct) and not a.direct.startswith("“")


def _valued(a: Answer) -> bool:
    return _is_value(a) and bool(a.citations)


def _repeats(got: Answer, answers: Sequence[Answer]) -> bool:
    """The part is answered with a value an earlier part of the question already got (a passage quoted for a
    yes/no or descriptive part is no value: it may well hold the figure another part asked)."""
    return _is_value(got) and any(
        a.found and any(same_value(v, w) for v in _values(a.direct) for w in _values(got.direct)) for a in answers)


def _values(direct: str) -> list[str]:
    """The values a direct answer states: a pair said together ("20%和10%") is two."""
    pair = re.fullmatch(r"([\d.]+\D{0,3})和([\d.]+\D{0,3})", direct)
    return [pair.group(1), pair.group(2)] if pair else [direct]


def _best_list(q: Question, enums: list[lists.Enumeration], subject: Subject, near: frozenset[str],
               named: tuple[str, ...] = ()) -> tuple[float, lists.Enumeration] | None:
    return lists.best(enums, subject, lists.asked_count(q.text), kinds.category_of(q.text), near=near,
                      quoted=(*quoted_phrases(q.text), *named), asked_beside=lists.beside_asking(q.text),
                      question=q.text)
