"""rag.answer.question: what a question asks for, read from how staff phrase it."""

from __future__ import annotations

from rag.answer.question import analyse
from rag.core.tokens import Tokenizer


def test_ji_cheng_asks_for_a_share() -> None:
    q = analyse("中山村里新增的征地补偿款，至少要给集体留几成？", Tokenizer())
    assert q.kind == "number" and q.unit == "%"


def test_what_must_be_is_not_a_plan() -> None:
    assert not analyse("中山村里新增的征地补偿款，至少要给集体留几成？", Tokenizer()).plan
    assert analyse("温州市2019年要推动多少家社区居家养老服务照料中心社会化运营？", Tokenizer()).plan


def test_a_question_that_counts_the_items_itself_asks_for_them() -> None:
    assert analyse("恩阳那封答复里推进养老产业发展的措施分了七条，每条讲的是啥？", Tokenizer()).kind == "list"


def test_a_date_question_says_how_fine_a_date_it_wants() -> None:
    assert analyse("温州市智慧养老综合平台是哪天正式上线的？", Tokenizer()).grain == "day"
    assert analyse("平台是哪一年上线的？", Tokenizer()).grain is None


def test_a_place_the_question_names_is_one_the_gazetteer_knows() -> None:
    assert analyse("中山能在网上约护士上门的医疗单位有多少家？", Tokenizer()).places == ("中山",)  # 上门 is tagged ns
    assert "鹿城" in analyse("鹿城有几个社区养老园？", Tokenizer()).places  # short form of 鹿城区
