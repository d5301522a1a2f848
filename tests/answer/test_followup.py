"""rag.answer.followup: conversation steps that read the previous answer (given here by `ask`)."""

from __future__ import annotations

from rag.answer.followup import new_value, resolve_question
from rag.core.records import Answer

PREVIOUS = "恩阳的日间照料中心一共拿到多少运行补贴？"


def _ask(question: str) -> Answer:
    """The previous question's answer, as the pipeline would give it."""
    assert question == PREVIOUS, question
    return Answer("133.9万元。据…", True, (), (), direct="133.9万元")


def test_a_follow_up_answered_with_the_value_just_given_is_refused_saying_so() -> None:
    same = Answer("133.9万元。据…", True, (), (), direct="133.9万元")
    got = new_value("那当初建这些中心补了多少？", "恩阳的日间照料中心，那当初建这些中心补了多少？", [PREVIOUS], same,
                    ["恩阳"], _ask)
    assert not got.found and "上一问的答案（133.9万元）" in got.answer
    other = Answer("220万元。据…", True, (), (), direct="220万元")
    assert new_value("那当初建这些中心补了多少？", "恩阳…，那当初建这些中心补了多少？", [PREVIOUS], other, ["恩阳"],
                     _ask) is other
    # asked again in the same words: answered as it is
    assert new_value(PREVIOUS, PREVIOUS, [PREVIOUS], same, ["恩阳"], _ask) is same
    # a whole sentence quoted for a new ask may hold the figure given before: it says more; a window cut around
    # that figure ("…133.9万元…") is the old answer read again
    whole = Answer("据…", True, (), (), direct="“积极争取省级福彩公益金，落实运行补贴资金133.9万元。”")
    assert new_value("那钱从哪出的？", "恩阳的日间照料中心，那钱从哪出的？", [PREVIOUS], whole, ["恩阳"], _ask) is whole
    cut = Answer("据…", True, (), (), direct="“…运行补贴资金133.9万元，…”")
    assert not new_value("那钱从哪出的？", "恩阳的日间照料中心，那钱从哪出的？", [PREVIOUS], cut, ["恩阳"], _ask).found


def test_a_follow_up_about_the_figure_just_given_carries_that_figure() -> None:
    got = resolve_question("这个数统计到什么时间？", [PREVIOUS], ["恩阳"], _ask)
    assert "133.9万元" in got and got.endswith("这个数统计到什么时间？")
    assert resolve_question("恩阳有几所敬老院？", [], ["恩阳"], _ask) == "恩阳有几所敬老院？"  # no conversation


def test_a_follow_up_naming_no_place_is_offered_with_the_conversations_place() -> None:
    """A follow-up that names no place and stands alone gets the place the previous question named as its
    alternative (the pipeline asks it so only when the letters do not answer it as it is); one that names a place,
    a letter or points back gets none."""
    from rag.answer.followup import of_conversation_place

    history = ["中山综合性二级以上医院设老年科的比例是多少？"]
    known = {"中山", "温州"}
    q = "那老人看病走绿色通道这块，多大比例的医疗卫生机构设了？"
    assert of_conversation_place(q, q, history, known) == f"中山，{q}"
    assert of_conversation_place(q, q, [], known) is None  # no conversation
    assert of_conversation_place("温州有多少家养老机构？", "温州有多少家养老机构？", history, known) is None
    assert of_conversation_place("这封答复是哪天写的？", "这封答复是哪天写的？", history, known) is None  # points back
    assert of_conversation_place("那床位呢？", "中山有多少张床位？", history, known) is None  # resolved otherwise
    assert of_conversation_place(q, q, ["有多少家养老机构？"], known) is None  # the previous one names no place


def test_the_conversations_place_does_not_depend_on_the_order_places_are_found_in(monkeypatch) -> None:
    """温州 and 温州市 both start the previous question: the longer is taken, whatever order the (set of) places
    comes in — a set's order varies from run to run, and an answer must not."""
    import rag.answer.followup as followup

    history = ["温州市有多少家养老机构？"]
    q = "镇街能不能自己把资助对象放宽一些？"
    got = set()
    for order in (["温州", "温州市"], ["温州市", "温州"]):
        monkeypatch.setattr(followup, "places_in", lambda text, known, order=order: [p for p in order if p in text])
        got.add(followup.of_conversation_place(q, q, history, {"温州", "温州市"}))
    assert got == {f"温州市，{q}"}


def test_a_follow_up_not_answered_as_rewritten_is_asked_in_its_own_words_of_the_previous_letter() -> None:
    from rag.answer.followup import of_conversation_letter
    from rag.core.records import Citation

    cite = Citation("ey", "巴中市恩阳区民政局", "恩民政函〔2021〕3号", None, "一、", "ey-p006", "…")

    def ask(question: str) -> Answer:
        return Answer("3所。据…", True, (cite,), (), direct="3所")

    history = ["恩阳公办养老机构有多少所？"]
    assert of_conversation_letter("民办的床位有多少张？", history, ["恩阳"], ask) == (
        "ey", "恩民政函〔2021〕3号：民办的床位有多少张？")
    assert of_conversation_letter("从哪年开始这么执行？", history, ["恩阳"], ask) is None  # 这么: says too little
    assert of_conversation_letter("温州的床位有多少张？", history, ["恩阳", "温州"], ask) is None  # its own place
    assert of_conversation_letter("民办的床位有多少张？", [], ["恩阳"], ask) is None
    assert of_conversation_letter("那从2021年起呢？", history, ["恩阳"], ask) is None  # no ask of its own
    # a count that names nothing it counts (新建 is a verb jieba tags as a place): alone, any count of the letter
    assert of_conversation_letter("2021年新建了多少？", history, ["恩阳"], ask) is None


def test_the_pipeline_asks_such_a_follow_up_of_the_previous_letter(corpus_pipeline) -> None:  # type: ignore[no-untyped-def]
    r = corpus_pipeline.respond("民办的床位有多少张？", history=["恩阳公办养老机构有多少所？"])
    assert r.answer.found and "1450张" in r.answer.direct and r.question.startswith("恩民政函〔2021〕3号：")


def test_a_follow_up_that_stood_alone_is_asked_with_what_the_previous_question_was_about() -> None:
    from rag.answer.followup import of_conversation_subject

    q = "换个口径，宽带建设发展的总体水平在省里是第几名？"
    got = of_conversation_subject(q, q, ["中山累计建成5G基站多少座？"], ["中山"])
    assert got == f"中山累计建成5G基站，{q}"
    earlier = ["中山累计建成5G基站多少座？"]
    assert of_conversation_subject(q, "中山，" + q, earlier, ["中山"]) is None  # rewritten already
    own = "温州宽带水平排第几"
    assert of_conversation_subject(own, own, earlier, ["中山", "温州"]) is None  # it names its own place


def test_a_follow_up_naming_no_place_is_asked_of_the_conversations_place_first(corpus_pipeline) -> None:
    """After a question about 咸阳, "社区里白天照料老人的中心建成了几个" is 咸阳's 266个, not 恩阳's 42个."""
    got = corpus_pipeline.respond("那城镇这边呢？社区里白天照料老人的中心建成了几个？",
                                  history=["咸阳各县市区通过新建、置换这些路子，村里建起的互助幸福院数量是？"])
    assert got.answer.direct == "266个" and "咸阳" in got.answer.answer
    # asked alone it may come from any letter; with no conversation nothing changes
    assert corpus_pipeline.respond("社区里白天照料老人的中心建成了几个？").answer.found
