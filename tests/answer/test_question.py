"""rag.answer.question: what a question asks for, read from how staff phrase it."""

from __future__ import annotations

import re

from rag.answer.question import analyse
from rag.core.tokens import Tokenizer


def test_ji_cheng_asks_for_a_share() -> None:
    q = analyse("中山村里新增的征地补偿款，至少要给集体留几成？", Tokenizer())
    assert q.kind == "number" and q.unit == "%"


def test_money_paid_or_priced_is_asked_in_yuan() -> None:
    for q in ("那长护险基金到那时为止一共掏了多少？", "华宇乐颐养院入住的月费标准大概啥价位？", "收费标准是多少？",
              "广州长护险基金到19年底累计付出去多少"):
        got = analyse(q, Tokenizer())
        assert got.kind == "number" and "万元" in got.unit, q
    assert "元" not in analyse("一共掏了多少户？", Tokenizer()).unit  # a count says its own measure


def test_what_must_be_is_not_a_plan() -> None:
    assert not analyse("中山村里新增的征地补偿款，至少要给集体留几成？", Tokenizer()).plan
    assert analyse("温州市2019年要推动多少家社区居家养老服务照料中心社会化运营？", Tokenizer()).plan
    assert analyse("恩阳那两个街道的适老化改造试点，预算多少钱", Tokenizer()).plan  # a budget is planned


def test_the_measure_named_before_the_ask_is_what_is_counted() -> None:
    """"…发高龄补贴，人次多少": 人次, though the money around it would make it an amount."""
    assert analyse("恩阳为80周岁以上老人发高龄补贴，人次多少", Tokenizer()).unit_word == "人次"
    assert analyse("受益户数是多少", Tokenizer()).unit_word == "户"
    assert analyse("恩阳为80周岁以上老人发高龄补贴，金额多少", Tokenizer()).unit_word != "人次"


def test_a_verb_after_the_measure_word_is_not_what_is_counted() -> None:
    got = analyse("广东基地有几个入选？", Tokenizer()).obj
    assert "基地" in got and "入选" not in got
    assert analyse("建了几个日间照料中心？", Tokenizer()).obj[0].startswith("日间照料")


def test_a_maker_asked_wants_a_name_of_that_kind() -> None:
    q = analyse("温州“一键通”的终端设备是哪家厂商提供的", Tokenizer())
    assert q.kind == "who" and q.target and "厂商" in q.target
    q = analyse("广东还要统筹建一个什么库？", Tokenizer())  # a 库 asked is answered by the name of one
    assert q.kind == "who" and q.target and "库" in q.target


def test_a_span_of_years_asked_wants_a_range() -> None:
    got = analyse("温州市区老年人服务设施布局规划管的是哪几年？", Tokenizer())
    assert got.kind == "date" and got.grain == "span"
    assert analyse("这个规划哪年修订过？", Tokenizer()).grain == "year"


def test_a_result_asked_is_what_was_done() -> None:
    """"最后验收合格了多少户" asks what was done: "计划…为280余户…改造" only plans it (rag.answer.pick)."""
    for q in ("恩阳登科、文治的家庭适老化改造，最后验收合格了多少户？", "中心最终竣工了几个？"):
        got = analyse(q, Tokenizer())
        assert got.done and not got.plan, q


def test_a_question_that_counts_the_items_itself_asks_for_them() -> None:
    assert analyse("恩阳那封答复里推进养老产业发展的措施分了七条，每条讲的是啥？", Tokenizer()).kind == "list"


def test_a_date_question_says_how_fine_a_date_it_wants() -> None:
    assert analyse("温州市智慧养老综合平台是哪天正式上线的？", Tokenizer()).grain == "day"
    assert analyse("平台是哪一年上线的？", Tokenizer()).grain == "year"  # a value that names the year
    assert analyse("平台是什么时候上线的？", Tokenizer()).grain is None


def test_a_place_the_question_names_is_one_the_gazetteer_knows() -> None:
    assert analyse("中山能在网上约护士上门的医疗单位有多少家？", Tokenizer()).places == ("中山",)  # 上门 is tagged ns
    assert "鹿城" in analyse("鹿城有几个社区养老园？", Tokenizer()).places  # short form of 鹿城区


def test_a_two_digit_year_is_the_year_the_letters_write() -> None:
    from rag.answer.frame import read

    assert "2019年省财政" in read("吴克昌那个智慧养老的建议，19年省财政安排了多少养老补助资金").content
    assert read("杨兴全委员那份答复 时间银行谁牵头搞").meta is None  # 时间银行 is a programme, not a date


def test_words_that_ask_or_point_are_not_content() -> None:
    words = dict(analyse("那个智慧健康养老平台是不是已经上线了？哪天上的", Tokenizer()).keywords)
    assert "上线" in words and not {"那个", "是不是", "不是", "天上"} & set(words)  # jieba cuts 哪|天上|的


def test_a_code_question_asks_for_the_code_the_letter_writes_not_a_count() -> None:
    import re

    q = analyse("广东那个养老标准委员会的编号是多少", Tokenizer())
    assert q.kind == "who" and q.target
    m = re.search(q.target, "2019年12月,我省成立广东省养老服务标准化技术委员会(GD/TC134),由省民政厅领导担任主任委员")
    assert m and m.group(1) == "GD/TC134"


def test_duoshao_wan_is_a_magnitude_not_money() -> None:
    q = analyse("温州60岁往上的老人有多少万", Tokenizer())
    assert q.kind == "number" and q.unit and __import__("re").fullmatch(q.unit, "万人")


def test_people_are_counted_in_people_and_a_part_of_a_whole_is_a_share() -> None:
    q = analyse("温州一键通服务了多少老人", Tokenizer())
    assert q.unit and __import__("re").fullmatch(q.unit, "人") and not __import__("re").fullmatch(q.unit, "张")
    assert analyse("温州60岁以上老人占户籍人口多少", Tokenizer()).unit == "%"


def test_which_month_and_which_year_are_date_questions_of_their_grain() -> None:
    assert analyse("中山的智慧健康养老信息平台哪个月开始建的", Tokenizer()).kind == "date"
    assert analyse("广州长护险试点办法哪年印发的", Tokenizer()).grain == "year"


def test_a_noun_built_as_a_person_word_is_counted_in_people() -> None:
    # 医生, 护士, 社工, 医护: words ending as Chinese person nouns do (…生, …士, …工, …员, …者), not a closed list
    for text in ("华宇乐颐养院里配了多少医生护士", "温州有多少社工", "恩阳区的时间银行有多少志愿者参加",
                 "华宇乐颐养院有多少医护", "中山的护理院里有多少护士"):
        q = analyse(text, Tokenizer())
        assert q.unit and __import__("re").fullmatch(q.unit, "人") and not __import__("re").fullmatch(q.unit, "张")
    assert analyse("广东养老服务部门间联席会议成员有多少", Tokenizer()).unit is None  # members may be 24个部门


def test_a_clause_that_asks_what_was_done_is_no_plan_whatever_the_scene_says() -> None:
    q = analyse("温州乡镇街道养老服务中心到2022年全覆盖以后，实际一共建成了多少个？", Tokenizer())
    assert not q.plan and q.done


def test_ji_ge_ren_counts_people() -> None:
    q = analyse("华宇乐颐养院医护几个人？", Tokenizer())
    assert q.unit and __import__("re").fullmatch(q.unit, "人") and not __import__("re").fullmatch(q.unit, "张")


def test_the_clause_that_asks_decides_a_time_and_these_few_is_no_count() -> None:
    from rag.answer.question import MONEY
    from rag.answer.wording import normalise

    assert analyse("温州老年人占户籍人口的比例是18.23%，这个占比是按哪个时间点算的？", Tokenizer()).kind == "date"
    assert analyse("温州老年人占户籍人口的比例是多少？", Tokenizer()).unit == "%"
    asked = normalise("咸阳民办养老机构拿一次性建设补贴的，这几家加起来拨了几万块？")
    assert asked.endswith("拨了多少万元？") and analyse(asked, Tokenizer()).unit == MONEY


def test_a_documents_name_asked_for_is_its_title_and_lists_asked_one_by_one() -> None:
    from rag.answer.question import EACH_ITEM

    assert analyse("咸阳市政府印发的医养结合那个文件名字叫什么？", Tokenizer()).target == r"《([^》]{4,80})》"
    assert analyse("那个指导意见全称是什么？", Tokenizer()).kind == "who"
    assert analyse("中山的老年人金融服务工作方案是什么时候出台的", Tokenizer()).kind == "date"
    assert EACH_ITEM.search("中山医养结合那几种模式，按一二三四给我说下")


def test_a_city_named_short_is_a_place_unless_a_noun_follows_it() -> None:
    assert analyse("宝鸡那边农村幸福院一共有多少家在运营？", Tokenizer()).places == ("宝鸡",)  # jieba: 宝鸡/n
    assert "日照" not in analyse("咸阳城镇社区日照中心有几个", Tokenizer()).places  # 日照中心, not 日照市


def test_a_count_inside_a_clause_whose_later_word_asks_only_names_what_is_asked_about() -> None:
    from rag.answer.question import analyse
    from rag.core.tokens import Tokenizer

    q = analyse("咸阳想让护理员挣多少钱跟什么挂钩？", Tokenizer())
    assert q.kind != "number" and q.text == "咸阳想让护理员挣多少钱跟什么挂钩？"  # 什么 asks, the text is kept
    assert analyse("哪几个县区开展了什么改造？", Tokenizer()).kind == "list"  # 哪几个 is no count
    assert analyse("咸阳护理员挣多少钱？", Tokenizer()).kind == "number"


def test_bi_zhong_asks_for_a_share() -> None:
    q = analyse("温州民办养老机构占全部养老机构多大比重？", Tokenizer())
    assert q.kind == "number" and q.unit == "%"


def test_a_place_jieba_joins_to_the_word_after_it_is_a_word_of_its_own() -> None:
    q = analyse("恩阳五助入户服务投了多少钱", Tokenizer())
    words = [t for t, _ in q.keywords]
    assert "恩阳" in words and "五助" in words and "恩阳五助" not in words


def test_a_place_narrowed_to_with_qizhong_is_not_the_thing_counted() -> None:
    """"温州民办养老机构，其中鹿城有多少家": 民办养老机构 are counted, in 鹿城 (not 其中鹿城)."""
    q = analyse("温州民办养老机构，其中鹿城有多少家？", Tokenizer())
    assert "民办养老机构" in q.obj and "鹿城" not in q.obj and "其中" not in q.obj


def test_a_thing_counted_whose_name_opens_with_latin_letters_follows_duoshao() -> None:
    """"每万人拥有多少5G基站": 5G基站 are counted, per 万人; they are not people (that would ask for 人)."""
    q = analyse("中山每万人拥有多少5G基站？", Tokenizer())
    assert q.unit is None and "5g基站" in q.obj and "每万人" not in q.obj


def test_a_kind_of_place_counted_is_the_thing_counted() -> None:
    """"街道几个": 街道 is what is counted (10个街道), not a place the question narrows to."""
    assert analyse("广东2019年入选示范的街道几个？", Tokenizer()).obj == ("街道",)


def test_a_thing_counted_with_the_other_name_it_goes_by_is_counted_as_written() -> None:
    """"几个村（社区）": the letters write 309个村（社区）; 社区 alone also counts 42个城乡社区日间照料中心."""
    assert analyse("恩阳有几个村（社区）？", Tokenizer()).obj[0] == "村（社区）"
    assert analyse("村（社区）有几个？", Tokenizer()).obj[0] == "村（社区）"
    assert analyse("恩阳村（社区）有几个？", Tokenizer()).obj[0] == "村（社区）"  # the place is where, not what


def test_the_count_of_a_thing_with_two_names_is_its_own_not_a_count_of_a_thing_named_like_one() -> None:
    from tests.answer.test_extractive import _answerer_over

    answerer, hits = _answerer_over("reply-02.txt", "")
    assert answerer.answer("恩阳有几个村（社区）？", hits).direct == "309个"


def test_a_time_named_last_asks_a_date() -> None:
    assert analyse("广东养老联席会议制度的成立时间", Tokenizer()).kind == "date"


def test_a_documents_name_asked_after_a_comma_is_its_title() -> None:
    # "…政策文件，叫什么名字": a name asked of a document is its title in 《》, or no answer
    assert analyse("温州出台的综合性政策文件，叫什么名字？", Tokenizer()).asks_title
    assert analyse("中山修订的资助办法，叫什么？", Tokenizer()).asks_title
    assert not analyse("中山修订的资助办法，是什么时候出台的？", Tokenizer()).asks_title


def test_a_city_jieba_cuts_apart_is_the_place_not_the_word_it_was_glued_to() -> None:
    """"中山镇街为老年人…": jieba cuts 中|山镇|街; 中山 is the place (山镇 is a township elsewhere)."""
    q = analyse("中山镇街为老年人开设了哪些服务？", Tokenizer())
    assert "中山" in q.places and "山镇" not in q.places


def test_a_code_asked_with_shi_shenme_is_that_code_not_a_list() -> None:
    q = analyse("省养老标委会的代号是什么？", Tokenizer())
    assert q.kind == "who" and q.target is not None and "A-Z" in q.target
    assert analyse("省养老标委会的职责是什么？", Tokenizer()).kind == "list"


def test_several_said_asks_no_count() -> None:
    assert analyse("在好几家医院都备过案的护士能不能被派出去？", Tokenizer()).kind != "number"
    assert analyse("十几个社区的老人能不能去？", Tokenizer()).kind != "number"
    assert analyse("在几家医院备过案？", Tokenizer()).kind == "number"


def test_a_county_level_city_jieba_cuts_at_its_zhou_is_a_place() -> None:
    assert analyse("咸阳1356个农村互助幸福院里，彬州市占了多少个？", Tokenizer()).places == ("咸阳", "彬州市")
    assert analyse("全市有多少家养老机构？", Tokenizer()).places == ()


def test_xie_jia_asks_for_a_body() -> None:
    q = analyse("日常秘书工作落在谁家？", Tokenizer())
    assert q.kind == "who" and q.target is not None and "院" in q.target


def test_a_budget_is_money() -> None:
    q = analyse("情暖中山“321”关爱老人暖心工程，今年一共安排了多少预算？", Tokenizer())
    assert q.kind == "number" and q.unit is not None and "元" in q.unit


def test_yi_shenme_wei_daoxiang_de_is_answered_by_what_stands_between_yi_and_wei() -> None:
    q = analyse("我省搞养老服务是以什么为导向的？", Tokenizer())
    import re
    s = "坚持以人民为中心,以满足老年人养老服务需求为导向,聚焦特殊群体"
    assert q.kind == "who" and re.search(q.target, s).group("after") == "满足老年人养老服务需求"


def test_an_address_a_named_kind_or_a_count_in_its_classifier_is_asked_in_that_form() -> None:
    """"网址是多少" asks an address (www.…), not a count; "哪个会场", "哪个小程序或APP" a name of that kind;
    "几起案子" a count in 起, which no share (100%) answers."""
    import re

    web = analyse("中山那个智慧健康养老信息平台，网址是多少？", Tokenizer())
    assert web.kind == "who" and re.search(web.target, "详见www.zs.gov.cn。") and not re.search(
        web.target, "为282户特困老人提供服务")
    assert analyse("温州公建民营推介会是在哪个会场开的？", Tokenizer()).target.endswith("会场)")
    app = analyse("在哪个小程序或APP上记时长的？", Tokenizer()).target
    assert re.search(app, "通过颐康小程序记录时长") and not re.search(app, "建设“时间银行”养老志愿服务")
    cases = analyse("恩阳整治养老领域非法集资，一共查处了几起案子？", Tokenizer())
    assert cases.kind == "number" and re.fullmatch(cases.unit, "起") and not re.fullmatch(cases.unit, "%")


def test_traps_asking_an_address_a_venue_or_cases_are_refused(corpus_pipeline) -> None:
    for q in ("中山那个智慧健康养老信息平台，网址是多少？", "温州公建民营推介会是在哪个会场开的？",
              "恩阳整治养老领域非法集资，一共查处了几起案子？"):
        assert not corpus_pipeline.ask(q).found, q


def test_days_are_a_measure_a_count_of_days_is_said_in() -> None:
    """"放几天假": days, not any number the sentence holds (3040万元)."""
    q = analyse("恩阳的家庭喘息服务，一年能给照顾老人的家属放几天假？", Tokenizer())
    assert q.kind == "number" and q.unit == "天"


def test_a_document_number_asked_with_shi_shenme_is_a_code_not_a_list() -> None:
    q = analyse("2018年出台的那份现代服务业政策意见，文号是什么？", Tokenizer())
    assert q.kind == "who" and q.target and "〔" in q.target


def test_a_bracketed_aside_after_the_measure_word_is_not_what_is_counted() -> None:
    q = analyse("目前进驻平台的服务商有几家（截至2022年6月10日）？", Tokenizer())
    assert "服务商" in q.obj


def test_a_rank_asked_by_mingci_and_a_mingci_only_named() -> None:
    assert analyse("这个端口数全省能排到什么名次？", Tokenizer()).kind == "ordinal"
    assert analyse("这个名次是按哪个季度的通报来的？", Tokenizer()).kind != "ordinal"


def test_where_money_came_from_asked_by_nakuai_and_items_asked_by_what_each_did() -> None:
    from rag.answer.question import EACH_ITEM

    q = analyse("咸阳的日间照料中心运营补贴，钱从哪块列支？", Tokenizer())
    assert q.kind == "who" and q.target is not None and "列支" in q.target
    assert EACH_ITEM.search("一二三条分别干了啥") and EACH_ITEM.search("分别做了什么")


def test_names_of_the_items_asked_and_a_month_asked_by_namonth() -> None:
    from rag.answer.question import EACH_ITEM

    assert EACH_ITEM.search("中山推医养结合举了四种模式，叫法给我就行")
    assert analyse("标委会是哪年哪月成立的？", Tokenizer()).grain == "month"


def test_a_deadline_a_count_of_people_and_hours_are_read_whole() -> None:
    from rag.answer.question import DATE

    assert DATE.search("并在10月底前召开由各县（市、区）政府主要负责人参加的会议").group(0) == "10月底前"
    q = analyse("中山老人到站点做康复的服务，人数多少", Tokenizer())
    assert q.unit is not None and not re.fullmatch(q.unit, "人次") and re.fullmatch(q.unit, "名")


def test_an_age_named_to_say_whom_a_count_is_of_is_no_age_asked() -> None:
    from rag.answer.question import analyse
    from rag.core.tokens import Tokenizer

    q = analyse("同样按这个年龄线，恩阳那边有多少位高龄老人？", Tokenizer())
    assert q.kind == "number" and q.unit_word != "岁"
    assert analyse("享受高龄补贴的年龄是多少？", Tokenizer()).unit_word == "岁"


def test_a_length_of_time_or_how_often_is_asked_as_such() -> None:
    """"签了几年合同": a length of time (三年, 6个月; never the 19年 of 2019年); "多久办一回": how often (隔年, 每周);
    not 哪几年 or 近几年."""
    import re

    from rag.answer.question import DURATION, HOW_OFTEN, analyse
    from rag.core.tokens import Tokenizer

    assert analyse("同电信公司签了几年合同？", Tokenizer()).target == DURATION
    assert analyse("中山的老年人运动会多久办一回？", Tokenizer()).target == HOW_OFTEN
    assert analyse("规划管的是哪几年？", Tokenizer()).target != DURATION
    assert re.search(DURATION, "连续三年开展专项行动").group(1) == "连续三年"
    assert not re.search(DURATION, "2019年以来")
    assert re.search(HOW_OFTEN, "隔年举办运动会").group(1) == "隔年"


def test_a_length_of_time_the_letters_never_give_is_refused(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    assert not corpus_pipeline.ask("温州那个智慧养老大数据分析系统，同电信公司签了几年合同？").found
    assert corpus_pipeline.ask("恩阳养老院服务质量建设专项行动连着搞了多久？").direct == "连续三年"


def test_how_many_times_in_everyday_words_is_a_count_of_times_held() -> None:
    q = analyse("咸阳每年搞几回这种慰问？", Tokenizer())
    assert q.kind == "number" and re.fullmatch(q.unit, "次") and re.fullmatch(q.unit, "期")
    assert not re.fullmatch(q.unit, "代")


def test_na_ji_points_at_things_named_before_and_asks_no_count() -> None:
    # "那几家发的通知": the bodies that issued it, pointed at; the ask is 哪些上门服务
    assert analyse("按财政部那几家发的105号通知，给老人买哪些上门服务？", Tokenizer()).kind == "list"
    assert analyse("省里点名的那几个欠发达地区，是哪几个市？", Tokenizer()).kind == "list"
    assert analyse("原文那几个“领导、主导”之类的词报一下", Tokenizer()).kind == "list"  # the items, to be said
    assert analyse("那几家医院一共有多少张床位？", Tokenizer()).unit_word == "张"  # the count is of 张


def test_what_is_offered_asked_with_sha_or_xie_is_a_list() -> None:
    # 啥 is 什么 as people type it, and 提供些 is 提供 of several things
    for q in ("咱咸阳村里的幸福院、社区的照料中心，都给老人提供些啥服务？", "这个平台能实现啥功能？",
              "社区食堂有些什么服务？"):
        assert analyse(q, Tokenizer()).kind == "list", q
    assert analyse("这个平台是哪天上线的？", Tokenizer()).kind != "list"


def test_jian_wan_asks_what_was_done() -> None:
    # "真建完了吗": a result, which a target ("力争2020年新建6万座") does not state
    assert analyse("广东20年那6万座5G基站，到年底真建完了吗？", Tokenizer()).done
    assert not analyse("广东2020年计划新建多少座5G基站？", Tokenizer()).done


def test_a_quarter_asked_is_a_date_that_names_the_quarter() -> None:
    q = analyse("这个数依据的是哪个季度的通报？", Tokenizer())
    assert q.kind == "date" and q.grain == "quarter"


def test_people_counted_by_a_noun_are_counted_in_persons_not_times() -> None:
    from rag.core.tokens import get_tokenizer

    q = analyse("中山居家养老服务中心一年服务多少老人？", get_tokenizer())
    assert re.search(q.unit, "1025名") and not re.fullmatch(q.unit, "人次") and not re.match(q.unit, "人/次")
    assert re.fullmatch(analyse("培训了多少人？", get_tokenizer()).unit, "人次")  # 人 alone: 人次 may answer
