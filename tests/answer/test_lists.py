"""Enumerations read from letter sentences (rag.answer.lists): series, pairs and the one that answers."""

from rag.answer.kinds import category_of
from rag.answer.lists import asked_count
from rag.answer.series import series_in
from rag.core.records import Paragraph


def _items(sentence: str) -> list[list[str]]:
    return [[i.text for i in e.items] for e in series_in(sentence, Paragraph("p", "d", 0, sentence))]


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


def _doc(*paragraphs: str):  # type: ignore[no-untyped-def]
    from rag.core.records import Document, Metadata

    paras = tuple(Paragraph(f"p{i}", "d", i, t) for i, t in enumerate(paragraphs))
    return Document("d", "x.txt", "", "txt", "utf-8", Metadata(bureau="中山市民政局"), paras)


def _answer(question: str, *paragraphs: str) -> list[str]:
    from rag.answer.lists import beside_asking, best, enumerations
    from rag.answer.values import subject_of

    found = best(enumerations(_doc(*paragraphs)), subject_of(question, ["中山"]), asked_count(question),
                 category_of(question), asked_beside=beside_asking(question))
    return [i.text for i in found[1].items] if found else []


def test_of_two_series_in_a_sentence_the_one_the_questions_verb_leads_into_answers() -> None:
    text = ("市民政局依托全市居家养老服务中心和站点，由各镇街联动医疗卫生机构、公安部门、"
            "养老服务相关企业等，整合服务资源，为社会老年人开设健康讲座、防骗课堂、兴趣学堂、文娱活动等多元化服务。")
    got = _answer("中山的居家养老服务中心给老人开了哪些活动课程？", text)
    assert got == ["健康讲座", "防骗课堂", "兴趣学堂", "文娱活动"]


def test_items_after_a_bare_colon_take_their_subject_from_the_sentence_before() -> None:
    text = ("市民政局印发办法，要求各镇为我市困难老年人提供服务资助。包括:政府分散供养的特困老年人;"
            "低保低收入家庭中失能老年人;市级以上劳动模范中的孤寡老年人。"
            "着力构建包括健康教育,预防保健、疾病诊治、康复护理、长期照护、安宁疗护等六大方面的服务体系。")
    assert _answer("中山给困难老年人的服务资助对象包括哪几类人？", text)[0] == "政府分散供养的特困老年人"


def test_a_question_naming_one_item_gets_what_that_item_lists() -> None:
    from rag.answer.lists import enumerations, named_item, within
    from rag.answer.values import subject_of

    doc = _doc("下一步，我们将做好以下工作：", "一是完善配套政策体系。加快出台管理办法。",
               "二是大力推进居家适老化改造。",
               "三是大力营造敬老爱老浓厚氛围。一方面利用重阳节等节日，开展宣传教育活动；开展孝亲敬老系列评选活动。"
               "另一方面积极宣传建设农村互助幸福院的目的和意义。")
    e = next(x for x in enumerations(doc) if len(x.items) == 3)
    item = named_item(e, subject_of("下一步营造敬老爱老氛围打算做哪些事？"))
    assert item is not None and item.text.startswith("大力营造")
    listed = within(item, subject_of("下一步营造敬老爱老氛围打算做哪些事？"))
    assert listed is not None and [i.text for i in listed.items][1:] == ["开展孝亲敬老系列评选活动",
                                                                         "另一方面积极宣传建设农村互助幸福院的目的和意义"]
    assert named_item(e, subject_of("下一步有哪些工作？")) is None  # a question about the whole list


def test_an_item_pointed_at_by_its_words_lists_its_own_sentence_not_the_paragraphs() -> None:
    from rag.answer.lists import enumerations, named_item, within
    from rag.answer.values import subject_of

    # ordinals inside one paragraph: an item's text runs to the next item, not to the paragraph's end
    doc = _doc("一是兜底基本养老服务，完善救助机制。二是持续强化居家社区养老服务供给。将居家社区养老服务纳入城乡"
               "社区治理。鼓励老年人家庭进行适老化改造，推动设立家庭照护床位，开展家庭成员照护培训，探索建立家庭喘息"
               "服务机制。加快建设社区养老服务综合体，推进老旧小区增设电梯。三是着眼统筹发展，补齐农村养老服务短板。"
               "推动敬老院转型。加快构建联合体。")
    e = next(x for x in enumerations(doc) if len(x.items) == 3)
    q = "措施里讲居家那条，落到老人家庭头上的有哪几项？"
    item = named_item(e, subject_of(q), q)
    assert item is not None and item.text == "持续强化居家社区养老服务供给"
    listed = within(item, subject_of(q))  # the one sentence of the item that speaks of 家庭, clause by clause
    assert listed is not None and [i.text for i in listed.items] == [
        "鼓励老年人家庭进行适老化改造", "推动设立家庭照护床位", "开展家庭成员照护培训", "探索建立家庭喘息服务机制"]
    q = "农村短板那条具体要干哪些事？"
    item = named_item(e, subject_of(q), q)
    assert item is not None and item.text.endswith("补齐农村养老服务短板")
    listed = within(item, subject_of(q))  # nothing else named: each sentence of the item, and none of item 二
    assert listed is not None and [i.text for i in listed.items] == ["推动敬老院转型", "加快构建联合体"]
    assert named_item(e, subject_of("有哪些措施？"), "有哪些措施？") is None


def test_of_asked_kind_is_said_by_the_series_not_by_a_generic_ask() -> None:
    from rag.answer.lists import Enumeration, Item, of_asked_kind

    p = Paragraph(id="d-p001", doc_id="d", index=1, text="…")
    e = Enumeration("修缮", (Item("书报阅览", p, ""), Item("棋牌切磋", p, "")), category="公共服务场所和设施")
    assert of_asked_kind(e, "就近活动场所")
    assert not of_asked_kind(e, "做法") and not of_asked_kind(e, "事")


def test_an_item_named_by_the_question_is_not_answered_by_its_siblings(corpus_pipeline) -> None:
    """恩阳's letter names 养老服务人才队伍建设 once, as one of six directions in a series; what it did for it is a
    sentence elsewhere. The six directions are not the answer: the passage is."""
    ans = corpus_pipeline.ask("恩阳区的养老服务人才队伍建设有哪些做法？")
    assert ans.found and "共6项" not in ans.answer and "机构养老服务提档升级[" not in ans.answer
    assert "百千万养老人才队伍建设工程" in ans.answer
    places = corpus_pipeline.ask("中山村集体给老年村民修了哪些就近活动的场所？")  # a list of the kind asked
    assert all(x in places.answer for x in ("书报阅览", "棋牌切磋", "文化娱乐", "健身绿道"))


def test_a_sentence_announcing_items_is_answered_with_the_items(corpus_pipeline) -> None:
    """"下一步…重点做好以下几点工作：" is where retrieval lands for "打算怎么做", and quoting it answers nothing: the
    five measures it announces do, each cited."""
    ans = corpus_pipeline.ask("咸阳下一步打算怎么做？")
    assert "共5项" in ans.answer and "完善配套政策体系" in ans.answer and "大力营造敬老爱老浓厚氛围" in ans.answer
    assert len(ans.citations) == 5


def test_an_item_that_only_states_its_angle_keeps_the_measure_after_it() -> None:
    from rag.answer.series import first_clause

    assert first_clause("着眼精准服务，全面拓展养老服务功能。全域推进医养结合") == "着眼精准服务，全面拓展养老服务功能"
    assert first_clause("兜底基本养老服务，完善贫困和低收入家庭老年人救助机制") == "兜底基本养老服务"


def test_a_series_whose_items_are_each_of_the_kind_asked_answers_over_one_whose_lead_names_it() -> None:
    from rag.answer import kinds, lists
    from rag.answer.values import subject_of
    from rag.core.places import places_of
    from tests.answer.test_meta import doc

    d = doc("reply-02.txt")
    q = "恩阳推进养老产业发展主要围绕建哪几个体系"
    e = lists.best(lists.enumerations(d), subject_of(q, places_of(d.meta.bureau)), lists.asked_count(q),
                   kinds.category_of(q), asked_beside=lists.beside_asking(q))
    assert e is not None
    assert [i.text for i in e[1].items] == ["养老服务制度体系", "养老服务供给体系", "养老服务支撑保障体系"]


def test_a_series_led_only_by_a_verb_takes_what_it_is_of_from_the_sentence_before() -> None:
    from rag.answer.question import analyse
    from rag.core.tokens import Tokenizer

    text = ("一是建成全市统一的智慧养老综合平台。二是启动“一键通”综合服务项目，"
            "为全市80岁以上有需求的老年人免费提供“一键通”服务。利用智能设备，实现实时定位、心率监测、电子围栏，为老年人提供紧急呼叫、特殊助急、主动关怀等服务。")
    other = "按照布局合理、规模适度、功能完善、覆盖城乡的要求，建设养老服务设施。"
    assert _answer("温州一键通用的智能设备能实现哪些功能", text, other) == ["实时定位", "心率监测", "电子围栏"]
    assert analyse("温州一键通的设备都能实现什么功能", Tokenizer()).kind == "list"


def test_things_counted_in_yang_are_asked_for_as_a_list() -> None:
    assert asked_count("恩阳上门的那个五助 具体是哪五样") == 5
    text = ("推进开展社区居家养老上门服务，累计投入资金580余万元，为城乡特困老人共19400人/次提供“五助”"
            "（助餐、助浴、助洁、助医、助急）入户服务；建成42个日间照料中心。")
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of

    q = "恩阳上门的那个五助 具体是哪五样"
    e = best(enumerations(_doc(text)), subject_of(q, ["巴中", "恩阳"]), asked_count(q), category_of(q),
             near=frozenset({"p0"}))  # the passage retrieval found
    assert e is not None and [i.text for i in e[1].items] == ["助餐", "助浴", "助洁", "助医", "助急"]


def test_a_series_held_between_ji_and_weiyiti_starts_after_ji() -> None:
    sentence = "该中心是集日托、全托、居家养老服务、助餐、康养服务和便民服务为一体的社区养老服务综合体。"
    items = [i.text for e in series_in(sentence, Paragraph("p0", "d", 0, sentence)) for i in e.items]
    assert items[:2] == ["日托", "全托"]


def test_the_last_item_before_deng_is_an_item_however_long() -> None:
    s = "各县市区政府通过新建、改扩建、置换、新建居住区配建及国有企业“三供一业”移交等途径，建成中心266个。"
    items = [i.text for e in series_in(s, Paragraph("p0", "d", 0, s)) for i in e.items]
    assert items == ["新建", "改扩建", "置换", "新建居住区配建", "国有企业“三供一业”移交"]


def test_which_people_is_answered_by_kinds_of_people_not_by_what_they_get() -> None:
    assert category_of("温州一键通服务给哪些老人免费") == "老人"
    assert category_of("中山哪些老人能享受居家养老服务补贴") == "老人"
    text = ("为全市80岁以上有需求的老年人免费提供“一键通”服务。"
            "利用智能设备，为老年人提供紧急呼叫、特殊助急、主动关怀等服务。")
    assert _answer("温州一键通服务给哪些老人免费", text) == []  # services are not the people asked for


def test_a_list_asked_after_its_noun_is_of_that_kind_and_one_ge_bu_luo_counts_nothing() -> None:
    from rag.answer.kinds import category_of
    from rag.answer.lists import asked_count

    assert category_of("广东为老人整合的便捷医疗功能有哪些？") == "功能"  # the noun before 有哪些
    assert category_of("要发展的面向老人的服务有哪几种，一个不落") == "服务"
    assert category_of("中山开了哪些活动课程") == "活动课程"
    assert asked_count("要发展的面向老人的服务有哪几种，一个不落") is None  # "every one", not one item
    assert asked_count("哪三个体系") == 3


def test_a_series_led_into_by_zhenghe_starts_after_it_and_a_list_of_the_kind_asked_answers() -> None:
    text = ("省民政厅与中国电信广东公司合作建设了平台,为老年人提供家政服务、生活照料、助餐服务、康复护理等19种服务。"
            "结合实际情况整合预约挂号、在线健康状况评估、检验结果在线查询、用药指导等功能,为老年人提供便捷医疗服务。")
    assert _answer("广东为老人整合的便捷医疗功能有哪些？", text) == [
        "预约挂号", "在线健康状况评估", "检验结果在线查询", "用药指导"]


def test_a_series_is_not_cut_inside_a_title_and_is_stated_where_its_items_stand_in_order() -> None:
    from rag.answer.lists import as_stated, enumerations
    from tests.answer.test_meta import doc

    d = doc("reply-05.md")
    ways = [e for e in enumerations(d) if any(i.text == "改扩建" for i in e.items)]
    assert ways and [i.text for i in ways[0].items][:3] == ["新建", "改扩建", "置换"]
    # "新建" stands first in the title 《咸阳市新建居住区…建设、移交及管理实施细则》: the series starts after it
    assert as_stated(ways[0]).startswith("新建、改扩建、置换")
    assert not any("移交及管理实施细则" in i.text for e in enumerations(d) for i in e.items)


def test_deng_closes_a_series_and_two_items_with_their_kind_are_a_list() -> None:
    from rag.answer.kinds import category_of
    from rag.answer.lists import enumerations
    from tests.answer.test_meta import doc

    listed = [[i.text for i in e.items] for e in enumerations(doc("reply-05.md"))]
    # "对城乡高龄、留守、空巢等老年人提供日间休息、就餐服务、…等综合性日间照料服务": two series, not one
    assert ["城乡高龄", "留守", "空巢"] in listed and ["日间休息", "就餐服务", "休闲娱乐", "精神慰藉"] in listed
    # "利用闲置校舍、厂房等村集体资源，调动村“两委”、老年协会等力量": two items and what they are
    assert ["闲置校舍", "厂房"] in listed
    assert not any(len(x) == 2 and x[0] == "日间休息" for x in listed)
    listed = [[i.text for i in e.items] for e in enumerations(doc("reply-04.txt"))]
    # "失能、半失能老年人等特殊人群提供优质、便利的护理服务": 等 ends it; 便利 is no item
    assert not any("便利的护理服务" in x for x in listed)
    assert category_of("广东为方便老人看病整合了哪些线上功能？") == "线上功能"  # 能 of 功能 is no "can"
    assert category_of("日照中心都给老人提供啥服务") == "服务"


def test_which_cities_is_answered_by_divisions_the_gazetteer_names_not_by_words_ending_in_qu() -> None:
    from rag.answer.kinds import category_of
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    q = "广东互联网+护理服务试点在哪些城市？"
    found = best(enumerations(doc("reply-04.txt")), subject_of(q, ("广东", "广东省")), None, category_of(q))
    assert found is None or not any(i.text in ("住宅小区", "工业园区") for i in found[1].items)
    q = "咸阳今年改造的七个县都是哪些？"
    found = best(enumerations(doc("reply-05.md")), subject_of(q, ("咸阳", "咸阳市")), 7, "县")
    assert found is not None and [i.text for i in found[1].items][:3] == ["兴平市", "武功县", "乾县"]


def test_which_ones_is_asked_by_na_not_by_a_count_of_what_is_described() -> None:
    from rag.answer.lists import asks_which

    assert asks_which("那10个街道，分别是哪几个？") and asks_which("包括哪六块？")
    assert not asks_which("重阳节慰问的那135个老人是啥条件的？")  # what they are, not which


def test_an_item_the_question_says_is_answered_by_its_measures_each_saying_something(corpus_pipeline) -> None:
    """温州's 二是推进乡镇敬老院升级改造 goes on with its measures; the next item (三是…养老服务中心建设) is not one,
    and a measure that opens with its frame ("在确保…的基础上") runs on to what it does."""
    ans = corpus_pipeline.ask("温州推进乡镇敬老院升级改造，具体有哪些做法？")
    assert "加强硬件设施改造" in ans.answer and "提高床位利用率" in ans.answer
    assert "乡镇（街道）养老服务中心" not in ans.answer


def test_two_ordinal_items_answer_a_question_that_names_their_heading() -> None:
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from rag.core.records import Document, Metadata

    body = ("一是建成全市统一的智慧养老综合平台，主要包含老年人数据库、居家养老、机构养老、服务管理等四大模块。"
            "二是启动“一键通”综合服务项目，为老年人免费提供服务。")
    paras = (Paragraph("p0", "d", 0, "建智慧平台，助力养老事业", kind="heading"),
             Paragraph("p1", "d", 1, body, section_title="建智慧平台，助力养老事业"))
    enums = enumerations(Document("d", "x.txt", "", "txt", "utf-8", Metadata(bureau="温州市民政局"), paras))

    def listed(q: str) -> list[str]:
        found = best(enums, subject_of(q, ["温州"]), asked_count(q), category_of(q))
        return [i.text for i in found[1].items] if found else []

    assert listed("温州建智慧平台方面做了哪些事？") == ["建成全市统一的智慧养老综合平台", "启动“一键通”综合服务项目"]
    # the platform's parts are the series of its modules, not the two items of the section it heads
    assert listed("温州那个智慧养老综合平台分成哪几块？") == ["老年人数据库", "居家养老", "机构养老", "服务管理"]


def test_a_series_is_not_described_by_another_series_before_it_in_its_sentence() -> None:
    """"在设计图纸审查、施工质量监督和竣工验收备案等环节严格把关，…，新建、改建、扩建老年人居住建筑符合设计规范":
    the 环节 are the first series; the second is not about 环节 because the first one's clause says so."""
    text = ("我局将联合相关部门通过设计规范大力宣贯，在设计图纸审查、施工质量监督和竣工验收备案等环节严格把关，"
            "确保新建住宅项目按标准落实城镇居家养老服务设施，新建、改建、扩建老年人居住建筑符合设计规范。")
    assert _answer("温州住建部门在哪几个环节把关新建住宅的养老设施？", text) == [
        "设计图纸审查", "施工质量监督", "竣工验收备案"]


def test_the_kind_of_item_asked_is_read_from_the_noun_before_the_verb_the_question_goes_on_with() -> None:
    """"哪几个部门发的": 部门 are bodies, so the series of bodies answers, not one of qualities; the words after the
    noun (跟养老服务业结合) still say which series of a kind is meant."""
    text = ("将项目作为各部门运转性项目资金的一种类型,增强政府购买服务资金安排的科学性、计划性和准确性。"
            "同时,省财政厅、省民政厅、省卫生健康委联合印发通知。")
    got = _answer("那个通知是哪几个部门发的？", text)
    assert got[:2] == ["省财政厅", "省民政厅"] and got[2].startswith("省卫生健康委")


def test_the_words_after_the_kind_asked_tell_two_series_of_that_kind_apart(corpus_pipeline) -> None:
    """广东's letter lists technologies twice: 2018 (互联网、云计算、物联网、大数据等与养老服务业结合) and 2019
    (5G、人工智能、物联网、云计算等信息技术手段). 与养老服务业结合 says which."""
    ans = corpus_pipeline.ask("广东2018年那份实施意见提出推动哪些技术与养老服务业结合？")
    assert all(x in ans.answer for x in ("互联网", "云计算", "物联网", "大数据")) and "人工智能" not in ans.answer


def test_two_series_joined_by_a_de_clause_are_two_series(corpus_pipeline) -> None:
    """"在敬老、助老方面做出突出贡献的组织、单位和个人" reads 、 by 、 as one series whose middle item runs over a
    的-clause; items are of like length, so that item ends one series (敬老、助老) and heads the next (组织、单位、
    个人). An item that is long throughout (农户中无人照顾的重度残疾老年人和…) is an item."""
    got = _items("开展孝亲敬老系列评选活动，发掘更多在敬老、助老方面做出突出贡献的组织、单位和个人，营造良好氛围。")
    assert ["组织", "单位", "个人"] in got and not any("助老方面" in x for items in got for x in items)
    village = _items("修缮一些方便村民、特别是老年村民就近活动的书报阅览、棋牌切磋、文化娱乐、健身绿道等公共场所。")
    assert ["书报阅览", "棋牌切磋", "文化娱乐", "健身绿道"] in village
    groups = ("包括一般群众中60岁以上生活不能自理的孤寡、空巢老人、农户中无人照顾的重度残疾老年人和"
              "建档立卡贫困户中生活不能自理、无人管护农村留守老年人。")
    assert any(any("重度残疾老年人" in x for x in items) and len(items) >= 3 for items in _items(groups))
    ans = corpus_pipeline.ask("咸阳孝亲敬老评选要发掘哪些对象？")
    assert ans.found and all(f"{x}[" in ans.answer for x in ("组织", "单位", "个人")), ans.answer


def test_the_items_a_question_gives_as_known_are_not_the_list_it_asks(corpus_pipeline) -> None:
    """"搞健康讲座、防骗课堂这些，镇街联动的是哪几方": the question names two services to say which passage it means;
    what it asks is the bodies the 镇街 work with. "除了…还有哪些" names items to ask the rest, which the list holds."""
    ans = corpus_pipeline.ask("中山搞健康讲座、防骗课堂这些，镇街联动的是哪几方？")
    assert ans.found and all(f"{x}[" in ans.answer for x in ("医疗卫生机构", "公安部门", "养老服务相关企业"))
    rest = corpus_pipeline.ask("中山给老人开的服务除了健康讲座、防骗课堂，还有哪些？")
    assert "兴趣学堂" in rest.answer and "文娱活动" in rest.answer
    # items named in the clause that asks are part of the ask: that list answers
    asked = corpus_pipeline.ask("中山开设健康讲座、防骗课堂等哪些服务？")
    assert "兴趣学堂[" in asked.answer and "文娱活动[" in asked.answer


def test_a_series_the_words_beside_it_call_by_the_kind_asked_answers(corpus_pipeline) -> None:
    """"…、综合监管能力提升”几方面的基本考虑": the words right after the series call its items 基本考虑, which says
    more than the paragraph before 一是…七是 containing the phrase; 几 closes the series as a number does. The
    kind must be named after the ask: in "平台分成哪几块" 平台 is the whole, not its parts."""
    got = _items("开展“居家社区养老服务扩面增效、机构养老服务提档升级、综合监管能力提升”几方面的基本考虑。")
    assert got[0][-1] == "综合监管能力提升"
    ans = corpus_pipeline.ask("恩阳推进养老产业有哪几方面基本考虑？")
    assert "共6项" in ans.answer and "综合监管能力提升[" in ans.answer and "兜底基本养老服务" not in ans.answer
    parts = corpus_pipeline.ask("温州那个智慧养老综合平台分成哪几块？")
    assert "老年人数据库" in parts.answer and "紧急呼救系统" not in parts.answer


def test_two_items_sharing_a_head_keep_a_quoted_name_in_the_first() -> None:
    """"作为开展“物业+养老服务”改革创新试点和互助式养老服务改革创新试点": the first item is named in quotes, with a
    +; it is not cut down to 改革创新试点."""
    got = _items("市民政局在全市选取了6个单位作为开展“物业+养老服务”改革创新试点和互助式养老服务改革创新试点。")
    assert any(len(x) == 2 and "物业+养老服务" in x[0] and x[1] == "互助式养老服务改革创新试点" for x in got)


def test_the_count_a_list_question_asks_is_the_one_after_na() -> None:
    assert asked_count("中山选了6个单位开展哪两种试点？") == 2  # 6个单位 is given, 哪两种 asked
    assert asked_count("那5所敬老院是哪几所？") == 5


def test_dou_you_shui_asks_a_list_of_bodies_or_people(corpus_pipeline) -> None:
    """"成员单位都有谁": many, each a body; "推广培训都有谁参加" is not answered by 标准化、信息化、制度化建设."""
    members = corpus_pipeline.ask("广东养老服务联席会议成员单位都有谁？")
    assert "省民政厅[" in members.answer and "省医保局[" in members.answer
    units = corpus_pipeline.ask("中山时间银行推广培训都有谁参加？")
    assert "市委宣传部[" in units.answer and "标准化[" not in units.answer
    assert corpus_pipeline.ask("广东联席会议的召集人是谁？").direct == "分管省领导"


def test_a_middle_item_stating_a_figure_of_no_siblings_length_is_no_series(corpus_pipeline) -> None:
    """"要求村、组集体每年收益中提取公积公益金比例原则上不低于20%和10%": the 、 of 村、组 runs into a clause; the
    funds' uses are the series after it (增强集体积累、发展集体经济、…)."""
    got = _items("要求村、组集体每年收益中提取公积公益金比例原则上不低于20%和10%，用于增强集体积累、发展集体经济、"
                 "改善公共服务、提升社会保障。")
    assert not any("20%" in x for items in got for x in items)
    ans = corpus_pipeline.ask("中山村集体提取的公积公益金主要用于哪些方面？")
    assert "发展集体经济[" in ans.answer and "提升社会保障[" in ans.answer


def test_ways_listed_as_clauses_between_tongguo_and_deng_fangshi_are_items(corpus_pipeline) -> None:
    got = _items("各银行机构通过升级硬件设施，打造老年人服务示范网点、延伸服务链条，开设“老人优先”绿色叫号通道，"
                 "助力老年人守护好钱袋子等方式，为老年人提供贴心、暖心、舒心、安心的金融服务。")
    assert any(x[0] == "升级硬件设施" and x[-1] == "助力老年人守护好钱袋子" for x in got)
    ans = corpus_pipeline.ask("中山各银行机构通过哪些方式为老年人提供金融服务？")
    assert "升级硬件设施[" in ans.answer and "贴心[" not in ans.answer


def test_the_head_of_a_kind_asked_before_its_verb_names_the_series(corpus_pipeline) -> None:
    """"通过哪些途径建成的": 途径 (the category ran on to 建成) is what "…等途径" calls its items."""
    ans = corpus_pipeline.ask("咸阳日间照料中心是通过哪些途径建成的？")
    assert "改扩建[" in ans.answer and "日间休息[" not in ans.answer


def test_a_title_cut_by_he_is_no_item() -> None:
    """"会同市发改委、市财政局转发《关于加强农村互助幸福院建设运营和农村留守老年人关爱服务的通知》": 和 inside the
    title split it into \"items\" with half a title each."""
    s = "会同市发改委、市财政局转发《关于加强农村互助幸福院建设运营和农村留守老年人关爱服务的通知》，建立制度。"
    assert _items(s) == []


def test_meiyou_is_no_you_that_leads_into_a_first_item() -> None:
    """"打造出一个“没有围墙的养老院”, 让老人足不出户就能享受到生活照料、医疗康复、信息咨询等…服务": the 有 of 没有
    leads into no item, and 享受到 leads into the series."""
    s = ("为全市居家老人打造出一个“没有围墙的养老院”, 让老人足不出户就能享受到生活照料、医疗康复、信息咨询等居家养老"
         "服务。")
    assert _items(s) == [["生活照料", "医疗康复", "信息咨询"]]


def _answer_q(question: str, *paragraphs: str) -> list[str]:
    """As _answer, with the question's own words (家/所 count bodies, what they are asked to have done)."""
    from rag.answer.lists import beside_asking, best, enumerations
    from rag.answer.values import subject_of

    found = best(enumerations(_doc(*paragraphs)), subject_of(question, ["中山"]), asked_count(question),
                 category_of(question), asked_beside=beside_asking(question), question=question)
    return [i.text for i in found[1].items] if found else []


def test_bodies_of_one_kind_are_answered_by_bodies_with_that_head() -> None:
    """A compound's head is its last word: 哪几家银行 is answered by names ending in 银行, not by what a 时间银行
    is built on, and 哪些企业 not by "组织、单位和个人"."""
    bank = "中国银行中山分行、中山农商银行和中山农业银行等3家银行打造老年人服务示范网点。"
    time_bank = "在全社会形成以志愿服务为核心、互帮互助、共建共享的时间银行养老服务体系。"
    assert _answer_q("中山示范网点是哪几家银行建的？", time_bank) == []
    assert _answer_q("中山示范网点是哪几家银行建的？", time_bank, bank)[-1] == "中山农业银行"
    award = "开展孝亲敬老系列评选活动，发掘更多在敬老、助老方面做出突出贡献的组织、单位和个人。"
    assert _answer_q("中山有哪些企业参与了孝亲敬老评选？", award) == []


def test_short_names_are_of_the_kind_the_series_says_and_a_body_is_not_what_it_joins() -> None:
    # the names are too short to say what they are; "等5所敬老院" after them says it
    text = "投入资金2226万元完成上八庙、渔溪、下八庙、茶坝、观音井等5所敬老院“适老化”改造提升。"
    assert _answer_q("恩阳做了适老化改造的那5所敬老院是哪几所？", text)[0] == "上八庙"
    # "集医疗、护理、康复、临终关怀为一体的医养结合机构": services of one 机构, not 机构 (nor is "…、社区、机构")
    whole = "在院内开设广弘康复医院，是集医疗、护理、康复、临终关怀为一体的医养结合机构。"
    assert _answer_q("中山有哪几家医养结合机构？", whole) == []


def test_bodies_listed_must_stand_where_what_they_did_is_said() -> None:
    """"哪些单位搞健康讲座": names of bodies cannot say it, so the passage the series stands in must."""
    lectures = ("由各镇街联动医疗卫生机构、公安部门、养老服务相关企业等，整合服务资源，"
                "为社会老年人开设健康讲座、防骗课堂等多元化服务。")
    opinions = "经综合市卫生健康局、市金融局、市工业和信息化局等单位意见，现答复如下。"
    assert _answer_q("中山由各镇街联动了哪些单位搞健康讲座？", opinions) == []
    assert _answer_q("中山由各镇街联动了哪些单位搞健康讲座？", opinions, lectures)[0] == "医疗卫生机构"


def test_bodies_no_series_names_are_refused_not_quoted(corpus_pipeline) -> None:
    """No letter names the banks behind 中山's 示范网点 or the hospitals with a 老年科: a sentence that mentions
    them is no list of them."""
    for q in ("中山示范网点是哪几家银行建的？", "中山有哪些医院设了老年科？", "中山跟哪几家保险公司合作了？"):
        assert not corpus_pipeline.ask(q).found, q


def test_a_list_asked_for_its_examples_needs_no_word_for_example_beside_it(corpus_pipeline) -> None:
    # "举了哪几个市…的例子": 例子 says names are wanted, not something the places did that the letter must say
    got = corpus_pipeline.ask("广东举了哪几个市建养老信息平台的例子？")
    assert got.found and all(f"{x}[" in got.answer for x in ("茂名", "云浮")), got.answer


def test_which_old_people_is_answered_by_kinds_of_old_people_not_by_who_serves_them() -> None:
    from rag.answer.kinds import category_of, kind_asked

    kind = kind_asked(category_of("关爱制度是冲着哪几类老人建的？"), "关爱制度是冲着哪几类老人建的？")
    assert kind is not None and kind.search("空巢老人") and not kind.search("志愿者")
    text = "鼓励和支持社会组织、社会工作者、志愿者等为农村留守、高龄、空巢老人提供关爱服务。"
    assert _answer_q("关爱服务是冲着哪几类老人的？", text) != ["社会组织", "社会工作者", "志愿者"]


def test_kinds_of_old_people_written_as_modifiers_of_one_head_are_a_list_of_kinds() -> None:
    """"高龄、失能、失智老年人": modifiers share the head written once after the last; the series ends with that head
    (not "…长期照护服务"), 以及 joins one more item before it, and the series answers 哪几类老人 in a passage about
    what the question asks. "新建、改建、扩建老年人居住建筑", in a passage about nothing asked, names no kinds."""
    text = ("在机构养老层面，全市建成运营县级中心敬老院12个，基本满足政府兜底保障的特困供养对象以及高龄、失能、失智"
            "老年人长期照护服务的刚性需求。")
    kinds = _answer_q("县级中心敬老院基本满足了哪几类老人的照护需求？", text)
    assert kinds == ["特困供养对象", "高龄", "失能", "失智老年人"]
    text = "加强贫困家庭高龄、失能、残疾老年人居家适老化改造，改善老年人的居家生活环境。"
    assert _answer_q("居家适老化改造要重点照顾贫困家庭里哪几类老人？", text)[1:] == ["失能", "残疾老年人"]
    text = "确保新建住宅项目按标准落实设施，新建、改建、扩建老年人居住建筑符合设计规范。"
    assert _answer_q("一键通这些功能是给哪些老人的？", text) == []


def test_a_series_glossed_in_brackets_ends_at_the_head_it_shares_with_the_series_after_it() -> None:
    """"建立农村留守、高龄、空巢（独居）老人定期走访、探望关爱服务制度": the gloss （独居） does not end the clause; the
    kinds of old people end at 老人, and what follows (定期走访、探望…制度) says what they are listed for."""
    text = "会同市发改委转发通知，建立农村留守、高龄、空巢（独居）老人定期走访、探望关爱服务制度。"
    assert _answer_q("定期走访探望的关爱制度是冲着哪几类老人建的？", text) == ["农村留守", "高龄", "空巢（独居）老人"]


def test_a_count_the_question_gives_in_another_measure_than_its_ask_is_not_the_lists_length() -> None:
    """"那266个日间照料中心…主要照应哪几类老人": 266个 counts centres, 哪几类 asks kinds; and "城乡高龄、留守、空巢等
    老年人" says its items are kinds of old people, however long each is."""
    assert asked_count("咸阳那266个日间照料中心和1356个互助幸福院，主要照应哪几类老人？") is None
    assert asked_count("那10个街道分别是哪几个？") == 10
    text = "建成城镇社区日间照料中心266个、农村互助幸福院1356个，对城乡高龄、留守、空巢等老年人提供日间休息服务。"
    assert _answer_q("那266个日间照料中心主要照应哪几类老人？", text) == ["城乡高龄", "留守", "空巢"]


def test_a_first_item_the_holder_runs_into_is_cut_to_its_siblings_length() -> None:
    s = "通过培训，进一步提升全市养老服务机构负责人及业务骨干政策水平、安全意识及管理能力。"
    assert ["政策水平", "安全意识", "管理能力"] in _items(s)
    # siblings of two characters say too little of where the first one starts
    assert _items("全市智慧养老平台老人、社区、政府。") == [["全市智慧养老平台老人", "社区", "政府"]]


def test_besides_one_named_who_else_asks_the_one_joined_to_it() -> None:
    from rag.answer.series import BESIDES_ASKED, besides

    q = "委员的意见除了市民政局，还有谁一起积极采纳？"
    assert (m := BESIDES_ASKED.search(q)) is not None and m.group(1) == "市民政局"
    got = besides("市民政局及相关会办单位对委员的意见予以积极采纳并融入到部门职能工作中。", "市民政局")
    assert got is not None and got.startswith("相关会办单位")


def test_the_verb_that_asks_for_items_is_not_what_the_list_must_speak_of() -> None:
    """"给全国提供了什么": a series beside another 提供 (养生、养老、居家护理等服务业…提供有力保障) does not answer it;
    the passage's own sentence does, or nothing."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    letter = doc("reply-04.txt")
    # retrieval found the 长护险 passage and the one with the series
    near = frozenset(p.id for p in letter.paragraphs if "居家护理" in p.text or "试点经验" in p.text)
    q = "讲广州长护险试点时最后说给全国提供了什么？"
    found = best(enumerations(letter), subject_of(q, ("广东", "广东省")), None, category_of(q), near=near, question=q)
    assert found is None
    q = "广东推进互联网+健康医疗要和哪些服务业协同？"  # the same series, asked by what it is
    found = best(enumerations(letter), subject_of(q, ("广东", "广东省")), None, category_of(q), near=near, question=q)
    assert found is not None and [i.text for i in found[1].items] == ["养生", "养老", "居家护理"]


def test_a_last_item_after_he_that_ends_in_a_person_noun_as_its_sibling_does_is_kept() -> None:
    """"农村残疾、空巢、孤寡老人和建档立卡贫困人群基本生活条件": 建档立卡贫困人群 is twice its siblings' length but ends
    where 孤寡老人 does, in a person noun; a long run after 和 that ends in none is the sentence going on."""
    listed = _items("切实改善农村残疾、空巢、孤寡老人和建档立卡贫困人群基本生活条件。")
    assert any(x[-2:] == ["孤寡老人", "建档立卡贫困人群"] for x in listed)


def test_a_kind_asked_with_a_quoted_word_is_answered_by_the_series_whose_items_each_carry_it() -> None:
    """"打算撑起哪几种“智慧”服务": 智慧养老、智慧医疗、智慧社区, not the series beside it (高速率、低时延、广连接) that
    the passage's other words speak of."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    letter = doc("reply-01.txt")
    near = frozenset(p.id for p in letter.paragraphs if "智慧养老、智慧医疗" in p.text or "电话" in p.text)
    q = "中山那边协调运营商建的通信网，打算撑起哪几种“智慧”服务？"
    found = best(enumerations(letter), subject_of(q, ("中山", "中山市")), None, category_of(q), near=near,
                 quoted=("智慧",), question=q)
    assert found is not None and [i.text for i in found[1].items] == ["智慧养老", "智慧医疗", "智慧社区"]


def test_a_list_of_what_is_done_is_not_answered_by_kinds_of_people() -> None:
    """"在留守老人关爱上具体干哪些活": 农村留守、高龄、空巢（独居）老人 are whom the work is for, not the work."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    letter = doc("reply-05.md")
    near = frozenset(p.id for p in letter.paragraphs if "留守" in p.text)
    q = "咸阳让村（居）委会在留守老人关爱上具体干哪些活？"
    found = best(enumerations(letter), subject_of(q, ("咸阳", "咸阳市")), None, category_of(q), near=near, question=q)
    assert found is None or not any(i.text.endswith("老人") for i in found[1].items)


def test_items_asked_at_one_end_of_a_list_are_a_slice_not_its_count() -> None:
    from rag.answer.lists import slice_asked

    assert slice_asked("那几块工作思路，最后三块是啥？") == slice(-3, None)
    assert slice_asked("前两项措施是什么？") == slice(0, 2)
    assert slice_asked("有哪几块工作思路？") is None
    assert asked_count("那几块工作思路，最后三块是啥？") is None  # three of the list, not a list of three


def test_an_item_pointed_at_by_its_number_is_read_for_its_own_doings() -> None:
    from rag.answer.lists import clauses_of, enumerations, ordinal_asked
    from tests.answer.test_meta import doc

    assert ordinal_asked("恩阳措施里第七条，具体要干哪几件事？") == 7 and ordinal_asked("第317号建议说了什么") is None
    seventh = next(e for e in enumerations(doc("reply-02.txt")) if len(e.items) == 7).items[6]
    got = clauses_of(seventh)
    assert got is not None and [i.text for i in got.items][:3] == [
        "健全农村留守老年人救助保护机制", "加大农村互助养老服务设施建设力度", "广泛发展互助式养老服务"]


def test_items_asked_by_a_quoted_word_they_carry_are_those_of_the_list() -> None:
    """"资助对象里，带“孤寡”的是哪两类人": the two of the seven 资助对象 whose words hold 孤寡."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    letter = doc("reply-01.txt")
    q = "中山资助对象里，带“孤寡”的是哪两类人？"
    found = best(enumerations(letter), subject_of(q, ("中山", "中山市")), asked_count(q), category_of(q),
                 quoted=("孤寡",), question=q)
    assert found is not None and [i.text for i in found[1].items] == [
        "市级以上劳动模范中的孤寡老年人", "享受国家定期抚恤补助优抚对象中的孤寡老年人"]


def test_which_kinds_of_a_quoted_head_is_a_list_ask_answered_by_the_items_ending_in_it() -> None:
    from rag.answer.question import analyse
    from rag.core.tokens import Tokenizer

    q = "咸阳那封讲困难老人家里改造，落脚点是让老人多几种什么“感”？"
    assert analyse(q, Tokenizer()).kind == "list"
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    found = best(enumerations(doc("reply-05.md")), subject_of(q, ("咸阳", "咸阳市")), None, category_of(q), question=q)
    assert found is not None and [i.text for i in found[1].items] == ["幸福感", "获得感", "安全感"]


def test_numbered_items_the_words_quoted_by_the_question_lead_into() -> None:
    """"“下一步”那五条，一是到五是": the five ordinals after the paragraph that says 下一步, though the question
    says nothing else of them; a name the letters quote that the question merely says (医养结合) is no pointer."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    letter = doc("reply-04.txt")
    q = "省厅那封“下一步”那五条，一是到五是，照原文给我列一下"
    found = best(enumerations(letter), subject_of(q, ("广东", "广东省")), asked_count(q), category_of(q),
                 quoted=("下一步",), question=q)
    assert found is not None and found[1].items[0].text == "加强智慧养老信息基础设施建设" and len(found[1].items) == 5
    q = "省厅那封下一步那五条，一是到五是，照原文给我列一下"  # 下一步 said, not quoted: no pointer
    assert best(enumerations(letter), subject_of(q, ("广东", "广东省")), asked_count(q), category_of(q),
                quoted=("下一步",), question=q) is None


def test_parallel_clauses_opening_with_zai_cengmian_are_a_list_of_those_levels() -> None:
    """"在居家社区养老层面，…。在机构养老层面，…": two clauses of one paragraph, opened alike, list two 层面."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    q = "咸阳讲多层次养老服务格局，分成了哪两个层面？"
    found = best(enumerations(doc("reply-05.md")), subject_of(q, ("咸阳", "咸阳市")), asked_count(q), category_of(q),
                 question=q)
    assert found is not None and [i.text for i in found[1].items] == ["居家社区养老层面", "机构养老层面"]


def test_a_series_in_a_yi_wei_frame_and_a_kind_followed_by_what_is_done_with_it() -> None:
    """"以推进A试点、B试点、C试点为抓手": 为抓手 closes the series; "哪三个试点来推" asks for 试点, and 来推 is
    what is done with them."""
    from rag.answer.lists import best, enumerations
    from rag.answer.values import subject_of
    from tests.answer.test_meta import doc

    s = ("下一步，我市将以打造“康养中心城市”为目标，以推进国家居家和社区养老服务改革试点、全国养老服务业综合改革试点、"
         "全国医养结合改革试点为抓手，全面推进。")
    items = [i.text for e in series_in(s, Paragraph("d-p1", "d", 1, s)) for i in e.items]
    assert items[-1] == "全国医养结合改革试点"
    q = "温州往后要靠哪三个试点来推？名字给我"
    found = best(enumerations(doc("reply-03.txt")), subject_of(q, ("温州", "温州市")), asked_count(q), category_of(q),
                 question=q)
    assert found is not None and [i.text for i in found[1].items] == [
        "国家居家和社区养老服务改革试点", "全国养老服务业综合改革试点", "全国医养结合改革试点"]


def test_a_series_that_a_plan_or_rule_is_followed_by_starts_after_anzhao() -> None:
    """按照 leads into the bodies whose plan was followed, like 通过 or 依托 lead into theirs."""
    got = _items("按照工业和信息化部、民政部、国家卫生计生委工作部署，我省开展试点示范。")
    assert got and got[0][:2] == ["工业和信息化部", "民政部"]


def test_a_numbered_abbreviation_names_its_items_by_the_character_they_share() -> None:
    """"“四化一站”…四化是哪四条": the four …化 of the series it sums up, not another series of four."""
    from rag.answer.lists import abbreviation_asked

    assert abbreviation_asked("“四化一站”这个路子，拆开讲四化是哪四条？") == ("四化一站", 4, "化")
    assert abbreviation_asked("“五助”都包括啥？") == ("五助", 5, "助")
    assert abbreviation_asked("“四化一站”是什么？") is None  # the whole asked: no one piece
    assert abbreviation_asked("“一键通”能干啥？") is None  # a name, not counts and characters
    s = ("摸索出助餐服务便捷化、居家养老智能化、服务端口精准化、长者社区活力化和“微幸福”服务站的“四化一站”的智慧养老"
         "新路子。")
    assert _items(s)[0][:4] == ["助餐服务便捷化", "居家养老智能化", "服务端口精准化", "长者社区活力化"]


def test_two_names_joined_by_dun_that_share_a_long_head_are_a_list_of_two() -> None:
    got = _items("如广州市建立为老服务综合信息平台、居家养老综合服务信息平台,老年人申请服务均纳入线上办理。")
    assert ["为老服务综合信息平台", "居家养老综合服务信息平台"] in [x[-2:] for x in got]
    # a shared head of two characters (…养老服务机构、…养老机构) is too common a word to make two names a pair
    assert not any(len(x) == 2 for x in _items("对于小型养老服务机构、大型养老机构,分类指导。"))


def test_list_questions_answered_by_a_pair_a_closed_count_and_not_by_what_they_give(corpus_pipeline) -> None:
    got = corpus_pipeline.ask("广州建了哪两个为老服务的信息平台？")
    assert got.found and "为老服务综合信息平台" in got.direct and "居家养老综合服务信息平台" in got.direct
    # "那5所…敬老院…哪几个地方": the series closed by 等5所敬老院 names them (上八庙 is no place a gazetteer knows)
    got = corpus_pipeline.ask("恩阳适老化改造的那5所敬老院分别在哪几个地方？")
    assert got.found and all(x in got.direct for x in ("上八庙", "渔溪", "下八庙", "茶坝", "观音井"))
    # "办讲座、防骗课堂这些，联动了哪几方": the activities the question gives are not the parties it asks
    got = corpus_pipeline.ask("中山的居家养老服务中心办讲座、防骗课堂这些，镇街联动了哪几方？")
    assert got.found and "公安部门" in got.direct and "防骗课堂" not in got.direct


def test_the_first_and_last_ordinal_quoted_ask_each_items_opening(corpus_pipeline) -> None:
    """"从“一是”到“七是”，每条打头那句": the seven items (“一是” is no abbreviation, 那句 no same-sentence ask)."""
    from rag.answer.lists import abbreviation_asked

    assert abbreviation_asked("从“一是”到“七是”，每条打头那句是啥？") is None
    assert abbreviation_asked("“五助”有哪些？") == ("五助", 5, "助")
    got = corpus_pipeline.ask("恩阳推进养老产业的措施，从“一是”到“七是”，每条打头那句是啥？")
    assert got.found and "兜底基本养老服务" in got.direct and "支持市场主体发展" in got.direct


def test_a_body_named_with_he_inside_is_one_item() -> None:
    """"市发展和改革局" is one body (市发展 is none), while "永寿县和长武县" are two."""
    s = "经综合市卫生健康局、市金融局、农业农村局、市工业和信息化局、市发展和改革局等单位意见，现答复如下"
    assert _items(s)[0][-1] == "市发展和改革局"


def test_documents_cited_in_a_row_are_a_series_of_documents() -> None:
    from rag.answer.kinds import DOCUMENT_ITEM, kind_asked

    s = "为贯彻《关于加强老年工作的指导意见》《广东省老年人权益保障条例》和国务院《关于解决智能技术困难的实施方案》"
    assert ["关于加强老年工作的指导意见", "广东省老年人权益保障条例", "关于解决智能技术困难的实施方案"] in _items(s)
    assert kind_asked(category_of("为了贯彻哪几份文件精神？")) is DOCUMENT_ITEM


def test_a_question_listing_documents_gets_titles_and_one_listing_aspects_does_not(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    docs = corpus_pipeline.ask("中山那封开头说，为了贯彻哪几份文件的精神做好尊老敬老助老？")
    assert "广东省老年人权益保障条例" in docs.direct and "敬老" not in docs.direct.split("、")
    aspects = corpus_pipeline.ask("中山卫健局联合6部门那个实施方案，老年健康服务体系要覆盖哪些方面？")
    assert "安宁疗护" in aspects.direct and "条例" not in aspects.direct


def test_requirements_asked_name_no_kind_of_item(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    """"要达到哪几点要求": the qualities the 健康管理服务 must have (安全、及时、高效), not the ministries whose
    工作要求 a list's lead mentions."""
    got = corpus_pipeline.ask("广东靠信息化让基层给居民提供的健康管理服务，要做到哪几点要求？")
    assert "及时" in got.direct and "民政部" not in got.direct


def test_known_items_are_the_ones_said_whole_or_by_their_noun_beside_chule() -> None:
    from rag.answer.lists import known_items

    sentence = "为社会老年人开设健康讲座、防骗课堂、兴趣学堂、文娱活动等多元化服务。"
    e = series_in(sentence, Paragraph("p", "d", 0, sentence))[0]
    assert [i.text for i in known_items(e, "讲座以外还有哪三样？")] == ["健康讲座"]
    assert [i.text for i in known_items(e, "防骗课堂我知道，剩下的呢？")] == ["防骗课堂"]
    assert known_items(e, "开设了哪些服务？") == ()  # no rest asked: nothing is known
    codes = "支持5G、物联网、人工智能、智能终端等新兴信息技术。"
    e = series_in(codes, Paragraph("p", "d", 0, codes))[0]
    assert known_items(e, "除了5G，还在推哪两种网络？") == ()  # a code, not the noun an item ends in


def test_the_rest_of_a_list_is_asked_after_the_items_the_asker_has(corpus_pipeline) -> None:
    """"头一条…不用说了，其余的是哪些": the list holding the item said, less that item, numbered as the letter
    numbers it (not the first item's own doings, which "第一条" alone would ask)."""
    ans = corpus_pipeline.ask("咸阳下一步那几点工作，第一条完善配套政策体系不用说了，其余的是哪些？")
    assert "最后4项是" in ans.answer and "2. 大力推进居家适老化改造" in ans.answer
    assert "1. 完善配套政策体系" not in ans.answer
    kinds = corpus_pipeline.ask("中山的医养结合模式，除了医中有养，其余几种各叫什么？")
    assert all(x in kinds.answer for x in ("养中有医", "医养并重", "协议服务")) and "1. 医中有养" not in kinds.answer


def test_an_ordinal_counts_nothing() -> None:
    assert asked_count("第一条我知道，其余的是哪些？") is None and asked_count("第十一条以外还有哪三条？") == 3


def test_ordinals_named_in_order_ask_the_items_the_letter_numbers(corpus_pipeline) -> None:
    from rag.answer.lists import ordinals_named

    assert ordinals_named("一二三四分别叫啥") == 4 and ordinals_named("二三四呢") == 4
    assert ordinals_named("二十三个") == 0 and ordinals_named("有哪些") == 0
    # not 医疗、护理、康复、临终关怀, a series inside the letter's 二是
    ans = corpus_pipeline.ask("中山搞医养结合的几种做法，一二三四各是什么？")
    assert "1. 医中有养" in ans.answer and "临终关怀" not in ans.answer


WENZHOU_POLICIES = (
    "2012年，我市出台《关于加快完善社会养老服务体系建设的意见》文件，在土地规划、养医结合、机构管理等方面全面发力，"
    "鼓励社会力量进入养老服务领域。2018年，我市又研究、出台《进一步加快现代服务业高质量发展的若干政策意见的通知》"
    "（温委发〔2018〕45号），从提高民办养老机构项目投资补助、民办床位补助、民办养老机构内设护理院建设补助，"
    "保障民办居家养老服务机构用地等方面，加大对民办养老服务企业扶持力度。")


def test_aspects_between_cong_and_deng_fangmian_hold_the_one_a_comma_joins() -> None:
    second = WENZHOU_POLICIES[WENZHOU_POLICIES.find("2018年") :]
    assert ["提高民办养老机构项目投资补助", "民办床位补助", "民办养老机构内设护理院建设补助",
            "保障民办居家养老服务机构用地"] in _items(second)


def test_a_year_the_question_dates_its_list_by_picks_the_list_of_that_years_sentence() -> None:
    from rag.answer.lists import beside_asking, best, enumerations
    from rag.answer.values import subject_of

    def listed(q: str) -> list[str]:
        found = best(enumerations(_doc(WENZHOU_POLICIES)), subject_of(q, ["温州"]), asked_count(q), category_of(q),
                     near=frozenset({"p0"}), asked_beside=beside_asking(q), question=q)  # retrieved, as in use
        return [i.text for i in found[1].items] if found else []

    assert listed("温州早在2012年就出了个意见，鼓励社会力量办养老，当时主要在哪几块使劲？") == [
        "土地规划", "养医结合", "机构管理"]
    assert listed("2018年温州出的政策在哪几方面扶持民办养老？")[-1] == "保障民办居家养老服务机构用地"
