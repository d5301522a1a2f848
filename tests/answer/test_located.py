"""Where a letter says something (rag.answer.located): the part, heading and numbered point a quoted term stands in."""

from rag.answer.frame import read
from rag.answer.located import asks_location, located_answer
from tests.answer.test_meta import doc


def test_a_place_asked_of_a_quoted_term_or_code_is_a_location_question() -> None:
    assert asks_location("温州那封答复里，“电子围栏”这个词出现在哪个小标题底下？")
    assert asks_location("省厅那篇里，GD/TC134这个代号出现在正文第几部分？")
    assert asks_location("提到“两院一体”的是一是到七是里的第几条？")
    assert not asks_location("正文第二部分的标题是什么？")  # a part pointed at by its place: rag.answer.outline
    assert not asks_location("电子围栏出现在哪个小标题底下？")  # nothing quoted to find
    assert read("温州那封答复里，“电子围栏”这个词出现在哪个小标题底下？").meta == "located"


def test_the_answer_names_the_part_the_heading_and_the_point_and_what_is_asked_of_them() -> None:
    got = located_answer("“电子围栏”这个词出现在哪个小标题底下？", doc("reply-03.txt"), (), "extractive")
    assert got.found and got.direct == "建智慧平台，助力养老事业" and "二是启动" in got.answer
    got = located_answer("提到“两院一体”的是一是到七是里的第几条？", doc("reply-02.txt"), (), "extractive")
    assert got.direct.startswith("三是") and "第二部分“推进养老产业发展的措施”" in got.answer
    got = located_answer("GD/TC134这个代号出现在正文第几部分？", doc("reply-04.txt"), (), "extractive")
    assert got.direct == "加快智慧养老标准化建设" and "第八部分" in got.answer
    # a quote that says where to look ("下一步"的第几点) is not a term to find
    got = located_answer("“爱心助老员”写在“下一步”的第几点里？", doc("reply-05.md"), (), "extractive")
    assert got.direct == "四是开展留守老年人关爱服务" and "下一步”在" not in got.answer


def test_a_term_the_letter_does_not_hold_is_refused_by_name() -> None:
    got = located_answer("“中国电信”写在哪一部分？", doc("reply-03.txt"), (), "extractive")
    assert not got.found and "没有找到“中国电信”" in got.answer
