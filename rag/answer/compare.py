"""Comparisons: "咸阳和恩阳，哪边的百岁老人更多？", "渭城区那202所中心和彬州的47个爱心餐厅，哪个服务的老人更多？".

A comparison is answered by the figure of each side, each found as its own question and labelled with its side,
so the reader sees what each figure counts before weighing them. When the letters give one side's figure and not
the other's, there is nothing to compare, and saying which is more would be a guess: the answer says which figure
is missing. Pure: the question parsed into its sides, and the answer put together from the sides' answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rag.answer.base import combine, refusal
from rag.answer.values import bigrams
from rag.core.records import Answer, Hit

_MORE = r"(?:多|少|大|小|高|低|早|晚|长|短)"
# "A和B，哪边的X更多", "A跟B比，哪个X多", "A、B哪个服务的老人更多"
_COMPARED = re.compile(rf"^(?P<sides>[^，,？?。]{{2,40}}?)(?:比一?比|比较一下|相比)?[，,]?\s*"
                       rf"(?:哪边|哪个|哪一个|哪家|哪里|哪一方|谁)(?:的)?(?P<what>[^，,？?。]{{0,14}}?)"
                       rf"(?:更|比较|要|会)?{_MORE}(?:一些|一点|些)?(?:呢|啊)?[？?。]?$")
_SIDES = re.compile(r"和|与|跟|同|还是|、")


@dataclass(frozen=True)
class Comparison:
    sides: tuple[str, str]  # what is compared, as the question names them ("咸阳", "恩阳")
    what: str  # what is measured of each ("百岁老人", "服务的老人")

    def asks(self) -> list[str]:
        """One question per side: its figure ("咸阳的百岁老人有多少")."""
        return [f"{side}{'' if side.endswith('的') or self.what.startswith('的') else '的'}{self.what}有多少"
                for side in self.sides]


def compared(question: str) -> Comparison | None:
    """The two sides and the measure of a question that asks which is more; None for any other question."""
    m = _COMPARED.search(question.strip())
    if m is None or not m.group("what"):
        return None
    sides = [s.strip() for s in _SIDES.split(m.group("sides")) if s.strip()]
    return Comparison((sides[0], sides[1]), m.group("what")) if len(sides) == 2 else None


def compared_answer(c: Comparison, answers: list[Answer], hits: tuple[Hit, ...] | list[Hit], mode: str) -> Answer:
    """Both sides' figures, or a refusal naming the side whose figure the letters do not give."""
    # a side's figure is one its sentence says of what is measured ("咸阳的百岁老人": not 受益对象660人)
    measured = bigrams(re.sub(r"的", "", c.what))
    answers = [a if a.found and a.direct and a.citations and len(measured & bigrams(a.citations[0].quote)) * 2 >= len(
        measured) else refusal(hits, mode) for a in answers]
    missing = [side for side, a in zip(c.sides, answers, strict=True) if not a.found]
    if missing:
        given = [f"{side}：{a.direct}" for side, a in zip(c.sides, answers, strict=True) if a.found and a.direct]
        known = f"答复函只给出了{'；'.join(given)}，" if given else "答复函"
        return refusal(hits, mode, f"{known}没有给出{'、'.join(missing)}的{c.what}数字，无法比较。")
    # each figure under its side; which is larger is left to the reader, who sees what each one counts (咸阳's 21个
    # are its 公建民营及民办 homes, not all of them)
    return combine([replace(a, answer=f"{side}：{a.answer}") for side, a in zip(c.sides, answers, strict=True)],
                   list(hits), mode)
