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


def test_a_rough_figure_is_found_as_any_figure_in_its_range() -> None:
    from rag.answer.asked import approximate, figure

    rough = approximate("高龄补贴发了3000多万，45万出头，1000来个老人，约7亿")
    assert rough["3000"].search("发放高龄补贴3040万元") and not rough["3000"].search("发放高龄补贴4040万元")
    assert rough["45"].search("补助45.1万元") and not rough["45"].search("补助46万元")
    assert rough["1000"].search("服务1,025人") and not rough["1000"].search("直接服务老年人10000多人")
    assert rough["7"].search("总投资约7.2亿元")
    assert "580" not in approximate("投入580万元")  # an exact figure stays exact
    assert figure("3000", "发了3000多万").search("3040万元") and not figure("3000").search("3040万元")


def test_a_bound_beside_a_figure_must_not_be_the_other_way_in_the_sentence() -> None:
    from rag.answer.asked import bound, bounds_agree

    assert bound("床位不到100张的小机构", "100") == "below" and bound("100张床位以上的养老机构", "100") == "above"
    assert bound("100张床位以下和100张床位以上的", "100") == ""  # both cases asked
    assert not bounds_agree("床位不到100张的小机构跟谁签协议", ("100",), "二是对于100张床位以上的养老机构")
    assert bounds_agree("床位不到100张的小机构跟谁签协议", ("100",), "一是对于100张床位以下的养老服务机构")


def test_a_figure_given_roughly_or_in_characters_points_at_the_letters_sentence() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "3040万元")
    got = answerer.answer("恩民政函〔2021〕3号说高龄补贴一共发了三千多万，这是发给多少人次的？", hits)
    assert got.direct == "95000人/次"
    answerer, hits = _answerer_over("reply-03.txt", "100张床位以下")
    got = answerer.answer("温州床位不到一百张的小机构，看病这块是跟谁签协议解决的？", hits)
    assert "100张床位以上" not in got.answer and "325家" not in got.answer


def test_a_year_counted_back_from_the_letter_and_the_letters_own_date_stated() -> None:
    from rag.answer.asked import LETTER_DATED, years_back

    assert years_back("去年重阳节发出去的慰问钱总共多少") == 1 and years_back("发函前一年") == 1
    assert years_back("落款当年") == 0 and years_back("前年") == 2 and years_back("今年") is None
    assert years_back("发函前两年") == 2 and years_back("发函前二年") == 2 and years_back("印发前三年") == 3
    assert LETTER_DATED.sub("", "咸阳那封是2023年5月印发的，去年") == "咸阳那封是印发的，去年"
    answerer, hits = _answerer_over("reply-05.md", "重阳节")
    got = answerer.answer("咸阳那封是23年5月印发的，按这个算，去年重阳节发出去的慰问钱总共多少？", hits)
    assert got.direct == "13.5万元"


def test_what_a_body_asked_for_does_is_what_its_clause_must_say() -> None:
    from rag.answer.asked import act_asked

    assert act_asked("中山计划开展的50场讲座，由哪家机构主讲？") == "主讲"
    assert act_asked("要联合哪个局赶紧出？") == "赶紧出"
    assert act_asked("这事是哪个局在张罗？") == ""  # being in charge is said many ways (协调, 牵头)
    assert act_asked("秘书工作落在谁家？") == ""


def test_a_body_whose_clause_does_nothing_the_question_asks_is_no_answer(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """The 50场…讲座 sentence goes on to 综合性二级以上医院设置老年科: no one is said to give the talks."""
    assert not corpus_pipeline.ask("中山今年计划的50场老年心理健康知识讲座，是哪家机构来主讲？").found
    assert corpus_pipeline.ask("咸阳那两个管理办法，要联合哪个局赶紧出台？").direct == "财政局"
