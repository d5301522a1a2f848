"""Candidate sentences: every sentence of the retrieved hits that may answer a question, scored by how much of
the question it covers (each word weighted by a local IDF over the candidates) and by the value of the kind asked
it holds (rag.answer.pick), after the sentences that cannot answer are left out: a letter for another place or
level, one that does not say the figure, year or quoted name the question gives, a plan for what was asked done.
The extractive answerer (rag.answer.extractive) picks among them. Pure but for the letters `library` gives."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rag.answer.asked import LETTER_DATED, approximate, bounds_agree, years_back
from rag.answer.parts import YES_NO
from rag.answer.pick import value_in
from rag.answer.question import COUNTERPARTS, DONE_Q, Question
from rag.answer.scope import at_level, contact_person, foreign_places, level_asked
from rag.answer.whose import PROGRAMME, QUOTES, said_near
from rag.core.places import places_of
from rag.core.records import Document, Hit
from rag.core.text import quoted_names, quoted_phrases, squash
from rag.core.tokens import Tokenizer

_SENT = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")
_PLAN_S = re.compile(r"要推动|将|计划|力争|拟|今年我们要|到20\d\d年|下一步")
_ARRANGED = re.compile(r"今年安排|明年安排")  # what is arranged for the year is not yet done
_YES_NO = re.compile(rf"{YES_NO.pattern}|吗[？?]?$")  # the words that ask yes or no, or a closing 吗
_DATE_LINE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日(?:印发)?$")


@dataclass(frozen=True)
class Candidate:
    hit: Hit
    sentence: str
    score: float
    coverage: float
    key: str | None
    rank: int
    fit: float = 0.0  # how well the value's own segment speaks of the question (rag.answer.values)


# "您…所提的《…》收悉", "经调查研究，现答复如下：": the lines that acknowledge the proposal answer nothing asked
# about its content (its title, number and legislator are the letter's record, answered from it); "经综合A、B等单位
# 意见，现答复如下" names the units consulted
_RECEIPT = re.compile(r"收悉[。，,；;]?\s*$|^\s*(?:经[^，,、]{0,8}[，,]\s*)?现?(?:将有关情况)?答复如下[：:。]?\s*$"
                      r"|^\W*联系人\s*[：:]")  # the contact line is the letter's record: 养老服务热线 is not its phone


def sentences(hit: Hit, library: Callable[[str], Document | None] | None) -> list[tuple[str, str]]:
    """(line, sentence) of a hit, verbatim; the chunk's first and last lines are completed from the letter's
    paragraphs when the chunk cut them (one paragraph per line)."""
    doc = library(hit.chunk.doc_id) if library is not None else None
    paras = "\n".join(p.text for p in doc.paragraphs if p.id in set(hit.chunk.paragraph_ids)) if doc else ""
    lines = hit.chunk.text.split("\n")
    if paras:
        lines = [_whole(paras, x) if i in (0, len(lines) - 1) else x for i, x in enumerate(lines)]
    # the letter's title, 文号, salutation and signing-bureau lines name the letter, which questions about it
    # are answered from (its record); they state nothing the letter answers ("秘书工作落在谁家" is not 广东省
    # 民政厅关于…的函, "末尾感谢代表支持的是什么工作" is not 温州市民政局, "肖石龙提的317号那件，温州想打造成什么
    # 城市" is not 肖石龙代表：)
    fields = (doc.meta.title, doc.meta.doc_number, doc.meta.bureau, doc.meta.addressee) if doc else ()
    own = {squash(x) for x in fields if x}
    return [(line, s) for line in lines if squash(line).rstrip(":：") not in own
            for sent in _SENT.findall(line) if len(s := sent.strip()) >= 4 and not _RECEIPT.search(s)]


def _text_of(doc_id: str, library: Callable[[str], Document | None] | None) -> str:
    """The whole letter, squashed (its paragraphs), or "" without a library."""
    doc = library(doc_id) if library is not None else None
    return squash("".join(p.text for p in doc.paragraphs)) if doc else ""


def candidates(q: Question, hits: Sequence[Hit], tokenizer: Tokenizer,
               library: Callable[[str], Document | None] | None, names: Callable[[], frozenset[str]] | None,
               ) -> tuple[list[Candidate], dict[str, float]]:
    """Every sentence of the hits that may answer, scored; and the question words' weights (local IDF). `library`
    gives a letter by its doc id (None: the chunks alone), `names` what the library's letters name in quotes."""
    # per letter, the places named in the question that its bureau does not serve: a sentence from it
    # must name them itself (咸阳's question is not answered by 广东's letter unless it says 咸阳)
    foreign_of: dict[str, list[str]] = {}
    level = level_asked(q.text, q.places)  # "省里…几成": a province's letter, not a city's
    hits = [h for h in hits if at_level(h.meta.bureau, level)]
    for h in hits:
        if h.chunk.doc_id not in foreign_of:
            foreign_of[h.chunk.doc_id] = foreign_places(q.text, q.places, h.meta.bureau)
    # a programme a letter names in quotes (“时间银行”) that the question names is answered only by a letter
    # that has it (恩阳's letter says nothing of 中山's 时间银行), and it is counted as such (not as 受益对象)
    # the library's names cover the retrieved letters too; each letter's text is read once, and only when
    # the question names one of them (or no library list exists to say so)
    letters = list(dict.fromkeys(h.chunk.doc_id for h in hits))
    texts = {} if names is not None else {d: _text_of(d, library) for d in letters}
    known = names() if names is not None else frozenset().union(*map(quoted_names, texts.values()))
    # (a document's title asked for is described in the question's own words: 医养结合 for 医疗卫生与养老服务相结合)
    named = {n for n in known if n in squash(q.text)} if not q.asks_title else set()
    if named:
        texts = texts or {d: _text_of(d, library) for d in letters}
        # quotation marks set a name off inside a longer one ("“互联网+护理”服务" is 互联网+护理服务)
        hits = [h for h in hits if all(n in QUOTES.sub("", texts[h.chunk.doc_id]) for n in named)]
    # a letter cannot say what was done in a year after it was written (a 2019 letter on "到2022年…实际建成了
    # 多少"): only what it plans or requires for that year, which other questions ask
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)年", q.text)]
    if years and q.done:
        hits = [h for h in hits if (written := h.meta.written_year) is None or max(years) <= written]
    # rank, hit, sentence (verbatim), its squashed form, squashed line, squashed chunk + context
    pool: list[tuple[int, Hit, str, str, str, str]] = []
    for rank, hit in enumerate(hits):
        ctx = squash(" ".join([hit.meta.bureau or "", hit.chunk.section_title, *places_of(hit.meta.bureau),
                               hit.chunk.text]))
        for line, sent in sentences(hit, library):
            pool.append((rank, hit, sent, squash(sent), squash(line), ctx))
    if not pool:
        return [], {}
    # local IDF: a word found in every candidate sentence (养老) says little; a rare one (上线) a lot
    n = len(pool)
    keywords = list(q.keywords) + [(x, 1.5) for x in q.numbers if len(x) >= 2]
    weights = {}
    lowered = [p[3].lower() for p in pool]  # the tokenizer lowercases: "5G" is asked as 5g
    for t, w in keywords:
        df = sum(1 for low in lowered if t in low)
        weights[t] = w * math.log((n + 1) / (df + 0.5))
    total = sum(max(v, 0.0) for v in weights.values()) or 1.0
    everywhere = " ".join(p[3] for p in pool)
    # a domain term (农村互助幸福院) must be counted as such, even if the retrieved text lacks it:
    # then nothing here answers the question; plain words may be paraphrased, so take one we see
    # the thing counted is the phrase's head, what it ends with: "华宇乐颐养院医护人员" counts 医护人员, not the
    # 颐养院 they work in
    end = max((q.text.rfind(t) + len(t) for t in q.obj), default=0)
    heads = [t for t in q.obj if q.text.rfind(t) + len(t) == end]
    domain = [t for t in q.obj if t in tokenizer.domain_terms]
    domain = [t for t in domain if t in heads] or ([] if any(t in everywhere for t in heads) else domain)
    obj = domain[0] if domain else next((t for t in [*heads, *q.obj] if t in everywhere), None)
    obj = next((n for n in named if obj and obj in n), obj)  # "多少爱心助老员" counts the programme's “爱心助老员”
    out = []
    # a quoted name (“时间银行”) must be there; a quoted description (“存储志愿服务时长、将来换取照顾”) need not,
    # nor words quoted in a row (“领导、主导、牵头”), the asker's own shorthand for a series
    quoted = [squash(t) for t in quoted_phrases(q.text) if len(squash(t)) <= 8 and "、" not in t]
    yes_no = _YES_NO.search(q.text) if q.kind == "fact" else None
    if _YES_NO.search(q.text):  # "有没有建农村互助幸福院": a passage that does not name it cannot say yes
        quoted += [t for t in tokenizer.domain_terms if t in q.text]
    # what a yes/no question asks to be true: the words after its marker ("是不是已经上线了" → 上线)
    asked = [t for t in tokenizer.tokens(_predicate(q.text, yes_no)) if t in weights] if yes_no else []
    asked_weight = sum(max(weights[t], 0.0) for t in asked)
    done = yes_no is not None and bool(DONE_Q.search(q.text))  # even of a plan: "到2020年底…都已经有了吗"
    counted = re.findall(r"\d+(?:\.\d+)?[个家张人名座所户次项场条种类万亿%]", q.text)
    form = answer_form(q.text)
    # a letter's contact named in a question about content (陈庆…什么职务): only a sentence naming them can say it
    people = {c for h in hits if (c := contact_person(h.meta.contact or "")) and c in q.text}
    # "是公办的还是民办的": a choice between two counterparts the letters sort things by is answered only by a
    # passage that says one of them (a choice in other words, "新起房子还是拿现有的设施", is paraphrased)
    offered = _CHOICE.search(q.text) if q.kind == "fact" else None
    choice = list(offered.groups()) if offered and offered.groups() in COUNTERPARTS else []
    rough = approximate(q.text)  # "高龄补贴发了3000多万": said by 3040万元
    back = years_back(q.text)  # "去年重阳节…" in a question about a 2023 letter: 2022年
    # the letter's own date the question states ("咸阳那封是2023年5月印发的") points at the letter, not at a line
    own_date = {x for m in LETTER_DATED.finditer(q.text) for x in re.findall(r"\d+", m.group(0))}
    numbers = [x for x in q.numbers if x not in own_date]
    for rank, hit, s, sq, line, ctx in pool:
        foreign = foreign_of[hit.chunk.doc_id]
        if foreign and not all(p in line for p in foreign):
            continue  # the letters answer for their own place, not for the one asked about
        if q.kind in ("number", "date") and not all(p in sq for p in foreign):
            continue  # a figure or date is said of the place its own sentence names: "东莞…哪一年上线" is not
            # answered by the province's platform "从2017年起开始运行", a sentence before 东莞's own
        if q.kind == "number" and any(_one_of_places(sq, p) for p in foreign):
            continue  # "在兴平市、武功县…和长武县助力690户": a figure said of places listed together is no one's own
        if back is not None and hit.meta.written_year and not (
                f"{hit.meta.written_year - back}年" in line or {0: "今年", 1: "去年"}.get(back, "-") in line):
            continue  # the year a question counts back from its letter's is said where the figure is
        if not all(_says(line, x, hit.meta.written_year) or (x in rough and rough[x].search(line)) for x in numbers
                   ) or not bounds_agree(q.text, q.numbers, sq):  # ("不到100张" is not "100张床位以上")
            # "2019年…多少" is answered by a 2019 sentence (or one of a 2019 letter that says 今年), "那4所…开门
            # 了吗" by one about the 4
            continue
        if asked_weight and not any(x in sq for x in counted) and sum(
                max(weights[t], 0.0) for t in asked if t in sq) < 0.5 * asked_weight:
            # a count the question names pins the statement ("那4所…开门营业了吗": 4所…均未投入运营)
            continue  # "是不是已经上线了" is answered by a sentence that says 上线
        if done and _PLAN_S.search(s):
            continue  # "到2020年底是不是都已经有了" is not answered by "计划到2020年底实现…"
        if people and not all(c in sq for c in people):
            continue
        if choice and not any(x in sq for x in choice):
            continue
        if form and not form.search(sq):
            continue  # "哪项用的人最多", "比上一年多了多少张": only a sentence that ranks, or states a change, says
        if (q.kind == "date" or yes_no) and not all(x in sq for x in q.numbers):
            continue  # a date dates its sentence: "3.31亿元，这个数统计到什么时间" asks the date beside 3.31亿元
        low, low_line, low_ctx = sq.lower(), line.lower(), ctx.lower()
        cov = sum(max(w, 0.0) * (1.0 if _says(low, t, hit.meta.written_year) else 0.5 if (t in low_line or t in low_ctx)
                                 else 0.0)
                  for t, w in weights.items()) / total
        if _DATE_LINE.match(sq):
            if not q.signed:
                continue  # "2023年5月11日印发" dates the letter, not what a question asks about
            cov = 1.0  # the signature date line answers "哪天落款/印发" by position, not by words
        if quoted and not all(t in line or t in ctx for t in quoted):
            continue  # a term the question quotes (“时间银行”) is what it asks about: it must be there
        key, fit = value_in(q, sq, weights, obj, hit.meta.bureau, tokenizer.domain_terms | named, foreign,
                            hit.meta.doc_number, hit.meta.written_year)
        if key and q.kind == "number" and (acts := [n for n in named if PROGRAMME.search(n)]) and not said_near(
                sq, key, acts):
            key = None  # "银龄安康行动…多少老人": a figure clauses away from the programme is another's
        # the value's own segment decides between values; retrieval's rank only breaks ties
        score = cov + 0.1 / (1 + rank) + (fit if key else 0.0)

        if q.kind == "number" and not q.plan and _PLAN_S.search(s):
            score -= 0.25  # "今年要推动339家…" is a target, not what exists
        elif q.kind == "number" and q.done and _ARRANGED.search(s):
            score -= 0.25  # "已经帮多少户…改造了": not "今年安排…资金…助力690户"
        out.append(Candidate(hit, s, score, cov, key, rank, fit))
    return out, weights


_PLACE_WORD = r"[\u4e00-\u9fff]{1,6}?(?:市|县|区|镇|街道)"
# a choice offered between two words: "是公办的还是民办的", "城镇还是农村": the two, without 的
_CHOICE = re.compile(r"([\u4e00-\u9fff]{2})的?还是([\u4e00-\u9fff]{2})的?(?:呢|啊)?[？?。]?$")


# what a sentence must say to answer an ask that ranks ("哪项用的人最多") or asks a change ("比上一年多了多少张",
# "增加了多少"): a total or a description says neither
# (which one is most: "哪项…最多", "最高的是哪个"; not a bound, "集体最少得留几成")
_MOST = r"最(?:多|少|高|低|大|小|受欢迎|常用|热门)"
_RANKED_Q = re.compile(rf"(?:哪|谁)[^，,？?]{{0,12}}?{_MOST}|{_MOST}的(?:是)?(?:哪|谁)|排(?:第一|头一|首位)|第一名"
                       r"|冠军|头名")  # ("广东是全国亚军，那冠军是哪个省")
# (a superlative, not 最大化 / 最大限度 / 最终 / 最后, which rank nothing)
_RANKED = re.compile(r"最(?!大化|大限度|终|后|先|早|新|近)|第一|首位|居首|榜首|前列|之首")
_CHANGE_Q = re.compile(r"比(?:上一?年|去年|上年|往年|以前|之前|原来)[^，,？?]{0,8}?(?:多|少|增|减|涨|降)"
                       # (not after 能/会/可: "能多出多少张床" asks what the things add, which a total says)
                       r"|(?<![能会可将])(?:增加|增长|减少|下降|提高|多出|少了|多了)了?(?:多少|几)"
                       # "增幅是多少", "同比涨了几成", "跟2018年比…": a rate of change, or a change against a year
                       r"|增幅|增速|涨幅|降幅|增长率|增长速度|同比|环比"
                       r"|(?:跟|和|与|同|较)(?:19|20)\d\d年?[^，,？?]{0,4}?比")
_CHANGE = re.compile(r"增加|新增|增长|提高|提升|减少|下降|多了|少了|同比|较上年|比上年|净增|增幅")


# a reason asked ("为什么一直没投入运营", "为啥只给3家", "卡在哪儿了"): only a sentence that gives one answers it
_WHY_Q = re.compile(r"为什么|为啥|为何|什么原因|啥原因|原因是|卡在哪")
_REASON = re.compile(r"因为|由于|原因|为了|为解决|受[\u4e00-\u9fff]{1,8}影响|导致|造成|以致|所以|因此|鉴于|旨在|目的"
                     r"|便于|以便|从而|有利于|有助于")  # (a purpose said: "…来实现…，更便于随时掌握…")


def answer_form(question: str) -> re.Pattern[str] | None:
    """What a sentence must say for the question's kind of ask: a rank for 最多/排第一, a change for 比上一年多了多少,
    a reason for 为什么; None for other asks."""
    if _WHY_Q.search(question):
        return _REASON
    if _RANKED_Q.search(question):
        return _RANKED
    if _CHANGE_Q.search(question):
        return _CHANGE
    return None


def _one_of_places(text: str, place: str) -> bool:
    """`place` stands in the text as one of several places listed together (A、B和C)."""
    p = re.escape(place)
    return bool(re.search(rf"{_PLACE_WORD}\s*(?:、|和|及|与)\s*{p}|{p}\s*(?:、|和|及|与)\s*{_PLACE_WORD}", text))


def _says(text: str, word: str, written: int | None) -> bool:
    """The text holds the word, or it is the year the letter was written and the text says 今年."""
    return word in text or (word == str(written) and "今年" in text)


def _predicate(question: str, marker: re.Match[str] | None) -> str:
    """What a yes/no question asks to be true: the rest of its clause after the marker, or before a closing 吗."""
    if marker is None:
        return ""
    if marker.group(0).startswith("吗"):
        clause = re.split(r"[，,]", question[: marker.start()])[-1]
        # "东凤人民医院是三甲吗": what it is said to be, not what it names
        return clause.rsplit("是", 1)[-1] if "是" in clause[:-1] else clause
    return re.split(r"[，,？?。]", question[marker.end() :])[0]


def _whole(text: str, line: str) -> str:
    """The line of the letter a chunk's line comes from: a chunk cut at a length limit ends mid-sentence
    ("…提供给有需求的群众，"), and the rest of that sentence ("为老年人提供“点菜式”…服务") is part of its answer."""
    return next((p for p in text.split("\n") if line in p), line) if line else line
