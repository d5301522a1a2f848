"""What a question's own words pin down, which a value must agree with: the event a date question dates
("什么时候正式上线的" → 正式上线) and the figures a count question names ("80岁以上的有多少" → 80岁). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.answer.question import BODY_ASKED, DATE, WHERE_ASKED, Question
from rag.answer.spans import clause_span
from rag.answer.values import bigrams
from rag.answer.whose import asking_clause
from rag.core import pos
from rag.core.numerals import cn_int

_MEASURE = r"[个家张人名座所户次项场条种类岁年月%床台辆套件间批支份]"  # a figure's measure word (50场, 80岁)
_POINTER = re.compile(r"[这那](?:些|几)?$")  # "那5所": the figure a demonstrative points with
# a year with its month (and day), or a month with its day: a date, which says when a figure stands (candidates
# keep the sentences that say it), not what it counts
_CALENDAR_DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{1,2}月\d{1,2}[日号]")
# one asking word, or several in a row ("哪年几月印发的": 哪年几月 asks, 印发 is what is dated)
_WHEN = re.compile(r"(?:什么时候|什么时间|哪个时间点?|何时|哪一?年|哪天|哪一天|几月份?(?:几[日号])?|哪个月份?|几号)+")


def event_words(question: str) -> list[str]:
    """What the question dates: the words after its asking word ("什么时候正式上线的" → 正式上线), or when none
    follow, the verbs right before it ("平台开建是什么时候" → 开建)."""
    m = _WHEN.search(question)
    if not m:
        return []
    after = re.sub(r"[的了呢吗啊]", "", re.split(r"[，,。？?！!]", question[m.end() :])[0])
    if after:
        return [after]
    before = re.sub(r"(?:是|的|在|于)+$", "", re.split(r"[，,。？?！!]", question[: m.start()])[-1])
    words = list(pos.cut(before))
    verbs = ""
    for w in reversed(words):
        if not w.flag.startswith("v"):
            break
        verbs = w.word + verbs
    # jieba takes some verbs for nouns (上线): then the last word, which only weighs dates, never rules one out
    return [verbs or (words[-1].word if words and len(words[-1].word) >= 2 else "")] if words else []


_IN_CHARGE = re.compile(r"(?:负责|牵头|张罗|主管|主抓|统筹|操办|承办|主办|管|抓|搞|弄|办)(?:的|了)?(?:事|这事|这块)?")


_WHERE_TO = re.compile(r"(?:后面|前面|后边|前边|之后|之前|后头|前头|旁边|附近|里面)?")


def act_asked(question: str, place: bool = False) -> str:
    """What a body (or with `place`, a place) asked for does, as the question says it after the ask ("由哪家机构主讲"
    → 主讲, "9个地市里哪个市是牵头的" → 牵头); "" when the ask ends its clause ("秘书工作落在谁家"), or when a body is
    only said to be in charge ("是哪个局在张罗": that is said many ways, 协调 for 张罗, 牵头 for 管)."""
    m = (WHERE_ASKED if place else BODY_ASKED).search(question)
    if not m:
        return ""
    after = re.split(r"[，,。？?！!；;]", question[m.end() :])[0]
    act = re.sub(r"^(?:来|去|在|是|具体)+|[的了呢吗啊呀]+$", "", after)
    if _WHERE_TO.fullmatch(act) or (not place and _IN_CHARGE.fullmatch(act)):
        return ""  # "排在哪个城市后面": where it stands, no act
    return act


def event_share(question: str, s: str, end: int) -> float:
    """Share of the event the question dates ("什么时候正式上线的" → 正式上线) that the date's own clause and the
    next one say: a sentence may date several events ("2021年7月启动…建设" is not when it went online)."""
    event = bigrams("".join(event_words(question)))
    if not event:
        return 0.0
    lo, nxt = clause_span(s, end)
    said = s[lo:nxt]
    if len(re.sub(rf"{DATE.pattern}|[于在自从至到止底前后]", "", said)) < 2:  # "2020年4月,我省建立了…"
        said = s[lo : clause_span(s, nxt + 1)[1]]
    return len(bigrams(said) & event) / len(event)


def asked_figures(q: Question, pointed: bool = False) -> list[str]:
    """The figures of the clause that asks ("恩阳区80岁以上老人有多少" → 80); not those of a clause that sets
    the scene ("全市有5万多张养老床位，鹿城区占多少张"). With `pointed`, only those a demonstrative points
    with ("那5所敬老院投了多少钱": the five the letter speaks of, which its sentence names), else only the
    others, which restrict what is counted."""
    # a figure pointed at is one the letter must state, wherever the question points ("那9个示范型养老标杆项目，
    # 已经建成开业的有几个": a premise the letter does not state answers nothing)
    ask = q.text if pointed else asking_clause(q.text)
    # with the measure word the question gives it: "50场…讲座" is not the 50 of "超过50%"
    found = (re.search(rf"(?<![\d.]){re.escape(x)}(?![\d.])(?:{_MEASURE})?", ask) for x in q.numbers)
    dates = [d.span() for d in _CALENDAR_DATE.finditer(ask)]  # "有几家（截至2022年6月10日）": when, not what is counted
    return [m.group(0) for m in found if m and bool(_POINTER.search(ask[: m.start()])) == pointed
            and not any(a <= m.start() < b for a, b in dates)]



def one_of(found: list[str]) -> list[str]:
    """`found` when it is a single item, else nothing (two years said are a span or a comparison)."""
    return found if len(set(found)) == 1 else []


def figure(x: str, question: str = "") -> re.Pattern[str] | Rough:
    """A figure as a whole number (60 is not in 660), with its measure word when it has one (50场); one the
    `question` gives roughly ("那3000多万") as the range it allows."""
    digits, word = re.fullmatch(r"([\d.]+)(.*)", x).groups()  # type: ignore[union-attr]
    if (rough := approximate(question).get(digits)) is not None:
        return rough
    return re.compile(rf"(?<![\d.]){re.escape(digits)}(?![\d.])" + (rf"\s*{re.escape(word)}" if word else ""))


# a figure given roughly: "约7亿", "3000多万", "1000余个", "45万出头", "20个左右"
_ROUGH = re.compile(r"(?P<about>约|大约|近|将近|接近|差不多)?(?<![\d.])(?P<n>\d+(?:\.\d+)?)"
                    r"\s*(?P<more>多|余|来|出头|左右|上下)?\s*(?P<mag>[万亿])?(?P<after>多|余|出头|左右|上下)?")
_MAGNITUDE = {"万": 1e4, "亿": 1e8}
_FIGURE = re.compile(r"(?<![\d.,])(\d[\d,]*(?:\.\d+)?)\s*([万亿])?")


@dataclass(frozen=True)
class Rough:
    """The values a rough figure allows, [lo, hi); `search` finds a figure of the text in them (3040万 for 3000多万)."""

    lo: float
    hi: float

    def search(self, text: str) -> re.Match[str] | None:
        return next((m for m in _FIGURE.finditer(text) if self.lo <= float(m.group(1).replace(",", "")) * (
            _MAGNITUDE.get(m.group(2) or "", 1)) < self.hi), None)


def approximate(question: str) -> dict[str, Rough]:
    """The figures a question gives roughly, each (its digits) → the values it allows: "多/余/出头" a figure up to
    its last place's next step (3000多万 is 3000万 to 4000万, 580余 580 to 590), "约/左右/近" within a fifth."""
    out = {}
    for m in _ROUGH.finditer(question):
        more, about = m.group("more") or m.group("after"), m.group("about")
        if not (more or about):
            continue
        n = m.group("n")
        scale = _MAGNITUDE.get(m.group("mag") or "", 1)
        value = float(n) * scale
        step = 10.0 ** -len(n.split(".")[1]) if "." in n else 10.0 ** (len(n) - len(n.rstrip("0")))
        up = more in ("多", "余", "来", "出头")  # (not 左右, 约: either side)
        out[n] = Rough(value, value + step * scale) if up else Rough(value * 0.8, value * 1.2)
    return out


# which side of a figure a bound says: "不到100张", "100张床位以下" below it; "超过50%", "100张床位以上" above it
_BELOW_BEFORE, _ABOVE_BEFORE = r"不到|不足|低于|少于|未满|未到", r"超过|高于|多于|不低于|不少于|超出|大于"
_BELOW_AFTER, _ABOVE_AFTER = r"以下|以内|之内|之下", r"以上|之上"


def bound(text: str, number: str) -> str:
    """The side of `number` the bounds beside it say in `text` ("below", "above"); "" when none does, or when
    they say both ("100张床位以下和100张床位以上的")."""
    sides = set()
    for m in re.finditer(rf"(?<![\d.]){re.escape(number)}(?![\d.])", text):
        before, after = text[max(0, m.start() - 3) : m.start()], text[m.end() : m.end() + 6]
        for side, lead, trail in (("below", _BELOW_BEFORE, _BELOW_AFTER), ("above", _ABOVE_BEFORE, _ABOVE_AFTER)):
            if re.search(rf"(?:{lead})$", before) or re.match(rf"[^\d，,。；;]{{0,4}}?(?:{trail})", after):
                sides.add(side)
                break
    return sides.pop() if len(sides) == 1 else ""


def bounds_agree(question: str, numbers: tuple[str, ...], text: str) -> bool:
    """No figure the question bounds ("床位不到100张的小机构") is bounded the other way in `text` (100张床位以上)."""
    for x in numbers:
        asked = bound(question, x)
        if asked and bound(text, x) not in ("", asked):
            return False
    return True


# the letter's own date a question states to point at it ("咸阳那封是2023年5月印发的"): no year of what it asks
LETTER_DATED = re.compile(r"(?:19|20)\d\d年(?:\d{1,2}月)?(?:\d{1,2}[日号])?"
                          r"(?=的?(?:印发|落款|发函|成文|签发|发的|出的))")
YEAR_SAID = re.compile(r"((?:19|20)\d\d)\s*年")  # a year as text says it (2019年), its digits kept


def years_named(question: str) -> list[str]:
    """The years a question names, less the letter's own date it may state to point at the letter."""
    return YEAR_SAID.findall(LETTER_DATED.sub("", question))


# a year counted back from the letter's own ("去年", "前年", "发函前一年", "落款当年"): the letter's date fixes it
_YEARS_BACK = re.compile(r"(?<![今明])(?P<last>去年)|(?P<before>前年)"
                         r"|(?:发函|落款|印发|成文)(?:的)?(?:前(?P<n>[一两二三])年|当年)")


def years_back(question: str) -> int | None:
    """How many years before its letter's a question's year is (去年 1, 前年 2, 发函当年 0); None if it names none."""
    m = _YEARS_BACK.search(question)
    if m is None:
        return None
    if m.group("last"):
        return 1
    if m.group("before"):
        return 2
    return cn_int(m.group("n")) if m.group("n") else 0
