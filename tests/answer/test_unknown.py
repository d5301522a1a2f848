"""Questions about things no letter names are refused, naming the words (issue 16: "鹦鹉螺火星基地？" was answered)."""

import json

import pytest

from rag.core.settings import PROJECT_ROOT
from rag.pipeline import Pipeline


@pytest.mark.parametrize(("question", "history"), [
    ("鹦鹉螺火星基地？", ()),
    ("鹦鹉螺火星基地有哪些？", ()),  # was a list of "全省2个基地、10个街道…" from the 广东 letter
    ("火星基地有多少个？", ()),  # was "2个", from "推动全省2个基地"
    ("鹦鹉螺火星基地？", ("温州市有多少家养老机构？",)),  # a new subject after a conversation
    ("量子计算机有多少台？", ()),
])
def test_a_question_about_something_no_letter_names_is_refused(corpus_pipeline: Pipeline, question: str,
                                                               history: tuple[str, ...]) -> None:
    answer = corpus_pipeline.respond(question, history=history).answer
    assert not answer.found and answer.citations == ()
    assert answer.answer.startswith("资料中未找到")
    assert "答复函中没有出现" in answer.answer and ("“火星”" in answer.answer or "“量子”" in answer.answer)


@pytest.mark.parametrize("question", [
    "给老人家里装扶手、做无障碍改造，巴中恩阳打算花多少钱？",  # paraphrases (扶手) next to the letters' own words
    "彬州为解决农村孤寡老人吃饭难建了多少家公益食堂？",
    "温州市有多少家养老机构？",
    "恩阳满一百岁的寿星有多少位？",  # 寿星: the letters' 老人
    "温州民办养老机构占多少，按这个deadline报我",  # an English word mixed in is no unknown name
    # where in the letter (第一部分) and how to answer (文件名列一下: jieba's 名列 is no word of the letters)
    "中山那封第一部分开头说贯彻了哪几份文件的精神？文件名列一下",
])
def test_questions_in_other_words_are_still_answered(corpus_pipeline: Pipeline, question: str) -> None:
    assert corpus_pipeline.respond(question).answer.found


def test_no_answerable_qa_question_is_refused_for_unknown_words(corpus_pipeline: Pipeline) -> None:
    from rag.answer.unknown import unknown_terms

    retriever = corpus_pipeline.retriever
    for line in (PROJECT_ROOT / "eval" / "data" / "qa.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item.get("evidence"):
            hits = corpus_pipeline.search(item["question"], k=5)
            assert unknown_terms(item["question"], hits, retriever.in_vocabulary, corpus_pipeline.tokenizer.tokens) \
                == (), item["question"]


def test_the_words_a_question_asks_with_are_not_its_subject() -> None:
    from rag.answer.unknown import unknown_terms

    # "什么时候" asks; 时候 names nothing the letters should hold (a follow-up about the previous figure)
    assert unknown_terms("这个数是截至什么时候的？", [], lambda t: False, lambda t: [t]) == ()
    assert unknown_terms("火星基地是什么时候建的？", [], lambda t: False, lambda t: [t]) == ("火星", "基地")


def test_the_words_that_ask_for_the_letters_own_term_are_not_its_subject() -> None:
    from rag.answer.unknown import unknown_terms

    vocabulary = {"银行", "老人", "网点", "方案"}
    assert unknown_terms("银行网点给老人的专窗，原文管它叫什么？", [], vocabulary.__contains__, lambda t: [t]) == ()
    assert unknown_terms("这个方案全称叫什么？", [], vocabulary.__contains__, lambda t: [t]) == ()
    assert unknown_terms("火星基地的原文名称叫什么？", [], vocabulary.__contains__, lambda t: [t]) == ("火星", "基地")


def test_a_known_word_jieba_glued_a_character_to_is_known() -> None:
    from rag.answer.unknown import unknown_terms

    vocabulary = {"恩阳", "老人"}  # what the index holds
    assert unknown_terms("恩阳满一百岁的老人有多少", [], vocabulary.__contains__, lambda t: [t]) == ()
    assert unknown_terms("火星满一百岁的老人有多少", [], vocabulary.__contains__, lambda t: [t]) == ("火星",)


def test_the_number_of_a_known_thing_is_known() -> None:
    from rag.answer.unknown import unknown_terms

    vocabulary = {"床位"}
    assert unknown_terms("鹿城的床位数有多少", [], vocabulary.__contains__, lambda t: [t]) == ()


def test_an_age_asked_is_no_unknown_noun() -> None:
    from rag.answer.unknown import _ASKING

    assert _ASKING.sub("，", "咸阳重阳节慰问了老人，都是多大岁数的？") == "咸阳重阳节慰问了老人，都是，的？"


def test_a_date_asked_by_year_and_month_and_a_short_name_are_no_unknown_nouns() -> None:
    from rag.answer.unknown import _ASKING, unknown_terms

    assert "哪年哪月" not in _ASKING.sub("，", "人社部是哪年哪月定的长护险试点")
    from rag.core.records import Chunk, Hit, Metadata

    text = "人力资源社会保障部于2016年6月在全国确定了15个城市开展长期护理保险试点"
    hits = [Hit(Chunk("c", "d", 0, (), (), "", "", text), 1.0, Metadata())]
    assert unknown_terms("人社部是哪年哪月定的长护险试点？", hits, lambda t: False, lambda t: [t]) == ()


def test_only_a_word_shaped_as_an_official_short_name_is_read_as_one() -> None:
    from rag.answer.wording import full_name

    assert full_name("张床", "约有5481张养老床位") is None  # a measure word and a noun, no name
    assert full_name("人社部", "人力资源社会保障部于2016年6月") == "人力资源社会保障部"


def test_a_verb_jieba_calls_a_noun_before_a_count_is_no_unknown_word() -> None:
    """"发给多少人次": jieba tags 发给 vn; before a count it is the verb, not a thing the letters must name."""
    from rag.answer.unknown import unknown_terms

    assert unknown_terms("发给多少人次？", [], lambda t: t in {"人次"}, lambda w: [w]) == ()


def test_a_noun_jieba_glued_from_the_end_of_a_known_word_is_no_unknown_word() -> None:
    """"日间照料中心想拿…": jieba cuts 照料|中|心想|拿; 心想 is not a word the question uses, 中心 is."""
    from rag.answer.unknown import unknown_terms

    seen = "对绩效考评良好以上的51个日间照料中心每个给予2-4万元运营补贴"

    def in_index(t: str) -> bool:
        return t in seen

    question = "咸阳日间照料中心想拿运营补贴，考核得评到什么档次？"
    assert "心想" not in unknown_terms(question, [], in_index, lambda t: [t])
    assert unknown_terms("鹦鹉螺火星基地有多少个？", [], in_index, lambda t: [t])  # still refused


def test_the_words_that_ask_an_amount_name_nothing_asked_about(corpus_pipeline: Pipeline) -> None:
    """"下达的补贴金额合计是多少万": 金额 and 合计 are how the amount is asked, which no letter need say."""
    answer = corpus_pipeline.respond("下达的补贴金额合计是多少万？",
                                     history=["咸阳落实民办养老机构支持政策那段，给了几家一次性建设补贴"]).answer
    assert answer.found and "45.1万元" in answer.direct


def test_a_bound_asked_is_no_unknown_thing(corpus_pipeline) -> None:
    """"年龄门槛是多少岁": 门槛 asks the bound, which the letter says as 80岁以上."""
    got = corpus_pipeline.ask("咸阳22年重阳节慰问的困难老人，年龄门槛是多少岁？")
    assert got.found and got.direct.startswith("80岁")


def test_renshu_asks_how_many_people_it_names_nothing() -> None:
    from rag.answer.unknown import unknown_terms

    vocabulary = {"爱心", "餐厅", "受益", "老年人", "老年", "数量"}
    assert unknown_terms("爱心餐厅受益的人数有多少？", [], vocabulary.__contains__, lambda t: [t]) == ()
    # (老年人数量: the 人 is the 老年人's, and what is counted stays a noun of the question)
    assert "老年人" in unknown_terms("火星基地的老年人数量", [], {"数量"}.__contains__, lambda t: [t])
