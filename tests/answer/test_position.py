"""rag.answer.position: which item of a list a question asks for by its place."""

from rag.answer.position import place_in

UNITS = ["甲局", "乙局", "丙局"]


def test_the_nth_from_either_end() -> None:
    assert place_in("排第二的是哪个", UNITS) == 1 and place_in("第3个是谁", UNITS) == 2
    assert place_in("倒数第二个是谁", UNITS) == 1 and place_in("最末一个是什么", UNITS) == 2
    assert place_in("打头的是哪个", UNITS) == 0 and place_in("排在最后的是哪个", UNITS) == 2


def test_the_one_beside_an_item_the_question_names() -> None:
    assert place_in("排在甲局后头那个是谁", UNITS) == 1 and place_in("丙局前面那个是谁", UNITS) == 1


def test_no_place_a_number_or_a_place_outside_the_list() -> None:
    assert place_in("综合意见的单位是哪些", UNITS) is None
    assert place_in("第317号建议综合意见的单位是哪些", UNITS) is None  # a number, not a place in the list
    assert place_in("排第五的是哪个", UNITS) is None and place_in("丙局后面是谁", UNITS) is None
