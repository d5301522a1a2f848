"""Pinyin-input slips (rag.answer.slips): a run no text or dictionary holds, read as the word that sounds the same."""

from rag.answer.slips import unslipped

LETTERS = ["在全市建设47个“爱心餐厅”，目前受益对象660人", "启动“一键通”综合服务项目", "联系人：金谧"]


def test_a_slip_is_read_as_the_word_of_the_letters_that_sounds_the_same() -> None:
    assert unslipped("那彬州的爱心餐听呢，建了几个？", LETTERS) == "那彬州的爱心餐厅呢，建了几个？"
    assert unslipped("免费开通的一键同", LETTERS, ["一键通"]) == "免费开通的一键通"  # a name the letters quote
    assert unslipped("温州那封答复的连系人是谁？", words=["联系人"]) == "温州那封答复的联系人是谁？"
    assert unslipped("签发仁是谁？文好是多少？", words=["签发人", "文号"]) == "签发人是谁？文号是多少？"


def test_words_names_and_the_way_a_question_is_put_stay() -> None:
    for q in ("温州有多少家养老机构？", "这些受益的人分几类？先说前两类", "舒瑜委员那件提案", "彬州的爱心餐厅"):
        assert unslipped(q, LETTERS, ["联系人"]) == q
    # a run across two words is no slip: "人大建议" holds no "大建" to read as the letters' 搭建
    assert unslipped("317号人大建议的答复里", ["搭建老年服务热线"]) == "317号人大建议的答复里"
