"""rag.answer.followup: conversation steps that read the previous answer (given here by `ask`)."""

from __future__ import annotations

from rag.answer.followup import new_value, resolve_question
from rag.core.records import Answer

PREVIOUS = "恩阳的日间照料中心一共拿到多少运行补贴？"


def _ask(question: str) -> Answer:
    """The previous question's answer, as the pipeline would give it."""
    assert question == PREVIOUS, question
    return Answer("133.9万元。据…", True, (), (), direct="133.9万元")


def test_a_follow_up_answered_with_the_value_just_given_is_refused_saying_so() -> None:
    same = Answer("133.9万元。据…", True, (), (), direct="133.9万元")
    got = new_value("那当初建这些中心补了多少？", "恩阳的日间照料中心，那当初建这些中心补了多少？", [PREVIOUS], same,
                    ["恩阳"], _ask)
    assert not got.found and "上一问的答案（133.9万元）" in got.answer
    other = Answer("220万元。据…", True, (), (), direct="220万元")
    assert new_value("那当初建这些中心补了多少？", "恩阳…，那当初建这些中心补了多少？", [PREVIOUS], other, ["恩阳"],
                     _ask) is other
    # asked again in the same words: answered as it is
    assert new_value(PREVIOUS, PREVIOUS, [PREVIOUS], same, ["恩阳"], _ask) is same


def test_a_follow_up_about_the_figure_just_given_carries_that_figure() -> None:
    got = resolve_question("这个数统计到什么时间？", [PREVIOUS], ["恩阳"], _ask)
    assert "133.9万元" in got and got.endswith("这个数统计到什么时间？")
    assert resolve_question("恩阳有几所敬老院？", [], ["恩阳"], _ask) == "恩阳有几所敬老院？"  # no conversation


def test_a_question_naming_no_place_is_asked_of_the_conversations_place_when_it_is_not_answered_as_it_is() -> None:
    """A follow-up that names no place and stands alone is asked of the place the conversation is about only when
    the letters do not answer it as it is (`ask` answers a question standing alone)."""
    from rag.answer.followup import resolve_question
    from rag.core.records import Answer

    def ask(q: str) -> Answer:  # the letters answer it only of 中山
        return Answer("…", q.startswith("中山"), (), (), "extractive", direct="100%")

    history = ["中山综合性二级以上医院设老年科的比例是多少？"]
    q = "那老人看病走绿色通道这块，多大比例的医疗卫生机构设了？"
    assert resolve_question(q, history, {"中山", "温州"}, ask) == f"中山，{q}"
    answered = resolve_question(q, history, {"中山", "温州"}, lambda q: Answer("…", True, (), (), "extractive"))
    assert answered == q  # answered as it is: left as it is
    assert resolve_question("温州有多少家养老机构？", history, {"中山", "温州"}, ask) == "温州有多少家养老机构？"
