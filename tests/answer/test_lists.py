"""Enumerations read from letter sentences (rag.answer.lists): series, pairs and the category asked."""

from rag.answer.lists import _series, asked_count, category_of
from rag.core.records import Paragraph


def _items(sentence: str) -> list[list[str]]:
    return [[i.text for i in e.items] for e in _series(sentence, Paragraph("p", "d", 0, sentence))]


def test_a_series_closed_by_he_and_a_count_keeps_its_three_items() -> None:
    # "A、B和C三部门联合…": only one 、, the last item joined by 和, the count closes the series
    got = _items("2017年起，省工业和信息化厅、省民政厅和卫生计生委三部门联合开展智慧健康养老应用试点示范工作。")
    assert ["省工业和信息化厅", "省民政厅", "卫生计生委"] in got


def test_two_items_sharing_a_head_noun_are_a_list_of_two() -> None:
    got = _items("严厉整治养老服务领域非法集资乱象和保健品推销乱象。")
    assert any(len(x) == 2 and "非法集资" in x[0] and x[1] == "保健品推销乱象" for x in got)


def test_two_nouns_with_different_heads_are_not_a_list() -> None:
    assert _items("关心关爱老年人和困难家庭。") == []


def test_category_stops_at_the_verb_the_question_goes_on_with() -> None:
    assert category_of("从2017年起广东是哪几个部门联合支持智慧健康养老试点示范的？") == "部门"
    assert category_of("咸阳下一步准备跟财政局一起出台哪些管理办法？") == "管理办法"
    assert category_of("中山的居家养老服务中心给老人开了哪些活动课程？") == "活动课程"
    assert asked_count("哪三个体系") == 3
