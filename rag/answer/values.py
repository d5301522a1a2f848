"""Which value in a sentence answers the question: the one whose own segment speaks of the asked thing.

A letter's sentence packs several facts between commas and brackets: "19种居家养老服务,其中线上居家养老服务8项,
线下服务种类11项". Each value belongs to its segment, and the words around it (before: "特困供养人员2303人",
after: "375家养老机构") say what it measures. A value answers only when its segment is about what the
question asks: most of what the segment says is in the question (precision), and the segment — with the
segment leading into it, where Chinese often states the subject ("建成玉山镇区域养老服务中心，床位120张") —
covers the question's subject (recall). Character bigrams, not words: they match across jieba's cuts and
paraphrases that keep part of a term ("长护险" / "长期护理保险" do not, "线下服务" / "线下服务种类" do). Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SEPARATORS = "，,；;、（）()。：:"
_SEP = re.compile(f"[{re.escape(_SEPARATORS)}]")
_SAME_WORD = re.compile(r"老年人")
_KEEP = re.compile(r"[0-9A-Za-z\u4e00-\u9fff%]")
# question words that ask rather than describe: not part of the subject
_ASKING = re.compile(
    r"(?:是|有)?多少[个家张人名座所户次项场条种类]?|多大|几[个家张人名座所户次项场条种类岁年月号]?|哪些|哪几|哪个|哪一|哪|什么|怎么|如何|是否|吗|呢|了|的|"
    r"请问|一下|大概|大约|目前|现在|一共|总共|共|分别|各|都|给|到底|呀|啊"
)
# segment words that frame a value rather than describe it ("我市共有375家养老机构": the subject is 养老机构)
_FRAMING = re.compile(r"其中|我市|我省|我区|我县|全市|全省|全区|全县|本市|共有|已有|建有|共计|目前|截至|累计|达到"
                      r"|约|共|达|为|是|有|已")
_ENUMERATION = re.compile(r"^.*等")  # "A、B和C等19种居家养老服务": the items before 等 are not the subject
# (这里头 narrows to a part as 其中 does; 中央, 中心 are words, not "among")
_SUBSET = re.compile(r"其中|(?:^|[^\u4e00-\u9fff]|[的员人口户这那])"
                     r"(?:中间|里面|里边|里头|当中|中(?![央心国期华层型等级])|里)(?=[\u4e00-\u9fff]|\s*[，,])")


@dataclass(frozen=True)
class Subject:
    grams: set[str]  # bigrams of what the question is about
    focus: set[str]  # of the part it narrows to ("特困供养人员中集中供养的…": 集中供养), else the same
    counted: set[str] = field(default_factory=set)  # of the thing counted ("多少个街道": 街道), if it says
    narrowed: bool = False  # the question narrows with 其中/中: the focus decides
    head: str = ""  # the last two characters of the thing counted: the head noun (养老机构 → 机构)


@dataclass(frozen=True)
class Fit:
    precision: float  # share of the segment's description the question speaks of
    recall: float  # share of the question's subject (its focus) the segment and a bare value's lead-in cover
    named_after: bool = False  # the value is followed by the asked noun
    context: float = 0.0  # share of the whole subject the segment and its lead-in cover (breaks ties)
    counts_other: bool = False  # followed by another noun than the one the question counts
    narrowed: bool = False

    @property
    def score(self) -> float:
        p, r = (0.4, 0.6) if self.narrowed else (0.6, 0.4)
        return (p * self.precision + r * self.recall + (0.1 if self.named_after else 0.0) + 0.1 * self.context
                - (0.3 if self.counts_other else 0.0))


def bigrams(text: str) -> set[str]:
    chars = "".join(_KEEP.findall(_SAME_WORD.sub("老人", text)))  # 老年人 and 老人 are one word to the reader
    return {chars[i : i + 2] for i in range(len(chars) - 1)} | ({chars} if len(chars) == 1 else set())


def subject_of(question: str, places: tuple[str, ...] | list[str] = ()) -> Subject:
    """What the question is about: without what asks (多少, 哪些…) and without the letter's own places. "X中Y的"
    and "其中Y" narrow it to Y, its focus."""
    q = question
    for p in sorted(places, key=len, reverse=True):
        q = q.replace(p, " ")
    # the clause that asks is the focus ("彬州建了爱心餐厅，现在受益的有多少人": 受益的人), narrowed by 其中/中
    clauses = [c for c in re.split(r"[，,；;]", q) if c.strip()]
    ask = next((c for c in reversed(clauses) if _ASKING.search(c)), q)
    q, ask = _ASKING.sub(" ", q), _ASKING.sub(" ", ask)
    cut = list(_SUBSET.finditer(ask))
    focus = ask[cut[-1].end() :] if cut else ask
    # "温州的养老机构里，民办的有多少家": a clause that ends in 里/中 names the whole the ask narrows
    whole = re.search(r"[\u4e00-\u9fff](?:里|中|里面|里边|里头|当中)\s*[，,]", q)
    grams = _words_bigrams(re.sub(r"(?<=[\u4e00-\u9fff])(?:里|中|里面|里边|里头|当中)\s*(?=[，,])", " ", q))
    return Subject(grams, _words_bigrams(focus) or grams, narrowed=bool(cut) or bool(whole))


def _words_bigrams(text: str) -> set[str]:
    """Bigrams within the words left once the asking words are cut out (no pair across a cut: 中央|钱)."""
    return set().union(*(bigrams(w) for w in text.split())) if text.split() else set()


def segments(s: str) -> list[tuple[int, int]]:
    """Spans between commas, 、, brackets and colons: the unit a value and its noun share."""
    spans, start = [], 0
    for m in _SEP.finditer(s):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(s)))
    return spans


def segment_fit(s: str, start: int, end: int, subject: Subject) -> Fit:
    """How well the segment holding s[start:end] speaks of the question's subject (bigrams). A bare value
    ("床位120张", "（鹿城区3233张）") takes its subject from the segment leading into it."""
    spans = segments(s)
    i = next((n for n, (a, b) in enumerate(spans) if a <= start < b or a < end <= b), len(spans) - 1)
    a, b = spans[i]
    own = _FRAMING.sub("", _ENUMERATION.sub("", s[a:start]) + s[end:b])
    grams = bigrams(own)
    before = bigrams(s[spans[i - 1][0] : spans[i - 1][1]]) if i > 0 else set()
    # a bare value takes its subject from the segment before ("建成玉山镇区域养老服务中心，床位120张")
    lead_weight = 1.0 if len(grams) <= 2 else 0.0
    if not subject.grams:
        return Fit(0.0, 0.0)
    precision = len(grams & subject.grams) / len(grams) if grams else 0.5
    own = grams & subject.focus
    recall = (len(own) + lead_weight * len((before & subject.focus) - own)) / len(subject.focus)
    # Chinese puts a count before its noun: "375家养老机构" — the words right after the value name it
    want = subject.counted or subject.grams
    after = s[end : min(b, end + 4)]
    context = len((grams | before) & subject.grams) / len(subject.grams)
    named = bigrams(after) & want
    if subject.head:  # "77家养老机构、925家居家养老服务照料中心": the noun after a count ends in what it counts
        named = {subject.head} & bigrams(s[end : min(b, end + 12)])
    # "2家企业" when the question counts 街道: the value counts something else
    other = bool(subject.counted) and not named and bool(re.match(r"[\u4e00-\u9fff]{2}", after))
    return Fit(precision, recall, bool(named), context, other, subject.narrowed)


_COUNT_END = re.compile(r"\d\s*(?:[个家张人名座所户次项场条种类]|万|亿|元|%)$")
_ROLE_WORDS = re.compile(r"^(?:由|和|及|与|为|是|的|作为)+|(?:担任|作为|负责|承担|牵头|为|是|的|和)+$")


def around_asking(question: str, word: str = "谁", width: int = 5) -> set[str]:
    """Bigrams of the words either side of the asking word, within its clause ("副召集人是谁" → 副召, 召集…):
    the answer stands in the segment that says them, in the asking word's place."""
    for clause in re.split(r"[，,；;？?。]", question):
        if (i := clause.find(word)) >= 0:
            return bigrams(clause[max(0, i - width) : i]) | bigrams(clause[i + len(word) : i + len(word) + width])
    return set()


def _names_someone(value: str) -> bool:
    """谁 is answered by who: a run ending in a noun (分管省领导, 80周岁以上老人), not in a verb (认真落实)."""
    from rag.core import pos  # jieba's tagger only when a 谁 is answered: `rag docs` reads values without it

    words = [w for w in pos.cut(value) if w.word.strip()]
    return bool(words) and words[-1].flag[:1] in ("n", "r") and words[-1].flag != "vn"


def novel_value(s: str, subject: Subject, near: frozenset[str] | set[str] = frozenset()) -> tuple[str | None, float]:
    """For "由谁担任…" questions: in the segment that best speaks of the question, the longest run the question
    does not already say ("由分管省领导担任召集人" → 分管省领导), with its fit; (None, 0) when no segment
    speaks of the question or says nothing new."""
    best: tuple[float, str] | None = None
    spans = segments(s)
    if near and any(bigrams(s[a:b]) & near for a, b in spans):  # "由谁挑头当召集人": where 召集人 is said
        spans = [(a, b) for a, b in spans if bigrams(s[a:b]) & near]
    for a, b in spans:
        seg = s[a:b]
        chars = "".join(_KEEP.findall(seg))
        covered = [False] * len(chars)
        for i in range(len(chars) - 1):
            if chars[i : i + 2] in subject.grams:
                covered[i] = covered[i + 1] = True
        runs = re.findall(r"0+", "".join("1" if c else "0" for c in covered))
        if not runs or not any(covered):
            continue
        start = "".join("1" if c else "0" for c in covered).find(max(runs, key=len))
        value = _ROLE_WORDS.sub("", chars[start : start + len(max(runs, key=len))])
        if len(value) < 2 or _COUNT_END.search(value) or not _names_someone(value):
            continue  # (谁 is not answered by a count: 服务申请审批记录5221条)
        grams = bigrams(seg)  # the segment that speaks of what is asked ("召集人由谁担任"), not merely of the topic
        fit = 0.6 * len(grams & subject.focus) / max(len(subject.focus), 1) + 0.4 * len(grams & subject.grams) / max(
            len(subject.grams), 1)
        if near:  # the segment that says what stands beside 谁 ("由谁担任" ↔ "由…担任召集人") holds its answer
            fit += len(grams & near) / len(near)
        if best is None or fit > best[0]:
            best = (fit, _with_partners(s[a:], value))
    return (best[1], min(best[0] * 2, 1.0)) if best else (None, 0.0)


def _with_partners(seg: str, value: str) -> str:
    """A name and those the letter joins to it with 、 ("按照区委、政府的决策部署" → 区委、政府): a series is one
    answer, though the question already says one of its names."""
    at = seg.find(value)
    more = re.match(r"(?:、[\u4e00-\u9fff]{1,8}?)+(?=的|[，,。；;]|$)", seg[at + len(value) :]) if at >= 0 else None
    return value + more.group() if more else value


def same_value(a: str, b: str) -> bool:
    """375家养老机构 and 375家 state one value (2个基地 and 2家企业 do not); so do two identical names."""
    figures = re.compile(r"\d+(?:\.\d+)?\s*\D?")
    fa, fb = figures.findall(a), figures.findall(b)
    return fa == fb if fa and fb else a == b


def after_verb(name: str) -> str:
    """A name runs from the last verb before it ("院内开设广弘康复医院" → 广弘康复医院); jieba's tags."""
    from rag.core import pos  # jieba loads only when a name is read: `rag docs` imports this module

    words = list(pos.cut(name))
    last = max((i for i, w in enumerate(words) if w.flag == "v"), default=-1)
    rest = "".join(w.word for w in words[last + 1 :])
    # (a body's short name holds what jieba reads as a verb: "市发改局" is not 局 after 发改)
    return name if len(rest) < 2 else rest


_BARE = re.compile(r"[\d.,\-～~]+\s*[^\d\s]{0,3}")  # a value with its measure word only: 12个, 45.1万元


def labelled(direct: str, quote: str) -> str:
    """A bare count with the thing the letter names right before it in its segment ("…建成运营县级中心敬老院12个、
    区域性敬老院2个" → 县级中心敬老院12个): the parts of one question are told apart by what each counts."""
    if not _BARE.fullmatch(direct):
        return direct
    text = re.sub(r"\s+", "", quote)
    found = re.search(rf"(?<![\d.]){re.escape(direct)}", text)  # 2个, not the end of 12个
    if found is None:
        return direct
    at = found.start()
    phrase = re.split(r"[，,、；;：:（）()。“”…]", text[:at])[-1]
    from rag.core import pos  # as in after_verb: jieba only when a part is labelled

    words = list(pos.cut(phrase)) if re.fullmatch(r"[\u4e00-\u9fff]*", phrase[-1:]) else []
    name = ""
    for w in reversed(words):  # the nouns the value follows, back to the first word that is none
        if (w.flag[:1] not in _NOUNISH and w.flag not in _NOUNISH) or w.flag == "ns":
            break
        name = w.word + name
    return name + direct if 2 <= len(name) <= 14 else direct


# jieba tags of the words a counted thing is named with: nouns (and 养老, which it takes for a person's name), b/a
# modifiers (县级), t (日间), zg (园): not verbs, places, numbers or function words
_NOUNISH = frozenset("nbajt") | {"zg"}
