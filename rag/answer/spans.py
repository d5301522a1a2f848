"""Where in a sentence a value stands: its clause (between ，/；/。), its statement (between ；), the asides with
figures of their own (（鹿城区3233张）), and what a place, figure or sum before or after it governs. Pure; the
value reader (rag.answer.pick) decides with them which value a sentence gives."""

from __future__ import annotations

import re
from typing import Protocol

from rag.answer.question import MONEY


class Finds(Protocol):
    """A figure to look for that no pattern spells (rag.answer.asked.Rough: 3000多万 is found as 3040万)."""

    def search(self, text: str) -> re.Match[str] | None: ...

CLAUSE_ENDS = "，,；;。"
ASIDE = re.compile(r"[（(][^（()）]*\d[^（()）]*[）)]")  # an aside with its own figure: "（鹿城区3233张）"


def statement(s: str, at: int) -> str:
    """The statement of a sentence that holds position `at`: ；/; separate statements ("…改造提升养老床位300张；
    建成玉山镇区域养老服务中心，床位120张")."""
    return re.split(r"[；;]", s[:at])[-1] + re.split(r"[；;]", s[at:])[0]


def governs(s: str, named: str | re.Pattern[str] | Finds, start: int) -> bool:
    """The place (or figure: a pattern) is named before s[start:] outside an aside that closed already:
    "（鹿城区3233张）" is said of 鹿城区 and nothing after it, while "广州市…已覆盖803万名…,累计共有13252人" is all
    said of 广州市."""
    before = ASIDE.sub("", s[:start])
    return named in before if isinstance(named, str) else bool(named.search(before))


def spent_on(s: str, figure: re.Pattern[str] | Finds, end: int) -> bool:
    """Money is said before what it pays for: "投入资金2226万元，完成…等5所敬老院…改造" spends on the 5所 its statement
    goes on to name, with no other sum between."""
    rest = re.split(r"[；;]", s[end:])[0]
    found = figure.search(rest)
    return bool(found) and not re.search(rf"\d\s*(?:{MONEY})", rest[: found.start()])


def own_clause(s: str, pos: int) -> str:
    """The clause of s[pos:] without the asides with figures of their own that do not hold it: in
    "中心46个（其中鹿城区5个）" 鹿城区 is said of 5个, not of 46个."""
    lo, hi = clause_span(s, pos)
    return ASIDE.sub(lambda a: a.group(0) if a.start() <= pos - lo < a.end() else "", s[lo:hi])


def clause_span(s: str, pos: int) -> tuple[int, int]:
    """Where the clause holding s[pos] starts and ends (its commas, semicolons or full stop excluded)."""
    lo = max(s.rfind(c, 0, pos) for c in CLAUSE_ENDS) + 1
    hi = min((i for i in (s.find(c, pos) for c in CLAUSE_ENDS) if i >= 0), default=len(s))
    return lo, hi


def clause_of(s: str, pos: int) -> str:
    lo, hi = clause_span(s, pos)
    return s[lo:hi]
