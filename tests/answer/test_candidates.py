"""The sentences of the retrieved hits that may answer, and their scores (rag.answer.candidates)."""

from rag.answer.candidates import sentences
from tests.answer.test_extractive import _answerer_over
from tests.answer.test_meta import doc


def test_the_letters_title_line_answers_no_question_about_its_content() -> None:
    title = doc("reply-04.txt").meta.title
    answerer, (opening,) = _answerer_over("reply-04.txt", title)  # 广东省民政厅关于…答复的函 / 粤民函… / 吴克昌代表:
    said = [s for _, s in sentences(opening, answerer.library)]
    # "秘书工作落在谁家" was answered with the title line (its 广东省民政厅 a name, by meaning close to 标准化…)
    assert title in opening.chunk.text and not any(title in s or s in title for s in said)
    # the salutation names whom the letter answers, which its record holds ("抬头写给谁" is answered from it)
    assert not any("吴克昌代表" in s for s in said)
    assert answerer.answer("广东那封答复抬头写给谁？", [opening]).direct == "吴克昌代表"


def test_a_figure_said_of_places_listed_together_is_no_one_places_own() -> None:
    from rag.answer.candidates import _one_of_places

    s = "补助资金140万元，在兴平市、武功县、乾县、泾阳县、三原县、永寿县和长武县助力690户"
    assert _one_of_places(s, "兴平市") and _one_of_places(s, "长武县")
    assert not _one_of_places("渭城区202所社区日间照料中心积极探索", "渭城区")


def test_a_latin_word_of_the_question_is_found_in_the_letter_whatever_its_case() -> None:
    """The tokenizer lowercases (5G → 5g); the letters write 5G: a sentence saying 5G covers that word."""
    from rag.answer.candidates import candidates
    from rag.answer.question import analyse
    from rag.core.tokens import Tokenizer

    answerer, hits = _answerer_over("reply-01.txt", "6451")
    q = analyse("中山5G基站累计建成多少座？", Tokenizer())
    assert any("5g" in t for t, _ in q.keywords)
    cands, _ = candidates(q, hits, answerer.tokenizer, answerer.library, None)
    best = max(cands, key=lambda c: c.coverage)
    assert "6451" in best.sentence and best.coverage > 0.9


def test_an_ask_that_ranks_or_asks_a_change_needs_a_sentence_that_says_one() -> None:
    from rag.answer.candidates import answer_form

    assert answer_form("广东那个平台的19种服务里，哪项用的人最多？").search("居首位的是助餐服务")
    assert not answer_form("广东那个平台的19种服务里，哪项用的人最多？").search("提供19种服务")
    assert answer_form("温州的养老床位比上一年多了多少张？").search("比上年新增床位2000张")
    assert not answer_form("温州的养老床位比上一年多了多少张？").search("建有51086张养老床位")
    assert answer_form("中山那份说村里新征地的补偿款，集体最少得留几成") is None  # a bound, not a rank
    assert answer_form("温州有多少家养老机构？") is None
    # a rate of change or a change against a year; the first place asked by another name
    q = "跟2018年单年比，广东省财政2019年这笔养老服务体系建设补助的增幅是多少？"
    assert not answer_form(q).search("2019年,省财政继续安排养老服务体系建设补助资金4.98亿元")
    assert answer_form("养老床位同比涨了多少").search("比上年新增床位2000张")
    assert not answer_form("入围数广东是全国亚军，那冠军是哪个省？").search("入围数量全国第二")
    # a reason asked is answered by a sentence that gives one, a cause or a purpose
    why = answer_form("恩阳那4所民办养老机构为什么一直没投入运营？卡在哪儿了？")
    assert not why.search("民办养老机构4所、床位1450张，均未投入运营")
    assert answer_form("温州为什么要让100张床位以上的养老院自己设医疗机构？").search("更便于随时掌握老人的身体状况")


def test_traps_asking_a_rank_a_change_or_a_town_are_refused(corpus_pipeline) -> None:
    for q in ("温州的养老床位比上一年多了多少张？", "广东那个居家养老信息化服务平台的19种服务里，哪项用的人最多？",
              "中山上一届老年人运动会是在哪个镇办的？"):
        assert not corpus_pipeline.ask(q).found, q


def test_a_legislators_own_phone_or_a_contacts_post_is_refused_saying_why(corpus_pipeline) -> None:
    """The letter's phone is its contact's, not the legislator's; and its contact is named only in the contact
    line, which says no post."""
    own = corpus_pipeline.ask("想直接打给温蓉委员本人，她电话多少？")
    assert not own.found and "没有委员本人的电话" in own.answer
    assert corpus_pipeline.ask("温蓉委员那封答复留的电话是多少？").found  # the letter's own phone
    assert not corpus_pipeline.ask("陈庆在恩阳区民政局是什么职务？").found


def test_a_rank_is_a_superlative_not_maximising() -> None:
    from rag.answer.candidates import answer_form

    ranked = answer_form("温州那9个示范型养老标杆项目里，投资最大的是哪一个？")
    assert ranked is not None and ranked.search("其中投资最大的是某某项目")
    assert not ranked.search("实现医疗与养老资源的最大化利用") and not ranked.search("最终建成")


def test_a_yes_no_question_asks_what_its_subject_is_said_to_be() -> None:
    from rag.answer.candidates import _YES_NO, _predicate

    q = "东凤人民医院是三甲医院吗"
    assert _predicate(q, _YES_NO.search(q)) == "三甲医院"
    q = "那个平台是不是已经上线了"
    assert _predicate(q, _YES_NO.search(q)) == "已经上线了"


def test_a_value_of_a_city_in_a_provinces_letter_is_said_in_that_citys_sentence(corpus_pipeline) -> None:
    """The province's platform "从2017年起开始运行" stands a sentence before 东莞's own: it dates not 东莞's."""
    assert not corpus_pipeline.ask("东莞的智慧养老服务平台是哪一年开始运行的？").found
    assert corpus_pipeline.ask("广州长护险累计有多少人享受待遇？").direct == "13252人"


def test_traps_asking_days_a_rank_or_a_grade_are_refused_and_their_true_twins_answered(corpus_pipeline) -> None:
    for q in ("恩阳的家庭喘息服务每次能托管几天？", "温州9个示范型养老标杆项目里投资最大的是哪个？",
              "东凤人民医院是三甲医院吗？"):
        assert not corpus_pipeline.ask(q).found, q
    assert corpus_pipeline.ask("东凤镇敬老院是东凤人民医院托管的吗？").found
    assert corpus_pipeline.ask("温州那封答复里，2018年出台的那份现代服务业政策意见，文号是什么？").direct == (
        "温委发〔2018〕45号")


def test_a_date_in_the_asking_clause_says_when_not_what_is_counted(corpus_pipeline) -> None:
    """"有几家（截至22年6月10日）": the date stands at the head of the sentence, the count in a later clause."""
    got = corpus_pipeline.ask("中山养老信息平台进驻的服务商有几家（截至22年6月10日）？")
    assert got.direct == "118家"
    got = corpus_pipeline.ask("中山养老信息平台进驻的服务商有几家（截至2023年1月1日）？")
    assert not got.found  # a date the letter does not give is still required


def test_a_choice_between_counterparts_needs_a_passage_saying_one(corpus_pipeline) -> None:
    assert not corpus_pipeline.ask("中山那个华宇乐颐养院，是公办的还是民办的？").found


def test_a_figure_pointed_at_must_be_named_whatever_is_asked(corpus_pipeline) -> None:
    """"那2个基地，分别在哪个市": only where the 2个基地 stand, which names no city."""
    assert not corpus_pipeline.ask("广东2019年入选国家智慧健康养老示范的那2个基地，分别在哪个市？").found


def test_the_questions_one_year_restricts_the_figure_wherever_it_is_said(corpus_pipeline) -> None:
    got = corpus_pipeline.ask("粤民函〔2020〕713号，到了2019年，省级财政又拨了多少钱专门补养老服务体系建设？")
    assert got.direct == "4.98亿元"


def test_questions_in_the_ways_colleagues_ask_each_other(corpus_pipeline) -> None:
    asked = "收文本上登的是粤民函〔2020〕713号，帮忙看下：到了2019那年，省级财政又拨了多少钱补养老服务体系建设？"
    assert corpus_pipeline.ask(asked).direct == "4.98亿元"
    got = corpus_pipeline.respond("照这个口径，分散在农村供养的是多少个？", history=["恩阳区特困供养人员一共多少人？"])
    assert got.answer.direct == "2039人"
    got = corpus_pipeline.ask("温州“借资本突围”那一节，一二三条分别干了啥？")
    assert got.found and "公建民营运营商库" in got.direct


def test_a_two_character_unit_after_wan_is_kept_whole(corpus_pipeline) -> None:
    got = corpus_pipeline.ask("中山老人到站点做康复的服务，人数和累计时长各多少？")
    assert got.parts == ("1025名", "约4.9万小时")


def test_words_quoted_in_a_row_are_the_askers_shorthand_not_a_name_that_must_stand(corpus_pipeline) -> None:
    ans = corpus_pipeline.ask("温州说的那个养老服务格局，“领导、主导、牵头”那几个词原文是怎么写的？")
    assert ans.found and "党委领导、政府主导、民政牵头" in ans.answer


def test_what_things_can_add_is_no_change_against_an_earlier_year(corpus_pipeline) -> None:
    # "能多出多少张床": the beds the ones being built will have; "比去年多出多少" would ask a change the letters state
    ans = corpus_pipeline.ask("温州在建的那些民办养老机构，建好了能多出多少张床位？")
    assert ans.found and "5481张" in ans.answer
