"""The extractive answerer: which value, sentence, list or refusal answers a question over a letter's hits."""

from __future__ import annotations

from rag.answer.question import analyse
from rag.core.tokens import Tokenizer


def test_a_date_question_is_answered_only_by_a_date_that_names_the_part_it_asks() -> None:
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.core.records import Hit
    from rag.ingest.chunk import chunk_document
    from tests.answer.test_meta import doc

    d = doc("reply-03.txt")  # the letter names "（2017年修订）" but never the day its platform went online
    answerer = ExtractiveAnswerer(Tokenizer(), library={d.doc_id: d}.get)
    hits = [Hit(c, 1.0, d.meta, paragraphs=tuple(p for p in d.paragraphs if p.id in c.paragraph_ids))
            for c in chunk_document(d) if "2017年修订" in c.text]
    day = answerer.answer("温州市区老年人服务设施布局规划是哪天修订的？", hits)
    assert not day.found and "2017年" not in day.direct
    year = answerer.answer("温州市区老年人服务设施布局规划是哪一年修订的？", hits)
    assert year.found and year.direct == "2017年"


def test_a_place_or_figure_the_question_names_leads_to_the_value() -> None:
    from rag.answer.spans import governs

    s = "建有51086张养老床位（鹿城区3233张），建成乡镇（街道）养老服务中心46个（其中鹿城区5个）"
    assert not governs(s, "鹿城", s.index("46个"))  # named in an aside that closed before it
    assert governs(s, "鹿城", s.index("3233张"))
    s = "广州市长期护理保险已覆盖803万名城镇职工参保人员,累计共有13252人享受长护险待遇"
    assert governs(s, "广州", s.index("13252人"))  # the sentence's subject, whatever figures come between


def test_a_figure_in_the_question_is_the_one_the_value_is_said_of() -> None:
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.core.records import Hit
    from rag.ingest.chunk import chunk_document
    from tests.answer.test_meta import doc

    d = doc("reply-02.txt")
    answerer = ExtractiveAnswerer(Tokenizer(), library={d.doc_id: d}.get)
    hits = [Hit(c, 1.0, d.meta, paragraphs=tuple(p for p in d.paragraphs if p.id in c.paragraph_ids))
            for c in chunk_document(d) if "11604人" in c.text]
    assert answerer.answer("恩阳区80岁以上老人有多少？", hits).direct == "11604人"
    assert answerer.answer("恩阳区60岁以上老人有多少？", hits).direct == "130876人"


def _answerer_over(name: str, marker: str):  # type: ignore[no-untyped-def]
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.core.records import Hit
    from rag.ingest.chunk import chunk_document
    from tests.answer.test_meta import doc

    d = doc(name)
    hits = [Hit(c, 1.0, d.meta, paragraphs=tuple(p for p in d.paragraphs if p.id in c.paragraph_ids))
            for c in chunk_document(d) if marker in c.text]
    return ExtractiveAnswerer(Tokenizer(), library={d.doc_id: d}.get), hits


def test_a_target_does_not_answer_what_was_done_and_a_count_says_what_it_counts() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "6万座")
    assert not answerer.answer("广东2020年实际新建了多少座5G基站？", hits).found  # "力争2020年新建6万座"
    assert answerer.answer("广东2020年力争新建多少座5G基站？", hits).direct == "6万座"
    answerer, hits = _answerer_over("reply-04.txt", "24个部门")
    assert answerer.answer("广东养老服务部门间联席会议的成员单位有多少个部门？", hits).direct == "24个部门"






def test_an_aside_that_only_names_a_place_governs_what_follows() -> None:
    from rag.answer.spans import governs

    s = "建成恩阳区第一家社区养老服务综合中心（登科白玉社区），该中心建筑面积600㎡，床位13张"
    assert governs(s, "白玉", s.index("13张"))


def test_a_sub_place_in_an_aside_is_said_of_the_aside_figure_only() -> None:
    from rag.answer.spans import own_clause

    s = "建有51086张养老床位（鹿城区3233张），建成乡镇（街道）养老服务中心46个（其中鹿城区5个）"
    assert "鹿城" not in own_clause(s, s.index("46个"))
    assert "鹿城" in own_clause(s, s.index("5个"))


def test_a_planned_action_binds_its_own_clause_and_a_goal_the_rest_of_its_sentence() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "280余户")  # "计划投资30万元，…，为280余户…进行无障碍设施改造"
    assert answerer.answer("恩阳给多少户困难老年人家庭进行了无障碍设施改造？", hits).direct.startswith("280余户")
    # 30万元 is what it plans to invest, not what was invested
    assert answerer.answer("恩阳给家庭适老化改造项目投资了多少钱？", hits).direct != "30万元"


def test_a_date_whose_clause_says_nothing_of_the_event_asked_dates_something_else() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "雪山区域性养老中心")
    hits += _answerer_over("reply-02.txt", "到2022年，力争")[1]  # a date, of another event
    assert not answerer.answer("恩阳雪山区域性养老中心什么时候投入运营？", hits).found


def test_the_later_parts_of_a_question_are_read_in_the_letter_the_first_was_answered_from() -> None:
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.core.records import Hit
    from rag.ingest.chunk import chunk_document
    from tests.answer.test_meta import doc

    docs = [doc("reply-04.txt"), doc("reply-01.txt")]
    hits = [Hit(c, 1.0, d.meta, paragraphs=tuple(p for p in d.paragraphs if p.id in c.paragraph_ids))
            for d in docs for c in chunk_document(d) if "55%" in c.text or "不低于20%" in c.text]
    answerer = ExtractiveAnswerer(Tokenizer(), library={d.doc_id: d for d in docs}.get)
    answer = answerer.answer("广东彩票公益金2021年起用于养老的比例不低于多少？2021年以前呢，要求不低于多少？", hits)
    assert {c.doc_number for c in answer.citations} == {"粤民函〔2020〕713号"}


def test_when_a_count_names_the_thing_asked_one_naming_another_thing_is_not_the_answer() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "2个基地")  # "推动全省2个基地、10个街道、2家企业入选…"
    assert answerer.answer("广东2019年入选国家智慧健康养老试点示范的有几个基地？", hits).direct == "2个基地"


def test_the_thing_counted_is_the_head_of_its_phrase_not_the_place_it_belongs_to() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "医护人员19人")
    assert answerer.answer("华宇乐颐养院医护人员有几个？", hits).direct == "19人"


def test_who_does_what_follows_sheui_is_the_noun_before_that_verb() -> None:
    from rag.answer.agents import agent

    s = "今年，市民政局将负责牵头组织实施“时间银行”养老志愿服务运作方案的标准化、信息化、制度化建设"
    assert agent("时间银行谁牵头搞", s) == ("市民政局", 1.0)


def test_a_count_is_stated_with_every_noun_of_the_counted_phrase_that_follows_it() -> None:
    from rag.answer.pick import _named_after

    s = "目前已公开竞选出首批254项数字技术产品和解决方案"
    assert _named_after(s, s.index("254项") + 4, ("数字", "技术", "产品")) == "数字技术产品"


def test_a_count_is_stated_with_what_the_counted_things_serve_as_when_that_is_the_thing_asked() -> None:
    """"24个部门为成员单位" answers 几个成员单位 with 24个部门: the things counted, as the letter names them."""
    from rag.answer.pick import _named_after

    s = "省医保局等24个部门为成员单位,负责统筹协调"
    assert _named_after(s, s.index("24个") + 3, ("成员", "单位")) == "部门"
    assert _named_after(s, s.index("24个") + 3, ("牵头", "单位")) == ""  # they serve as members, not as leads
    answerer, hits = _answerer_over("reply-04.txt", "24个部门")
    assert "24个部门" in answerer.answer("广东养老服务部门间联席会议有几个成员单位？", hits).direct


def test_a_figure_the_question_names_identifies_the_passage_of_a_yes_no_question() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "均未投入运营")
    a = answerer.answer("恩阳那4所民办养老院是不是已经开门营业了？", hits)
    assert a.found and "4所" in a.citations[0].quote and "均未投入运营" in a.answer  # not another 养老院


def test_a_yes_no_date_question_with_a_document_number_is_answered_in_that_letter() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "正式上线运行")
    assert answerer.answer("那个智慧健康养老平台是不是已经上线了？哪天上的", hits).direct == "2021年10月14日"


def test_a_lower_bound_is_a_requirement_not_what_was_done() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "3500个")
    assert not answerer.answer("粤东西北2020年实际新增了多少个通光缆的自然村", hits).found  # "新增不少于3500个"
    answerer, hits = _answerer_over("reply-04.txt", "不低于55%")
    assert answerer.answer("广东从2021年起要求彩票公益金用于养老的比例不低于多少", hits).direct == "55%"


def test_what_is_only_arranged_for_the_year_does_not_answer_what_has_been_done() -> None:
    assert analyse("咸阳已经帮多少户困难老人改造了住房", Tokenizer()).done
    assert not analyse("咸阳今年计划帮多少户困难老人改造住房", Tokenizer()).done
    answerer, hits = _answerer_over("reply-05.md", "适老化")
    a = answerer.answer("咸阳已经帮多少户困难老人把家里改得更适合老人住了", hits)
    assert a.direct != "690户"  # "今年安排…资金…助力690户" is arranged, not done


def test_a_bare_wan_followed_by_a_measure_word_counts_people_not_money() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "3.31亿元")
    assert answerer.answer("广州长期护理保险基金到现在一共付了多少钱", hits).direct == "3.31亿元"  # not 803万(名)


def test_a_yes_no_question_is_answered_by_a_sentence_that_says_what_it_asks() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "智慧健康养老信息平台")
    a = answerer.answer("中山智慧养老平台是不是已经上线了", hits)
    assert a.found and "上线" in a.citations[0].quote


def test_whether_something_has_been_done_is_not_answered_by_its_plan() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "乡镇（街道）养老服务中心")
    assert not answerer.answer("温州到2020年底是不是每个镇街都已经有乡镇养老服务中心了", hits).found  # 计划到2020年底


def test_a_bound_carries_over_the_values_it_joins_and_zuishao_asks_for_it() -> None:
    from rag.answer.pick import _BOUND

    assert _BOUND.search("原则上不低于20%和") and _BOUND.search("集体提留不低于")
    answerer, hits = _answerer_over("reply-01.txt", "不低于30%")
    assert answerer.answer("中山那份说村里新征地的补偿款，集体最少得留几成", hits).direct == "30%"


def test_a_payment_the_letters_name_is_not_answered_by_another_kind_of_money() -> None:
    answerer, hits = _answerer_over("reply-05.md", "慰问金")
    assert not answerer.answer("咸阳2022年高龄补贴一共发了多少钱", hits).found  # "下拨慰问金13.5万元"
    assert answerer.answer("咸阳2022年重阳节下拨的慰问金是多少钱", hits).direct == "13.5万元"


def test_the_unit_the_question_names_is_not_the_unit_it_asks_for() -> None:
    from rag.answer.pick import value_in

    q = analyse("广东养老服务标委会日常办事的机构放在哪家单位", Tokenizer())
    s = "目前,省养老服务标委会已初步建立我省养老服务标准体系框架"
    assert value_in(q, s, {}, None, "广东省民政厅", frozenset(), [])[0] is None


def test_a_question_about_the_whole_is_not_answered_by_a_part_after_qizhong() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "19种")
    assert answerer.answer("广东省居家养老信息化服务平台一共能提供多少种服务", hits).direct == "19种"  # not 其中…8项
    assert answerer.answer("广东省居家养老信息化服务平台其中线上服务有多少项", hits).direct == "8项"


def test_a_value_keeps_its_bound_and_a_rate_or_per_head_amount_is_not_any_figure() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "一键通")
    assert answerer.answer("温州一键通免费给多大岁数的老人", hits).direct == "80岁以上"
    answerer, hits = _answerer_over("reply-02.txt", "11604人")
    assert not answerer.answer("恩阳区公办养老机构入住率多少", hits).found  # not "约占全区总人口的20%"
    answerer, hits = _answerer_over("reply-02.txt", "3040")
    assert not answerer.answer("恩阳高龄补贴标准每人每月多少钱", hits).found  # not the 3040万元 paid in all
    answerer, hits = _answerer_over("reply-05.md", "2-4")
    assert answerer.answer("咸阳日间照料中心每个给了多少运营补贴", hits).direct == "2-4万元"


def test_two_asks_are_not_answered_by_one_value() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "5221")
    a = answerer.answer("中山信息平台服务申请审批记录多少条，审批的记录多少条", hits)
    assert a.direct == "5221条" and "（2）资料中未找到这一问的答案" in a.answer


def test_a_value_said_of_a_counterpart_or_of_a_sub_place_does_not_answer() -> None:
    from rag.answer.pick import value_in

    q = analyse("咸阳建了多少个农村社区日间照料中心", Tokenizer())
    s = "建成城镇社区日间照料中心266个、农村互助幸福院1356个"
    assert value_in(q, s, {}, None, "咸阳市民政局", frozenset(), [])[0] != "266个"  # said of 城镇
    q = analyse("咸阳有多少个社区日间照料中心", Tokenizer())
    s = "渭城区202所社区日间照料中心积极探索“互联网+养老”新模式"
    assert value_in(q, s, {}, None, "咸阳市民政局", frozenset(), [])[0] is None  # said of 渭城区


def test_the_signature_date_line_dates_the_letter_only() -> None:
    answerer, hits = _answerer_over("reply-05.md", "印发")
    assert "2023年5月11日印发" in "".join(h.chunk.text.replace(" ", "") for h in hits)
    assert not answerer.answer("咸阳市的试点是哪天开始的", hits).found  # was "2023年5月11日": no word of it there


def test_what_is_still_being_built_is_not_what_there_is() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "养老床位")
    assert answerer.answer("温州有多少张养老床位", hits).direct.startswith("51086张")  # not 在建…5481张
    assert answerer.answer("温州市在建的民办养老机构大约有多少张养老床位？", hits).direct.startswith("5481张")


def test_a_question_that_counts_the_kinds_it_asks_wants_the_items() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "医中有养")
    a = answerer.answer("中山医养结合的四种模式是什么", hits)
    assert a.direct.split("；") == ["医中有养", "养中有医", "医养并重", "协议服务"]


def test_a_share_of_what_was_just_counted_is_asked_with_zhan() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "66.1%")
    assert answerer.answer("温州有多少家养老机构，民办的占多少", hits).direct.split("；") == ["375家养老机构", "66.1%"]


def test_one_value_is_its_figure_and_measure_word() -> None:
    from rag.answer.values import same_value

    assert same_value("375家养老机构", "375家") and not same_value("2个基地", "2家企业")


def test_a_year_question_needs_a_year_and_a_place_question_a_place() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "长期护理保险试行办法")
    assert "年" in answerer.answer("广州长护险试点办法哪年印发的", hits).direct  # not "8月"
    answerer, hits = _answerer_over("reply-05.md", "职业技能鉴定中心")
    assert answerer.answer("咸阳养老护理员职业技能鉴定中心设在哪里", hits).direct != "上岗"  # jieba tags it ns


def test_the_share_of_a_part_the_letter_does_not_give_is_refused() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "66.1%")
    assert not answerer.answer("温州市养老床位中护理型床位占多少", hits).found  # not the 民办 share 66.1%
    assert answerer.answer("温州养老机构里民办的占多少", hits).direct == "66.1%"


def test_a_value_in_another_parallel_item_is_said_of_that_item_s_subject() -> None:
    from rag.answer.pick import value_in

    s = ("二是养中有医，我市市华宇乐颐养院有养老床位 600 张，内设医务室，医护人员 19 人；三是医养并重，市广弘颐养院"
         "是大型养老机构，在院内开设广弘康复医院，为二级康复医院，住院病床 99 张")
    assert value_in(analyse("广弘颐养院有多少张床位", Tokenizer()), s, {}, None, "中山市民政局")[0] == "99 张"
    assert value_in(analyse("广弘颐养院有多少医生", Tokenizer()), s, {}, None, "中山市民政局")[0] is None
    assert value_in(analyse("华宇乐颐养院里配了多少医生护士", Tokenizer()), s, {}, None, "中山市民政局")[0] == "19 人"
    assert value_in(analyse("华宇乐颐养院有多少张床位", Tokenizer()), s, {}, None, "中山市民政局")[0] == "600 张"
    # the clause that asks names the subject: "华宇乐颐养院养老床位，广弘颐养院住院病床几张" asks of 广弘颐养院
    q = analyse("中山华宇乐颐养院养老床位，广弘颐养院住院病床几张", Tokenizer())
    assert value_in(q, s, {}, None, "中山市民政局")[0] == "99 张"


def _answerer_over_letters(markers: dict[str, str]):  # type: ignore[no-untyped-def]
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.core.records import Hit
    from rag.ingest.chunk import chunk_document
    from tests.answer.test_meta import doc

    docs = {name: doc(name) for name in markers}
    hits = [Hit(c, 1.0, d.meta, paragraphs=tuple(p for p in d.paragraphs if p.id in c.paragraph_ids))
            for name, d in docs.items() for c in chunk_document(d) if markers[name] in c.text]
    return ExtractiveAnswerer(Tokenizer(), library={d.doc_id: d for d in docs.values()}.get), hits


def test_a_programme_a_letter_names_in_quotes_is_answered_only_by_a_letter_that_has_it() -> None:
    # “时间银行” is 中山's programme: 恩阳's letter, which never names it, does not say how many joined it
    answerer, hits = _answerer_over_letters({"reply-02.txt": "19400", "reply-01.txt": "时间银行"})
    assert not answerer.answer("恩阳区的时间银行有多少志愿者参加", hits).found  # not 19400人/次 老人 served
    assert answerer.answer("中山的时间银行由谁牵头", hits).found
    # and the programme is counted as such: 咸阳's 660 受益对象 are not its “爱心助老员”
    answerer, hits = _answerer_over("reply-05.md", "660人")
    assert not answerer.answer("咸阳的爱心助老员有多少人", hits).found


def test_a_list_asked_item_by_item_gets_the_items() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "一键通")
    a = answerer.answer("温州那个一键通能干啥，功能挨个说下", hits)
    assert "实时定位" in a.direct and "电子围栏" in a.direct


def test_a_rate_is_answered_by_the_clause_that_names_it_fully() -> None:
    from rag.answer.pick import value_in

    s = "符合规定的长期护理费用基金支付率为82.15%,总体支付率为71.23%"
    assert value_in(analyse("广州长护险的基金支付率是多少", Tokenizer()), s, {}, None, "广东省民政厅")[0] == "82.15%"
    assert value_in(analyse("广州长护险总体支付率是多少", Tokenizer()), s, {}, None, "广东省民政厅")[0] == "71.23%"


def test_a_letter_does_not_say_what_was_done_in_a_year_after_it_was_written() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "46个")  # 温民提〔2019〕70号, signed 2019年7月2日
    assert not answerer.answer("温州乡镇街道养老服务中心到2022年全覆盖以后，实际一共建成了多少个？", hits).found
    assert answerer.answer("温州今年再建成多少个乡镇养老服务中心？", hits).direct == "47个"  # its plan


def test_a_figure_the_question_names_keeps_its_measure_word() -> None:
    from rag.answer.pick import value_in

    s = "综合性二级以上医院设置老年科超过50%,2021年开展智慧助老活动203场,直接服务老年人10000多人,计划开展50场讲座"
    q = analyse("中山计划的50场老年心理健康讲座办完后一共来了多少人听", Tokenizer())
    assert value_in(q, s, {}, None, "中山市民政局")[0] is None  # the 50 before 10000多人 is 50%, not the 50场



def test_libian_asks_a_part_even_when_the_question_names_the_total() -> None:
    from rag.answer.pick import value_in

    s = "2016-2018年,全省投入养老服务体系建设资金108.48亿元,其中省财政补助资金13.04亿元(含中央1.74亿元)。"
    q = analyse("广东2016-2018年全省养老服务体系建设一共投了多少钱，里边有多少是中央下来的", Tokenizer())
    assert value_in(q, s, {}, None, "广东省民政厅")[0] == "1.74亿元"


def test_a_programme_another_letter_names_counts_even_when_that_letter_was_not_retrieved() -> None:
    from rag.answer.extractive import ExtractiveAnswerer

    _, hits = _answerer_over_letters({"reply-02.txt": "19400"})  # only 恩阳's letter came back
    library = {h.chunk.doc_id: __import__("tests.answer.test_meta", fromlist=["doc"]).doc("reply-02.txt")
               for h in hits}.get
    blind = ExtractiveAnswerer(Tokenizer(), library=library)
    told = ExtractiveAnswerer(Tokenizer(), library=library, names=lambda: frozenset({"时间银行", "一键通"}))
    # (money: 志愿者 are counted in persons, which 19400人/次 is not, whatever names the answerer knows)
    assert blind.answer("恩阳区的时间银行累计投入了多少资金", hits).found  # 580余万元: nothing says it is a name
    assert not told.answer("恩阳区的时间银行累计投入了多少资金", hits).found


def test_the_item_named_outside_the_asking_clause_still_owns_its_values() -> None:
    from rag.answer.pick import value_in

    s = ("二是养中有医，我市市华宇乐颐养院有养老床位 600 张，内设医务室，医护人员 19 人；三是医养并重，市广弘颐养院"
         "是大型养老机构，在院内开设广弘康复医院，为二级康复医院，住院病床 99 张")
    q = analyse("广弘那家在院里开了医院的养老院，住院床位有几张？", Tokenizer())
    assert value_in(q, s, {}, None, "中山市民政局")[0] != "600 张"
    q = analyse("广弘颐养院那边，床位有几张？", Tokenizer())  # named before the asking clause, once: still its own
    assert value_in(q, s, {}, "床位", "中山市民政局")[0] == "99 张"
    assert value_in(analyse("广弘颐养院那边，医生有多少", Tokenizer()), s, {}, None, "中山市民政局")[0] is None


def test_a_list_comes_from_the_letter_whose_enumeration_answers_best_not_the_first_retrieved() -> None:
    # 恩阳's letter ranked first lists 家庭医生签约服务、家庭病床服务; the 2018 意见 the question names is 广东's
    answerer, hits = _answerer_over_letters({"reply-02.txt": "家庭病床", "reply-04.txt": "全面放开养老服务市场"})
    a = answerer.answer("省政府2018年全面放开养老服务市场那个意见里，要发展面向老人的哪些服务", hits)
    assert a.citations and a.citations[0].doc_number == "粤民函〔2020〕713号"
    # a place only one letter's list speaks of (东莞) keeps the list in that letter
    answerer, hits = _answerer_over_letters({"reply-01.txt": "服务", "reply-04.txt": "东莞"})
    a = answerer.answer("东莞的智慧养老服务平台给老人家庭提供什么样的服务？", hits)
    assert not a.found or all(c.doc_number == "粤民函〔2020〕713号" for c in a.citations)


def test_a_threshold_a_subtype_count_and_another_year_s_figure_answer_no_count() -> None:
    from rag.answer.pick import value_in

    s = "一是对于100张床位以下的养老服务机构，通过与周边的医疗机构签订合作协议，定期为机构的老年人提供医疗服务"
    assert value_in(analyse("温州社区养老园一共有多少张床位", Tokenizer()), s, {}, "床位", "温州市民政局")[0] is None
    s = "落实民办养老机构支持政策，对 3 家民办养老机构给予一次性建设补贴下达 45.1 万元"
    assert value_in(analyse("咸阳有多少家养老机构", Tokenizer()), s, {}, "养老机构", "咸阳市民政局")[0] is None
    assert value_in(analyse("咸阳有多少家民办养老机构", Tokenizer()), s, {}, "养老机构", "咸阳市民政局")[0]
    s = "2021年开展智慧助老活动203场,直接服务老年人10000多人,2022年全面开展关爱老人暖心工程,计划开展50场讲座活动"
    q = analyse("中山2021年计划开展多少场讲座活动", Tokenizer())
    assert value_in(q, s, {}, "讲座", "中山市民政局")[0] != "50场"  # 2022's plan, not 2021's


def test_a_total_is_not_answered_by_what_each_got() -> None:
    from rag.answer.pick import value_in

    s = "从市本级福彩公益金列支 152 万元，对绩效考评良好以上的 51 个日间照料中心每个给予 2-4 万元运营补贴"
    q = analyse("咸阳的日间照料中心运营补贴一共多少钱", Tokenizer())
    assert value_in(q, s, {}, None, "咸阳市民政局")[0] != "2-4 万元"


def test_what_a_quoted_term_stands_for_is_the_series_that_spells_it_out() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "五助")
    items = answerer.answer("恩阳的“五助”具体指什么", hits).direct.split("、")
    assert items == ["助餐", "助浴", "助洁", "助医", "助急"]



def test_a_count_before_a_noun_phrase_counts_its_head_and_a_narrowed_ask_takes_the_part() -> None:
    # "19种居家养老服务,其中线上居家养老服务8项,线下服务种类11项": 19种 counts 服务 (the phrase's head), the
    # whole; a question that narrows with 线下 asks the part, which the whole's segment does not say
    answerer, hits = _answerer_over("reply-04.txt", "19种")
    assert answerer.answer("广东居家养老信息化服务平台能提供多少种服务？", hits).direct == "19种"
    assert answerer.answer("广东居家养老信息化服务平台线下服务有几种？", hits).direct == "11项"


def test_the_thing_counted_before_its_predicate_is_the_noun_not_the_verb() -> None:
    q = analyse("咸阳县级中心敬老院建成运营了多少个", Tokenizer())
    assert q.obj[0] == "敬老院" and "运营" not in q.obj and "建成" not in q.obj
    answerer, hits = _answerer_over("reply-05.md", "县级中心敬老院12个")
    assert answerer.answer("咸阳县级中心敬老院建成运营了多少个", hits).direct == "12个"


def test_a_thing_listed_with_its_own_figure_is_not_answered_by_another_items_figure() -> None:
    # "公办养老机构10所、床位1200张，在建项目雪山区域性养老中心150张、明阳区域性养老中心300张；民办养老机构4所、
    # 床位1450张": each named centre has its own figure; 1200张 and 1450张 are other items'
    answerer, hits = _answerer_over("reply-02.txt", "明阳区域性养老中心300张")
    assert answerer.answer("恩阳在建的雪山区域性养老中心有多少张床位？", hits).direct == "150张"
    assert answerer.answer("明阳区域性养老中心床位有几张？", hits).direct == "300张"
    assert answerer.answer("恩阳提到在建的明阳区域性养老中心，设计多少张床位？", hits).direct == "300张"
    assert answerer.answer("恩阳公办养老机构有多少张床位？", hits).direct == "1200张"


def test_a_name_asked_by_its_kind_is_the_name_its_clause_speaks_of() -> None:
    assert analyse("咸阳建留守老人花名册用的是哪个系统？", Tokenizer()).kind == "who"
    answerer, hits = _answerer_over("reply-05.md", "金民系统")
    assert answerer.answer("咸阳建留守老人花名册用的是哪个系统？", hits).direct == "金民系统"
    answerer, hits = _answerer_over("reply-01.txt", "广弘康复医院")
    # "在院内开设广弘康复医院，为二级康复医院": the name after the verb, told apart by what its clause says
    assert answerer.answer("中山的广弘颐养院在院内开了哪家医院？", hits).direct == "广弘康复医院"
    assert answerer.answer("中山哪家医院把镇上敬老院接过来管了", hits).direct == "东凤人民医院"


def test_a_list_of_a_programme_the_letters_name_in_quotes_stands_beside_it() -> None:
    from rag.answer.extractive import ExtractiveAnswerer
    from rag.core.text import quoted_names
    from tests.answer.test_meta import doc

    _, hits = _answerer_over("reply-03.txt", "")  # every chunk of the letter
    letter = doc("reply-03.txt")
    names = frozenset(quoted_names("".join(p.text for p in letter.paragraphs)))  # “一键通”, …
    answerer = ExtractiveAnswerer(Tokenizer(), library={letter.doc_id: letter}.get, names=lambda: names)
    got = answerer.answer("温州的一键通都有哪些功能？", hits)
    assert got.direct == "实时定位、心率监测、电子围栏"  # not "布局合理、规模适度、功能完善…", which names 功能


def test_a_threshold_asked_for_and_a_count_stated_with_its_whole_noun_only() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "100张床位以上")
    got = answerer.answer("温州的养老院床位要过多少张，就得自己院里配医疗机构？", hits).direct
    assert got is not None and got.startswith("100张")  # the threshold is what is asked
    answerer, hits = _answerer_over("reply-03.txt", "在建约19个")
    assert answerer.answer("温州在建的民办养老院大约几家？", hits).direct == "约19个"  # as said; not "19个民办养老"
    answerer, hits = _answerer_over("reply-05.md", "相结合实施意见")
    got = answerer.answer("咸阳市政府印发的医养结合那个文件名字叫什么？", hits).direct
    assert got == "关于推进医疗卫生与养老服务相结合实施意见"


def test_a_share_with_a_lower_bound_is_a_quantity_not_a_threshold() -> None:
    # "将福利彩票公益金50%以上的资金集中用于…": how much, not a class of things like "100张床位以下的机构"
    answerer, hits = _answerer_over("reply-04.txt", "50%以上")
    assert answerer.answer("广东福利彩票公益金用于养老服务的比例是多少？", hits).direct == "50%以上"


def test_a_figure_per_ten_thousand_people_is_a_rate_no_total_answers() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "442.1万个")
    assert answerer.answer("中山每万人拥有多少座5G基站？", hits).direct == "14.6座"
    # 14.6座 is 中山's (深圳 is only compared with), and 442.1万个 ports are no rate
    assert not answerer.answer("深圳每万人拥有的5G基站数是多少？", hits).found


def test_a_clause_ending_in_li_names_the_whole_the_ask_narrows() -> None:
    from rag.answer.values import subject_of

    subject = subject_of("温州的养老机构里，民办的有多少家？", ["温州"])
    assert subject.narrowed and "家" not in subject.grams and subject.focus == {"民办"}
    answerer, hits = _answerer_over("reply-03.txt", "民办养老机构248家")
    assert answerer.answer("温州的养老机构里，民办的有多少家？", hits).direct == "248家"  # not the whole, 375家


def test_a_modifier_the_question_narrows_with_must_be_said_where_the_value_is() -> None:
    from rag.answer.pick import _lacks_modifier

    # "全区城乡各类养老床位0.2783万张" does not say 公办: it is no count of 公办 beds
    s = "全区城乡各类养老床位0.2783万张，每千名老人拥有养老床位21.3张"
    assert _lacks_modifier(s, s.index("0.2783"), {"公办"})
    s = "现有：公办养老机构10所、床位1200张"
    assert not _lacks_modifier(s, s.index("1200"), {"公办"})  # said in the segment leading into it
    answerer, hits = _answerer_over("reply-02.txt", "0.2783万张")
    assert answerer.answer("恩阳区公办养老床位多少", hits).direct != "0.2783万张"


def test_how_many_there_are_is_not_answered_by_a_share() -> None:
    answerer, hits = _answerer_over("reply-05.md", "61.04%")
    assert not answerer.answer("咸阳护理型床位有多少？", hits).found  # only its 配备率 is given
    assert answerer.answer("咸阳护理型床位配备率多少？", hits).direct.startswith("61.04%")
    answerer, hits = _answerer_over("reply-03.txt", "18.23%")
    assert answerer.answer("温州60岁以上老人占户籍人口多少？", hits).direct == "18.23%"
    assert answerer.answer("温州60岁以上老人有多少？", hits).direct == "151.1万人"


def test_a_total_is_not_kept_from_a_part_an_aside_named_and_a_bound_with_a_noun_sorts() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "51086")
    # "375家养老机构（其中鹿城区17家），…建有51086张养老床位": the closed aside's 其中 governs nothing after it
    assert answerer.answer("温州一共有多少张养老床位？", hits).direct.startswith("51086张")
    answerer, hits = _answerer_over("reply-03.txt", "200张床位以上")
    # "200张床位以上公办护理型养老机构": a bound that sorts institutions, no count of beds
    assert not (answerer.answer("温州的养老床位，一共多少张？", hits).direct or "").startswith("200张")


def test_a_modifier_that_narrows_a_whole_named_before_must_be_said_beside_the_value() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "51086")
    # 鹿城区's 5个 are 乡镇养老服务中心 and the letter gives no 民办 count for 鹿城区: refused, not 5个
    assert not answerer.answer("温州鹿城区那17家养老机构里，民办的有几家？", hits).found
    assert answerer.answer("温州的养老机构里，民办的有多少家？", hits).direct.startswith("248家")


def test_who_holds_a_role_is_the_x_of_you_x_danren_that_role() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "主任委员")
    assert answerer.answer("广东养老服务标准化技术委员会谁当主任委员？", hits).direct == "省民政厅领导"
    assert answerer.answer("广东管养老标准的那个委员会，谁当一把手？", hits).direct == "省民政厅领导"  # its head
    answerer, hits = _answerer_over("reply-04.txt", "召集人")
    assert answerer.answer("广东联席会议谁当召集人？", hits).direct == "分管省领导"  # not 副召集人's holders
    # a clause that does not say who holds the role answers nothing (it was "我省成立广东省")
    answerer, hits = _answerer_over("reply-04.txt", "2019年12月")
    got = answerer.answer("广东那个标准化委员会谁当秘书长？", hits)
    assert not got.found or "成立" not in (got.direct or "")


def test_which_bureau_does_it_is_a_body_name_without_the_time_before_it() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "资助办法")
    assert answerer.answer("中山修订养老机构资助办法是哪个局？", hits).direct == "市民政局"  # not 今年市民政局


def test_what_a_date_asks_of_may_come_before_the_asking_word() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "正式上线运行")
    assert answerer.answer("中山民政的智慧健康养老信息平台上线是什么时候", hits).direct == "2021年10月14日"
    # both ends of a span, the second read without the first's passage preferred when that repeats the first
    got = answerer.answer("中山民政的智慧健康养老信息平台从开建到上线，起止日期分别是？", hits)
    assert got.direct == "2021年7月；2021年10月14日"


def test_a_phone_named_in_a_question_that_asks_a_date_is_no_phone_question() -> None:
    q = analyse("中山养老信息平台调度中心主动给老人打了19626次关怀电话，这个数截至什么时候？", Tokenizer())
    assert q.kind == "date"



def test_a_numbered_name_asked_by_its_number_is_listed_and_a_list_loses_the_words_before_it() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "五助")
    assert answerer.answer("恩阳的五助是哪五助", hits).direct == "助餐、助浴、助洁、助医、助急"
    answerer, hits = _answerer_over("reply-03.txt", "殡葬")
    # not 目前已与公安
    assert answerer.answer("温州已经和哪些部门的人口数据对接了？", hits).direct == "公安、低保、殡葬"


def test_a_negated_modifier_is_its_counterpart_and_those_an_action_is_done_to_are_no_stock() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "集中供养264人")
    assert answerer.answer("恩阳特困供养人员中不是集中供养的有多少？", hits).direct == "2039人"
    answerer, hits = _answerer_over("reply-05.md", "45.1")
    # "对3家民办养老机构给予一次性建设补贴": the 3 it gave to, not how many there are
    assert not (answerer.answer("咸阳有几家民办养老机构？", hits).direct or "").startswith("3家")
    assert answerer.answer("咸阳给几家民办养老机构发了建设补贴？", hits).direct.startswith("3家")


def test_a_role_asked_for_its_holders_is_answered_by_who_holds_it() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "召集人")
    # not the list of member units the same sentence goes on to enumerate
    got = answerer.answer("广东省养老服务部门间联席会议副召集人有哪些？", hits)
    assert got.direct == "省政府副秘书长和省民政厅厅长"
    answerer, hits = _answerer_over("reply-04.txt", "主任委员")
    assert answerer.answer("广东标委会主任委员是谁？", hits).direct == "省民政厅领导"  # a role, not the addressee


def test_who_did_it_with_a_one_character_verb_is_the_body_the_clause_names() -> None:
    from rag.answer.agents import agent

    s = "项目目标是构建全市统一的智慧健康养老信息平台"
    assert agent("中山的信息平台，谁建的？", s) is None  # 建 inside 构建 names no agent
    s = "（三）市民政局于2021年7月启动智慧健康养老信息平台建设"
    assert agent("中山的信息平台，谁建的？", s) == ("市民政局", 1.0)


def test_a_figure_a_demonstrative_points_with_names_the_things_the_sentence_speaks_of() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "2226")
    # "那5所敬老院": the five the letter names after its money, not a count that must lead to the value
    assert answerer.answer("恩阳那5所敬老院适老化改造投了多少钱？", hits).direct == "2226万元"
    assert not answerer.answer("恩阳那6所敬老院适老化改造投了多少钱？", hits).found  # not this sentence's
    # a figure without one still restricts: 80岁以上 is not answered by the 60岁以上 count
    answerer, hits = _answerer_over("reply-02.txt", "130876")
    assert answerer.answer("恩阳区60岁以上老人有多少？", hits).direct == "130876人"
    assert answerer.answer("恩阳区80岁以上老人有多少？", hits).direct != "130876人"


def test_an_official_short_name_is_read_as_the_full_name_the_letters_write() -> None:
    from rag.answer.wording import full_name, in_letters_words

    text = "人力资源社会保障部于2016年6月在全国确定了15个城市开展长期护理保险试点"
    assert full_name("人社部", text) == "人力资源社会保障部" and full_name("长护险", text) == "长期护理保险"
    assert full_name("民政部", text) is None  # no name of that shape
    assert full_name("人社部", text + "，人民社区保障部") is None  # two different ones: never guessed
    assert in_letters_words("人社部哪年定的长护险试点？", [text]) == "人力资源社会保障部哪年定的长期护理保险试点？"
    assert in_letters_words("哪个局定的？", [text]) == "哪个局定的？"  # an asking word is no short name
    assert in_letters_words("民政部定的？", ["民政部"]) == "民政部定的？"  # the letters' own word stays
    answerer, hits = _answerer_over("reply-04.txt", "2016年6月")
    assert answerer.answer("人社部是哪年哪月定的长护险试点？", hits).direct == "2016年6月"


def test_a_list_counted_in_kuai_is_listed_and_a_count_no_series_names_is_refused() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "安宁疗护")
    got = answerer.answer("中山那个老年健康服务体系实施方案，要搭的体系包括哪六块？", hits)
    assert got.direct == "健康教育,预防保健、疾病诊治、康复护理、长期照护、安宁疗护"
    answerer, hits = _answerer_over("reply-04.txt", "10个街道")
    got = answerer.answer("广东入选国家智慧健康养老试点示范的那10个街道，分别是哪几个？", hits)
    assert not got.found and "没有逐一列出这10项" in got.answer


def test_which_city_is_a_city_named_outside_a_title_with_the_rank_asked() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "宽带网络建设发展水平")
    # not 广东省 (a province, in a report's title) nor 广州 (ahead of 中山 on another measure)
    assert not answerer.answer("中山宽带网络建设发展水平全省第二，那第一名是哪个市？", hits).found
    got = answerer.answer("中山每万人5G基站数排在哪个城市后面？", hits)
    assert got.direct in ("珠海", "广州", "深圳")  # a city of the clause, never the province of the title


def test_a_part_asked_by_its_modifier_after_a_total_named_in_context_is_the_part() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "2039")
    # not the 2303 of all of them, nor the 642513 of the district's population: the 分散 ones
    assert answerer.answer("恩阳特困人员总数，散在村里、没集中供养的有多少人？", hits).direct == "2039人"
    assert answerer.answer("恩阳特困人员总数，没集中供养的那部分有多少人？", hits).direct == "2039人"
    assert answerer.answer("恩阳特困人员总数多少？", hits).direct == "2303人"


def test_a_series_that_says_it_lists_people_does_not_answer_a_question_about_services() -> None:
    answerer, hits = _answerer_over("reply-05.md", "精神慰藉")
    got = answerer.answer("咸阳城镇社区日照中心和幸福院都给老人提供啥服务", hits)
    assert got.direct == "日间休息、就餐服务、休闲娱乐、精神慰藉"


def test_a_small_count_written_in_characters_is_a_value() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "医养结合人才培训班")
    assert answerer.answer("中山每年组织几期医养结合人才培训班？", hits).direct == "两期"
    # 一 starts words (一次性, 一体化): no count of its own
    from rag.answer.pick import value_in
    from rag.answer.question import analyse
    from rag.core.tokens import get_tokenizer

    q = analyse("咸阳给了几次补贴？", get_tokenizer())
    assert value_in(q, "对3家民办养老机构给予一次性建设补贴", {}, q.obj[0] if q.obj else None, None)[0] is None


def test_what_kind_of_thing_is_answered_by_what_the_letter_says_before_it() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "在本机构注册")
    got = answerer.answer("广东互联网护理试点，医院能派什么样的护士上门？", hits)
    assert got.direct == "在本机构注册(含多机构执业备案)的护士"  # from the question's verb (派出), not 符合要求的
    answerer, hits = _answerer_over("reply-04.txt", "没有围墙")
    assert answerer.answer("湛江把它的智慧居家养老比作什么样的养老院？", hits).direct == "没有围墙的养老院"
    answerer, hits = _answerer_over("reply-04.txt", "菜单式")
    assert answerer.answer("东莞给老人发卡配合手机用，提供的是啥样的服务？", hits).direct == "菜单式的个性化服务"


def test_beds_of_homes_not_built_yet_are_those_being_built_not_the_citys_total() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "5481")
    got = answerer.answer("温民提〔2019〕70号里，还没建完的民办养老机构有多少张床位？", hits)
    assert got.direct == "5481张"  # not the 51086张 the city has


def test_a_section_heading_announces_its_sections_items() -> None:
    answerer, hits = _answerer_over("reply-02.txt", "推进养老产业发展的措施")
    got = answerer.answer("恩阳推进养老产业发展的措施，一条条列一下", hits)
    assert got.found and got.direct.startswith("兜底基本养老服务；持续强化居家社区养老服务供给")


def test_a_roles_holder_asked_by_name_and_a_list_the_letter_leaves_open() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "主任委员")
    # "由省民政厅领导担任主任委员" gives a post, not the name asked for
    assert not answerer.answer("GD/TC134那个标委会的主任委员叫什么名字？", hits).found
    assert answerer.answer("广东养老服务标准化技术委员会的主任委员由谁担任？", hits).direct == "省民政厅领导"
    answerer, hits = _answerer_over("reply-04.txt", "省医保局等")
    got = answerer.answer("广东养老服务联席会议成员单位，全部报一下", hits)
    assert got.found and "未列全" in got.answer and "共7项" not in got.answer  # the letter says 等
    assert not answerer.answer("广东养老服务联席会议那24个成员单位，全部报一下", hits).found


def test_a_value_in_another_ordinal_item_is_not_said_of_the_thing_the_question_names() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "东凤镇敬老院")
    # "一是…东凤人民医院托管东凤镇敬老院…；二是…华宇乐颐养院有养老床位600张": 600张 is 华宇乐's
    assert not answerer.answer("东凤镇敬老院有多少张床位？", hits).found
    assert answerer.answer("华宇乐颐养院有多少张床位？", hits).direct == "600张"


def test_a_list_asked_of_the_province_is_not_taken_from_a_citys_letter() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "心率监测")  # 温州市民政局: 实时定位、心率监测、电子围栏
    q = "19年省里那份若干措施还点了哪几种智能设备要加快研发？挨个说"
    assert not answerer.answer(q, hits).found  # 省里 points at a province's letter
    assert answerer.answer("温州一键通的智能设备能实现哪些功能？", hits).found


def test_who_did_it_to_whom_is_answered_with_both() -> None:
    from rag.answer.agents import agent

    s = "一是医中有养，东凤人民医院托管东凤镇敬老院，设立医养结合中心"
    assert agent("东凤那个医中有养，是谁托管了谁？", s) == ("东凤人民医院托管东凤镇敬老院", 1.0)
    assert agent("东凤镇敬老院是谁托管的？", s) == ("东凤人民医院", 1.0)


def test_a_sentence_that_plans_does_not_say_how_many_were_already_done() -> None:
    """"今年5月起，计划投资30万元，…为280余户…进行无障碍设施改造": the 280 households are planned; a question
    about what is already done (已经…) gets no figure from it, a question about the plan still does."""
    answerer, hits = _answerer_over("reply-02.txt", "280余户")
    assert not answerer.answer("恩阳家庭适老化改造试点已经验收了多少户？", hits).found
    assert answerer.answer("恩阳家庭适老化改造试点打算给多少户做？", hits).direct == "280余户"


def test_a_figure_pointed_at_must_be_stated_in_the_values_own_statement() -> None:
    """"那5所敬老院" points at a statement the letter makes: its value is the one of that statement (300张, not the
    120张 after its ；), and a premise the letter never states (那9个…项目) gets no value at all."""
    answerer, hits = _answerer_over("reply-02.txt", "5所敬老院")
    assert answerer.answer("恩阳那5所敬老院，改造出多少张床位？", hits).direct == "300张"
    answerer, hits = _answerer_over("reply-03.txt", "已建成46家")
    assert not answerer.answer("温州那9个示范型养老标杆项目，已经建成开业的有几个？", hits).found


def test_the_signing_bureau_line_states_nothing_a_content_question_asks() -> None:
    """The line "温州市民政局" under the letter signs it; who answered is read from the letter's record, and a
    question about what the letter says is not answered with it."""
    answerer, hits = _answerer_over("reply-03.txt", "感谢你对民政养老工作的支持")
    got = answerer.answer("温州那封回函最后感谢的是对什么工作的支持？", hits)
    assert got.found and "民政养老工作" in got.answer and "“温州市民政局”" not in got.answer


def test_a_cited_wenhao_is_answered_with_the_title_the_letter_puts_before_it() -> None:
    """The paragraph cites 粤府办〔2014〕33号, 财社〔2014〕105号 and 财综〔2014〕96号, each after its 《title》: the
    document a question names by its 文号 is the one right before that number, whatever else the question says."""
    answerer, hits = _answerer_over("reply-04.txt", "粤府办〔2014〕33号")
    assert answerer.answer("粤府办〔2014〕33号是个什么文件？", hits).direct == "政府向社会力量购买服务暂行办法"
    answerer, hits = _answerer_over("reply-04.txt", "财综〔2014〕96")
    got = answerer.answer("财综〔2014〕96号印发的是什么办法？", hits).direct
    assert got is not None and "政府购买服务管理办法" in got


def test_what_the_letter_puts_between_yi_and_wei_and_before_de_answers_what_kind() -> None:
    """"以“保基本、广覆盖、可持续”为主要思路" answers 以什么为主要思路; "推进布局合理、规模适度、功能完善、覆盖城乡的
    社会养老服务体系建设" answers what the 体系 is like: the whole series of modifiers after its verb."""
    answerer, hits = _answerer_over("reply-03.txt", "为主要思路")
    assert answerer.answer("温州下一步以啥为主要思路？", hits).direct == "“保基本、广覆盖、可持续”"
    got = answerer.answer("温州要建的社会养老服务体系是啥样的？", hits).direct
    assert got == "布局合理、规模适度、功能完善、覆盖城乡的社会养老服务体系"


def test_who_does_a_verb_after_you_is_everything_you_opens() -> None:
    """"召开由各县（市、区）政府主要负责人、市直部门负责人参加的养老服务推进会议": 由 opens who 参加, both of them."""
    answerer, hits = _answerer_over("reply-03.txt", "市直部门负责人参加")
    got = answerer.answer("温州10月底前那个推进会都请谁参加？", hits).direct
    assert got == "各县（市、区）政府主要负责人、市直部门负责人"


def test_which_leading_group_asks_for_a_group_by_name_not_for_the_letters_signer() -> None:
    from rag.answer.frame import read

    assert read("温州靠哪个领导小组来统筹？").meta is None  # 哪个领导 asks the signer; 哪个领导小组 does not
    assert read("这封是哪个领导签发的？").meta == "signer"
    answerer, hits = _answerer_over("reply-03.txt", "领导小组")
    assert answerer.answer("温州靠哪个领导小组来统筹？", hits).direct == "温州市养老服务业发展领导小组"


def test_which_notice_something_follows_asks_for_the_title_the_letter_gives() -> None:
    answerer, hits = _answerer_over("reply-05.md", "运营管理的通知")
    got = answerer.answer("咸阳出台日间照料中心管理办法是根据哪个通知？", hits).direct
    assert got == "关于印发陕西省城市居家和社区养老服务设施运营管理的通知"


def test_with_whom_asks_for_the_partner_the_letter_names_after_yu() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "中国电信广东公司")
    assert answerer.answer("广东居家养老信息化服务平台是跟谁合作建的？", hits).direct == "中国电信广东公司"
    answerer, hits = _answerer_over("reply-04.txt", "支持骨干企业与")
    # every partner of a series: "支持骨干企业与医疗机构、养老机构合作"
    assert answerer.answer("广东支持骨干企业跟谁合作？", hits).direct == "医疗机构、养老机构"
    answerer, hits = _answerer_over("reply-04.txt", "中国电信广东公司")
    # a partner asked by the kind of body, and named without the words of doing it together (…公司合作建设)
    assert answerer.answer("广东居家养老信息化服务平台是跟哪家一起建的？", hits).direct == "中国电信广东公司"


def test_with_whom_together_reads_the_verb_after_together_whole() -> None:
    """"跟谁一起发的": 发 is the end of 印发 in "市农业农村局与市委农办印发了《…》", so the partner is 市委农办."""
    answerer, hits = _answerer_over("reply-01.txt", "市委农办")
    got = answerer.answer("中山那个农村集体经济组织管理的指导意见，市农业农村局是跟谁一起发的？", hits).direct
    assert got == "市委农办"




def test_a_figure_the_question_names_pins_the_statement_and_money_is_spent_on_what_follows() -> None:
    """"投入资金2226万元，完成…等5所敬老院“适老化”改造提升，改造提升养老床位300张；建成玉山镇区域养老服务中心，床位
    120张": the money is said before the 5所 it pays for, the beds of the 5所 are in their statement, and the quoted
    “适老化” still says 适老化改造."""
    answerer, hits = _answerer_over("reply-02.txt", "2226万元")
    assert answerer.answer("恩阳5所敬老院适老化改造花了多少", hits).direct == "2226万元"
    assert answerer.answer("恩阳5所敬老院适老化改造改出多少床位", hits).direct == "300张"


def test_a_total_of_a_part_the_question_names_is_the_parts_count() -> None:
    """"…19种居家养老服务,其中线上居家养老服务8项,线下服务种类11项": 一共几种服务 is 19种, 一共几种线下服务 is 11项."""
    answerer, hits = _answerer_over("reply-04.txt", "线下服务种类11项")
    assert answerer.answer("广东居家养老信息化平台一共提供几种服务？", hits).direct == "19种"
    assert answerer.answer("广东居家养老信息化平台一共提供几种线下服务？", hits).direct == "11项"


def test_a_count_asked_of_each_of_several_unnamed_things_gets_no_single_figure() -> None:
    """"恩阳那5所敬老院分别有多少张床位": 300张 is the five's total, not what each has; the refusal says how to ask."""
    answerer, hits = _answerer_over("reply-02.txt", "5所敬老院")
    got = answerer.answer("恩阳那5所敬老院分别有多少张床位？", hits)
    assert not got.found and "请写明要问其中哪一项" in got.answer
    assert answerer.answer("恩阳那5所敬老院一共改造出多少张床位？", hits).direct == "300张"


def test_which_city_opened_a_hotline_asks_for_the_city_not_the_number() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "12349")
    assert answerer.answer("广东哪个市开通了12349热线？", hits).direct == "湛江市"
    assert answerer.answer("湛江开通的养老服务热线号码是多少？", hits).direct == "12349"


def test_a_number_to_dial_is_neither_a_count_nor_the_letters_own_contact_line() -> None:
    """"热线号码是多少": "主动呼出老年人关怀电话19626次" and "服务老年人10000多人" count, and "(联系人：刘芳；电话：
    88301633)" is whom to call about the letter (its record), not a hotline the letter describes."""
    answerer, hits = _answerer_over("reply-01.txt", "")
    assert not answerer.answer("中山那个智慧健康养老信息平台的热线号码是多少？", hits).found
    assert not answerer.answer("中山的养老服务热线是多少", hits).found
    # a count of calls, with 电话 only said in its context, is asked as a count (19626次 is its answer)
    assert answerer.answer("中山调度中心话务坐席接听了电话有多少主动呼出？", hits).direct.startswith("19626")


def test_ji_yue_fen_asks_a_month_like_ji_yue() -> None:
    """"从几月份开始搞的": 份 is part of the ask, not a word the sentence must hold."""
    answerer, hits = _answerer_over("reply-02.txt", "今年5月起")
    assert answerer.answer("恩阳的家庭适老化改造试点，从几月份开始搞的？", hits).direct == "5月"


def test_what_each_value_is_for_must_be_named_where_it_is_given() -> None:
    """"幸福院每个补贴多少": "对…51个日间照料中心每个给予2-4万元" is what each centre got; no 幸福院 is named."""
    answerer, hits = _answerer_over("reply-05.md", "")
    assert not answerer.answer("咸阳的农村互助幸福院每个补贴多少？", hits).found
    assert answerer.answer("咸阳日间照料中心每个给多少运营补贴？", hits).direct == "2-4万元"


def test_a_bare_count_of_people_is_the_widest_band_and_not_a_subset_or_person_times() -> None:
    """"有多少老人": of "60岁以上老人130876人，80岁以上高龄老人11604人，百岁老人48人", the widest band; not the
    "老人95000人/次" paid; "咸阳一共有多少老年人" is not the "135名80岁以上生活困难老年人" visited."""
    answerer, hits = _answerer_over("reply-02.txt", "")
    assert answerer.answer("恩阳有多少老人？", hits).direct == "130876人"
    assert answerer.answer("恩阳有多少高龄老人？", hits).direct == "11604人"
    assert "95000" not in answerer.answer("恩阳一共有多少老人？", hits).answer
    answerer, hits = _answerer_over("reply-05.md", "")
    assert "135名" not in answerer.answer("咸阳市一共有多少老年人？", hits).answer


def test_a_year_asked_is_said_by_the_jinnian_of_a_letter_written_that_year() -> None:
    """温州's letter (2019) says "今年我们要推动339家养老机构、70%…实现医养结合": 19年…医养结合 asks that plan, not
    the 83家 of "在2019年，我市要推动83家养老机构…社会化运营"."""
    answerer, hits = _answerer_over("reply-03.txt", "")
    got = answerer.answer("19年温州医养结合打算覆盖到多少家养老院、百分之多少的照料中心？", hits)
    assert got.direct == "339家；70%"


def test_tou_le_duo_shao_asks_money() -> None:
    """"投了多少" asks the money (2226万元), not any count: read as one, 八 of 下八庙 was taken with 庙 for its unit."""
    answerer, hits = _answerer_over("reply-02.txt", "2226万元")
    assert answerer.answer("恩民政函3号那份里5所敬老院改造投了多少？", hits).direct == "2226万元"
    answerer, hits = _answerer_over("reply-01.txt", "国情教育培训班")
    assert answerer.answer("中山每年办几期人口老龄化国情教育培训班？", hits).direct == "1期"


def test_what_kind_of_thing_was_built_is_what_the_letter_says_before_it() -> None:
    answerer, hits = _answerer_over("reply-05.md", "内部循环系统")
    got = answerer.answer("咸阳农村互助养老在老人之间构建的又是什么系统？", hits).direct
    assert got.endswith("服务提供与享用的内部循环系统")


def test_what_was_built_may_be_named_right_after_the_verb() -> None:
    """"打造老年人服务示范网点": no "…的" before the thing; what follows the verb the question uses names it."""
    answerer, hits = _answerer_over("reply-01.txt", "示范网点")
    assert answerer.answer("中山银行要打造的是什么示范网点？", hits).direct == "老年人服务示范网点"
    # "打造成什么城市": what it is made into; the name a letter quotes is given whole, not half its quotes
    answerer, hits = _answerer_over("reply-03.txt", "康养中心城市")
    assert answerer.answer("温州下一步想把自己打造成什么城市？", hits).direct == "康养中心城市"


def test_the_salutation_line_states_nothing_a_content_question_asks() -> None:
    """"肖石龙代表：" opens the letter and says whom it answers (its record's addressee); a question that names the
    legislator and asks what the letter says is not answered with that line."""
    answerer, hits = _answerer_over("reply-03.txt", "肖石龙代表")
    assert "肖石龙代表：" not in answerer.answer("肖石龙提的那件说了什么？", hits).answer


def test_the_lines_that_acknowledge_the_proposal_state_nothing_a_content_question_asks() -> None:
    """"…（人大建议317号）收悉。" and "经调查研究，现答复如下：" answer no question about what is done; the line that
    names the units whose opinions were merged still answers which they were."""
    answerer, hits = _answerer_over("reply-03.txt", "收悉")
    got = answerer.answer("317号人大建议的答复里，县本级的公办护理型养老机构，已经竣工的和建得慢的，分别怎么督？", hits)
    assert "收悉" not in got.answer and "答复如下" not in got.answer
    answerer, hits = _answerer_over("reply-01.txt", "经综合")
    assert "发展和改革局" in answerer.answer("中山那封汇总意见的单位里，排在最后的是哪个？", hits).answer


def test_a_count_is_not_answered_with_a_grade() -> None:
    """"广弘康复医院的病床有多少": "为二级康复医院，住院病床 99 张" — 二级 is a grade, which 几级 asks."""
    answerer, hits = _answerer_over("reply-01.txt", "广弘康复医院")
    assert answerer.answer("中山广弘康复医院的病床有多少？", hits).direct == "99张"
    assert answerer.answer("广弘康复医院是几级医院？", hits).direct.startswith("二级")


def test_who_is_answered_by_someone_not_by_a_verb_phrase() -> None:
    """"恩阳高龄补贴发给谁": the words of "认真落实高龄补贴政策" the question does not say are a verb (认真落实),
    which names no one: no answer rather than that."""
    from rag.answer.values import novel_value, subject_of

    s = "认真落实高龄补贴政策，为全区80周岁以上老人95000人/次、发放高龄补贴3040万元。"
    assert novel_value(s, subject_of("恩阳高龄补贴发给谁？", ["恩阳"]))[0] != "认真落实"


def test_a_figure_of_one_home_does_not_answer_for_the_city() -> None:
    """"我市市华宇乐颐养院有养老床位 600 张": what has the 600 beds is one home; "中山有多少张养老床位" asks the city's
    (which the letter does not state), "华宇乐颐养院有多少张" that home's."""
    answerer, hits = _answerer_over("reply-01.txt", "华宇乐颐养院")
    assert not answerer.answer("中山有多少张养老床位？", hits).found
    assert answerer.answer("中山华宇乐颐养院有多少张养老床位？", hits).direct == "600张"


def test_a_count_of_the_homes_one_owner_runs_does_not_answer_for_all() -> None:
    """"公办养老机构10所…民办养老机构4所": who runs them sorts them; "恩阳有多少家养老机构" is neither."""
    answerer, hits = _answerer_over("reply-02.txt", "公办养老机构10所")
    assert not answerer.answer("恩阳有多少家养老机构？", hits).found
    assert answerer.answer("恩阳有多少所公办养老机构？", hits).direct == "10所"


def test_what_plan_asks_for_a_name_ending_in_plan() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "省级科技计划")
    assert answerer.answer("联席会议要把养老相关研究纳进什么计划？", hits).direct == "省级科技计划"


def test_a_year_asked_is_the_letters_own_today() -> None:
    """中山's letter (2022) says "今年市民政局将修订《中山市养老机构资助办法》": 2022 is its 今年."""
    answerer, hits = _answerer_over("reply-01.txt", "资助办法")
    assert "中山市养老机构资助办法" in answerer.answer("2022年中山市民政局要修订什么办法？", hits).answer


def test_a_figure_keeps_the_comparison_the_letter_states_it_with() -> None:
    """"超过50%" is not 50%, and "三级以上伤残军人" answers 几级往上 with its bound."""
    answerer, hits = _answerer_over("reply-01.txt", "老年科超过50%")
    assert answerer.answer("中山综合性二级以上医院设置老年科的比例是多少？", hits).direct == "超过50%"
    answerer, hits = _answerer_over("reply-01.txt", "三级以上伤残军人")
    assert answerer.answer("中山伤残军人要几级往上才在资助对象里？", hits).direct == "三级以上"


def test_for_whom_is_named_after_wei_before_the_verb_and_a_one_character_verb_starts_the_letters_word() -> None:
    from rag.answer.agents import agent

    s = "三是召开全市公办养老服务机构公建民营推介会，为各地民政部门和养老服务企业搭建沟通平台，推动社会化改革。"
    assert agent("开公建民营推介会是替谁搭的沟通平台？", s) == ("各地民政部门和养老服务企业", 1.0)
    assert agent("推介会为谁搭建的沟通平台？", s) == ("各地民政部门和养老服务企业", 1.0)
    assert agent("推介会是谁开的？", "市民政局将召开推介会。") == ("市民政局", 1.0)  # 开 is the end of 召开


def test_a_figure_clauses_away_from_the_programme_asked_is_another_ones() -> None:
    """"…开展“银龄安康行动”,落实智慧助老各项活动,…直接服务老年人10000多人": the 10000多人 are 智慧助老's; a quoted
    term that is no programme (“适老化”) does not pin a figure."""
    from rag.answer.whose import said_near

    s = ("联合中国人寿中山分公司开展“银龄安康行动”,落实智慧助老各项活动,2021年开展智慧助老活动203场,"
         "直接服务老年人10000多人。")
    assert not said_near(s, "10000多人", ["银龄安康行动"])
    assert said_near("开展“银龄安康行动”,惠及老年人5000人。", "5000人", ["银龄安康行动"])
    answerer, hits = _answerer_over("reply-01.txt", "银龄安康行动")
    assert not answerer.answer("中山跟中国人寿搞的银龄安康行动，总共给多少老人上了保险？", hits).found



def test_a_question_named_only_by_a_document_the_letter_cites_is_not_about_the_letters_record() -> None:
    """"粤府办〔2019〕23号是哪天印发的": the 713号 letter cites that document and never dates it; its own date (the
    sign-off) is no answer. Asked of the letter that cites it, the date is the letter's."""
    answerer, hits = _answerer_over("reply-04.txt", "粤府办〔2019〕23号")
    assert not answerer.answer("粤府办〔2019〕23号是哪天印发的？", hits).found
    assert answerer.answer("提到粤府办〔2019〕23号的那封函是哪天发的？", hits).direct == "2020年6月30日"
    answerer, hits = _answerer_over("reply-04.txt", "粤民发〔2017〕40号")
    assert answerer.answer("粤民发〔2017〕40号是哪年几月印发的？", hits).direct == "2017年2月"


def test_where_money_comes_from_is_named_between_cong_and_the_verb() -> None:
    answerer, hits = _answerer_over("reply-05.md", "列支")
    assert answerer.answer("咸阳日间照料中心的运营补贴，这钱是从哪儿列支的？", hits).direct == "市本级福彩公益金"
    assert analyse("平台从哪一年开始运行？", Tokenizer()).kind != "who"  # a year, not a source


def test_the_parts_of_one_question_are_read_in_the_one_sentence_that_holds_them_all() -> None:
    """"养老机构要推多少家、照料中心要到多大比例": the ratio is said only in "今年我们要推动339家养老机构、70%…照料
    中心实现医养结合", so the count is read there too, not in the 83家 sentence that also counts 养老机构."""
    answerer, hits = _answerer_over("reply-03.txt", "339家")
    a = answerer.answer("温州2019年医养结合的目标，养老机构要推多少家、照料中心要到多大比例？", hits)
    assert "339家" in a.answer and "70%" in a.answer and "83家" not in a.answer


def test_a_count_of_a_thing_the_letter_names_only_where_it_gives_no_figure_is_refused() -> None:
    """"中山现在已经建成多少家综合养老服务中心了": the letter says the centres are to cover the city, with no count;
    入驻服务商118家 in another sentence counts something else."""
    answerer, hits = _answerer_over("reply-01.txt", "综合养老服务中心")
    hits += _answerer_over("reply-01.txt", "118家")[1]
    a = answerer.answer("中山现在已经建成多少家综合养老服务中心了？", hits)
    assert not a.found and "综合养老服务中心" in a.answer
    assert answerer.answer("中山信息平台入驻服务商有多少家？", hits).direct == "118家"


def test_the_last_items_of_a_list_are_answered_numbered_as_the_letter_orders_them() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "完善要素保障")
    a = answerer.answer("中山“一老一小”整体解决方案提出的工作思路，最后三块是什么？", hits)
    assert a.direct == "推进智慧服务、打造宜居环境、完善要素保障"
    assert "共6项，最后3项是" in a.answer and "4. 推进智慧服务" in a.answer


def test_a_measures_short_opening_sentence_names_its_topic_and_what_follows_answers() -> None:
    from rag.answer.extractive import _topic_only

    assert _topic_only("二是推进乡镇敬老院升级改造。") and _topic_only("三是推进开展长期护理保险制度试点。")
    assert not _topic_only("二、推进养老产业发展的措施")  # a section heading announces its items
    assert not _topic_only("二是对于100张床位以上的养老机构，我们通过内设医疗机构来实现医疗与养老资源的最大化利用。")
    answerer, hits = _answerer_over("reply-03.txt", "乡镇敬老院升级改造")
    a = answerer.answer("温州乡镇敬老院升级改造，打算请什么人来管运营？", hits)
    assert "专业养老运营机构" in a.answer


def test_values_asked_each_and_said_as_a_pair_are_answered_both() -> None:
    """"村、组…比例下限分别是多少": "不低于20%和10%" answers 20%和10%; a later part is not answered by either again."""
    answerer, hits = _answerer_over("reply-01.txt", "公积公益金")
    a = answerer.answer("中山村、组每年收益提公积公益金，比例下限分别是多少？", hits)
    assert a.direct == "20%和10%"
    from rag.answer.extractive import _values

    assert _values("20%和10%") == ["20%", "10%"] and _values("375家") == ["375家"]


def test_a_bound_set_by_the_document_the_question_names_answers_it_as_the_bound(corpus_pipeline) -> None:
    """"老口径跟粤府办〔2019〕23号的新口径各是多少": the old share (50%以上) and the floor the named document sets
    (按照粤府办〔2019〕23号文规定…不低于55%), each for its own ask."""
    got = corpus_pipeline.ask("福彩公益金用在养老上的比例，老口径跟粤府办〔2019〕23号的新口径各是多少？")
    assert got.answer.startswith("（1）50%以上") and "（2）55%" in got.answer


def test_quanshi_is_the_whole_city_not_a_name_that_makes_the_total_anothers(corpus_pipeline) -> None:
    """"温州全市养老机构一共多少家": 375家 of "我市共有375家养老机构…占全市养老机构66.1%", not 77家 公建民营."""
    assert corpus_pipeline.ask("温州全市养老机构一共多少家？").answer.startswith("375家")


def test_an_item_named_to_ask_the_rest_of_its_series(corpus_pipeline) -> None:
    """"搜到了“双向转诊”，同一句的…还列了哪几样": the series 双向转诊 is an item of, not what follows its paragraph."""
    got = corpus_pipeline.ask("Ctrl+F在咸民函〔2023〕38号里搜到了“双向转诊”，同一句的医疗服务绿色通道里还列了哪几样？")
    assert all(x in got.answer for x in ("康复病床", "预约就诊", "急诊就诊"))


def test_a_pair_said_with_no_fenbie_of_its_own_answers_both_however_asked() -> None:
    """"最少要抽几成": "不低于20%和10%" states one floor each for 村 and 组; 20% alone would drop half of it."""
    answerer, hits = _answerer_over("reply-01.txt", "公积公益金")
    a = answerer.answer("中山村里集体每年挣的钱，按要求最少要抽几成出来做公积公益金？", hits)
    assert a.direct == "20%和10%"
    a = answerer.answer("中山村、组每年收益提公积公益金，比例下限分别是多少？新增征地补偿款集体至少留几成？", hits)
    assert a.parts[0] == "20%和10%" and "20%" not in (a.parts[1] if len(a.parts) > 1 else "")  # not given twice


def test_a_span_of_years_is_answered_by_a_range_not_a_year_beside_it() -> None:
    """"规划管的是哪几年": 2013-2020 of 《…规划（2013-2020）》, not its （2017年修订）."""
    answerer, hits = _answerer_over("reply-03.txt", "老年人服务设施布局规划")
    a = answerer.answer("温州市区老年人服务设施布局规划管的是哪几年？哪年修订过？", hits)
    assert a.parts[0] == "2013-2020" and a.parts[1].startswith("2017年")


def test_people_counted_of_a_place_that_holds_them_need_not_name_it_again() -> None:
    """"爱心餐厅惠及多少人": "在全市建设47个“爱心餐厅”，目前受益对象660人" — the people of those 餐厅."""
    answerer, hits = _answerer_over("reply-05.md", "爱心餐厅")
    assert answerer.answer("彬州47个爱心餐厅眼下惠及多少人？", hits).direct == "660人"


def test_a_count_only_set_as_a_floor_is_not_what_was_built_nor_is_a_figure_about_less() -> None:
    """"实际建成了几家": "年内实现各镇街至少建有1家" sets a floor; the sentence about them gives no count, and
    "选取了6个单位…试点" counts something else."""
    answerer, hits = _answerer_over("reply-01.txt", "综合性养老服务中心")
    a = answerer.answer("中山各镇街综合性养老服务中心目前实际建成了几家", hits)
    assert not a.found and "1家" not in a.answer and "6个" not in a.answer


def test_people_asked_are_not_counted_by_times_paid() -> None:
    """"80周岁以上的高龄老人有多少": 11604人, not the 95000人/次 the 高龄补贴 was paid to."""
    answerer, hits = _answerer_over("reply-02.txt", "高龄老人")
    assert answerer.answer("恩阳80周岁以上的高龄老人有多少", hits).direct == "11604人"


def test_the_named_few_of_a_counted_whole_are_listed_but_not_for_all_of_it() -> None:
    """"…等24个部门为成员单位": "点出名字的是哪些" is answered by the seven named (said to be not all); "全部报一下"
    is not."""
    answerer, hits = _answerer_over("reply-04.txt", "成员单位")
    named = answerer.answer("广东那个联席会议24个成员单位，答复里具体点出名字的是哪些厅委局", hits)
    assert named.found and "省医保局" in named.answer and "未列全" in named.answer
    whole = answerer.answer("广东养老服务联席会议那24个成员单位，全部报一下", hits)
    assert "省医保局" not in whole.answer


def test_a_thing_the_letter_names_but_does_not_count_named_before_the_ask(corpus_pipeline) -> None:
    """"目前落地的家庭照护床位有多少张了": the letter only plans to set them up; 床位120张 counts another thing."""
    got = corpus_pipeline.ask("巴中恩阳那边目前落地的家庭照护床位有多少张了？")
    assert not got.found and "家庭照护床位" in got.answer
    assert corpus_pipeline.ask("恩阳的公办养老机构有多少所？").found  # a thing the letter counts is answered


def test_a_name_asked_is_a_name_the_letter_gives_not_the_words_that_point_at_it() -> None:
    answerer, hits = _answerer_over("reply-04.txt", "分管省领导")
    # "由分管省领导担任召集人" names a post: a question asking the person's name is not answered by it
    q = "省里那个养老联席会议制度，牵头当召集人的分管省领导具体是谁，姓甚名谁？"
    assert not answerer.answer(q, hits).found
    answerer, hits = _answerer_over("reply-05.md", "自主研发")
    # "采用自主研发的智慧健康养老平台": the question's own words, no name of the platform
    assert not answerer.answer("渭城区自主研发的那个智慧健康养老平台，叫什么名字？", hits).found
    answerer, hits = _answerer_over("reply-01.txt", "广弘康复医院")
    assert answerer.answer("广弘颐养院院内开的那家医院，叫什么名字？", hits).direct == "广弘康复医院"


def test_later_parts_prefer_the_sentence_that_answered_not_the_one_quoted_beside_it() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "100张床位以下")
    got = answerer.answer("温州100张床位以下和100张床位以上的养老机构，分别靠什么方式实现医养结合？", hits)
    assert "签订合作协议" in got.answer and "内设医疗机构" in got.answer


def test_a_value_from_a_sentence_saying_much_less_is_refused_however_the_embedder_ranks_it(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """温州 says it will 出台一个综合性的政策文件 and names none: the titles of other documents it did issue (ranked up
    by meaning among themselves) do not name it. The check compares with the sentence words rank first."""
    from rag.answer.question import Tokenizer, analyse

    q = "温州打算出台的那个综合性政策文件，名字叫什么？"
    assert analyse(q, Tokenizer()).asks_title  # "文件，名字叫什么": its name asked
    assert not corpus_pipeline.ask(q).found
    named = corpus_pipeline.ask("温州2012年出台的那个意见叫什么名字？").direct  # a year the sentence dates
    assert "关于加快完善社会养老服务体系建设的意见" in named


def test_a_date_in_brackets_after_a_title_dates_its_revision_only(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """"…布局规划（2013-2020）》（2017年修订）" says when the plan was revised: not when the 移交办法 is due."""
    assert not corpus_pipeline.ask("温州那个市区新建小区配建养老设施移交办法，要求哪年出台？").found
    assert "2017" in corpus_pipeline.ask("温州市区老年人服务设施布局规划是哪年修订的？").direct


def test_a_place_asked_with_what_it_did_is_one_its_clause_says_did_it(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """"在广州等9个地市开展…试点" names 广州 first, not as the one that leads."""
    assert not corpus_pipeline.ask("广东互联网+护理服务试点那9个地市里，哪个市是牵头的？").found


def test_an_office_asked_is_answered_by_an_office(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    assert not corpus_pipeline.ask("中山修订《中山市养老机构资助办法》，具体由民政局哪个科室负责？").found


def test_a_count_of_what_a_place_holds_is_said_where_that_place_is(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """恩阳 counts 区福利中心1个 and 60岁以上老人130876人 in the district: no count of who lives in the 福利中心."""
    assert not corpus_pipeline.ask("恩阳区福利中心现在住了多少位老人？").found
    assert corpus_pipeline.ask("巴中恩阳城乡的日照中心有几个？").direct.startswith("42个")  # the centres counted


def test_a_number_inside_a_quoted_name_counts_nothing(corpus_pipeline) -> None:
    """"“两代表一委员”开展联合视察" names a group: 两 counts no visits, and the letters give none."""
    ans = corpus_pipeline.ask("温州请“两代表一委员”来联合视察，总共视察过多少回？")
    assert not ans.found and "两代" not in ans.answer


def test_a_date_of_a_thing_the_letters_name_without_one_is_refused(corpus_pipeline) -> None:
    """广弘康复医院 stands in 中山's letter with no date; a year in a clause about something else is no answer,
    while a clause that names the thing by its head noun ("平台于…上线") dates it."""
    ans = corpus_pipeline.ask("广弘康复医院什么时候开张的？")
    assert not ans.found and "2021" not in ans.answer
    online = corpus_pipeline.ask("中山智慧健康养老信息平台什么时候上线的？")
    assert online.found and "2021年10月14日" in online.answer


def test_a_total_asked_of_a_part_named_whole_before_its_count_is_that_count(corpus_pipeline) -> None:
    """"其中,在线医疗产品14个、智能医疗服务产品52个": 一共 asks a total, and of 在线医疗产品 the letter gives one, after
    其中; a thing named with a modifier (民办养老机构248家) is not the 养老机构 a total asks."""
    assert corpus_pipeline.ask("广东那个数字技术产品资源库，在线医疗产品总共有几个？").direct == "14个"
    assert "375家" in corpus_pipeline.ask("温州的养老机构一共多少家？").direct


def test_what_a_named_bureau_does_is_said_where_it_is_named(corpus_pipeline) -> None:
    """"中山金融局…怎么帮…牵线": the 市金融局's sentence (专题融资对接会), not the 市民政局's 资助办法, which
    shares more words; the letter's own bureau (省厅) constrains nothing."""
    ans = corpus_pipeline.ask("中山金融局打算怎么帮想贷款的养老机构对接银行？")
    assert ans.found and "融资对接会" in ans.answer


def test_a_list_standing_nowhere_near_the_thing_the_question_names_is_refused() -> None:
    # the letter names the meeting only as planned ("并在10月底前召开…养老服务推进会议"): no list of another section
    # (创新机制: 社会化改革, 医养结合, 长护险) says what it decided
    answerer, hits = _answerer_over("reply-03.txt", "")
    got = answerer.answer("温州10月底前那次养老服务推进会议最后定了哪些事？", hits)
    assert not got.found and "养老服务推进会议" in got.answer


def test_a_count_taken_among_things_the_question_names_is_said_where_they_are_named() -> None:
    answerer, hits = _answerer_over("reply-03.txt", "375家")
    # the letter counts all 46 centres but not the 公建民营 ones: 375家 counts 养老机构, in another clause
    got = answerer.answer("温州46个乡镇（街道）养老服务中心里，有多少个是公建民营的？", hits)
    assert not got.found and "乡镇（街道）养老服务中心" in got.answer
    # a part the clause naming them gives is answered (其中鹿城区5个)
    got = answerer.answer("温州乡镇（街道）养老服务中心里，鹿城区有几个？", hits)
    assert got.found and got.direct.startswith("5")


def test_a_quarter_asked_is_answered_by_the_quarter_that_dates_the_sentence() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "第四季度")
    # the report's date in its title dates every figure after it, 168.5% among them; a bare figure is no answer
    got = answerer.answer("中山家庭宽带接入普及率是按哪个季度的通报来的？", hits)
    assert got.found and got.direct == "2021年第四季度"


def test_what_a_period_added_is_not_answered_by_a_total_so_far() -> None:
    answerer, hits = _answerer_over("reply-01.txt", "6451")
    # "累计建成5G基站6451座" is every station built so far, not those built in 2021
    assert not answerer.answer("中山2021年新建了多少座5G基站？", hits).found
    assert answerer.answer("中山累计建成5G基站多少座？", hits).direct.startswith("6451")


def test_people_counted_by_what_they_are_are_never_times_served_nor_a_sex_the_letter_does_not_split(
        corpus_pipeline) -> None:
    # "服务人次超33万" counts times served, not 老人
    got = corpus_pipeline.ask("中山居家养老服务中心一年服务多少老人？")
    assert not got.found and "33万" not in (got.direct or "")
    assert corpus_pipeline.ask("中山2022年居家养老服务活动服务了多少人次？").direct == "超33万"
    # 百岁老人48人 counts them all: 男的 is a part the letter does not give
    assert not corpus_pipeline.ask("恩阳百岁老人里男的有几个？").found
    assert corpus_pipeline.ask("恩阳百岁老人有几个？").direct.startswith("48")


def test_money_asked_by_the_level_of_government_that_gives_it_is_not_another_levels() -> None:
    from rag.answer.pick import value_in

    s = "加强农村互助幸福院运营管理，实施绩效考评“以奖代补”，落实省市补助资金70.5万元。"
    def got(q: str, bureau: str) -> str | None:
        return value_in(analyse(q, Tokenizer()), s, {}, None, bureau)[0]

    assert got("咸阳幸福院一共获得了多少中央资金？", "咸阳市民政局") is None
    assert got("咸阳幸福院落实了多少省市补助资金？", "咸阳市民政局") == "70.5万元"
    s = "2016-2018年,全省投入养老服务体系建设资金108.48亿元,其中省财政补助资金13.04亿元(含中央1.74亿元)。"
    assert got("广东省财政补助资金中，中央资金是多少？", "广东省民政厅") == "1.74亿元"


def test_a_place_only_in_a_documents_title_does_not_make_the_figure_that_places() -> None:
    from rag.answer.pick import value_in
    from rag.answer.scope import foreign_places

    s = ("根据《广东省宽带普及提速工程领导小组办公室关于2021年第四季度广东省宽带网络建设发展情况的通报》，"
         "中山市累计建成5G基站6451座，每万人拥有5G基站数14.6座，仅次于珠海、广州、深圳，全省排名第四")

    def got(question: str) -> str | None:
        q = analyse(question, Tokenizer())
        foreign = foreign_places(q.text, q.places, "中山市民政局")
        return value_in(q, s, {}, None, "中山市民政局", frozenset(), foreign)[0]

    assert got("广东5G基站建了多少座？") is None  # 中山's count, in a sentence whose 广东省 names a report
    assert got("中山5G基站建了多少座？") == "6451座"
    assert got("根据广东省的通报，中山建了多少座5G基站？") == "6451座"  # the question names the report by it too
    assert got("中山5G基站数在广东排第几？") == "排名第四"  # a rank within the province


def test_a_share_of_a_part_is_answered_only_where_that_part_is_said() -> None:
    from rag.answer.pick import value_in

    s = ("目前，我市共有375家养老机构（其中鹿城区17家），民办养老机构248家，占全市养老机构66.1%，"
         "建有51086张养老床位（鹿城区3233张）")

    def got(question: str) -> str | None:
        q = analyse(question, Tokenizer())  # (the thing asked of, as the answerer passes it)
        return value_in(q, s, {}, q.obj[0] if q.obj else None, "温州市民政局")[0]

    assert got("温州养老床位，护理型的占多少？") is None  # 66.1% is the share of 民办养老机构
    assert got("护理型的占多少？") is None
    assert got("温州民办养老机构占全市养老机构的比例是多少？") == "66.1%"
