"""Comparisons (rag.answer.compare): each side's figure, or which one the letters do not give."""

from rag.answer.compare import compared, compared_answer
from rag.core.records import Answer, Citation


def _said(figure: str, quote: str) -> Answer:
    cit = Citation("d", "局", "函〔2021〕3号", None, "一、", "d-p001", quote)
    return Answer(f"{figure}。据…答复：“{quote}”[1]", True, (cit,), (), direct=figure)


def test_a_question_asking_which_side_is_more_names_both_sides_and_the_measure() -> None:
    c = compared("咸阳和恩阳，哪边的百岁老人更多？")
    assert c is not None and c.sides == ("咸阳", "恩阳") and c.what == "百岁老人"
    assert c.asks() == ["咸阳的百岁老人有多少", "恩阳的百岁老人有多少"]
    c = compared("渭城区那202所社区日间照料中心和彬州的47个爱心餐厅，哪个服务的老人更多？")
    assert c is not None and c.sides[1] == "彬州的47个爱心餐厅" and c.what == "服务的老人"
    assert compared("温州有多少家养老机构？") is None and compared("哪个多") is None
    assert compared("温州和咸阳的答复哪封更早") is None  # an order of letters: rag.answer.scope


def test_both_figures_are_given_each_under_its_side_and_a_missing_one_is_named() -> None:
    c = compared("温州和恩阳，哪边的养老机构更多？")
    assert c is not None
    both = compared_answer(c, [_said("375家", "我市共有375家养老机构"), _said("10所", "公办养老机构10所")], (), "x")
    assert both.found and "（1）温州：375家" in both.answer and "（2）恩阳：10所" in both.answer
    # a figure whose sentence does not say what is measured is none of that side's (受益对象660人 is no 百岁老人)
    c = compared("咸阳和恩阳，哪边的百岁老人更多？")
    assert c is not None
    one = compared_answer(c, [_said("660人", "目前受益对象660人"), _said("48人", "百岁老人48人")], (), "x")
    assert not one.found and "恩阳：48人" in one.answer and "没有给出咸阳的百岁老人数字" in one.answer
