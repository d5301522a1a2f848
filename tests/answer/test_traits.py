"""rag.answer.traits: the one letter a question picks by a trait of its record."""

import pytest

from rag.answer.traits import by_trait
from rag.core.records import Metadata

CATALOG = {  # the five letters' records, as ingest reads them
    "zs": Metadata("中山市民政局", "中民函〔2022〕40号", None, "杨兴全等委员", "市政协十三届一次会议第131058号提案",
                   contact="刘芳；电话：88301633"),
    "ey": Metadata("巴中市恩阳区民政局", "恩民政函〔2021〕3号", "2021-07-27", "温蓉委员",
                   "区政协二届七次会议第13号提案", contact="陈庆；联系电话：15284747333"),
    "wz": Metadata("温州市民政局", "温民提〔2019〕70号", "2019-07-02", "肖石龙代表", "市十三届人大四次会议第317号建议",
                   contact="金谧，联系电话：89985185，15224120646"),
    "gd": Metadata("广东省民政厅", "粤民函〔2020〕713号", "2020-06-30", "吴克昌代表",
                   "广东省十三届人大三次会议第1146号代表建议"),
    "xy": Metadata("咸阳市民政局", "咸民函〔2023〕38号", "2023-05-11", "舒瑜委员", "市政协九届二次会议第403号提案",
                   contact="市民政局社会福利科 38990021"),
}


@pytest.mark.parametrize(("question", "letter"), [
    ("五封里哪封是省一级的部门回的？", "gd"),
    ("五封里哪封是区一级民政局回的？文号给一下", "ey"),
    ("哪封答复既没留联系人也没留电话？", "gd"),
    ("哪封答复没写联系人名字，只给了个科室加电话？", "xy"),  # 广东 gives no phone either
    ("哪封函通篇没写落款日期？", "zs"),
    ("五封答复里只有一封文号带个“提”字，那封是回哪位代表的？", "wz"),
    ("五份答复里，文号当中带个“政”字的是哪个区民政局？", "ey"),
    ("五封里哪封的抬头是好几位委员联名的？报下提案号", "zs"),
    ("回市人大代表建议的是哪一封？报下文号", "wz"),  # raised in a city's 人大, not its 政协
    ("这几封答复里哪封回的是区政协的提案？哪一届哪一次会议？", "ey"),
    ("哪封答复末尾没写联系人姓名，写的是“联系单位及电话”？是哪个科？", "xy"),
    ("哪封答复的联系电话里，座机、手机都留了？联系人叫啥？", "wz"),  # 89985185 and 15224120646
])
def test_a_letter_is_picked_by_a_trait_of_its_record(question: str, letter: str) -> None:
    assert by_trait(question, CATALOG) == frozenset({letter})


@pytest.mark.parametrize("question", [
    "五封里哪封是市一级的部门回的？",  # three city bureaus: which one is not said
    "哪封答复没写联系人名字？",  # 广东 and 咸阳
    "文号带个“提”字的那个建议说了什么？",  # no letter picked among others
    "温州市有多少家养老机构？",
])
def test_no_letter_is_picked_when_the_traits_fit_several_or_none_is_asked(question: str) -> None:
    assert by_trait(question, CATALOG) is None


def test_a_field_given_with_a_mark_picks_the_letter_and_another_field_is_asked() -> None:
    from rag.answer.frame import read

    assert read("五份答复里，文号当中带个“政”字的是哪个区民政局？").meta == "bureau"
    assert read("五封答复里只有一封文号带个“提”字，那封是回哪位代表的？").meta == "addressee"
    assert read("写的是“联系单位及电话”？是哪个科？").meta == "contact"


def test_the_letter_picked_by_a_trait_answers_through_the_pipeline(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_pipeline.respond("哪封函通篇没写落款日期？").answer
    assert answer.found and "中民函〔2022〕40号" in answer.direct


def test_a_letter_is_picked_by_a_trait_only_its_own_lines_state() -> None:
    from rag.answer.traits import by_lines
    from tests.answer.test_meta import doc

    letters = {d.doc_id: d for d in (doc(n) for n in ("reply-01.txt", "reply-03.txt", "reply-04.txt", "reply-05.md"))}
    gd, xy = doc("reply-04.txt").doc_id, doc("reply-05.md").doc_id
    for question, letter in (("赵斌正签发的那份答复，发文字号报一下", xy),
                             ("会办意见里带上了省残联的那封，回的是哪位代表？", gd),
                             ("网页上显示阅读860次的那篇答复，回的是哪位代表？", gd),
                             ("网页上带阅读次数的那篇答复，是哪个厅的？", gd),
                             ("五封里哪封落款日期后面带了“印发”两个字？", xy)):
        assert by_lines(question, letters, letters.get) == frozenset({letter}), question
    assert by_lines("网页上显示阅读999次的那篇答复是哪个厅的？", letters, letters.get) is None  # fits none
    assert by_lines("温州市有多少家养老机构？", letters, letters.get) is None  # names no such trait


def test_a_letter_is_picked_by_words_one_of_its_headings_holds() -> None:
    from rag.answer.traits import by_lines
    from tests.answer.test_meta import doc

    letters = {d: doc(f) for d, f in (("zs", "reply-01.txt"), ("wz", "reply-03.txt"), ("gd", "reply-04.txt"))}
    q = "哪封的小标题里出现了“融资服务与障体系”这几个字？是回哪几位委员的？"
    assert by_lines(q, letters, letters.get) == frozenset({"zs"})
    assert by_lines("哪封的小标题里出现了“火星基地”？", letters, letters.get) is None


def test_a_letter_is_picked_by_a_document_its_text_cites() -> None:
    from rag.answer.traits import by_lines
    from tests.answer.test_meta import doc

    letters = {d: doc(f) for d, f in (("zs", "reply-01.txt"), ("wz", "reply-03.txt"), ("gd", "reply-04.txt"))}
    q = "正文里引了《广东省老年人权益保障条例》的，是哪个局的答复？"
    assert by_lines(q, letters, letters.get) == frozenset({"zs"})  # 广东's own letter does not cite it
    assert by_lines("正文里引了《火星养老条例》的，是哪个局的答复？", letters, letters.get) is None
