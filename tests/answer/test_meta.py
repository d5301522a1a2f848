"""rag.answer.meta: the date a portal published a letter is its page line, never the signing date."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rag.answer.cite import cite_paragraph
from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.meta import meta_answer
from rag.core.records import Document, Hit
from rag.core.tokens import get_tokenizer
from rag.ingest.chunk import chunk_document
from rag.ingest.load import read_file
from rag.ingest.structure import parse_document

CORPUS = Path(__file__).parents[2] / "corpus"


@cache
def doc(name: str) -> Document:
    path = CORPUS / name
    return parse_document(read_file(path), path.stem)


def _ask(question: str, d: Document) -> str:
    """The extractive answer to `question` with `d`'s opening chunk retrieved."""
    answerer = ExtractiveAnswerer(get_tokenizer(), library={d.doc_id: d}.get)
    hit = Hit(chunk_document(d)[0], 1.0, d.meta)
    return answerer.answer(question, [hit]).answer


def test_published_is_the_portal_date_cited_to_its_line() -> None:
    d = doc("reply-04.txt")
    found = meta_answer("published", d, cite_paragraph)
    assert found is not None
    text, value, (cit,) = found
    # with the clock time the page line gives ("几点几分发到网上的")
    assert value == "2020-07-09 16:40:22" and "2020-07-09 16:40:22" in text and "6月30日" not in text
    (page,) = [p for p in d.paragraphs if p.text.startswith("2020-07-09 16:40:22")]
    assert cit.paragraph == page.id and "来源:广东省民政厅" in cit.quote
    # a letter without a page line states no publication date: never its signing date instead
    assert meta_answer("published", doc("reply-01.txt"), cite_paragraph) is None
    assert meta_answer("published", doc("reply-05.md"), cite_paragraph) is None  # "2023年5月11日印发" is signing


def test_asked_when_it_went_online_the_answer_is_the_page_date() -> None:
    answer = _ask("广东省民政厅那封智慧养老答复函是哪天挂到官网上的？", doc("reply-04.txt"))
    assert "2020-07-09" in answer and "2020年6月30日" not in answer
    assert "2020年6月30日" in _ask("粤民函〔2020〕713号的落款日期是哪天？", doc("reply-04.txt"))
    refused = _ask("中民函〔2022〕40号是什么时候发布到网上的？", doc("reply-01.txt"))
    assert "没有写明发布日期" in refused


def test_the_page_line_does_not_answer_who_answered() -> None:
    d = parse_document(read_file(Path(__file__).parents[1] / "data" / "page.html"), "page")
    pages = {p.id for p in d.paragraphs if p.kind == "page"}  # "2024-05-21 09:30:00 来源：青山市民政局 …", first
    found = meta_answer("bureau", d, cite_paragraph)
    assert pages and found is not None and found[1] == "青山市民政局" and found[2][0].paragraph not in pages


def test_the_proposal_number_is_cited_to_the_line_that_states_it() -> None:
    found = meta_answer("proposal_number", doc("reply-04.txt"), cite_paragraph)  # "第1146号代表建议"
    assert found is not None and found[1] == "第1146号建议" and "第1146号代表建议" in found[2][0].quote


def test_the_letters_own_title_and_the_whole_proposal_are_fields_of_their_own() -> None:
    from rag.answer.frame import read

    assert read("恩阳那封函的标题全称怎么写的？").meta == "title"
    assert read("恩阳那封答复的提案标题是什么？").meta == "proposal_title"  # the proposal's, not the letter's
    assert read("中山那封函，委员们提案的题目全称是什么？").meta == "proposal_title"
    assert read("粤民函2020-713回复的是哪次会上的几号建议？").meta == "proposal"  # both asks of one name
    assert read("粤民函2020-713回复的是哪次会上的建议？").meta == "meeting"
    title = meta_answer("title", doc("reply-03.txt"), cite_paragraph)
    assert title is not None and title[1] == "关于市十三届人大四次会议第317号建议的答复函"
    assert title[2][0].quote == title[1]  # cited to the title line
    whole = meta_answer("proposal", doc("reply-04.txt"), cite_paragraph)
    assert whole is not None and "十三届人大三次会议" in whole[1] and "1146号" in whole[1]
    assert whole[1].startswith("人大建议")  # "人大建议还是政协提案": the kind, then the full name
    xy = meta_answer("proposal", doc("reply-05.md"), cite_paragraph)
    assert xy is not None and xy[1].startswith("政协提案") and "第403号提案" in xy[2][0].quote


def test_what_the_asker_says_they_do_not_want_is_not_asked() -> None:
    from rag.answer.frame import read

    assert read("省民政厅那篇回复，正文最后落款的日期是哪天？不要网页发布时间").meta == "date"
    assert read("省民政厅那篇回复是什么时候发布到网上的？").meta == "published"
    assert read("广东那封回复是不是6月30日落款的？").meta == "date"  # 是不是 asks, it does not exclude


def test_a_person_the_question_names_is_no_answer_about_them() -> None:
    answer = _ask("咸民函〔2023〕38号的签发人赵斌正是什么职务？", doc("reply-05.md"))
    assert "赵斌正" in answer and "没有写明所问的其他内容" in answer and "资料中未找到" in answer
    assert "赵斌正" in _ask("咸民函〔2023〕38号的签发人是谁？", doc("reply-05.md"))


def test_the_class_a_letter_is_filed_under_is_a_field_of_its_own() -> None:
    from rag.answer.frame import read

    assert "B" in _ask("咸阳那封答复是哪类？", doc("reply-05.md"))
    assert "没有写明类别" in _ask("中山那封答复是哪类？", doc("reply-01.txt"))
    assert read("中山答复里增加了什么补助类别？").meta is None  # a class the content names, not the letter's


def test_which_letter_mentions_something_is_the_one_retrieved_letter_that_says_it() -> None:
    from rag.answer.frame import read
    from rag.answer.meta import letter_answer, mentioned

    assert mentioned("哪封回复提到了时间银行？") == "时间银行"
    assert mentioned("提到“登科白玉”的是哪个单位的回复？") == "登科白玉"
    assert mentioned("讲爱心餐厅的那封是哪个局回的") == "爱心餐厅"
    assert mentioned("中山那份抄送名单里有没有市金融局") is None  # a yes/no about a list, no mention
    assert mentioned("签发人是赵斌正的那份，印发日期是哪天？") == "赵斌正"  # a value its record gives
    letters = {name: doc(name) for name in ("reply-01.txt", "reply-02.txt", "reply-05.md")}
    library = {d.doc_id: d for d in letters.values()}.get
    hits = [Hit(chunk_document(d)[0], 1.0, d.meta) for d in letters.values()]

    def ask(question: str) -> str:
        return letter_answer(read(question), hits, library, get_tokenizer(), "extractive").answer

    assert "中山市民政局" in ask("哪封回复提到了时间银行？是哪个单位")  # 时间银行 is only in 中山's letter
    assert "巴中市恩阳区民政局" in ask("提到“登科白玉”的是哪个单位的回复？")
    # every word of what is mentioned in one sentence: 长者 and 餐厅 apart are no 长者餐厅
    assert "没有提到“长者餐厅”" in ask("哪封答复提到了长者餐厅？")
    several = ask("哪封答复提到了适老化？")  # 恩阳's and 咸阳's: which one is asked back
    assert "不止一封" in several and "巴中市恩阳区民政局" in several and "咸阳市民政局" in several


def test_which_letter_consulted_a_unit_or_states_a_field_is_read_whole_or_from_its_record() -> None:
    from rag.answer.frame import read
    from rag.answer.meta import letter_answer

    letters = [doc(name) for name in ("reply-01.txt", "reply-03.txt", "reply-04.txt", "reply-05.md")]
    library = {d.doc_id: d for d in letters}.get
    hits = [Hit(chunk_document(d)[0], 1.0, d.meta) for d in letters]

    def ask(question: str) -> str:
        return letter_answer(read(question), hits, library, get_tokenizer(), "extractive").answer

    # 省医保局 whole is only in 广东's letter; 中山's 医保定点 has its word 医保, not the name
    assert "广东省民政厅" in ask("哪封答复征求过省医保局的意见？")
    assert "咸阳市民政局" in ask("哪封答复在文头标了签发人？")  # only 咸阳's record has a 签发人 line
    both = ask("哪封答复注明了联系人和电话？")  # 中山, 温州 and 咸阳 state a contact: asked which
    assert "不止一封" in both and "温州市民政局" in both and "中山市民政局" in both


def test_the_first_or_last_unit_of_a_list_the_letters_record_holds() -> None:
    first = _ask("省厅那封综合各厅局意见，打头的是哪个厅？", doc("reply-04.txt"))
    assert "第一个是省工业和信息化厅" in first
    last = _ask("咸阳那封抄送的最后一个单位是哪个？", doc("reply-05.md"))
    assert "最后一个是市政协办公室（提案委）" in last
    # 最后抄送给了… says where the list stands in the letter, and asks the whole list
    whole = _ask("咸阳那封最后抄送给了哪两家？", doc("reply-05.md"))
    assert "市委市政府督查室" in whole and "市政协办公室" in whole


def test_the_nth_unit_or_the_one_beside_a_unit_the_question_names() -> None:
    letter = doc("reply-04.txt")  # 省工业和信息化厅、省财政厅、省卫生健康委、省市场监管局、省医保局、省残联
    assert "第3个是省卫生健康委" in _ask("广东那封会办意见里，排在省财政厅后头那个是谁？", letter)
    assert "第4个是省市场监管局" in _ask("广东那封会办意见里，省医保局前面那个是谁？", letter)
    assert "第5个是省医保局" in _ask("粤民函〔2020〕713号综合意见的单位里，倒数第二个是谁？", letter)


def test_a_letter_pointed_at_by_whom_to_contact_is_the_one_whose_contact_that_is(corpus_pipeline) -> None:
    from rag.answer.meta import mentioned

    assert mentioned("找陈庆对接的那份答复，文号多少？") == "陈庆"
    assert mentioned("有事找谁联系？") is None
    got = corpus_pipeline.ask("找陈庆对接的那份答复，文号多少？")
    assert got.found and got.direct == "恩民政函〔2021〕3号"


def test_a_proposals_title_in_shu_ming_hao_names_the_letter_that_answers_it(corpus_pipeline) -> None:
    from rag.answer.frame import read

    q = "题目叫《关于促进养老产业发展的建议》那件，是在哪一届第几次会上交的？"
    assert read(q).meta == "meeting"
    got = corpus_pipeline.ask(q)
    assert got.found and got.direct == "区政协二届七次会议" and got.citations[0].doc_number == "恩民政函〔2021〕3号"
    assert read("《中山市养老机构资助办法》修订后资助范围扩大了吗？").meta is None  # a document it cites: content


def test_biaoti_is_no_biao_that_marks_a_field() -> None:
    from rag.answer.meta import mentioned

    assert mentioned("省厅那篇网页的标题里，说的是哪届哪次人大会议？") is None
    assert mentioned("标了签发人的是哪封？") == "签发人"


def test_the_words_a_letter_opens_and_closes_with_are_read_by_their_place_in_its_form() -> None:
    from rag.answer.frame import read

    assert read("温州那封回函开头说，收到建议以后是经过什么才答复的？").meta == "opening"
    assert read("恩阳那封回复末尾，除了道谢还跟委员客气了句啥？").meta == "closing"
    assert read("温州那份答复最末尾括号里注了句啥？").meta == "closing_note"
    assert read("温州那封答复末尾留的联系电话是多少？").meta == "phone"  # the place says where; the field is asked
    assert read("综合了好几个单位的意见，末尾一个是谁？").meta != "closing"  # a place in a list
    wz, xy = doc("reply-03.txt"), doc("reply-05.md")
    assert "经调查研究" in _ask("温州那封回函开头说，收到建议以后是经过什么才答复的？", wz)
    assert "感谢你对民政养老工作的支持" in _ask("温州那封回函末尾感谢代表支持的是什么工作？", wz)
    assert "（此件公开发布）" in _ask("温州那份答复最末尾括号里注了句啥？", wz)
    assert "没有写明结尾" in _ask("咸阳那封答复的结尾说了什么？", xy)  # it closes with no word of thanks


def test_how_often_the_portal_page_was_read_is_its_page_line() -> None:
    from rag.answer.frame import read

    assert read("省厅那篇网页版答复显示被阅读了多少次？").meta == "views"
    assert "860" in _ask("省厅那篇网页版答复显示被阅读了多少次？", doc("reply-04.txt"))
    assert "没有写明网页阅读次数" in _ask("温州那封答复阅读次数多少？", doc("reply-03.txt"))


def test_the_portal_section_is_the_breadcrumbs_last_step() -> None:
    found = meta_answer("column", doc("reply-04.txt"), cite_paragraph)
    assert found is not None and found[1] == "人大建议办理" and "首页 > 政务公开 > 人大建议办理" in found[0]
    assert meta_answer("column", doc("reply-03.txt"), cite_paragraph) is None  # a letter saved with no page


def test_a_letter_pointed_at_by_words_it_is_quoted_as_saying() -> None:
    from rag.answer.frame import read
    from rag.answer.meta import mentioned

    q = "有一节标题叫“加强社区居家养老服务信息化建设”的那封，是答复哪位代表的？"
    assert mentioned(q) == "加强社区居家养老服务信息化建设" and read(q).meta == "addressee"
    assert mentioned("哪封答复开头写的是“现就有关情况答复如下”？") == "现就有关情况答复如下"
    # a quote with a blank to fill is asked, not pointed with
    assert read("肖石龙代表那条建议，题目是“关于加强什么”的建议？").meta == "proposal_title"


def test_which_letter_mentions_a_thing_it_plans_to_do_names_the_thing() -> None:
    from rag.answer.meta import mentioned

    assert mentioned("哪封答复里提到要推广“时间银行”？文号给我") == "时间银行"
    assert mentioned("哪封回复说准备探索爱心餐厅？") == "爱心餐厅"


def test_a_contacts_name_asked_of_a_letter_that_gives_an_office_is_refused_with_the_office() -> None:
    xianyang = doc("reply-05.md")  # 联系单位及电话：市民政局社会福利科 38990021: no person
    got = _ask("咸阳那封答复，具体负责联系的人叫啥？", xianyang)
    assert got.startswith("资料中未找到") and "没有写明联系人姓名" in got and "市民政局社会福利科 38990021" in got
    # who the contact is, asked without a name, is the office the line gives
    assert "联系人：市民政局社会福利科" in _ask("咸阳那封答复的联系人是谁？", xianyang)
    # a letter whose line names a person answers the same question with the name
    assert "联系人：金谧" in _ask("温州那封答复，具体负责联系的人叫啥？", doc("reply-03.txt"))
