"""Which value in a sentence answers (rag.answer.values): the noun after a count says what it counts."""

import re
from dataclasses import replace

from rag.answer.values import bigrams, segment_fit, subject_of

SENTENCE = "目前，我市已推动77家养老机构、925家居家养老服务照料中心实现公建民营。"


def _fit(value: str, head: str) -> float:
    subject = replace(subject_of("已经实现公建民营的养老机构有多少家？"), counted=bigrams("养老机构"), head=head)
    at = SENTENCE.index(value)
    return segment_fit(SENTENCE, at, at + len(value), subject).score


def test_a_count_counts_the_noun_that_ends_in_the_asked_head() -> None:
    # 居家养老服务照料中心 shares 养老 with 养老机构 but is not an 机构: with the head known, 77家 wins
    assert _fit("77家", "机构") > _fit("925家", "机构")


def test_who_is_answered_from_the_segment_that_says_what_stands_beside_shui() -> None:
    from rag.answer.values import around_asking, novel_value

    s = ("2020年4月,我省建立了广东省养老服务部门间联席会议制度,由分管省领导担任召集人,"
         "省政府副秘书长和省民政厅厅长担任副召集人。")
    first = "广东养老服务部门间联席会议的召集人由谁担任"
    assert novel_value(s, subject_of(first, ["广东"]), around_asking(first))[0] == "分管省领导"
    second = "广东养老服务部门间联席会议的副召集人是谁"
    assert novel_value(s, subject_of(second, ["广东"]), around_asking(second))[0] == "省政府副秘书长和省民政厅厅长"


def test_a_second_ask_that_names_its_own_head_keeps_only_the_modifier_of_the_first() -> None:
    from rag.answer.frame import read
    from rag.answer.parts import parts_of

    parts = [f.content for f in parts_of(read("广东养老服务部门间联席会议的召集人由谁担任，副召集人是谁？"))]
    assert parts == ["广东养老服务部门间联席会议的召集人由谁担任", "广东养老服务部门间联席会议的副召集人是谁"]


def test_laonianren_and_laoren_are_one_word_to_the_reader() -> None:
    from rag.answer.values import bigrams

    assert bigrams("为老人开绿色通道") & bigrams("老年人就医绿色通道") >= {"老人"}



def test_who_is_answered_where_the_words_beside_shui_are_said() -> None:
    from rag.answer.values import around_asking, novel_value

    s = ("2020年4月,我省建立了广东省养老服务部门间联席会议制度,由分管省领导担任召集人,"
         "省政府副秘书长和省民政厅厅长担任副召集人。")
    q = "广东养老服务那个部门联席会议，由谁挑头当召集人"  # 挑头 is not in the letter; 召集人 is
    assert novel_value(s, subject_of(q, ["广东"]), around_asking(q))[0] == "分管省领导"


def test_a_bare_count_is_labelled_with_the_nouns_the_letter_puts_before_it() -> None:
    from rag.answer.values import labelled

    s = "全市13个县市区建成运营县级中心敬老院12个、区域性敬老院2个、公建民营及民办养老机构21个，基本满足"
    assert labelled("12个", s) == "县级中心敬老院12个"  # after the verb
    assert labelled("2个", s) == "区域性敬老院2个"  # not the end of 12个
    assert labelled("21个", s) == "民办养老机构21个"  # the nouns back to 及
    assert labelled("375家养老机构", s) == "375家养老机构"  # not a bare count: as it is


def test_who_is_not_answered_by_a_count() -> None:
    from rag.answer.values import around_asking, novel_value

    s = "截至2022年6月10日，信息平台服务申请审批记录5221条，助洁、助餐、助医、定期巡访等服务记录约84万条。"
    q = "中山智慧健康养老信息平台想把谁和养老资源连起来？"
    value, _ = novel_value(s, subject_of(q, ["中山"]), around_asking(q))
    assert value is None or not re.search(r"\d", value)


def test_zheli_tou_narrows_as_qizhong_and_zhongyang_is_a_word() -> None:
    s = subject_of("广东2016-2018省级财政补助那块，这里头算进去的中央资金有多少？", ["广东"])
    assert s.narrowed and "中央" in s.focus


def test_whose_decision_is_every_body_the_letter_joins_with_dunhao() -> None:
    """"按照谁的决策部署": the agent reader leaves 谁的 alone, and the new name runs on over the 、 series."""
    from rag.answer.agents import agent
    from rag.answer.values import around_asking, novel_value

    q = "恩阳说在农村养老里政府，是按照谁的决策部署来的？"
    s = "按照区委、政府的决策部署，发挥政府在农村养老中的“保基本、兜底线”作用"
    assert agent(q, s) is None
    assert novel_value(s, subject_of(q, ["恩阳"]), around_asking(q))[0] == "区委、政府"


def test_who_leads_and_who_takes_part_each_read_in_its_own_clause() -> None:
    """"构建政府主导、社会参与": 政府 leads (not 构建政府), 社会 takes part (会 of 社会 is no modal verb); names joined
    before one verb stay whole."""
    from rag.answer.agents import agent

    s = "构建政府主导、社会参与、全民行动的长护险政策框架体系"
    assert agent("长护险的政策框架体系要由谁主导？", s) == ("政府", 1.0)
    assert agent("长护险的政策框架体系要由谁参与？", s) == ("社会", 1.0)
    from rag.answer.agents import _own_clause

    assert _own_clause("市民政局、市财政局") == "市民政局、市财政局"  # names before one verb: not cut


def test_a_verb_asked_as_a_contraction_finds_the_partner() -> None:
    from rag.answer.agents import agent

    s = "省民政厅与中国电信广东公司合作建设了广东省居家养老信息化服务平台,从2017年起开始运行"
    assert agent("省厅和电信合建的那个平台，跟谁合建的？", s) == ("中国电信广东公司", 1.0)


def test_a_name_cut_from_a_longer_run_starts_at_a_whole_word() -> None:
    """"…与电信公|司合作开发…系统": a pattern's length limit may cut into a word; the name starts after it."""
    from rag.answer.agents import into_word as _into_word

    s = "一是与电信公司合作开发智慧养老大数据分析系统，通过信息技术将居家老人联系起来。"
    value = "司合作开发智慧养老大数据分析系统"
    assert value[_into_word(s, s.find(value), value) :].startswith("合作")
    whole = "智慧养老大数据分析系统"
    assert _into_word(s, s.find(whole), whole) == 0


def test_a_body_whose_short_name_holds_a_verb_is_named_whole() -> None:
    from rag.answer.values import after_verb

    assert after_verb("市发改局") == "市发改局"  # not 局 after 发改
    assert after_verb("院内开设广弘康复医院") == "广弘康复医院"
