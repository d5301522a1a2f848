"""rag.answer.parts: the asks of one question, each with the context it shares."""

from __future__ import annotations

from rag.answer.parts import split_parts


def test_each_ask_of_a_multi_part_question_is_one_part() -> None:
    from rag.answer.parts import split_parts

    # "A和B分别多少" after a first ask: two parts, each a part of the first ask's subject
    parts = [p for p, _ in split_parts("恩阳区特困供养人员总共多少人？集中供养和农村分散供养分别多少？")]
    assert parts == ["恩阳区特困供养人员总共多少人", "恩阳区特困供养人员中集中供养多少",
                     "恩阳区特困供养人员中农村分散供养多少"]
    # two asks in one clause, joined by 、
    asks = [a for _, a in split_parts("恩阳区高龄补贴发了多少钱、多少人次？日间照料中心的运行补贴又是多少？")]
    assert asks == ["恩阳区高龄补贴发了多少钱", "多少人次", "日间照料中心的运行补贴又是多少"]
    # a yes/no first ask names the subject the next ask leaves out
    assert split_parts("中山市有没有建农村互助幸福院，建了几个？")[1][0] == "中山市建农村互助幸福院建了几个"


def test_each_of_items_joined_by_he_is_one_part_even_with_a_verb_before_the_ask() -> None:
    from rag.answer.parts import split_parts

    asks = [a for _, a in split_parts("咸阳县级中心敬老院和公建民营及民办养老机构分别建成运营了多少个")]
    assert asks == ["咸阳县级中心敬老院建成运营了多少个", "公建民营及民办养老机构建成运营了多少个"]


def test_counts_of_several_things_in_one_run_are_separate_asks() -> None:
    from rag.answer.parts import split_parts

    asks = [a for _, a in split_parts("19年那个示范评选，广东选上了几个基地几个街道几家企业")]
    assert asks == ["广东选上了几个基地", "广东选上了几个街道", "广东选上了几家企业"]


def test_a_later_ask_too_short_to_say_what_it_is_about_borrows_the_whole_first_ask() -> None:
    from rag.answer.parts import split_parts

    parts = split_parts("咸阳给几家民办养老机构发了一次性建设补贴，一共多少钱")
    assert parts[1][0] == "咸阳给民办养老机构发了一次性建设补贴一共多少钱"  # not "咸阳一共多少钱"


def test_two_asks_joined_by_dun_and_a_later_ask_that_only_plans() -> None:
    from rag.answer.parts import split_parts

    asks = [a for _, a in split_parts("咸阳民办养老院拿到的一次性建设补贴，共涉及几家机构、金额多大")]
    assert asks == ["共涉及几家机构", "金额多大"]
    parts = split_parts("咸阳今年居家适老化的补助资金多少，计划惠及多少户")
    assert parts[1][0].startswith("咸阳今年居家适老化") and parts[1][1] == "计划惠及多少户"  # 计划 names nothing
    assert split_parts("中山那个信息平台服务申请审批记录多少条，服务记录多少条")[1][0] == "服务记录多少条"


def test_a_vague_how_beside_a_specific_ask_is_answered_by_it() -> None:
    from rag.answer.parts import split_parts

    assert [p for p, _ in split_parts("那中山的医养结合是怎么做的，分哪几种？")] == ["那中山的医养结合，分哪几种"]
    assert len(split_parts("联系人是谁？电话多少？")) == 2


def test_kinds_counted_then_named_are_one_list_question() -> None:
    assert len(split_parts("中山医养结合有几种模式，各叫什么？")) == 1
    assert len(split_parts("咸阳建了几个日间照料中心，分别在哪几个区")) == 2  # a second ask about something else


def test_a_later_ask_that_names_its_own_thing_borrows_whose_not_what() -> None:
    assert [t for t, _ in split_parts("华宇乐颐养院床位几张、医护几个人？")][1] == "华宇乐颐养院医护几个人"


def test_items_listed_before_an_ask_with_ge_are_each_asked() -> None:
    from rag.answer.parts import split_parts

    parts = split_parts("咸阳机构养老这块：县级中心敬老院、区域性敬老院、公建民营及民办机构，各建成运营几个")
    assert parts == [("咸阳机构养老这块，县级中心敬老院建成运营几个", "县级中心敬老院建成运营几个"),
                     ("咸阳机构养老这块，区域性敬老院建成运营几个", "区域性敬老院建成运营几个"),
                     ("咸阳机构养老这块，公建民营及民办机构建成运营几个", "公建民营及民办机构建成运营几个")]
    assert [a for _, a in split_parts("温州的养老设施：乡镇养老服务中心和社区养老园，各建成多少个")] == [
        "乡镇养老服务中心建成多少个", "社区养老园建成多少个"]


def test_figures_listed_after_a_colon_without_an_asking_word_each_ask_for_the_figure() -> None:
    asks = [a for _, a in split_parts("问两个温州的数：一个是2018年底医养结合的养老机构家数，一个是覆盖率")]
    assert asks == ["2018年底医养结合的养老机构家数是多少", "覆盖率是多少"]


def test_a_clause_that_only_names_what_changes_asks_the_ask_before_it_of_that() -> None:
    # "…多少个？农村互助幸福院呢？" in one message is read as a follow-up is read against the question before it
    parts = [p for p, _ in split_parts("咸阳城镇社区日间照料中心建了多少个？农村互助幸福院呢？")]
    assert parts == ["咸阳城镇社区日间照料中心建了多少个", "咸阳农村互助幸福院多少个"]
    assert [p for p, _ in split_parts("温州市有多少家养老机构？恩阳区呢？")][1] == "恩阳区有多少家养老机构"
    # a 呢 clause with an asking word of its own is an ask as it is
    assert [a for _, a in split_parts("温州有多少家养老机构？床位有多少张呢？")][1] == "床位有多少张呢"


def test_asks_joined_by_a_space_and_what_each_ask_leaves_out() -> None:
    asks = [a for _, a in split_parts("恩阳高龄补贴发了多少钱 惠及多少人次")]
    assert asks == ["恩阳高龄补贴发了多少钱", "惠及多少人次"]
    # the verb the first ask led into is no part of the subject a later ask borrows
    assert split_parts("恩阳高龄补贴发了多少钱 惠及多少人次")[1][0] == "恩阳高龄补贴惠及多少人次"
    # what each got is the first ask's own: "总共多少" is of the whole subject
    assert split_parts("咸阳日间照料中心运营补贴每个多少、总共多少？")[1][0] == "咸阳日间照料中心运营补贴总共多少"


def test_what_a_count_of_bodies_is_followed_by_is_theirs() -> None:
    # 所/家 count institutions: the beds asked next are theirs (not, as after 床位几张, a sibling of the beds)
    assert split_parts("恩阳区公办养老机构几所，床位多少？")[1][0] == "恩阳区公办养老机构的床位多少"
    assert split_parts("华宇乐颐养院床位几张、医护几个人")[1][0] == "华宇乐颐养院医护几个人"


def test_an_a_not_a_clause_is_an_ask_of_its_own_and_named_things_each_asked() -> None:
    asks = [a for _, a in split_parts("恩阳民办养老机构有几所，床位多少，开没开张？")]
    assert asks == ["恩阳民办养老机构有几所", "床位多少", "开没开张"]
    # "是不是…了？哪天…": the yes/no leads into the date asked, one part
    assert len(split_parts("那个智慧健康养老平台是不是已经上线了？哪天上的")) == 1
    assert [p for p, _ in split_parts("恩阳的函联系人和电话分别是什么？")] == ["恩阳的函联系人是什么", "电话是什么"]


def test_from_a_to_b_start_and_end_dates_are_two_asks() -> None:
    parts = [p for p, _ in split_parts("中山民政的智慧健康养老信息平台从开建到上线，起止日期分别是？")]
    assert parts == ["中山民政的智慧健康养老信息平台开建是什么时候", "中山民政的智慧健康养老信息平台上线是什么时候"]


def test_items_joined_by_haiyou_before_an_each_ask_are_each_asked() -> None:
    parts = [p for p, _ in split_parts("恩阳的日间照料中心建设补助，还有运行补贴，分别是多少？")]
    assert parts == ["恩阳的日间照料中心建设补助是多少", "运行补贴是多少"]
    # clauses not joined by 还有/以及 are context, not items
    assert len(split_parts("恩阳的日间照料中心，去年的运行补贴，分别是多少？")) == 1


def test_a_closing_yes_no_clause_is_an_ask_about_what_the_first_ask_named() -> None:
    parts = [p for p, _ in split_parts("中山那个新一代信息技术产业发展行动计划：覆盖哪几年？是不是今年就到期了？")]
    # the subject is what the colon announces, not the first ask's words
    assert parts == ["中山那个新一代信息技术产业发展行动计划，覆盖哪几年",
                     "中山那个新一代信息技术产业发展行动计划，是不是今年就到期了"]
    # a yes/no clause another ask follows still only leads into it
    assert len(split_parts("那个智慧健康养老平台是不是已经上线了？哪天上的")) == 1


def test_a_quoted_passage_is_no_repeated_value() -> None:
    from rag.answer.extractive import _repeats
    from rag.core.records import Answer

    value = Answer("2018-2022年。", True, (), (), "extractive", direct="2018-2022年")
    quoted = Answer("…", True, (), (), "extractive", direct="“《行动计划（2018-2022年）》将于今年到期”")
    assert not _repeats(quoted, [value])
    assert _repeats(Answer("…", True, (), (), "extractive", direct="2018-2022年"), [value])


def test_a_later_ask_that_names_only_what_it_counts_and_where_is_about_the_first_asks_subject() -> None:
    parts = [p for p, _ in split_parts("人社部是哪年哪月定的长护险试点，全国一共几个城市？")]
    # the subject without every asking word of the first ask (是哪年哪月), and 全国 names no head of its own
    assert parts == ["人社部是哪年哪月定的长护险试点", "人社部定的长护险试点全国一共几个城市"]
    # a later ask that names its own thing keeps it
    assert split_parts("恩阳总人口多少？百岁老人有几个？")[1][0] == "恩阳百岁老人有几个"


def test_the_order_the_asker_wants_the_parts_in_is_no_word_of_an_ask() -> None:
    parts = split_parts("温州325家机构实现医养结合，先说是截至什么时候的，再说覆盖率多少")
    assert [a for _, a in parts] == ["是截至什么时候的", "覆盖率多少"]
    assert parts[0][0] == "温州325家机构实现医养结合，是截至什么时候的"


def test_a_topic_before_a_colon_is_what_every_ask_is_about() -> None:
    parts = [p for p, _ in split_parts("温州鹿城区：养老机构几家，养老床位几张，乡镇（街道）养老服务中心几个？")]
    assert parts == ["温州鹿城区，养老机构几家", "温州鹿城区，养老床位几张", "温州鹿城区，乡镇（街道）养老服务中心几个"]


def test_counts_side_by_side_of_a_counterpart_repeat_the_earlier_asks_with_the_modifier_swapped() -> None:
    parts = [p for p, _ in split_parts("恩阳公办养老机构几所、床位几张，民办的再说下几所几张")]
    assert parts == ["恩阳公办养老机构几所", "恩阳公办养老机构的床位几张",
                     "恩阳民办养老机构几所", "恩阳民办养老机构的床位几张"]


def test_items_joined_by_gen_before_ge_are_each_asked() -> None:
    """"数量跟总投资额各是多少": 跟 joins two things asked, as 和 does."""
    got = [ask for _, ask in split_parts("温州在弄的那批标杆示范项目，数量跟总投资额各是多少？")]
    assert got == ["数量是多少", "总投资额是多少"]


def test_an_ask_said_as_an_order_is_an_ask() -> None:
    parts = split_parts("哪封答复征求过省医保局的意见？报一下建议编号")  # "报一下…": give it
    assert len(parts) == 2 and parts[1][1].endswith("报一下建议编号")


def test_an_ask_named_by_its_noun_is_an_ask() -> None:
    """"问下…：成立时间，外加成员单位的数量": each clause names what it asks (时间, 数量), with no asking word."""
    parts = split_parts("问下广东的养老联席会议制度：成立时间，外加成员单位的数量")
    assert len(parts) == 2 and parts[0][1].endswith("成立时间") and parts[1][1].endswith("数量")


def test_where_and_when_the_first_ask_names_hold_for_every_ask() -> None:
    """"广东三年（16—18年）砸进养老体系建设的总钱数，以及省财政出的那块，各多少": the later ask names neither place nor
    years, and is asked of the first's (16—18年 is read as the letters write it, 2016-2018年)."""
    from rag.answer.frame import read
    from rag.answer.parts import parts_of

    q = "广东三年（16—18年）砸进养老体系建设的总钱数，以及省财政出的那块，各多少？"
    got = [p.content for p in parts_of(read(q))]
    assert len(got) == 2 and "2016-2018年" in got[0] and got[1].startswith("广东2016-2018年，")
    got = [p.content for p in parts_of(read("温州2018年底有多少家养老机构，2019年要推动多少家实现社会化运营？"))]
    assert len(got) == 2 and "2018年" not in got[1]  # a later ask that names its own time keeps it


def test_an_order_to_report_a_field_as_well_is_an_ask() -> None:
    """"回吴克昌代表的是哪家单位？文号也报全": the second clause asks the 文号, said as an order."""
    got = split_parts("回吴克昌代表的是哪家单位？文号也报全")
    assert [a for _, a in got] == ["回吴克昌代表的是哪家单位", "文号也报全"]


def test_haoji_several_asks_nothing() -> None:
    """"综合了好几个单位的意见，排头一个是谁": 好几个 is several, not 几个 asked; one ask, about the list's first."""
    from rag.answer.frame import read
    from rag.answer.parts import parts_of

    got = parts_of(read("省厅那封答复开头综合了好几个单位的意见，排头一个是谁？"))
    assert len(got) == 1 and got[0].meta == "co_units"


def test_an_ask_by_place_alone_is_of_the_list_the_first_ask_named() -> None:
    from rag.answer.frame import read
    from rag.answer.parts import parts_of

    got = [f.text for f in parts_of(read("恩阳那封写基本情况那块，下面有几个“坚持”开头的小标题，排第二的是哪个？"))]
    assert len(got) == 2 and "“坚持”开头的小标题" in got[1] and "排第二" in got[1]


def test_a_clause_that_only_says_how_to_answer_is_no_ask() -> None:
    assert len(split_parts("广弘颐养院是个集哪几样于一体的医养结合机构？一口气报下")) == 1
    assert len(split_parts("联系人是谁？电话也报一下")) == 2  # 电话 is asked


def test_a_clause_asking_only_a_form_is_no_ask() -> None:
    assert len(split_parts("咸阳讲多层次养老服务格局，分成了哪两个层面？报层面名就行")) == 1


def test_asking_to_report_it_too_asks_nothing_more() -> None:
    from rag.answer.parts import split_parts

    assert len(split_parts("80周岁以上的高龄老人有多少，也报一下")) == 1


def test_asks_of_one_shape_count_other_things_of_what_comes_before_the_first() -> None:
    from rag.answer.parts import split_parts

    got = [q for q, _ in split_parts("恩阳区辖几个镇（街道）、几个村（社区），总人口多少")]
    assert got[1].startswith("恩阳区") and "镇（街道）" not in got[1] and got[1].endswith("几个村（社区）")


def test_rows_of_a_form_to_fill_are_each_asked_their_figure() -> None:
    """"…的数，按“项目：数值”格式给我——A；B；C": each row's figure, the form itself not asked."""
    from rag.answer.frame import read
    from rag.answer.parts import parts_of

    form = ("中山信息平台截至2022年6月10日的数，按“项目：数值”格式给我——"
            "服务申请审批记录；话务坐席接听咨询；主动呼出关怀电话")
    got = [p.content for p in parts_of(read(form))]
    assert len(got) == 3 and all(p.endswith("有多少") for p in got) and "服务申请审批记录" in got[0]
    assert not any("项目：数值" in p for p in got)
    # rows that ask for themselves are not a form ("——A是多少；B呢")
    assert len(parts_of(read("温州那封——民办养老机构有几家；公办的有几家？"))) == 2


def test_an_ask_that_only_asks_the_name_again_is_one_ask_with_the_one_before() -> None:
    got = split_parts("牵头当召集人的分管省领导具体是谁，姓甚名谁？")
    assert len(got) == 1 and "姓甚名谁" in got[0][0]
    assert len(split_parts("联系人是谁？电话多少？")) == 2


def test_the_heading_of_the_place_just_asked_is_one_ask_with_it() -> None:
    got = split_parts("GD/TC134这个代号出现在正文第几部分？那部分标题叫什么")
    assert len(got) == 1 and "那部分标题" in got[0][0]


def test_a_request_to_list_asks_nothing_of_its_own() -> None:
    """"…叫啥名字，能列一下吗": one ask, the names; "能列一下吗" only asks for them as a list."""
    assert len(split_parts("恩阳那4所民办养老机构叫啥名字，能列一下吗？")) == 1


def test_a_field_named_then_another_ask_after_haiyou_is_asked_too() -> None:
    asks = [a for _, a in split_parts("咸阳那份的印发日期，还有抄送了谁")]
    assert asks == ["咸阳那份的印发日期", "还有抄送了谁"]


def test_a_noun_closed_with_a_question_mark_asks() -> None:
    """"老人占户籍人口比例？": asked with no asking word, by its question mark (not "…比例，养老床位几张")."""
    assert len(split_parts("温州：2018年底老人占户籍人口比例？养老床位全市几张、鹿城几张？")) == 3
    assert len(split_parts("温州2018年底老人占户籍人口比例，养老床位全市几张？")) == 1


def test_a_later_count_with_the_first_ones_verb_and_measure_counts_the_same_thing() -> None:
    from rag.answer.parts import _same_count

    assert _same_count(["已经推动了多少家养老机构", "2019年又要推动多少家社会化运营"]) == [
        "已经推动了多少家养老机构", "2019年又要推动多少家养老机构社会化运营"]
    # its own thing counted, or another verb: as asked
    assert _same_count(["推动了多少家养老机构", "又推动多少家照料中心"])[1] == "又推动多少家照料中心"
    assert _same_count(["建成了多少家养老机构", "改造了多少家"])[1] == "改造了多少家"


def test_an_ask_that_names_nothing_takes_the_first_asks_subject_despite_a_context() -> None:
    """"联席会议，成员单位一共多少个？文中点名的有哪些": the 成员单位 named, not anything the 联席会议 lists."""
    parts = split_parts("省养老服务部门间联席会议，成员单位一共多少个？文中点名的有哪些？")
    assert "成员单位" in parts[1][0]


def test_a_clause_that_only_points_with_na_ji_is_what_the_later_ask_is_of() -> None:
    assert len(split_parts("广东为老年人整合的那几样便捷医疗功能，最后两个是什么？")) == 1
    assert len(split_parts("中山那几种医养结合模式，除了医中有养，其余的各叫什么？")) == 1
    assert len(split_parts("恩阳那几所敬老院改造花了多少钱？改了多少张床？")) == 2  # two asks still two


def test_a_fragment_read_against_the_ask_before_it_is_asked_itself() -> None:
    from rag.answer.parts import split_parts

    # "文号呢" after "哪家发的？" asks the 文号 too, though its reading (…的文号) has no asking word
    asks = [a for _, a in split_parts("有一封是2023年5月11日印发的，哪家发的？文号呢")]
    assert len(asks) == 2 and "文号" in asks[1]
    assert len(split_parts("温州建了多少个养老院？农村互助幸福院呢？")) == 2
