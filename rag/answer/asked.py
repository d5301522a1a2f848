"""What a question's own words pin down, which a value must agree with: the event a date question dates
("什么时候正式上线的" → 正式上线) and the figures a count question names ("80岁以上的有多少" → 80岁). Pure."""

from __future__ import annotations

import re

from rag.answer.question import DATE, Question
from rag.answer.spans import clause_span
from rag.answer.values import bigrams
from rag.answer.whose import asking_clause
from rag.core import pos

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


def figure(x: str) -> re.Pattern[str]:
    """A figure as a whole number (60 is not in 660), with its measure word when it has one (50场)."""
    digits, word = re.fullmatch(r"([\d.]+)(.*)", x).groups()  # type: ignore[union-attr]
    return re.compile(rf"(?<![\d.]){re.escape(digits)}(?![\d.])" + (rf"\s*{re.escape(word)}" if word else ""))
