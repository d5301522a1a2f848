"""rag.answer.wording: staff wording read in the letters' words."""


def test_a_ratio_said_the_way_people_talk_is_read_as_the_letters_write_it() -> None:
    from rag.answer.wording import normalise

    assert normalise("恩阳平均一千个老人摊到几张养老床") == "恩阳每千名老人摊到几张养老床"
    assert normalise("平均一万个人有多少") == "每万人有多少"


def test_per_unit_said_with_an_and_new_said_with_tian_read_as_the_letters_write_them() -> None:
    from rag.answer.wording import normalise

    assert normalise("新添床位按张补贴的标准") == "新增床位每张补贴的标准"
    assert normalise("按护理程度给的补贴") == "按护理程度给的补贴"  # 按 before no unit stays


def test_a_separable_verb_split_by_shang_or_le_is_read_whole() -> None:
    from rag.answer.wording import normalise

    assert normalise("工资待遇跟啥挂上钩") == "工资待遇跟什么挂钩"
    assert normalise("和医院结了对没有") == "和医院结对没有"
    assert normalise("上了年纪的老人") == "上了年纪的老人"  # 上了 before no verb's object: as it is


def test_an_everyday_word_is_read_as_the_letters_word_only_where_the_passages_lack_it() -> None:
    from rag.answer.wording import in_letters_words

    got = in_letters_words("社区里白天照看老人的点有几家", "城镇社区日间照料中心266个")
    assert got == "社区里日间照料老人的点有几家"
    # a letter that says 社区食堂 keeps the user's word (replacing it lost 测试市's 66个 to 彬州's 爱心餐厅)
    assert in_letters_words("测试市建成了多少个社区食堂？", "我市已建成社区食堂66个") == "测试市建成了多少个社区食堂？"


def test_not_built_yet_is_what_the_letters_call_zaijian() -> None:
    from rag.answer.wording import normalise

    assert normalise("还没建完的民办养老机构有多少张床位") == "在建的民办养老机构有多少张床位"
    assert normalise("尚未建成的中心有几个") == "在建的中心有几个"
    assert normalise("已经建完的有几个") == "已经建完的有几个"  # built is not being built


def test_money_as_what_a_thing_is_about_is_the_letters_zijin_but_an_amount_asked_stays() -> None:
    from rag.answer.wording import in_letters_words

    text = "二、加大资金支持力度。市本级福彩公益金列支资金用于运营补贴。"
    assert in_letters_words("咸阳那封，讲钱的那条标题是啥？", [text]) == "咸阳那封，讲资金的那条标题是啥？"
    for asked in ("补贴一共多少钱的？", "广东给养老掏钱的办法叫啥？", "一共投了钱的那部分"):
        assert in_letters_words(asked, [text]) == asked
    assert in_letters_words("讲钱的那条", ["钱的事由市里统筹。"]) == "讲钱的那条"  # the letters' own word stays


def test_a_breather_is_the_letters_respite_where_they_never_say_it() -> None:
    from rag.answer.wording import in_letters_words

    text = "开展失能老年人家庭成员照护培训，探索建立家庭喘息服务机制。"
    got = in_letters_words("让伺候老人的家里人能歇口气，这个机制叫啥", [text])
    assert "喘息" in got and "家庭成员" in got and "歇口气" not in got


def test_two_names_said_together_are_read_as_the_letters_one_with_its_other_name() -> None:
    """"多少个村和社区": the letter counts 309个村（社区）; "镇和街道": 18个镇（街道）."""
    from rag.answer.wording import in_letters_words

    passages = ["恩阳区辖18个镇（街道），309个村（社区），总人口642513人"]
    assert in_letters_words("恩阳底下管着多少个村和社区？", passages) == "恩阳底下管着多少个村（社区）？"
    assert in_letters_words("恩阳有几个镇、街道？", passages) == "恩阳有几个镇（街道）？"
    assert in_letters_words("公办和民办各有多少家？", passages) == "公办和民办各有多少家？"  # no such pair written


def test_a_year_said_as_that_year() -> None:
    from rag.answer.wording import normalise

    assert normalise("到了2019那年，省级财政又拨了多少钱") == "到了2019年，省级财政又拨了多少钱"


def test_a_body_founded_is_asked_as_the_letters_say_it() -> None:
    from rag.answer.wording import in_letters_words

    passages = ["2019年12月,我省成立广东省养老服务标准化技术委员会(GD/TC134)"]
    read = in_letters_words("那个标委会哪年哪月组建的？", passages)
    assert "成立" in read and "组建" not in read


def test_a_note_on_the_question_before_it_is_not_asked() -> None:
    from rag.answer.wording import normalise

    assert normalise("（语音转的文字，可能有错字）恩阳那个四个转变是什么") == "恩阳那个四个转变是什么"
    assert normalise("（一）里说的平台是什么") == "（一）里说的平台是什么"  # a part's marker stays
    assert normalise("（哪一年的数）床位有多少") == "（哪一年的数）床位有多少"  # an aside that asks stays


def test_figures_written_in_characters_are_read_in_digits_and_names_with_numerals_stay() -> None:
    from rag.answer.wording import digits

    assert digits("高龄补贴一共发了三千多万") == "高龄补贴一共发了3000多万"
    assert digits("五百八十多万，四十五万出头，六百张") == "580多万，45万出头，600张"
    assert digits("不是三个多亿吗") == "不是3多亿吗"
    assert digits("不低于百分之五十五") == "不低于55%"
    assert digits("二〇二三年五月十一日印发，号码八八三零一六三三") == "2023年5月11日印发，号码88301633"
    for name in ("一老一小", "五助", "四个转变", "两院一体", "十三届一次会议", "三供一业", "十四五规划", "百岁老人",
                 "第十三条", "三部门联合", "一二三四分别叫什么", "占全市六成", "百千万养老人才队伍"):
        assert digits(name) == name


def test_a_figure_or_date_offered_for_confirmation_asks_the_letters_own() -> None:
    from rag.answer.wording import normalise

    assert normalise("那院里医护人员有没有二十个？") == "那院里医护人员有多少个？"
    assert normalise("这些餐厅受益的人数上没上千？") == "这些餐厅受益的人数有多少？"
    assert normalise("总投资是不是七个多亿？") == "总投资有多少？"
    assert normalise("温州那封答复是2019年7月12号落款的吗？") == "温州那封答复是哪天落款的？"
    assert normalise("恩阳平均一千个老人摊到几张养老床") == "恩阳每千名老人摊到几张养老床"  # (before digits)
    assert normalise("有个号码“八八三零一六三三”，是哪封答复上留的？") == "有个号码88301633，是哪封答复上留的？"


def test_a_name_quoted_nearly_is_read_as_the_name_the_letters_quote() -> None:
    from rag.answer.wording import in_letters_words, renamed_quotes

    letters = ["市民政局将负责牵头组织实施“时间银行”养老志愿服务运作方案", "启动“一键通”综合服务项目",
               "增加“家庭养老床位服务补助”类别", "开展“银龄安康行动”"]
    for said, theirs in (("时光银行", "时间银行"), ("一键呼", "一键通"), ("家庭养老病床补助", "家庭养老床位服务补助"),
                         ("银发安康行动", "银龄安康行动")):
        assert renamed_quotes(f"那个“{said}”是什么", letters) == [(said, theirs)]
    assert in_letters_words("中山那个“时光银行”是哪个部门牵头？", letters) == "中山那个“时间银行”是哪个部门牵头？"
    # a name the letters say, a place's own name, a template to fill and a name like none stay as they are
    for q in ("“时间银行”", "“深圳智慧平台”", "题目是“关于加强什么”的建议", "“幸福互助院”"):
        assert renamed_quotes(q, letters) == []


def test_the_answer_says_which_name_the_letters_use() -> None:
    from tests.answer.test_extractive import _answerer_over

    answerer, hits = _answerer_over("reply-01.txt", "时间银行")
    got = answerer.answer("中山那个“时光银行”互助养老，是哪个部门牵头？", hits)
    assert got.found and got.answer.startswith("（问题中的“时光银行”，答复函中写作“时间银行”。）")


def test_a_fields_word_mistyped_is_read_before_the_field_is_chosen() -> None:
    from rag.answer.frame import read

    assert read("温州民政那封答复的连系人是谁？").meta == "contact"


def test_english_words_staff_mix_in_are_read_in_the_letters_words() -> None:
    from rag.answer.wording import normalise

    assert normalise("民办的share是多少？") == "民办的占比是多少？"
    assert normalise("那几个国家级pilot，list一下名字") == "那几个国家级试点，列一下名字"
    assert normalise("原来的title全称是啥？") == "原来的题目全称是什么？"
    assert normalise("GD/TC134那个标委会") == "GD/TC134那个标委会"  # a code stays


def test_blank_cells_of_a_form_ask_their_labels_together() -> None:
    from rag.answer.wording import blank_cells

    row = "中山市民政局｜联系人：（空）｜电话：（空）——帮我填上"
    assert blank_cells(row) == "中山市民政局｜联系人和电话分别是什么？——帮我填上"
    assert blank_cells("签发人：____") == "签发人是什么？"
    assert blank_cells("成立时间：？") == "成立时间是什么？"
    assert blank_cells("说明：这是测试，联系人：刘芳") == "说明：这是测试，联系人：刘芳"  # filled cells ask nothing


def test_a_partner_asked_by_its_kind_of_body_is_who() -> None:
    from rag.answer.wording import normalise

    assert "跟谁联合出" in normalise("那两个管理办法，准备跟哪个局联合出？")


def test_the_labels_asks_are_numbered_with_are_no_part_of_them() -> None:
    from rag.answer.wording import normalise

    assert normalise("Q1 已经落实了几家？Q2 照料中心几家？") == "已经落实了几家？照料中心几家？"
    assert normalise("（1）哪年印发？（2）谁签发？") == "哪年印发？谁签发？"
    assert normalise("温州有(1)个中心吗") == "温州有(1)个中心吗"  # a figure in brackets inside a clause stays


def test_what_the_asker_will_fill_in_asks_nothing_of_the_letters() -> None:
    from rag.answer.wording import normalise

    assert normalise("那件的文号是什么？我要填返登记表") == "那件的文号是什么？"
    assert normalise("文号是什么？要录入系统") == "文号是什么？"
    assert normalise("登记表上填的是什么？") == "登记表上填的是什么？"  # the ask itself


def test_kinds_of_body_are_no_short_name() -> None:
    """"哪几个厅委": each character ends a kind of body's name; it is no short name of one (卫生计生委)."""
    from rag.answer.wording import in_letters_words

    q = "是哪几个厅委三家联手干的？"
    assert in_letters_words(q, ["省工业和信息化厅、省民政厅和卫生计生委三部门联合"]) == q


def test_the_longest_run_of_whole_words_a_letter_says() -> None:
    from rag.answer.wording import longest_said
    from tests.answer.test_meta import doc

    d = doc("reply-03.txt")
    assert longest_said("温州10月底前那次养老服务推进会议定了哪几块模块？", d) == "养老服务推进会议"
    # a run cut inside a phrase (智慧养老大|平台) names nothing, and four characters are too few
    assert longest_said("温州那套智慧养老大平台包含哪几块模块？", d) == ""
