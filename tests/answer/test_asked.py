"""What a question's own words pin down (rag.answer.asked): the event a date dates, the figures a count names."""

from rag.answer.question import analyse
from rag.core.tokens import Tokenizer
from tests.answer.test_extractive import _answerer_over


def test_a_figure_is_matched_whole_and_only_when_the_asking_clause_names_it() -> None:
    from rag.answer.asked import asked_figures, figure

    assert not figure("60").search("目前受益对象660人") and figure("60").search("60岁以上")
    q = analyse("肖石龙代表那个建议的答复里说全市有5万多张养老床位，鹿城区占多少张？", Tokenizer())
    assert asked_figures(q) == []  # 5万多张 sets the scene; the ask is about 鹿城区
    assert asked_figures(analyse("恩阳区80岁以上老人有多少？", Tokenizer())) == ["80岁"]


def test_a_date_answers_the_event_the_question_names_after_its_asking_word() -> None:
    from rag.answer.asked import event_share

    s = "市民政局于2021年7月启动智慧健康养老信息平台建设，平台于2021年10月14日正式上线运行"
    q = "智慧健康养老信息平台是什么时候正式上线的？"
    assert event_share(q, s, s.index("10月14日") + 5) == 1.0
    assert event_share(q, s, s.index("7月") + 2) < 0.5


def test_several_asking_words_in_a_row_date_what_follows_them() -> None:
    """"哪年几月印发的": 哪年几月 asks; 印发 is the event dated, not 几月印发."""
    from rag.answer.asked import event_words

    assert event_words("中山那个加强农村集体经济组织管理的指导意见是哪年几月印发的？") == ["印发"]
    answerer, hits = _answerer_over("reply-01.txt", "市委农办")
    assert answerer.answer("中山那个农村集体经济组织管理的指导意见是哪年几月印发的？", hits).direct == "2021年2月"
