"""rag.answer.frame: which field of a letter a question asks for."""

from __future__ import annotations

import pytest

from rag.answer.frame import read
from rag.answer.wording import normalise


# each case pairs a question about when the letter went online with a near one that must keep its field:
# the signing date (落款, 印发, 签发, 答复), 公开方式, or no field at all (a publication in the letter's content)
@pytest.mark.parametrize(("published", "other", "field"), [
    ("广东省民政厅那封智慧养老答复函是哪天挂到官网上的？", "广东省民政厅那封智慧养老答复函是哪天答复的？", "date"),
    ("粤民函〔2020〕713号是什么时候发布的？", "粤民函〔2020〕713号什么时候印发的？", "date"),
    ("粤民函〔2020〕713号的发布日期是哪天？", "粤民函〔2020〕713号的落款日期是哪天？", "date"),
    ("这封答复函啥时候放到网上的？", "这封函是什么时候签发的？", "date"),
    ("温民提〔2019〕70号在网上公开是哪天？", "温民提〔2019〕70号什么时候答复的？", "date"),
    ("那封函什么时候公布的？", "那封函的答复日期是哪天？", "date"),
    ("这封答复函的发布时间是？", "这封答复是否公开发布？", "publicity"),
    ("温民提〔2019〕70号是什么时候挂网的？", "温民提〔2019〕70号的公开方式是什么？", "publicity"),
    ("粤民函〔2020〕713号什么时候发布的？", "粤民函〔2020〕713号里，广东省哪年发布了多少项数字技术产品？", None),
    ("这封答复什么时候发布的？", "广东省什么时候发布了《关于加快推进我省民政先进标准体系建设的实施意见》？", None),
])


def test_when_it_went_online_asks_for_published_and_steals_no_other_field(
        published: str, other: str, field: str | None) -> None:
    assert read(published).meta == "published"
    assert read(other).meta == field


def test_a_letter_named_only_to_say_where_to_look_does_not_make_a_question_about_the_letter() -> None:
    from rag.answer.frame import read

    assert read("中民函〔2022〕40号讲的智慧健康养老信息平台是什么时候正式上线的？").meta is None
    assert read("131058号提案的答复里，《中山市“一老一小”整体解决方案》是哪个局牵头弄的？").meta is None
    assert read("咸民函〔2023〕38号是哪天印发的？").meta == "date"
    assert read("温蓉委员那个促进养老产业发展的提案是第几号？").meta == "proposal_number"  # describes the proposal
    assert read("温州那个317号建议是在哪次人代会上提的？").meta == "meeting"


def test_who_to_call_asks_for_the_contact() -> None:
    from rag.answer.frame import read

    assert read("温州民政局那封养老答复有事找谁联系？").meta == "contact"
    assert read("咸阳民政局那个答复要是有问题，打电话找哪个科？").meta == "contact"
    # the office that answers the phone is the contact, not the number: "接电话的是民政局哪个科"
    assert read("打电话过去问咸阳那封的事，接电话的是民政局哪个科？").meta == "contact"
    assert read("温州搞养老大数据分析系统是找谁一起开发的？").meta is None


def test_the_name_of_a_programme_is_not_the_name_of_the_legislator() -> None:
    from rag.answer.frame import read

    assert read("温州给八十多岁老人白送的那个紧急呼叫定位的服务项目叫什么名字").meta is None
    assert read("温民提〔2019〕70号答复的那位代表叫什么名字").meta == "addressee"


def test_a_clause_that_only_says_where_to_look_is_not_content() -> None:
    from rag.answer.frame import read

    assert read("给温蓉委员回的那封里，恩阳满一百岁的老人有多少").content == "恩阳满一百岁的老人有多少"
    assert read("粤民函〔2020〕713号中，16到18年全省投了多少钱").content == "2016-2018年全省投了多少钱"


def test_the_ways_staff_ask_about_a_letters_signer_addressees_and_number() -> None:
    from rag.answer.frame import read
    from rag.answer.refs import parse_doc_refs

    assert read("咸阳民政那封函是哪个领导签的字").meta == "signer"
    assert read("温州民政局回肖代表的函 是哪位领导签批的").meta == "signer"
    assert read("中山那个函是回给哪几位委员的").meta == "addressee"
    assert read("咸阳民政局那个函对应政协第几号提案").meta == "proposal_number"
    assert parse_doc_refs("帮我查下粤民函2021年713号的答复要点")[0].text == "粤民函〔2021〕713号"


def test_a_proposal_counted_in_tiao_is_a_proposal_number() -> None:
    from rag.answer.frame import read

    assert read("吴克昌代表1146号那条 省养老服务标准化技术委员会啥时候成立的").refs.proposals == ("1146",)


def test_that_proposal_points_at_a_letter() -> None:
    from rag.answer.frame import read

    assert read("广东智慧养老那个建议是几届几次会议提的").meta == "meeting"


def test_a_wenhao_typed_without_its_year_still_names_its_letter() -> None:
    from rag.answer.frame import read

    refs = read("恩民政函3号提到的那几个敬老院改造花了多少钱").refs.doc_numbers
    assert [r.text for r in refs] == ["恩民政函3号"] and refs[0].matches("恩民政函〔2021〕3号")
    assert not refs[0].matches("恩民政函〔2021〕13号")
    assert read("第1146号代表建议是谁提的").refs.doc_numbers == ()  # a proposal number, not a 文号


def test_jiyue_jihao_asks_a_date_not_a_proposal_number() -> None:
    from rag.answer.frame import read

    assert read("恩阳的答复是几月几号写的").meta == "date"


def test_which_document_said_it_asks_the_letter_and_a_verb_jieba_calls_a_noun_is_not_unknown() -> None:
    from rag.answer.frame import read
    from rag.answer.unknown import unknown_terms

    assert read("这是哪个文件说的").meta == "letter"
    assert read("咸阳出台了哪个文件规范设施移交").meta is None  # a policy document, not the letter
    assert unknown_terms("发给了多少人次", [], {"人次"}.__contains__, lambda t: [t]) == ()


def test_whom_a_letter_answers_and_whether_it_was_made_public() -> None:
    from rag.answer.frame import read

    assert read("温民提〔2019〕70号是答复谁的").meta == "addressee"
    assert read("恩阳那份答复公开了吗").meta == "publicity"


def test_a_date_asked_of_what_the_asking_clause_names_is_not_the_letter_s_date() -> None:
    assert read("1146号建议那份答复，省养老服务标准化技术委员会是哪年几月成立的？").meta is None
    assert read("第317号建议的答复是什么时候发的").meta == "date"
    assert read("给温蓉委员回的那封是哪天签的").meta == "date"


def test_whose_opinions_a_reply_gathered_are_its_co_handling_units() -> None:
    assert read("省民政厅那篇答复是汇总了哪些厅局的意见写的？").meta == "co_units"
    assert read("吴代表那个智慧养老建议，省厅回复时汇总了哪几家单位的意见").meta == "co_units"


def test_a_document_number_typed_with_a_dash_between_year_and_number_names_the_letter() -> None:
    from rag.answer.frame import read

    f = read("温民提2019-70号里，温州有多少家养老机构？")
    assert [d.text for d in f.refs.doc_numbers] == ["温民提〔2019〕70号"]
    assert "2019" not in f.content and "70" not in f.content  # not figures the answer must contain


def test_a_letter_named_only_to_say_where_to_look_does_not_make_a_date_question_the_letters_date() -> None:
    from rag.answer.frame import read

    assert read("那封答复说中山的智慧健康养老信息平台是什么时候上线的？").meta is None
    assert read("131058号提案答复讲中山金融服务工作方案啥时候出台的").meta is None
    assert read("中山那封答复是什么时候印发的？").meta == "date"


def test_a_proposal_named_by_bianhao_and_a_letter_named_for_its_shuofa_only_point() -> None:
    from rag.answer.frame import read
    from rag.answer.wording import normalise

    assert read("编号131058的提案，回复里讲东凤镇敬老院是交给哪家医院托管的？").refs.proposals == ("131058",)
    f = read("照温民提〔2019〕70号的说法，正在盖的民办养老院大约几家？")
    assert f.content == "在建的民办养老院大约几家？"  # 照…的说法 only points; 正在盖 is the letters' 在建
    assert normalise("还在建的") == "在建的"


@pytest.mark.parametrize(("question", "field"), [
    ("肖石龙那条建议是第几届第几次人代会提的？", "meeting"),  # 第几届, not an ordinal of the content
    ("温蓉委员的提案是在区政协第几届第几次会议上提的？", "meeting"),
    ("咸阳的答复最后抄给谁了？", "copy_to"),
    ("温州那封答复函是公开的吗？", "publicity"),
    ("温州那封回复能不能对外公开？", "publicity"),
    ("15284747333是谁的电话？", "contact"),  # a phone given: whose it is
    ("拨89985185能找到谁？", "contact"),
    ("咸阳民政局那个答复要是有问题，打电话找哪个科？", "contact"),  # 电话 inside the contact phrase
    ("温州民政那封函联系人的手机号是多少？", "phone"),  # the field named last is asked; 联系人 says whose
    ("温州那封函的联系人是谁？", "contact"),
    ("恩阳那封谁联系？", "contact"),  # the contact asked by its verb, not a phone number
    ("温州那封答复是谁经办的？", "contact"),
])
def test_the_field_asked_the_way_staff_ask_for_it(question: str, field: str) -> None:
    assert read(question).meta == field


def test_a_role_ending_in_weiyuan_is_no_addressee() -> None:
    assert read("广东标委会主任委员是谁？").meta is None
    assert read("那封答复函写给的委员是谁？").meta == "addressee"


def test_a_wenhao_with_a_two_digit_year_names_its_letter() -> None:
    from rag.answer.refs import DocRef

    frame = read("咸民函23年38号：那3家民办院拿到的一次性建设补贴，总数是多少？")
    assert frame.refs.doc_numbers == (DocRef("咸民函", "2023", "38"),)
    assert frame.refs.doc_numbers[0].matches("咸民函〔2023〕38号") and "38" not in frame.content


def test_the_salutation_and_whether_a_unit_was_consulted_are_letter_fields() -> None:
    assert read("中山那封答复抬头写的是一个委员还是好几个？").meta == "addressee"
    assert read("广东那份答复综合意见的时候有没有问省残联？").meta == "co_units"
    assert read("广东那份答复综合了哪些单位的意见？").meta == "co_units"


def test_more_ways_staff_name_a_letters_fields() -> None:
    assert read("咸阳那封回复的联系人叫什么？").meta == "contact"  # 叫什么 asks the name, gives none
    assert read("联系人叫金谧的那封答复是哪个局发的？").meta == "bureau"  # a name given points at the letter
    assert read("温州那封答复的落款单位是？").meta == "bureau"  # who signed it off, not when
    assert read("温州那封答复是哪天落款的？").meta == "date"
    assert read("中山那封答复发给了谁？").meta == "addressee"
    assert read("广东那封答复函编号是多少？").meta == "doc_number"  # the letter's number is its 文号
    assert read("广东那个建议的编号是多少？").meta == "proposal_number"


def test_sign_off_proposal_kind_and_role_holders_the_way_staff_ask() -> None:
    assert read("恩阳那封答复最后是以哪个单位的名义落款的？").meta == "bureau"  # 落款 alone asks no date
    assert read("恩阳那封答复是哪天落款的？").meta == "date"
    assert read("咸阳民政那份38号答复函，底下印发日期写的几号？").meta == "date"  # 几号 of a date, no number
    assert read("温州那封回的是人大建议还是政协提案？").meta == "proposal"
    assert read("中山那件农村普惠养老的提案，是市政协哪届哪次会上交的？").meta == "meeting"
    # 由谁担任 asks who holds a role, not who answered
    assert read("1146号建议的答复，联席会议副召集人由谁担任？").meta is None
    assert read("这个提案由谁答复？").meta == "bureau"


def test_full_width_digits_and_a_proposal_number_without_hao_name_their_letter() -> None:
    from rag.answer.refs import DocRef

    assert read("粤民函２０２０年７１３号里湛江开通的养老服务热线是几号？").refs.doc_numbers == (
        DocRef("粤民函", "2020", "713"),)
    frame = read("131058提案答复里，2022年全市那1308场活动一共服务了多少人次？")
    assert frame.refs.proposals == ("131058",) and "131058" not in frame.content
    assert read("2022年100户改造建议有哪些").refs.proposals == ()  # 100户 is a count, not a number


def test_a_wenhao_typed_without_hao_before_what_points_at_it_is_a_reference() -> None:
    from rag.answer.frame import read

    f = read("温民提2019年70那份建议答复，往后推进养老服务体系是以啥为主要思路？")
    assert [r.text for r in f.refs.doc_numbers] == ["温民提〔2019〕70号"]
    assert not read("温州2019年有70家养老机构吗").refs  # a year and a count are no 文号


def test_an_age_or_a_count_of_people_asked_is_no_figure_pointed_back_at() -> None:
    from rag.answer.frame import points_to_figure

    assert not points_to_figure("那个一键通服务是给多大岁数的老人的？")
    assert points_to_figure("这个数是哪年的？") and points_to_figure("那个比例是怎么算的？")


def test_sent_to_whom_asks_the_addressee_only_of_a_letter() -> None:
    assert read("温州这封函回给谁了？").meta == "addressee"
    assert read("恩阳高龄补贴发给谁？").meta is None  # who gets the subsidy: content


def test_the_co_handling_units_acting_in_a_question_are_not_what_it_asks() -> None:
    assert read("中山那封说会办单位把委员的意见融进了哪里？").meta is None  # what they did with them is asked
    assert read("中山那封答复的会办单位有哪些？").meta == "co_units"


def test_a_contact_and_phone_asked_together_are_both_asked(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    assert read("中山那封的联系人和电话？").meta == "contact_phone"
    assert read("中山那封联系人的电话是多少？").meta == "phone"  # 联系人 says whose phone
    assert corpus_pipeline.ask("中山那封的联系人和电话？").direct == "刘芳；88301633"
    # asked "each" (分别) they are still the one contact line, not a second part about 电话 in the content
    assert corpus_pipeline.ask("中山市民政局联系人和电话分别是什么？").direct == "刘芳；88301633"
    # a form row with both cells blank asks both, of the letter the row names
    assert corpus_pipeline.ask("中山市民政局｜联系人：（空）｜电话：（空）——帮我填上").direct == "刘芳；88301633"


def test_a_wenhao_typed_with_leading_zeros_is_that_number() -> None:
    """"恩民政函〔2021〕03号", "咸民函〔2023〕第038号": the same 文号 as 3号, 38号."""
    assert read("恩民政函〔2021〕03号说恩阳辖多少个镇？").refs.doc_numbers[0].matches("恩民政函〔2021〕3号")
    assert read("咸民函〔2023〕第038号那份说了什么？").refs.doc_numbers[0].matches("咸民函〔2023〕38号")
    assert not read("中民函〔2022〕041号的联系人是谁？").refs.doc_numbers[0].matches("中民函〔2022〕40号")


def test_the_words_right_after_a_reference_only_say_where_to_look() -> None:
    assert read("恩民政函〔2021〕3号说恩阳底下管着多少个镇（街道）？").content == "恩阳底下管着多少个镇（街道）？"
    assert read("恩民政函〔2021〕3号里恩阳一共有多少个镇街？").content == "恩阳一共有多少个镇街？"
    assert read("温民提〔2019〕70号讲的是什么？").content == "讲的是什么？"  # what it says is asked


def test_the_page_a_letter_is_published_on_and_a_thousand_old_people_said_loosely() -> None:
    """"网页上又是哪天挂出来的": the day the portal published it (网页 is where, not a thing dated); "每千个老人"
    is the letters' 每千名老人."""
    assert read("吴克昌代表那件建议，网页上又是哪天挂出来的？").meta == "published"
    assert normalise("按每千个老人算又是几张？") == "按每千名老人算又是几张？"


def test_a_proposal_number_said_after_tian_hao() -> None:
    assert read("提案号403那封回复里，渭城区建老人信息台账靠的是哪几类手段？").refs.proposals == ("403",)
    assert read("建议编号317的答复是哪天落款的").refs.proposals == ("317",)


def test_a_person_the_question_gives_to_say_which_letter_is_not_what_it_asks() -> None:
    assert read("留刘芳当联系人的那份回函，对应的是政协哪届哪次会？").meta == "meeting"
    assert read("签发人是赵斌正的那份，印发日期是哪天？").meta == "date"
    assert read("谁当联系人？").meta == "contact"  # asked, not given


def test_which_city_or_district_a_letter_is_from_asks_its_bureau() -> None:
    assert read("恩阳那封函是哪个市下面的区民政局发的？").meta == "bureau"
    assert read("联系人是陈庆的那封是哪个区的？").meta == "bureau"
    assert read("温州那封答复里床位最多的是哪个区？").meta is None  # a place the content names


@pytest.mark.parametrize(("typed", "letter"), [
    ("温民提〔二〇一九〕七十号里，温州有多少家养老机构？", "温民提〔2019〕70号"),  # year and number in Chinese
    ("粤民函〖2020〗713号的联系人是谁？", "粤民函〔2020〕713号"),  # another kind of bracket
    ("恩民政函〔2021〕叁号答复的是哪位委员？", "恩民政函〔2021〕3号"),  # 大写 numeral
    ("咸民函2023〔38〕号里咸阳建成了多少个日间照料中心？", "咸民函〔2023〕38号"),  # year outside the brackets
    ("咸民函二〇二三年三十八号的联系人是谁？", "咸民函〔2023〕38号"),
    ("粤民函〔2020〕七一三号是哪个单位发的？", "粤民函〔2020〕713号"),  # digit by digit
])
def test_a_wenhao_typed_in_other_numerals_or_brackets_names_its_letter(typed: str, letter: str) -> None:
    frame = read(typed)
    assert len(frame.refs.doc_numbers) == 1 and frame.refs.doc_numbers[0].matches(letter)
    assert letter in frame.text  # the question is shown as the letters print the 文号


def test_a_date_in_chinese_numerals_is_no_wenhao() -> None:
    assert not read("温州2019年十月三号出了什么文件？").refs.doc_numbers
    assert read("温民提〔2019〕70号里2019年十月三号讲了什么？").text.endswith("2019年十月三号讲了什么？")


def test_a_role_asked_by_who_takes_it_is_asked_by_youshui_danren() -> None:
    assert "主任委员由谁担任" in normalise("标委会的主任委员让谁当？")
    assert "召集人由谁担任" in normalise("联席会议的召集人谁来当？")
    assert normalise("谁当天签发的？") == "谁当天签发的？"


def test_the_meeting_before_a_proposal_number_is_part_of_the_reference() -> None:
    # "二届七次会议13号提案的回复里，…": the meeting names the proposal too; what is left is the question
    got = read("二届七次会议13号提案的回复里，登科白玉那个综合中心想弄成个什么样的示范工程？")
    assert got.refs.proposals == ("13",) and got.content == "登科白玉那个综合中心想弄成个什么样的示范工程？"
    assert read("市十三届人大四次会议第317号建议是哪个单位答复的？").content == "是哪个单位答复的？"


def test_a_field_given_with_its_value_points_at_the_letter_and_another_field_is_asked() -> None:
    """"标了“公开方式：主动公开”的那封": the field is written as the letter prints it, with its value; the question
    asks the proposal number, not the 公开方式."""
    assert read("标了“公开方式：主动公开”的那封答复，回的是几号提案？").meta == "proposal_number"
    assert read("类别：B的那份答复是谁签发的？").meta == "signer"
    assert read("那封答复的公开方式是什么？").meta == "publicity"  # asked, no value given


def test_a_field_named_before_a_clause_that_asks_for_items_only_says_where_to_look() -> None:
    assert read("中山那封第一条建议的标题，要弘扬哪几个“老”的优良传统？").meta is None
    assert read("温州那封回函除了座机还留了个手机号，多少？").meta == "phone"  # the ask names nothing of its own
    assert read("中山那封函的标题是什么？").meta is not None


def test_which_bureaus_letter_asks_for_the_letter_not_the_field_that_orders_them() -> None:
    assert read("五封答复里，落款日期最早的是哪个局那封？").meta == "letter"
    assert read("温州那封的落款日期是哪天？").meta == "date"


def test_the_label_of_a_reference_and_a_bar_after_it_are_not_content() -> None:
    f = read("文号：恩民政函〔2021〕3号｜上八庙、渔溪那几所敬老院做“适老化”提升，资金砸了多少？")
    assert f.refs and f.content.startswith("上八庙")
    assert read("恩民政函〔2021〕3号 | 恩阳有多少个日间照料中心？").content == "恩阳有多少个日间照料中心？"


def test_a_spaced_bar_between_two_names_lists_them_and_their_counts_are_asked_each() -> None:
    from rag.answer.parts import parts_of

    got = [f.text for f in parts_of(read("渭城社区日间照料中心 / 彬州爱心餐厅，数量各报一下"))]
    assert len(got) == 2 and "渭城社区日间照料中心" in got[0] and "彬州爱心餐厅" in got[1]
    assert "人/次" in normalise("一共培训了多少人/次")  # a unit's bar stays


def test_luzi_is_read_as_the_letters_tujing() -> None:
    assert normalise("这些是通过哪些路子建起来的？") == "这些是通过哪些途径建起来的？"


def test_what_one_of_them_gets_is_what_each_gets() -> None:
    assert "每个中心能拿" in normalise("那一个中心能拿几万？")
    assert "一个" in normalise("建了一个中心吗？") and "第一个" in normalise("第一个中心在哪？")


def test_an_ask_put_again_in_the_letters_words_replaces_the_one_before_it() -> None:
    assert normalise("靠谁来张罗？原文说调动了哪些力量") == "调动了哪些力量"
    assert normalise("有没有代交费用这类服务？原文咋说的") == "有没有代交费用这类服务？原文怎么说的"  # asks the wording


def test_a_figure_with_lai_is_about_that_many_as_the_letters_write_yu() -> None:
    assert normalise("给这280来户做无障碍设施改造，图个啥？").startswith("给这280余户")
    assert normalise("这些年来户籍老人多了吗") == "这些年来户籍老人多了吗"  # 来 after no figure stays


def test_what_the_user_will_do_with_the_answer_is_not_read() -> None:
    assert normalise("照原文给我列一下，汇报要用") == "照原文给我列一下"
    assert normalise("平台网址是多少？想发给老人家属") == "平台网址是多少？"
    assert normalise("养老机构建设补贴怎么用") == "养老机构建设补贴怎么用"  # an ask about use stays


def test_a_replys_own_title_holding_a_reference_names_the_letter_whole() -> None:
    f = read("《关于市十三届人大四次会议第317号建议的答复函》里，组织“两代表一委员”搞联合视察，是为了干啥？")
    assert f.refs.proposals == ("317",) and "《" not in f.content and f.content.startswith("组织“两代表一委员”")


def test_lia_is_two() -> None:
    assert normalise("分成了哪俩层面？") == "分成了哪两个层面？"


def test_a_cited_document_kept_stays_where_the_question_names_it() -> None:
    q = "福彩公益金用在养老上的比例，老口径跟粤府办〔2019〕23号的新口径各是多少？"
    assert "粤府办" not in read(q).content
    kept = read(q, keep=[r.text for r in read(q).refs.doc_numbers]).content
    assert "粤府办〔2019〕23号的新口径" in kept


def test_who_runs_it_said_plainly_is_the_letters_gongban_and_minban() -> None:
    assert normalise("恩阳公家办的养老院有多少张床位？") == "恩阳公办养老院有多少张床位？"
    assert normalise("私人办的养老院呢") == "民办养老院呢"


def test_how_to_lay_the_answer_out_is_not_read() -> None:
    assert normalise("恩阳的“五助”具体是哪五样？用斜杠隔开给我") == "恩阳的“五助”具体是哪五样？"
    assert normalise("省里具体干了哪几件事？一条一行") == "省里具体干了哪几件事？"
    assert normalise('各几个？按JSON回我：{"在线医疗": , "智能医疗服务": }') == "各几个？"
    assert normalise("一句话回我：温州在建的有几个？") == "温州在建的有几个？"
    assert normalise("空格老人有几个？") == "空格老人有几个？"  # a word, no aside


def test_a_wenhao_copied_with_spaces_is_a_reference() -> None:
    f = read("粤 民 函〔2020〕7 1 3 号（PDF里复制出来的，空格去不掉）：5G网络连续覆盖这块，要覆盖到哪一级以上？")
    assert f.refs.doc_numbers[0].matches("粤民函〔2020〕713号") and "PDF" not in f.content


def test_a_table_to_fill_in_asks_each_rows_label() -> None:
    q = "帮我填下这个表（中山）：| 设就医绿色通道的医疗卫生机构占比 | ？ | 设老年科的综合性二级以上医院占比 | ？ |"
    assert normalise(q).endswith("设就医绿色通道的医疗卫生机构占比是多少？设老年科的综合性二级以上医院占比是多少？")
    assert normalise("A | B 两项") == "A | B 两项"  # a bar without a blank cell is left alone


def test_a_number_of_yi_said_with_ge_is_the_letters_yiyuan() -> None:
    from rag.answer.frame import read

    assert "4.98亿元" in read("这4.98个亿里头，中央转移过来的有多少").content
    assert "多少亿元" in read("一共投了几个亿？").content


def test_two_values_named_then_asked_together_are_asked_each() -> None:
    from rag.answer.frame import read

    got = read("广州长护险的符合规定费用基金支付率、总体支付率，两个数都给我").content
    assert got.endswith("分别是多少") and "两个数" not in got


def test_the_measure_said_before_the_ask_is_what_is_counted() -> None:
    from rag.answer.frame import read

    assert read("特困和高龄老人，按人次算是多少").content.endswith("多少人次")


def test_the_number_of_a_code_is_no_proposal_number() -> None:
    """"代号是GD/TC几号" asks the committee's code, not which proposal the letter answers."""
    from rag.answer.frame import read

    assert read("1146号建议那个答复函，标委会的代号是GD/TC几号？").meta != "proposal_number"
    assert read("1146号建议那个答复函，是第几号建议？").meta == "proposal_number"


def test_pointing_at_the_list_again_asks_nothing_more() -> None:
    """"…跟哪些行业联动，原文列的那几个": the list asked, not a count (那几个) asked besides."""
    from rag.answer.frame import read

    assert read("广东讲互联网+健康医疗跟哪些行业联动，原文列的那几个").content == "广东讲互联网+健康医疗跟哪些行业联动"
    assert read("原文列的那几个试点在哪").content == "原文列的那几个试点在哪"  # its own ask


def test_a_blank_to_fill_asks_what_it_is() -> None:
    from rag.answer.frame import read

    got = read("省里养老服务的部门间联席会议，建立时间是？谁任召集人？").content
    assert "建立时间是什么时候？" in got and "谁任召集人" in got
    assert read("召集人是？").content == "召集人是什么？"
    assert read("这是温州的吗？").content == "这是温州的吗？"  # 是 that asks nothing


def test_the_page_a_letter_is_on_points_at_the_letter() -> None:
    from rag.answer.frame import read

    assert read("广东省民政厅那个网页上 阅读次数显示多少").meta == "views"


def test_a_figure_said_again_points_at_the_one_just_given() -> None:
    from rag.answer.frame import points_to_figure

    assert points_to_figure("这一千三百多场下来，服务的人次过了多少？")
    assert points_to_figure("那3.31亿里头中央给了多少")
    assert not points_to_figure("这一块具体怎么做的？") and not points_to_figure("这一次是哪年办的")


def test_the_phone_a_letter_leaves_is_its_own_contact() -> None:
    from rag.answer.frame import read

    assert read("温州市民政局回函里留的座机号码多少").meta == "phone"
    assert read("温州那封答复里说的养老服务热线号码是多少").meta != "contact"


def test_a_span_of_years_said_with_dao_is_written_as_the_letters_do() -> None:
    from rag.answer.frame import read

    assert "2016-2018年" in read("16年到18年期间广东全省养老服务体系建设资金合计多少亿").content
    assert "2016-2018年" in read("2016年至2018年广东投了多少").content


def test_what_a_mark_means_is_no_field_of_the_letter() -> None:
    """"B代表什么意思": 代表 is a verb there; no legislator and no field is asked."""
    assert read("咸阳那封函抬头写的“类别：B”，B代表什么意思？").meta is None
    assert read("这件提案的“类别”那一栏，A是啥意思").meta is None
    assert read("咸阳那封回的是哪位委员？").meta == "addressee"  # the legislator still asked by 委员


def test_that_document_named_by_its_kind_is_the_cited_one_not_the_letter() -> None:
    """"那份…政策意见，发文字号是多少": the 文号 of the document the letter cites, read from its text."""
    assert read("温州那封答复里提到2018年出台的那份加快现代服务业发展的政策意见，发文字号是多少？").meta is None
    assert read("恩阳那份答复的发文字号是多少？").meta == "doc_number"


def test_the_unit_that_signs_and_seals_is_the_bureau() -> None:
    assert read("恩阳回温蓉那封，落款盖章的单位全称怎么写？").meta == "bureau"
    assert read("回温蓉那封，落款是哪天？").meta == "date"


def test_a_reference_inside_a_quoted_subject_line_takes_the_whole_quote() -> None:
    """A mail subject or a file name holding a 文号 names the copy at hand; none of its words are asked."""
    f = read("邮件主题“Re: 温民提〔2019〕70号核稿”，正文里全市建有多少张养老床位？")
    assert f.refs.doc_numbers and "核稿" not in f.content and "Re" not in f.content
    assert "全市建有多少张养老床位" in f.content
    # a quote that says more than a reference is kept ("标题叫“…”": rag.answer.meta reads it)
    assert "家庭养老床位" in read("中民函〔2022〕40号里“家庭养老床位服务补助”是什么？").content


def test_whose_proposal_it_is_only_points_at_the_letter() -> None:
    f = read("杨兴全委员名下那件提案，回复里说中山5G基站累计建成了几座？")
    assert f.refs.people == ("杨兴全",) and "名下" not in f.content and "5G基站" in f.content
    # a field the clause names stays asked (吴克昌那件建议的题目)
    assert read("吴克昌那件建议的题目里，“理念更新”后面还跟了个啥？").meta is not None


def test_a_letter_found_by_the_note_it_carries(corpus_pipeline) -> None:
    """"末尾括号里注着“此件公开发布”的那封": the words it is noted with point at the letter."""
    got = corpus_pipeline.ask("有封函末尾括号里注着“此件公开发布”，那封的落款日期是哪天？")
    assert got.found and "2019年7月2日" in got.answer


def test_an_aside_saying_what_is_not_meant_is_not_asked() -> None:
    f = read("1146号那封里，近些年福彩公益金拿多大比例投到养老服务体系？（不是2021年以后那个）")
    assert "2021" not in f.content and "福彩公益金" in f.content
    # a negation that is the question's own modifier stays ("不是公办的那些": 民办)
    assert "不是公办" in read("温州不是公办的那些养老机构有多少家？").content


def test_a_sentence_that_only_says_which_letter_is_where_to_look() -> None:
    """"台账B12格填的是温民提〔2019〕70号。", "@所有人 谁手上有…？": the letter, named before the question."""
    f = read("台账B12格填的是温民提〔2019〕70号。这份里，全市乡镇（街道）养老服务中心鹿城区占几个？")
    assert f.refs.doc_numbers and f.content == "全市乡镇（街道）养老服务中心鹿城区占几个？"
    f = read("@所有人 谁手上有恩民政函〔2021〕3号？急问：5所敬老院改造一共花了多少钱？")
    assert f.refs.doc_numbers and "谁" not in f.content and "所有人" not in f.content
    # a sentence that asks stays, with the letter it names cut out ("…是不是已经上线了？哪天上的")
    f = read("中民函〔2022〕40号那个智慧健康养老平台是不是已经上线了？哪天上的")
    assert "是不是已经上线" in f.content


def test_the_note_at_the_very_bottom_is_the_closing_note() -> None:
    assert read("给肖石龙代表的答复，最底下括号里还加了句什么？").meta == "closing_note"


def test_the_day_signed_at_the_end_of_the_letter_is_its_date() -> None:
    assert read("恩阳区民政局给温蓉回的那封函，文末署的日子是哪天？").meta == "date"


def test_a_letter_found_by_the_words_it_opens_with_or_the_contact_it_lists(corpus_pipeline) -> None:
    got = corpus_pipeline.ask("有封答复开头写“经调查研究，现答复如下”，是哪个局回的、回给谁的？")
    assert got.found and "温州市民政局" in got.answer and "肖石龙" in got.answer
    got = corpus_pipeline.ask("金谧挂联系人的那封函，落款日期报一下")
    assert got.found and "2019年7月2日" in got.answer
    # a quoted heading named by what it says is asked about, not a pointer ("写“顶层设计”的那个小标题")
    assert "顶层设计" in read("温州那封写“顶层设计”的那个小标题，逗号后半句是啥？").content


def test_a_colon_that_leads_into_the_question_gives_no_field() -> None:
    """"要写函的标题全称：…那封的标题原文是什么": the letter's own title is asked, not given."""
    assert read("做归档目录要写函的标题全称：中民函〔2022〕40号那封的标题原文是什么？").meta == "title"


def test_the_month_a_letter_was_issued_is_its_date() -> None:
    assert read("温民提〔2019〕70号那封答复是哪个月份出的？").meta == "date"


def test_this_money_points_at_the_figure_just_given() -> None:
    from rag.answer.frame import points_to_figure

    assert points_to_figure("这钱是优先照顾哪一类地方的？") and points_to_figure("这笔钱从哪来")


def test_fields_asked_as_staff_word_them() -> None:
    """The letter's title, its salutation and its co-units, worded loosely; and asks that name a field's word but
    ask something the letters' content says."""
    assert read("温州市民政局那封答复函，正式标题全称怎么写？").meta == "title"
    assert read("照中山那封的格式写，开头称呼委员是怎么写的？").meta == "addressee"
    assert read("中山那封开头称呼对方用的是“您”还是“你们”？").meta != "addressee"  # the pronoun its sentence uses
    assert read("省厅那封开头说综合了几家单位的意见？").meta == "co_units"
    assert read("中山那封开头说为了贯彻哪几份文件精神？").meta is None  # what it says there: content
    assert read("中山修订资助办法这事，具体由民政局哪个科室负责？").meta is None  # no contact line says who works on it
    assert read("这152万元出自哪个资金盘子？").meta is None  # a source of money, not of a letter


def test_which_legislator_may_say_which_congress_they_sit_in() -> None:
    assert read("恩阳那封回复是给哪位政协委员的？").meta == "addressee"
    assert read("中山民政局那封答复回的是哪个人大代表？").meta == "addressee"


def test_readers_counted_by_their_clicks_ask_the_views_field() -> None:
    assert read("温州那封答复网上有多少人点开看过？").meta == "views"
    assert read("咸阳那封的点击量是多少？").meta == "views"
    assert read("温州那个平台有多少人使用？").meta != "views"


def test_a_mobile_number_or_a_letter_said_as_yi_feng_points_at_the_letter_whose_field_is_asked() -> None:
    # 手机号 and 联系电话 are the letter's own fields, not content; "有一封…" speaks of a letter as 那封 does
    assert read("15224120646这个手机号是哪个局的？").meta == "bureau"
    assert read("联系电话89985185是哪个单位的？").meta == "bureau"
    assert read("有一封是2023年5月11日印发的，文号是多少").meta == "doc_number"
    assert read("2023年5月11日印发的那个方案，哪家发的？").meta is None  # a document the letter cites: content


def test_a_time_asked_with_duoshao_is_the_time_not_a_count() -> None:
    assert read("广东民政厅网站上这封答复的发布时间精确到秒是多少？").meta == "published"
    assert read("温州那封答复的落款日期是多少？").meta == "date"
    assert read("温州那封答复落款那年建了多少个中心？").meta is None  # a count, dated by the letter
