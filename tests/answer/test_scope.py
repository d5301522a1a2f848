"""rag.answer.scope: which letters a question's references and descriptions select."""

from __future__ import annotations

from rag.answer.scope import described
from rag.core.records import Metadata

CATALOG = {
    "gd": Metadata(bureau="广东省民政厅", doc_number="粤民函〔2020〕713号", date="2020-06-30"),
    "zs": Metadata(bureau="中山市民政局", doc_number="中民函〔2022〕40号"),
    "wz": Metadata(bureau="温州市民政局", doc_number="温民提〔2019〕70号", date="2019-06-20"),
    "ey": Metadata(bureau="巴中市恩阳区民政局", doc_number="恩民政函〔2021〕3号"),
}


def test_a_letter_described_by_its_bureau_or_year_is_selected_when_only_one_fits() -> None:
    assert described("民政厅那个函落款日期是哪天", CATALOG) == {"gd"}  # the only 厅
    assert described("省民政厅那份答复是针对第几号代表建议", CATALOG) == {"gd"}
    assert described("2020年那份答复针对的是哪次人大会议上的建议", CATALOG) == {"gd"}
    assert described("19年那封回函里温州有多少家养老机构", CATALOG) == {"wz"}
    assert described("中山那份说村里新征地的补偿款，集体最少得留几成", CATALOG) == {"zs"}
    assert described("区民政局的答复里讲了几条措施", CATALOG) == {"ey"}
    # the month it was signed and the level of its bureau ("市一级" is a 市民政局): 中山's has no date
    assert described("落款在6月份、又是市一级民政局发的那封，回的是哪位代表？", CATALOG) == {"wz"}


def test_who_wrote_a_letter_describes_it_and_is_nothing_it_mentions() -> None:
    from rag.answer.meta import mentioned

    assert mentioned("落款在7月份、又是市一级民政局发的那封，回的是哪位代表？") is None
    assert mentioned("哪封答复征求过省医保局的意见？") is not None


def test_a_description_several_letters_fit_or_none_selects_nothing() -> None:
    assert described("市民政局那份答复是哪天写的", CATALOG) is None  # 中山, 温州
    assert described("那个平台是哪天上线的", CATALOG) is None  # 那个 points at no letter
    assert described("2023年那份答复", CATALOG) is None


def test_staff_shorten_a_bureau_to_its_level_and_kind() -> None:
    assert described("省厅那篇答复挂到网站上是哪天", CATALOG) == {"gd"}  # 省民政厅


def test_a_legislator_named_bare_gets_the_role_their_letter_gives_them() -> None:
    from rag.answer.scope import with_roles

    catalog = {"wz": Metadata(addressee="肖石龙代表"), "zs": Metadata(addressee="杨兴全等委员")}
    assert with_roles("肖石龙那个建议，温州民办养老机构占比多少", ("肖石龙",), catalog).startswith("肖石龙代表那个建议")
    assert with_roles("杨兴全提的", ("杨兴全",), catalog) == "杨兴全委员提的"
    assert with_roles("杨兴全委员提的", ("杨兴全",), catalog) == "杨兴全委员提的"


def test_a_legislator_called_by_surname_and_role_is_named_in_full() -> None:
    from rag.answer.scope import by_surname
    from rag.core.records import Metadata

    catalog = {"a": Metadata(addressee="吴克昌代表"), "b": Metadata(addressee="舒瑜委员"),
               "c": Metadata(addressee="肖石龙代表")}
    assert by_surname("吴代表那个智慧养老建议，省厅回复时汇总了哪几家单位的意见", catalog).startswith("吴克昌代表那个")
    assert by_surname("给舒委员的回复是哪天印发的", catalog) == "给舒瑜委员的回复是哪天印发的"
    assert by_surname("肖石龙代表的建议是哪个单位答复的", catalog) == "肖石龙代表的建议是哪个单位答复的"
    assert by_surname("人大代表提的建议有哪些", catalog) == "人大代表提的建议有哪些"  # 大 is no surname here
    two = catalog | {"d": Metadata(addressee="吴敏代表")}
    assert by_surname("吴代表那个建议是哪天答复的", two) == "吴代表那个建议是哪天答复的"  # two 吴: never guessed


def test_a_phone_number_or_contact_person_the_question_gives_selects_that_letter() -> None:
    from rag.answer.frame import read
    from rag.answer.scope import by_record as by_contact

    catalog = {"wz": Metadata(contact="金谧，联系电话：89985185，15224120646"),
               "ey": Metadata(contact="陈庆；联系电话：15284747333"),
               "xy": Metadata(contact="市民政局社会福利科 38990021")}
    assert by_contact("15224120646是哪个单位留的电话？", catalog) == {"wz"}
    assert by_contact("联系人写陈庆的那封函，是哪个单位发的？", catalog) == {"ey"}
    assert by_contact("38990021这个号码是哪个单位的？", catalog) == {"xy"}
    assert by_contact("温州有多少家养老机构？", catalog) is None
    assert by_contact("12345678是谁的电话", catalog) is None  # no letter gives it
    # what is given is not what is asked: the bureau, not the phone or the contact
    assert read("89985185这个电话是哪个局留的？").meta == "bureau"
    assert read("联系人是金谧的那封答复是哪个局发的？").meta == "bureau"
    assert read("温州那封答复的联系电话是多少？").meta == "phone"


def test_a_level_said_instead_of_a_place_points_at_that_levels_bureaus() -> None:
    from rag.answer.scope import at_level, level_asked

    assert level_asked("省里福彩公益金从21年开始至少拿几成给养老", ()) == "省"
    assert level_asked("区里的日间照料中心建了几个", ()) == "区"
    assert level_asked("做了改造的县级中心敬老院有几个", ()) is None  # 县级 says what kind, not whose letter
    assert level_asked("咸阳市局说省里给了多少钱", ("咸阳",)) is None  # a place named decides
    assert at_level("广东省民政厅", "省") and not at_level("中山市民政局", "省") and at_level("中山市民政局", None)


def test_a_word_ending_in_a_level_character_is_no_level() -> None:
    from rag.answer.scope import level_asked

    assert level_asked("社区里的日间照料中心有几个", ()) is None
    assert level_asked("城市里的养老机构有多少家", ()) is None


def test_a_signing_date_meeting_or_proposal_title_the_question_quotes_selects_that_letter() -> None:
    from rag.answer.frame import read
    from rag.answer.scope import by_record

    catalog = {"wz": Metadata(date="2019-07-02", proposal="市十三届人大四次会议第317号建议",
                              proposal_title="《关于加强养老服务体系建设的建议》"),
               "xy": Metadata(date="2023-05-11", proposal="市政协九届二次会议第403号提案",
                              proposal_title="“关于加大农村养老机构帮扶力度的建议”"),
               "gd": Metadata(date="2020-06-30", proposal="广东省十三届人大三次会议第1146号代表建议",
                              proposal_title="关于大力发展智慧养老,高效应对人口老化的理念更新与政策创新的建议")}
    assert by_record("落款2019年7月2日的是哪个局的答复？", catalog) == {"wz"}
    assert by_record("2023年5月11日那封答复的文号是什么？", catalog) == {"xy"}
    assert by_record("市政协九届二次会议上的那件提案，是哪个局给的答复？", catalog) == {"xy"}
    # the body (人大, 政协) is the bureau's word; the asker may leave it out
    assert by_record("十三届四次会议那个建议是谁提的？", catalog) == {"wz"}
    assert by_record("十三届人大三次会议的建议是哪个厅答复的？", catalog) == {"gd"}
    assert by_record("《关于加大农村养老机构帮扶力度的建议》是谁提的？", catalog) == {"xy"}
    assert by_record("落款写着二〇二三年五月十一日印发的那封，签发人是谁？", catalog) == {"xy"}  # in characters
    assert by_record("“关于加强养老服务体系建设的建议”这个建议是哪个局答复的", catalog) == {"wz"}
    # every value given must fit one letter; none that fits, or none given: no selection
    assert by_record("2019年7月2日那封九届二次会议的提案", catalog) is None
    assert by_record("2021年1月1日那封答复的文号", catalog) is None
    assert by_record("《中山市养老机构资助办法》是哪年修订的", catalog) is None
    assert by_record("温州有多少家养老机构？", catalog) is None
    # a contact asked for is no contact given: the 抄送 given still selects its letter
    copied = {"zs": Metadata(copy_to=("市政协提案委", "市政府办公室"), contact="刘芳；电话：88301633"),
              "wz": Metadata(contact="金谧，联系电话：89985185")}
    assert by_record("哪封函把市政府办公室也抄送了？联系人是谁？", copied) == {"zs"}
    # the date given points at the letter; the field asked is the other one
    assert read("落款2019年7月2日的是哪个局的答复？").meta == "bureau"
    assert read("温州那封答复是哪天落款的？").meta == "date"


def test_a_wenhao_no_letter_has_but_a_letter_cites_is_content_and_selects_the_citing_letters() -> None:
    from rag.answer.frame import read
    from rag.answer.scope import cited

    catalog = {"gd": Metadata(doc_number="粤民函〔2020〕713号"), "zs": Metadata(doc_number="中民函〔2022〕40号")}
    texts = [("gd", "省政府修订印发了《政府向社会力量购买服务暂行办法》(粤府办〔2014〕33号),规范了…"),
             ("zs", "…财综〔2014〕96 号…")]
    refs = read("1146号议案的回复里，粤府办〔2014〕33号是个什么文件？").refs
    left, quoted, citing = cited(refs, catalog, texts)
    assert [r.text for r in quoted] == ["粤府办〔2014〕33号"] and citing == {"gd"}
    assert left.proposals == ("1146",) and not left.doc_numbers
    # one that no letter cites stays a letter reference (to be refused with the nearest numbers)
    refs = read("粤府办〔2014〕34号是个什么文件？").refs
    assert cited(refs, catalog, texts) == (refs, (), frozenset())


def test_a_place_above_a_districts_own_area_is_not_the_districts_to_answer_for() -> None:
    """巴中市恩阳区民政局 states 恩阳区's figures: "巴中市有多少张养老床位" asks about all of 巴中, so a sentence must
    name 巴中 itself; "巴中恩阳…", "巴中那封答复…" (the place says whose letter) and "不光恩阳" (named to go beyond
    it) read as they are meant."""
    from rag.answer.scope import foreign_places

    bureau = "巴中市恩阳区民政局"
    assert foreign_places("巴中市有多少张养老床位？", ["巴中市"], bureau) == ["巴中市"]
    assert foreign_places("巴中全市（不光恩阳）公办养老机构一共几所？", ["巴中", "恩阳"], bureau) == ["巴中"]
    assert foreign_places("巴中恩阳有多少张养老床位？", ["巴中", "恩阳"], bureau) == []
    assert foreign_places("巴中那封答复里公办养老机构几所？", ["巴中"], bureau) == []
    assert foreign_places("温州市有多少家养老机构？", ["温州市"], "温州市民政局") == []
    assert foreign_places("东莞有多少家养老机构？", ["东莞"], "中山市民政局") == ["东莞"]


def test_a_districts_letter_does_not_answer_for_its_whole_city(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    whole = corpus_pipeline.ask("巴中市一共有多少个城乡社区日间照料中心？")
    assert not whole.found and "写的是恩阳区的情况，没有写巴中市全市的数字" in whole.answer
    assert corpus_pipeline.ask("巴中那封答复里公办养老机构几所？").direct == "10所"


def test_a_letter_picked_by_order_is_the_newest_oldest_or_largest_number() -> None:
    from rag.answer.scope import by_order

    catalog = {**CATALOG, "xy": Metadata(bureau="咸阳市民政局", doc_number="咸民函〔2023〕38号", date="2023-05-11",
                                         proposal="市政协九届二次会议第403号提案")}
    catalog["zs"] = Metadata(bureau="中山市民政局", doc_number="中民函〔2022〕40号",
                             proposal="市政协十三届一次会议第131058号提案")  # dated by its 文号 only
    assert by_order("五封答复里哪封是最新的？报文号", catalog) == {"xy"}
    assert by_order("最早的那封答复是哪个局写的？", catalog) == {"wz"}
    assert by_order("哪封函写得最晚？", catalog) == {"xy"}
    assert by_order("这几份回复里，年份最早的是哪一份？", catalog) == {"wz"}
    assert by_order("温州和广东的答复哪封更晚？", catalog) == {"gd"}  # among the letters of the places named
    assert by_order("提案编号数字最大的是哪封？", catalog) == {"zs"}
    assert by_order("按落款日期排，第二早的是哪封？", catalog) == {"gd"}  # 温州 2019, then 广东 2020
    # an order word that does not end a phrase about a letter asks about the content
    assert by_order("答复里说医养结合最早是哪一年开始的", catalog) is None
    assert by_order("哪个单位最早开展医养结合", catalog) is None
    assert by_order("最新的数据是多少", catalog) is None
    assert by_order("理念更新那封答复是哪天落款的", catalog) is None  # 更新 is "update", a word of 广东's title
    assert by_order("温州那封是最新的吗", {"wz": catalog["wz"]}) is None  # one letter: nothing to order


def test_a_letter_described_by_its_wenhao_without_the_number() -> None:
    from rag.answer.scope import described
    from tests.answer.test_traits import CATALOG

    assert described("粤民函那篇网页，最后一级栏目叫啥？", CATALOG) == frozenset({"gd"})
    assert described("温民提那份的联系人是谁？", CATALOG) == frozenset({"wz"})


def test_the_kind_of_number_a_contact_line_gives_selects_its_letter() -> None:
    from rag.answer.scope import by_record

    catalog = {"wz": Metadata(contact="联系人：金谧，联系电话：89985185、15224120646"),
               "ey": Metadata(contact="联系人：王某，联系电话：15284747333"),
               "zs": Metadata(contact="联系人：刘芳，电话：88301633")}
    assert by_record("五封答复里，联系电话只留了手机号、没留座机的是哪一封？", catalog) == {"ey"}
    assert by_record("哪封答复只留了座机？", catalog) == {"zs"}


def test_a_letter_counted_in_years_from_another_is_the_one_of_that_year() -> None:
    from rag.answer.scope import by_record

    catalog = {"wz": Metadata(bureau="温州市民政局", date="2019-07-02"),
               "gd": Metadata(bureau="广东省民政厅", date="2020-06-30"),
               "ey": Metadata(bureau="巴中市恩阳区民政局", date="2021-07-27"),
               "zs": Metadata(bureau="中山市民政局", date="2022-06-10")}
    assert by_record("五封答复里，落款年份比温州那封晚一年的，是哪个单位发的？", catalog) == {"gd"}
    assert by_record("哪封答复的文号年份刚好比恩阳那封晚一年？", catalog) == {"zs"}
    assert by_record("年份比温州那封早两年的是哪封", catalog) is None  # no letter of 2017
    assert by_record("落款年份比温州那封晚两年的", catalog) == {"ey"}
    assert by_record("年份比温州那封晚二年的", catalog) == {"ey"}
